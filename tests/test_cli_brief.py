"""`newsfuse brief` from the command line: several events in the input, their listing and
the commands it prints, the event options, JSON grouping, and a light start-up.

The mixed input is real: the five seeds (Baghdad embassy), Multi-News dev cluster c150 (a
UCLA study on sex addiction) and the three Guardian reports of 2009-06-11 from Timeline17's
H1N1 collection (the WHO declares a pandemic), from ../shared/data.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsfuse.cli import main
from tests.conftest import DATA, SEEDS, TIMELINE17

SEED_IDS = {p.stem for p in SEEDS.glob("*.txt")}
STUDY_IDS = {"c150-d0", "c150-d1"}
FLU_IDS = {"1135", "796", "838"}


@pytest.fixture(scope="module")
def mixed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mixed")
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    shutil.copy(DATA / "multinews-dev" / "c150.json", folder / "c150.json")
    day = [a for a in json.loads((TIMELINE17 / "H1N1_guardian" / "articles.json").read_text())
           if a["dct"].startswith("2009-06-11")]
    (folder / "flu.json").write_text(json.dumps(day))
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["brief", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_mixed_input_briefs_largest_and_prints_commands_for_the_rest(capsys, mixed_dir):
    code, out, err = run(capsys, str(mixed_dir), "--encoder", "tfidf", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [set(e["articles"]) for e in data["events"]] == [SEED_IDS, FLU_IDS, STUDY_IDS]
    assert [e["briefed"] for e in data["events"]] == [True, False, False]
    assert {s["id"] for s in data["sources"]} == SEED_IDS
    assert "3 unrelated events" in err
    for article_id in FLU_IDS | STUDY_IDS:
        assert article_id in err
    # the printed command briefs the event it names
    command = next(line.split("brief it: ", 1)[1] for line in err.splitlines()
                   if "brief it: " in line and line.rstrip().endswith("--event 3"))
    argv = shlex.split(command)
    assert argv[:2] == ["newsfuse", "brief"]
    code, out, _ = run(capsys, *argv[2:])
    assert code == 0
    assert {s["id"] for s in json.loads(out)["sources"]} == STUDY_IDS


def test_all_events_in_json_and_markdown(capsys, mixed_dir):
    code, out, _ = run(capsys, str(mixed_dir), "--encoder", "tfidf", "--all-events",
                       "--format", "json")
    assert code == 0
    events = json.loads(out)["events"]
    assert [len(e["articles"]) for e in events] == [5, 3, 2]
    for event in events:
        assert {s["id"] for s in event["brief"]["sources"]} == set(event["articles"])
    code, out, _ = run(capsys, str(mixed_dir), "--encoder", "tfidf", "--all-events")
    assert code == 0
    assert out.count("<!-- event ") == 3 and out.count("\n---\n") == 2


def test_quiet_still_lists_what_was_left_out(capsys, mixed_dir):
    code, _, err = run(capsys, str(mixed_dir), "--encoder", "tfidf", "-q")
    assert code == 0
    assert "left out" in err.lower() and "--event 2" in err


def test_one_event_fuses_everything_without_warning(capsys, mixed_dir):
    code, out, err = run(capsys, str(mixed_dir), "--encoder", "tfidf", "--one-event",
                         "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert len(data["sources"]) == 10 and len(data["events"]) == 1
    assert "left out" not in err


def test_single_event_input_has_no_event_warning(capsys):
    code, out, err = run(capsys, str(SEEDS), "--encoder", "tfidf", "--format", "json")
    assert code == 0
    assert "unrelated events" not in err and "left out" not in err
    assert json.loads(out)["events"][0]["articles"] == sorted(SEED_IDS)


def test_bad_event_choices_exit_2(capsys, mixed_dir):
    code, _, err = run(capsys, str(mixed_dir), "--encoder", "tfidf", "--event", "9")
    assert code == 2 and "no event 9" in err and "3 events" in err
    code, _, err = run(capsys, str(mixed_dir), "--all-events", "--format", "html")
    assert code == 2 and "--event N" in err
    with pytest.raises(SystemExit) as exc:
        main(["brief", str(mixed_dir), "--all-events", "--one-event"])
    assert exc.value.code == 2


def test_help_documents_events_and_loads_nothing_heavy(capsys):
    with pytest.raises(SystemExit):
        main(["brief", "--help"])
    text = capsys.readouterr().out
    for option in ("--all-events", "--event N", "--one-event", "never fused", "largest"):
        assert option in text
    code = ("import sys\n"
            "from newsfuse.cli import build_parser\n"
            "build_parser().format_help()\n"
            "heavy = {'numpy', 'scipy', 'sklearn', 'nltk', 'torch', 'spacy', 'trafilatura',\n"
            "         'jinja2', 'newsfuse.io', 'newsfuse.corpus.store'} & set(sys.modules)\n"
            "print(sorted(heavy))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
