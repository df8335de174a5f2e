"""Which similarity finds sentences that report the same thing: lexical or MiniLM?

Scores hand-labelled sentence pairs (``data/alignment_pairs.tsv``) with TF-IDF cosine, MiniLM
cosine and newsfuse's rule (either above its threshold), and reports average precision, the
best F1 over thresholds, and F1 at the thresholds in ``newsfuse.settings``.
Run: ``python -m benchmarks.alignment``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
from sklearn.metrics import average_precision_score, precision_recall_fscore_support

from benchmarks.common import write_result
from newsfuse import settings
from newsfuse.encode import MiniLMEncoder, lexical_vectors
from newsfuse.story.align import candidate_pairs

PAIRS = Path(__file__).parent / "data" / "alignment_pairs.tsv"


def load_pairs() -> tuple[np.ndarray, list[str], list[str]]:
    lines = [line for line in PAIRS.read_text(encoding="utf-8").splitlines()
             if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    labels = np.array([int(r["label"]) for r in rows])
    return labels, [r["sentence_a"] for r in rows], [r["sentence_b"] for r in rows]


def rowwise(matrix: object, n: int) -> np.ndarray:
    dense = matrix.toarray() if hasattr(matrix, "toarray") else np.asarray(matrix)
    return np.einsum("ij,ij->i", dense[:n], dense[n:])


def pipeline_decisions(lexical: object, embeddings: np.ndarray | None, n: int) -> np.ndarray:
    """What the brief's own candidate generation and alignment rule decide for each pair."""
    found = candidate_pairs(lexical, np.repeat([0, 1], n), embeddings)
    decided = np.zeros(n, dtype=bool)
    for k in np.flatnonzero(found.aligned):
        i, j = int(found.left[k]), int(found.right[k])
        if j == i + n:
            decided[i] = True
    return decided


def f1_at(labels: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    p, r, f, _ = precision_recall_fscore_support(labels, predicted, average="binary",
                                                 zero_division=0)
    return {"precision": round(float(p), 3), "recall": round(float(r), 3), "f1": round(float(f), 3)}


def best_f1(labels: np.ndarray, scores: np.ndarray) -> dict[str, float]:
    best = {"f1": -1.0}
    for threshold in np.unique(np.round(scores, 3)):
        result = f1_at(labels, scores >= threshold)
        if result["f1"] > best["f1"]:
            best = {**result, "threshold": float(threshold)}
    return best


def main() -> dict[str, object]:
    labels, left, right = load_pairs()
    n = len(labels)
    texts = left + right
    lexical_matrix = lexical_vectors(texts)
    lexical = rowwise(lexical_matrix, n)
    semantic = rowwise(MiniLMEncoder().encode(texts), n)
    embeddings = np.asarray(MiniLMEncoder().encode(texts))
    rule = pipeline_decisions(lexical_matrix, embeddings, n)
    rule_lexical = pipeline_decisions(lexical_matrix, None, n)
    # the rule as one score: MiniLM cosine where the pair shares enough words, else lexical
    combined = np.where(lexical >= settings.ALIGN_SEMANTIC_MIN_LEXICAL,
                        np.maximum(lexical, semantic), lexical)
    configured = {
        "tfidf": lexical >= settings.ALIGN_LEXICAL,
        "minilm": semantic >= settings.ALIGN_SEMANTIC,
        "newsfuse rule (tfidf or minilm)": rule,
        "newsfuse rule, tfidf encoder": rule_lexical,
    }
    rows = []
    for name, scores in (("tfidf", lexical), ("minilm", semantic),
                         ("newsfuse rule (tfidf or minilm)", combined),
                         ("newsfuse rule, tfidf encoder", lexical)):
        rows.append({"method": name,
                     "average_precision": round(float(average_precision_score(labels, scores)), 3),
                     "best": best_f1(labels, scores),
                     "at_settings": f1_at(labels, configured[name])})
    payload = {"pairs": n, "positives": int(labels.sum()),
               "thresholds": {"lexical": settings.ALIGN_LEXICAL,
                              "semantic": settings.ALIGN_SEMANTIC,
                              "semantic_min_lexical": settings.ALIGN_SEMANTIC_MIN_LEXICAL},
               "rows": rows}
    write_result("alignment", payload)
    return payload


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
