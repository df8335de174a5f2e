"""Sentence segmentation: newsfuse against blingfire alone, pysbd, syntok and a regex baseline.

Accuracy on a labelled sample written for the project (``data/segmentation_sample.txt``):
boundary precision/recall/F1 and the share of paragraphs segmented exactly right. Speed on
detokenized Timeline17 articles. Run: ``python -m benchmarks.segmentation``.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.common import timeline17_files, write_result
from newsfuse.text.repair import detokenize, normalize_line
from newsfuse.text.segment import sentence_spans

SAMPLE = Path(__file__).parent / "data" / "segmentation_sample.txt"
Segmenter = Callable[[str], list[str]]


def load_sample() -> list[list[str]]:
    paragraphs: list[list[str]] = []
    block: list[str] = []
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if line.strip():
            block.append(line.strip())
        elif block:
            paragraphs.append(block)
            block = []
    if block:
        paragraphs.append(block)
    return paragraphs


def newsfuse_segmenter(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def blingfire_segmenter(text: str) -> list[str]:
    import blingfire

    return [s for s in blingfire.text_to_sentences(text).split("\n") if s.strip()]


def pysbd_segmenter() -> Segmenter:
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False)
    return lambda text: [s.strip() for s in seg.segment(text) if s.strip()]


def syntok_segmenter(text: str) -> list[str]:
    import syntok.segmenter as syntok

    return ["".join(t.spacing + t.value for t in sentence).strip()
            for paragraph in syntok.process(text) for sentence in paragraph]


_NAIVE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’]))\s+(?=[\"“‘]?[A-Z])")


def regex_segmenter(text: str) -> list[str]:
    return [s for s in _NAIVE.split(text) if s.strip()]


SEGMENTERS: dict[str, Callable[[], Segmenter]] = {
    "newsfuse (blingfire + repairs)": lambda: newsfuse_segmenter,
    "blingfire alone": lambda: blingfire_segmenter,
    "pysbd": pysbd_segmenter,
    "syntok": lambda: syntok_segmenter,
    "regex baseline": lambda: regex_segmenter,
}


def boundaries(sentences: list[str]) -> set[int]:
    """Character offsets (spaces ignored) where each sentence but the last ends."""
    out, position = set(), 0
    for sentence in sentences[:-1]:
        position += len("".join(sentence.split()))
        out.add(position)
    return out


def accuracy(segment: Segmenter, sample: list[list[str]]) -> dict[str, float]:
    tp = fp = fn = exact = 0
    for gold in sample:
        predicted = segment(" ".join(gold))
        g, p = boundaries(gold), boundaries(predicted)
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
        exact += [s.strip() for s in predicted] == gold
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "paragraphs_exact": round(exact / len(sample), 3)}


def speed_texts(limit: int) -> list[str]:
    texts: list[str] = []
    for path in timeline17_files():
        for record in json.loads(path.read_text()):
            if record["text"].strip():
                texts.append(detokenize(normalize_line(record["text"])))
            if len(texts) >= limit:
                return texts
    return texts


def speed(segment: Segmenter, texts: list[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        segment(text)
    return len(texts) / (time.perf_counter() - start)


def main() -> dict[str, object]:
    sample = load_sample()
    texts = speed_texts(200)
    rows = []
    for name, factory in SEGMENTERS.items():
        segment = factory()
        subset = texts[:20] if name == "pysbd" else texts  # pysbd takes ~0.2 s per article
        row = {"segmenter": name, **accuracy(segment, sample),
               "articles_per_s": round(speed(segment, subset), 1),
               "speed_articles": len(subset)}
        rows.append(row)
    payload = {"sample_paragraphs": len(sample),
               "sample_sentences": sum(map(len, sample)), "rows": rows}
    write_result("segmentation", payload)
    return payload


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
