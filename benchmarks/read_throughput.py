"""Read + clean + segment throughput on Timeline17 (~2,000 articles), per core.

Three input shapes built from the same articles: the JSON arrays as shipped, one plain-text
file per article, and HTML pages (through trafilatura, reported separately). Peers in the
same run: the same articles through json + syntok / pysbd segmentation (what one would write
without newsfuse), and trafilatura's extraction alone on the HTML pages.
Run: ``python -m benchmarks.read_throughput``.
"""

from __future__ import annotations

import html
import json
import tempfile
from pathlib import Path
from typing import Any

import newsfuse
from benchmarks.common import median_seconds, peak_rss_mb, timeline17_files, write_result
from newsfuse.text.repair import detokenize, normalize_line

HTML_PAGES = 300
PYSBD_ARTICLES = 40


def _records() -> list[dict[str, Any]]:
    return [r for path in timeline17_files() for r in json.loads(path.read_text())]


def _count(inputs: list[Path]) -> int:
    return sum(1 for _ in newsfuse.read(inputs))


def write_text_files(records: list[dict[str, Any]], folder: Path) -> None:
    for i, record in enumerate(records):
        date = str(record.get("dct", ""))[:10]
        (folder / f"{i:05d}-{record['uid']}.txt").write_text(
            f"date {date} {record['text']}\n", encoding="utf-8")


def write_html_pages(records: list[dict[str, Any]], folder: Path) -> list[Path]:
    paths = []
    for i, record in enumerate(records[:HTML_PAGES]):
        text = detokenize(normalize_line(record["text"]))
        words = text.split(" ")
        paragraphs = [" ".join(words[j:j + 80]) for j in range(0, len(words), 80)]
        body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        page = (f"<html><head><title>Story {i}</title><meta name='date' "
                f"content='{str(record.get('dct', ''))[:10]}'></head><body><nav><a href='/'>"
                f"Home</a></nav><article><h1>Story {i}</h1>{body}</article><footer>Comments "
                f"are closed.</footer></body></html>")
        path = folder / f"{i:05d}.html"
        path.write_text(page, encoding="utf-8")
        paths.append(path)
    return paths


def peer_segment(records: list[dict[str, Any]], segmenter: str) -> int:
    """The do-it-yourself pipeline: load, detokenize, segment; no cleaning or metadata."""
    if segmenter == "pysbd":
        import pysbd

        seg = pysbd.Segmenter(language="en", clean=False)
        split = seg.segment
    else:
        import syntok.segmenter as syntok

        def split(text: str) -> list[str]:
            return ["".join(t.spacing + t.value for t in s)
                    for p in syntok.process(text) for s in p]
    total = 0
    for record in records:
        total += len(split(detokenize(normalize_line(record["text"]))))
    return total


def peer_trafilatura(paths: list[Path]) -> int:
    import trafilatura

    return sum(1 for p in paths if trafilatura.extract(p.read_bytes(), with_metadata=True))


def main() -> dict[str, Any]:
    files = timeline17_files()
    records = [r for r in _records() if r["text"].strip()]
    _count(files[:1])  # load the language model once, as a long-running process would
    rows = []
    seconds, cpu, n = median_seconds(lambda: _count(files))
    rows.append({"input": "JSON (Timeline17 articles.json)", "tool": "newsfuse read",
                 "articles": n, "seconds": round(seconds, 2),
                 "articles_per_s": round(n / seconds, 1),
                 "articles_per_cpu_s": round(n / cpu, 1)})
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_text_files(records, folder)
        seconds, cpu, n = median_seconds(lambda: _count([folder]))
        rows.append({"input": "plain text (one file per article)", "tool": "newsfuse read",
                     "articles": n, "seconds": round(seconds, 2),
                     "articles_per_s": round(n / seconds, 1),
                 "articles_per_cpu_s": round(n / cpu, 1)})
    seconds, cpu, _ = median_seconds(lambda: peer_segment(records, "syntok"))
    rows.append({"input": "JSON (same articles)", "tool": "peer: json + detokenize + syntok",
                 "articles": len(records), "seconds": round(seconds, 2),
                 "articles_per_s": round(len(records) / seconds, 1),
                 "articles_per_cpu_s": round(len(records) / cpu, 1)})
    sub = records[:PYSBD_ARTICLES]
    seconds, cpu, _ = median_seconds(lambda: peer_segment(sub, "pysbd"))
    rows.append({"input": "JSON (first 40 articles)", "tool": "peer: json + detokenize + pysbd",
                 "articles": len(sub), "seconds": round(seconds, 2),
                 "articles_per_s": round(len(sub) / seconds, 1),
                 "articles_per_cpu_s": round(len(sub) / cpu, 1)})
    with tempfile.TemporaryDirectory() as tmp:
        pages = write_html_pages(records, Path(tmp))
        seconds, cpu, n = median_seconds(lambda: _count([Path(tmp)]))
        rows.append({"input": f"HTML ({len(pages)} pages)", "tool": "newsfuse read",
                     "articles": n, "seconds": round(seconds, 2),
                     "articles_per_s": round(n / seconds, 1),
                 "articles_per_cpu_s": round(n / cpu, 1)})
        seconds, cpu, n = median_seconds(lambda: peer_trafilatura(pages))
        rows.append({"input": f"HTML ({len(pages)} pages)", "tool": "peer: trafilatura.extract",
                     "articles": n, "seconds": round(seconds, 2),
                     "articles_per_s": round(n / seconds, 1),
                 "articles_per_cpu_s": round(n / cpu, 1)})
    payload = {"runs": 3, "statistic": "median", "processes": 1, "rows": rows,
               "peak_rss_mb": round(peak_rss_mb(), 1),
               "target_articles_per_s_per_core": 300}
    write_result("read", payload)
    return payload


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
