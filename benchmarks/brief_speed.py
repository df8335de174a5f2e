"""Brief speed as a user runs it: one ``newsfuse brief`` process from the shell.

Inputs: the five seeds, and the first 10, 50, 200 and 800 Timeline17 dev articles written
to one JSON file (the collection's own format). Each cell runs the command once cold (the
first run of the input) and twice warm (the OS file cache holds the code, model and input);
the table gives the cold time, the warm median and the median of all three, wall and CPU
(user + system of the process: the figure that moves least when other tenants take the
machine's two cores).

Systems: ``newsfuse brief`` (auto encoder: MiniLM up to 2,000 sentences), ``newsfuse brief
--encoder tfidf`` (where auto would use MiniLM), and the peer: one process reading the same
input and picking five sentences with sumy's LexRank (sumy's own command needs NLTK data not
installed here).
LexRank compares every sentence pair in pure Python, so it runs once, is stopped after
``LEXRANK_LIMIT_S`` and is not run past 50 articles (at 200 it ran past 600 s).

The command loads its two models side by side: MiniLM in a process of its own, started before
the input is read when the input is small enough for auto to pick it
(``newsfuse.encode.start_models_early``), and spaCy in a thread, which then runs the facts
layer's model passes while the sentences are encoded (``newsfuse.encode.prepare_models``);
the CPU figures count both processes.

Where the time goes: two more fresh processes per input (cold, then warm) run the same
brief in-process with the models loaded in turn and each stage timed, wall and CPU
(imports, read, finding events, MiniLM load with PyTorch's import, sentence encoding,
alignment, summary, spaCy's load and runs, the rest of the facts layer). Also the start-up
of ``newsfuse --help`` against the bare interpreter. Run: ``python -m benchmarks.brief_speed``.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, SHARED, read_result, timeline17_files, write_result

SIZES: tuple[int | str, ...] = ("seeds", 10, 50, 200, 800)
WARM_RUNS = 2
LEXRANK_LIMIT_S = 240
LEXRANK_MAX = 50
NEWSFUSE = [str(Path(sys.executable).parent / "newsfuse")]
TARGETS = {"seeds": 3.0, 200: 8.0, 800: 20.0}


def _records(n: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in timeline17_files():
        out.extend(r for r in json.loads(path.read_text()) if r.get("text", "").strip())
        if len(out) >= n:
            break
    return out[:n]


def _inputs(size: int | str, folder: Path) -> list[str]:
    """The command's inputs: the seeds folder, or a JSON file of the first ``size``
    Timeline17 articles."""
    if size == "seeds":
        return [str(SHARED / "seeds")]
    path = folder / f"{size}.json"
    path.write_text(json.dumps(_records(int(size))))
    return [str(path)]


def _run(argv: list[str], timeout: float | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of one process (its output discarded)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True, timeout=timeout)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return round(wall, 2), round(cpu, 2)


def _cell(system: str, argv: list[str], size: int | str, sentences: int) -> dict[str, Any]:
    print(f"  {system} on {size} ...", file=sys.stderr, flush=True)
    cold_wall, cold_cpu = _run(argv)
    warm = [_run(argv) for _ in range(WARM_RUNS)]
    row = {"system": system, "input": size, "sentences": sentences,
           "cold_s": cold_wall, "cold_cpu_s": cold_cpu,
           "warm_s": round(statistics.median(w for w, _ in warm), 2),
           "warm_cpu_s": round(statistics.median(c for _, c in warm), 2),
           "median_of_all_s": round(statistics.median([cold_wall, *(w for w, _ in warm)]), 2)}
    print(f"    {json.dumps(row)}", file=sys.stderr, flush=True)
    return row


def _lexrank(inputs: list[str], size: int | str, sentences: int) -> dict[str, Any]:
    print(f"  sumy LexRank on {size} ...", file=sys.stderr, flush=True)
    argv = [sys.executable, "-m", "benchmarks.brief_speed", "--lexrank", *inputs]
    row: dict[str, Any] = {"system": "sumy LexRank process (peer)", "input": size,
                           "sentences": sentences}
    try:
        row["cold_s"], row["cold_cpu_s"] = _run(argv, timeout=LEXRANK_LIMIT_S)
    except subprocess.TimeoutExpired:
        row["cold_s"], row["stopped_after_s"] = None, LEXRANK_LIMIT_S
    print(f"    {json.dumps(row)}", file=sys.stderr, flush=True)
    return row


def lexrank_process(inputs: list[str]) -> None:
    """The peer as one process: read and segment the same input (newsfuse's reader; sumy's
    own command needs NLTK's punkt data, not installed here), five LexRank sentences."""
    import newsfuse
    from benchmarks.peers import sumy_system

    for sentence in sumy_system("lexrank")(list(newsfuse.read(inputs)), 5):
        print(sentence)


def stages(inputs: list[str], encoder: str = "auto") -> dict[str, dict[str, float]]:
    """Seconds per stage of one brief, in this (fresh) process, wall and CPU (all threads);
    each stage's own time (the sentence encoding done while finding events counts as
    encoding; spaCy's load and runs are not counted as facts)."""
    wall: dict[str, float] = {}
    cpu: dict[str, float] = {}
    start, start_cpu = time.perf_counter(), time.process_time()
    import newsfuse.cli
    from newsfuse import encode, fuse, minilm, nlp, split
    from newsfuse.story import record

    wall["import"] = time.perf_counter() - start
    cpu["import"] = time.process_time() - start_cpu
    active: list[list[float]] = []  # per open stage: [wall, CPU spent in stages inside it]
    for module, name, stage in ((split, "split_input", "events"),
                                (minilm, "MiniLM", "model load"),
                                (encode.MiniLMEncoder, "encode", "encode"),
                                (record, "candidate_pairs", "align"),
                                (record, "group_claims", "align"),
                                (record, "find_copies", "align"),
                                (fuse, "select_summary", "summary"),
                                (fuse, "facts_layer", "facts"),
                                (nlp, "load", "spacy load"),
                                (nlp, "_load_language", "spacy load"),
                                (nlp, "parse", "spacy run"),
                                (nlp, "names", "spacy run"),
                                (nlp, "language_names", "spacy run")):
        setattr(module, name, _timed(getattr(module, name), stage, wall, cpu, active))
    start, start_cpu = time.perf_counter(), time.process_time()
    articles = list(newsfuse.read(inputs))
    wall["read"] = time.perf_counter() - start
    cpu["read"] = time.process_time() - start_cpu
    start, start_cpu = time.perf_counter(), time.process_time()
    split.brief_events(articles, encoder=encoder)
    total, total_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    own = ("import", "read")
    wall["other"] = total - sum(v for k, v in wall.items() if k not in own)
    cpu["other"] = total_cpu - sum(v for k, v in cpu.items() if k not in own)
    return {"wall": {k: round(v, 2) for k, v in wall.items()},
            "cpu": {k: round(v, 2) for k, v in cpu.items()}}


def _timed(func: Any, stage: str, wall: dict[str, float], cpu: dict[str, float],
           active: list[list[float]]) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start, start_cpu = time.perf_counter(), time.process_time()
        active.append([0.0, 0.0])
        try:
            return func(*args, **kwargs)
        finally:
            spent, spent_cpu = time.perf_counter() - start, time.process_time() - start_cpu
            inner, inner_cpu = active.pop()
            wall[stage] = wall.get(stage, 0.0) + spent - inner
            cpu[stage] = cpu.get(stage, 0.0) + spent_cpu - inner_cpu
            if active:
                active[-1][0] += spent
                active[-1][1] += spent_cpu
    return wrapper


def _stages_process(inputs: list[str]) -> dict[str, dict[str, float]]:
    out = subprocess.run([sys.executable, "-m", "benchmarks.brief_speed", "--stages", *inputs],
                         cwd=ROOT, capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONWARNINGS": "ignore"})
    result: dict[str, dict[str, float]] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _help_startup() -> dict[str, Any]:
    bare = [_run([sys.executable, "-c", "pass"])[0] for _ in range(WARM_RUNS)]
    runs = [_run([*NEWSFUSE, "--help"])[0] for _ in range(WARM_RUNS)]
    return {"newsfuse_help_s": statistics.median(runs), "python_bare_s": statistics.median(bare)}


def main() -> dict[str, Any]:
    import newsfuse
    from newsfuse import settings

    rows, breakdown = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            inputs = _inputs(size, Path(tmp))
            sentences = sum(len(a.sentences) for a in newsfuse.read(inputs))
            rows.append(_cell("newsfuse brief", [*NEWSFUSE, "brief", *inputs], size, sentences))
            if sentences <= settings.AUTO_MINILM_MAX_SENTENCES:  # else auto is TF-IDF too
                rows.append(_cell("newsfuse brief --encoder tfidf",
                                  [*NEWSFUSE, "brief", "--encoder", "tfidf", *inputs], size,
                                  sentences))
            if size == "seeds" or int(size) <= LEXRANK_MAX:
                rows.append(_lexrank(inputs, size, sentences))
            breakdown[str(size)] = {run: _stages_process(inputs) for run in ("cold", "warm")}
    payload = {"rows": rows, "stages": breakdown, "startup": _help_startup(),
               "targets_s": {str(k): v for k, v in TARGETS.items()}}
    write_result("brief_speed", payload)
    return payload


def print_table(payload: dict[str, Any] | None = None) -> None:
    if payload is None:

        payload = read_result("brief_speed")
    print("Brief speed: one `newsfuse brief` process (cold = first run; warm = median of "
          f"{WARM_RUNS}; seconds wall / CPU)")
    print(f"{'system':32} {'input':>6} {'sent.':>6} {'cold':>7} {'cold cpu':>8} "
          f"{'warm':>6} {'warm cpu':>8} {'median':>6} {'target':>6}")
    for r in payload["rows"]:
        cold = r["cold_s"] if r["cold_s"] is not None else f">{r['stopped_after_s']}"
        target = payload["targets_s"].get(str(r["input"]), "") \
            if r["system"] == "newsfuse brief" else ""
        print(f"{r['system']:32} {r['input']!s:>6} {r['sentences']:>6} {cold!s:>7} "
              f"{r.get('cold_cpu_s', ''):>8} {r.get('warm_s', ''):>6} "
              f"{r.get('warm_cpu_s', ''):>8} {r.get('median_of_all_s', ''):>6} {target!s:>6}")
    peers = {str(r["input"]): r for r in payload["rows"]
             if r["system"].startswith("sumy") and r.get("cold_s")}
    for r in payload["rows"]:
        peer = peers.get(str(r["input"]))
        if r["system"] == "newsfuse brief" and peer:
            print(f"  {r['input']}: newsfuse / LexRank, cold run: wall "
                  f"{r['cold_s'] / peer['cold_s']:.2f}x, CPU "
                  f"{r['cold_cpu_s'] / peer['cold_cpu_s']:.2f}x")
    print("Where the time goes (one fresh process, default brief, models loaded in turn; "
          "seconds wall / CPU; cold = first such process of the input, warm = the next):")
    names = ["import", "read", "events", "model load", "encode", "align", "summary",
             "spacy load", "spacy run", "facts", "other"]
    print(f"{'input':>6} {'run':>5} " + " ".join(f"{n:>11}" for n in names))
    for size, runs in payload["stages"].items():
        for run, stage in runs.items():
            print(f"{size:>6} {run:>5} " + " ".join(
                f"{stage['wall'].get(n, 0.0):>5}/{stage['cpu'].get(n, 0.0):<5}"
                for n in names))
    start = payload["startup"]
    print(f"`newsfuse --help`: {start['newsfuse_help_s']} s (bare python: "
          f"{start['python_bare_s']} s)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--stages":
        print(json.dumps(stages(sys.argv[2:])))
    elif len(sys.argv) > 1 and sys.argv[1] == "--lexrank":
        lexrank_process(sys.argv[2:])
    else:
        print_table(main())
