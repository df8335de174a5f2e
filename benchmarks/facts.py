"""The facts layer against the project's hand-labelled sets (``benchmarks/data/*.jsonl``).

Each set was written from several stories (the seeds, Timeline17's BP oil spill, swine flu
and Michael Jackson collections, the AYLIEN Netanyahu cluster), by reading the articles,
not the code. Scored here:

- entities: mention precision/recall (exact span; and with the type), entity-level
  precision/recall, and pairs of differently spelled mentions merged right or wrong;
  a capitalised-run baseline in the same run;
- figures: detection precision/recall (span overlap) and normalisation accuracy
  (value, low, high all equal) and counted-noun accuracy on the detected ones;
- quotes: detection precision/recall (word overlap), speaker accuracy on the detected ones,
  and pairs of renderings of one utterance merged right or wrong;
- dates: resolution accuracy (expression found and resolved to the labelled value) and
  precision, against dateparser's ``search_dates`` with the publication date as base;
- disagreements: each labelled pair as two one-sentence articles through ``newsfuse.brief``;
  precision/recall of "these two sources disagree";
- time: what the layer adds to a brief of 200 Timeline17 articles (median of 3).

``python -m benchmarks.facts`` writes ``bench/results/facts.json`` and prints the tables.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from benchmarks.common import ROOT, TIMELINE17, write_result

DATA = ROOT / "benchmarks" / "data"
TYPES = {"PER": "person", "ORG": "organization", "LOC": "place"}


def _load(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (DATA / name).read_text().splitlines() if line.strip()]


def _article(article_id: str, text: str, published: str | None = None) -> Any:
    from newsfuse.model import Article, Origin
    from newsfuse.text.clean import clean_article

    when = datetime.fromisoformat(published) if published else None
    return clean_article(Article(id=article_id, title=None, text=text, origin=Origin("bench"),
                                 date=when))


def _prf(tp: int, predicted: int, gold: int) -> dict[str, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def _count_pair(outcomes: dict[str, int], same_gold: bool, same_predicted: bool) -> None:
    """Tally a pair of mentions: merged right, merged wrong, or a merge missed."""
    if same_gold and same_predicted:
        outcomes["right"] += 1
    elif same_predicted:
        outcomes["wrong"] += 1
    elif same_gold:
        outcomes["missed"] += 1


def _spans(text: str, mentions: list[dict[str, Any]]) -> list[tuple[int, int]]:
    out, at = [], 0
    for m in mentions:
        k = text.find(m["text"], at)
        out.append((k, k + len(m["text"])))
        at = k + 1
    return out


# --- entities ----------------------------------------------------------------------------
def bench_entities() -> dict[str, Any]:
    from newsfuse.story.entities import find_mentions, merge_mentions
    from newsfuse.story.facts import entity_names

    rows = _load("entities.jsonl")
    by_story: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for k, row in enumerate(rows):
        by_story[row["story"]].append((k, row))
    totals = defaultdict(int)
    baseline = defaultdict(int)
    merge = {"right": 0, "wrong": 0, "missed": 0}
    entity_tp = entity_pred = entity_gold = 0
    for story, items in by_story.items():
        articles = [_article(f"{story}-{k}", row["text"]) for k, row in items]
        predicted = merge_mentions(find_mentions(articles))
        _, kinds = entity_names(articles, predicted)  # the type the brief shows
        gold_by_span: dict[tuple[str, int, int], dict[str, Any]] = {}
        for (_, row), article in zip(items, articles, strict=True):
            for (start, end), m in zip(_spans(row["text"], row["mentions"]), row["mentions"],
                                       strict=True):
                gold_by_span[(article.id, start, end)] = m
        # Sentence offsets -> article offsets.
        starts = {(a.id, s.index): s.start for a in articles for s in a.sentences}
        found = []
        for m in predicted:
            offset = starts[(m.article_id, m.sentence)]
            found.append(((m.article_id, offset + m.start, offset + m.end), m))
        totals["gold"] += len(gold_by_span)
        totals["predicted"] += len(found)
        matched = [(span, m) for span, m in found if span in gold_by_span]
        totals["tp"] += len(matched)
        totals["tp_typed"] += sum(1 for span, m in matched
                                  if TYPES[gold_by_span[span]["type"]] == kinds.get(m.key))
        # Pairs of matched mentions with different surface forms.
        for i in range(len(matched)):
            for j in range(i + 1, len(matched)):
                (sa, ma), (sb, mb) = matched[i], matched[j]
                if ma.text == mb.text:
                    continue
                _count_pair(merge, gold_by_span[sa]["entity"] == gold_by_span[sb]["entity"],
                            ma.key == mb.key)
        # Entity level: a predicted entity is right when its matched mentions all belong to
        # one gold entity (and it has one); a gold entity is found when one mention is.
        pred_entities: dict[str, set[str]] = defaultdict(set)
        for span, m in found:
            pred_entities[m.key].add(gold_by_span[span]["entity"] if span in gold_by_span
                                     else "")
        entity_pred += len(pred_entities)
        entity_tp += sum(1 for golds in pred_entities.values() if len(golds) == 1
                         and "" not in golds)
        entity_gold += len({m["entity"] for m in gold_by_span.values()})
        found_gold = {gold_by_span[span]["entity"] for span, _ in matched}
        totals["entities_found"] += len(found_gold)
        # Baseline: maximal runs of capitalised words (sentence-initial word dropped).
        for article in articles:
            for sentence in article.sentences:
                for match in re.finditer(r"(?<![\w-])[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*",
                                         sentence.text):
                    start = sentence.start + match.start()
                    if match.start() == 0 and " " not in match.group(0):
                        continue
                    baseline["predicted"] += 1
                    text = match.group(0).rstrip(".")
                    if (article.id, start, start + len(text)) in gold_by_span:
                        baseline["tp"] += 1
    return {
        "passages": len(rows), "stories": len(by_story), "gold_mentions": totals["gold"],
        "mentions": _prf(totals["tp"], totals["predicted"], totals["gold"]),
        "mentions_typed": _prf(totals["tp_typed"], totals["predicted"], totals["gold"]),
        "entities": {**_prf(entity_tp, entity_pred, entity_gold),
                     "recall_any_mention": round(totals["entities_found"] / entity_gold, 3)},
        "variant_pairs": merge,
        "baseline_capitalised_runs": _prf(baseline["tp"], baseline["predicted"],
                                          totals["gold"]),
    }


# --- figures -----------------------------------------------------------------------------
def bench_figures() -> dict[str, Any]:
    from newsfuse.story.figures import find_figures

    rows = _load("figures.jsonl")
    gold_n = pred_n = tp = value_ok = counts_ok = 0
    for k, row in enumerate(rows):
        text = row["text"]
        gold = [(text.find(g["span"]), text.find(g["span"]) + len(g["span"]), g)
                for g in row["figures"]]
        predicted = find_figures(str(k), 0, text)
        gold_n += len(gold)
        pred_n += len(predicted)
        used: set[int] = set()
        for f in predicted:
            for gi, (gs, ge, g) in enumerate(gold):
                if gi in used or not (f.start < ge and gs < f.end):
                    continue
                used.add(gi)
                tp += 1
                value_ok += _same_number(f.value, g["value"]) and _same_number(
                    f.low, g["low"]) and _same_number(f.high, g["high"])
                counts_ok += bool(g["counts"]) and f.counts.lower().split()[-1] == \
                    g["counts"].lower().split()[-1]
                break
    return {"sentences": len(rows), "gold_figures": gold_n, **_prf(tp, pred_n, gold_n),
            "value_accuracy": round(value_ok / tp, 3) if tp else 0.0,
            "counted_noun_accuracy": round(counts_ok / tp, 3) if tp else 0.0}


def _same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


# --- quotes ------------------------------------------------------------------------------
def _tokens(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _same_speaker(predicted: str | None, gold: str | None) -> bool:
    if gold is None or predicted is None:
        return gold is None and predicted is None
    p, g = _tokens(predicted), _tokens(gold)
    last = re.findall(r"\w+", gold.lower())[-1]
    return bool(p & g) and (last in p or p <= g or g <= p)


def bench_quotes() -> dict[str, Any]:
    from newsfuse.story.entities import find_mentions, merge_mentions
    from newsfuse.story.facts import entity_names
    from newsfuse.story.quotes import find_quotes, merge_quotes

    rows = _load("quotes.jsonl")
    gold_n = pred_n = tp = speaker_ok = 0
    by_story: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for k, row in enumerate(rows):
        by_story[row["story"]].append((k, row))
    merge = {"right": 0, "wrong": 0, "missed": 0}
    for story, items in by_story.items():
        articles = [_article(f"{story}-{k}", row["text"]) for k, row in items]
        mentions = merge_mentions(find_mentions(articles))
        names, _ = entity_names(articles, mentions)
        matched_groups: list[tuple[Any, str | None]] = []
        all_quotes = []
        for (_, row), article in zip(items, articles, strict=True):
            quotes = find_quotes(article, [m for m in mentions if m.article_id == article.id],
                                 names)
            all_quotes.extend(quotes)
            gold = row["quotes"]
            gold_n += len(gold)
            pred_n += len(quotes)
            used: set[int] = set()
            for q in quotes:
                words = _tokens(q.text)
                for gi, g in enumerate(gold):
                    gw = _tokens(g["text"])
                    if gi in used or not words or len(words & gw) < 0.5 * min(len(words),
                                                                               len(gw)):
                        continue
                    used.add(gi)
                    tp += 1
                    speaker_ok += _same_speaker(q.speaker, g["speaker"])
                    matched_groups.append((q, g.get("group")))
                    break
        merged = merge_quotes(all_quotes, {a.id: i for i, a in enumerate(articles)})
        cluster_of = {}
        for c, quote in enumerate(merged):
            for article_id, text in quote.renderings:
                cluster_of[(article_id, text)] = c
        for i in range(len(matched_groups)):
            for j in range(i + 1, len(matched_groups)):
                (qa, ga), (qb, gb) = matched_groups[i], matched_groups[j]
                if qa.article_id == qb.article_id:
                    continue
                _count_pair(merge, ga is not None and ga == gb,
                            cluster_of.get((qa.article_id, qa.text))
                            == cluster_of.get((qb.article_id, qb.text)))
    return {"passages": len(rows), "gold_quotes": gold_n, **_prf(tp, pred_n, gold_n),
            "speaker_accuracy": round(speaker_ok / tp, 3) if tp else 0.0,
            "rendering_pairs": merge}


# --- dates -------------------------------------------------------------------------------
def bench_dates() -> dict[str, Any]:
    from newsfuse.story.temporal import find_times

    rows = _load("dates.jsonl")
    results = {}
    for system in ("newsfuse", "dateparser.search_dates"):
        gold_n = pred_n = found = right = 0
        start = time.perf_counter()
        for row in rows:
            ref = date.fromisoformat(row["published"]) if row["published"] else None
            if system == "newsfuse":
                predicted = [(m.start, m.end, m.value) for m in find_times(row["text"], ref)]
            else:
                predicted = _dateparser(row["text"], ref)
            gold = [(row["text"].find(g["text"]), row["text"].find(g["text"]) + len(g["text"]),
                     g["value"]) for g in row["expressions"]]
            gold_n += len(gold)
            pred_n += len(predicted)
            used: set[int] = set()
            for ps, pe, value in predicted:
                for gi, (gs, ge, gv) in enumerate(gold):
                    if gi in used or not (ps < ge and gs < pe):
                        continue
                    used.add(gi)
                    found += 1
                    right += value == gv
                    break
        seconds = time.perf_counter() - start
        results[system] = {"expressions": gold_n, "found": round(found / gold_n, 3),
                           "resolution_accuracy": round(right / gold_n, 3),
                           "precision": round(right / pred_n, 3) if pred_n else 0.0,
                           "sentences_per_s": round(len(rows) / seconds, 1)}
    return {"sentences": len(rows), "systems": results}


def _dateparser(text: str, ref: date | None) -> list[tuple[int, int, str | None]]:
    from dateparser.search import search_dates

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if ref is not None:
        settings["RELATIVE_BASE"] = datetime(ref.year, ref.month, ref.day, 12)
    try:
        found = search_dates(text, languages=["en"], settings=settings) or []
    except Exception:  # the peer fails on some inputs; count them as nothing found
        return []
    out, at = [], 0
    for words, when in found:
        k = text.find(words, at)
        at = max(k, 0)
        out.append((k, k + len(words), when.date().isoformat()))
    return out


# --- disagreements -----------------------------------------------------------------------
def bench_disagreements(encoder: str) -> dict[str, Any]:
    import newsfuse

    rows = _load("disagreements.jsonl")
    tp = fp = fn = tn = 0
    errors = []
    for k, row in enumerate(rows):
        a = _article(f"a{k}", row["a"]["text"], row["a"]["published"])
        b = _article(f"b{k}", row["b"]["text"], row["b"]["published"])
        brief = newsfuse.brief([a, b], encoder=encoder)
        flagged = any({a.id, b.id} <= {s for side in c.sides for s in side.sources}
                      and not any({a.id, b.id} <= set(side.sources) for side in c.sides)
                      for c in brief.conflicts)
        if flagged and row["conflict"]:
            tp += 1
        elif flagged:
            fp += 1
            errors.append(("false alarm", row["note"]))
        elif row["conflict"]:
            fn += 1
            errors.append(("missed", row["note"]))
        else:
            tn += 1
    by_kind: dict[str, int] = defaultdict(int)
    for row in rows:
        by_kind[row["kind"] or "none"] += 1
    return {"pairs": len(rows), "positives": tp + fn, "by_kind": dict(by_kind),
            **_prf(tp, tp + fp, tp + fn), "true_negatives": tn, "false_alarms": fp,
            "encoder": encoder}


# --- time --------------------------------------------------------------------------------
def bench_time() -> dict[str, Any]:
    from newsfuse import read
    from newsfuse.fuse import build_brief

    path = sorted(TIMELINE17.glob("bpoil_bbc/articles.json"))[0]
    articles = list(read([path]))[:200]
    out = {}
    for layer in (False, True):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            build_brief(articles, encoder="tfidf", facts=layer)
            times.append(time.perf_counter() - start)
        out["with_facts" if layer else "without_facts"] = round(statistics.median(times), 3)
    out["added_s"] = round(out["with_facts"] - out["without_facts"], 3)
    out["articles"] = len(articles)
    out["sentences"] = sum(len(a.sentences) for a in articles)
    return out


def main() -> int:
    only = sys.argv[1:]  # e.g. "time" to run one part
    parts = {"entities": bench_entities, "figures": bench_figures, "quotes": bench_quotes,
             "dates": bench_dates,
             "disagreements": lambda: {enc: bench_disagreements(enc)
                                       for enc in ("tfidf", "minilm")},
             "time_200_articles": bench_time}
    if only:
        for name in only:
            print(json.dumps({name: parts[name]()}, indent=1))
        return 0
    results = {name: run() for name, run in parts.items()}
    path = write_result("facts", results)
    print_table(results)
    print(f"wrote {path.relative_to(ROOT)}", file=sys.stderr)
    return 0


def print_table(r: dict[str, Any]) -> None:
    e = r["entities"]
    print(f"\nEntities ({e['gold_mentions']} labelled mentions, {e['passages']} passages, "
          f"{e['stories']} stories)")
    print(f"{'measure':34} {'P':>6} {'R':>6} {'F1':>6}")
    for label, key in (("mentions (exact span)", "mentions"),
                       ("mentions (span and type)", "mentions_typed"),
                       ("entities (merged, pure)", "entities"),
                       ("baseline: capitalised runs", "baseline_capitalised_runs")):
        m = e[key]
        print(f"{label:34} {m['precision']:>6} {m['recall']:>6} {m['f1']:>6}")
    v = e["variant_pairs"]
    print(f"variant pairs: merged right {v['right']}, merged wrong {v['wrong']}, "
          f"missed {v['missed']}")
    f = r["figures"]
    print(f"\nFigures ({f['gold_figures']} labelled in {f['sentences']} sentences): "
          f"P {f['precision']} R {f['recall']} F1 {f['f1']}; value normalised right "
          f"{f['value_accuracy']}, counted noun right {f['counted_noun_accuracy']}")
    q = r["quotes"]
    rp = q["rendering_pairs"]
    print(f"Quotes ({q['gold_quotes']} labelled in {q['passages']} passages): P "
          f"{q['precision']} R {q['recall']} F1 {q['f1']}; speaker right "
          f"{q['speaker_accuracy']}; rendering pairs merged right {rp['right']}, wrong "
          f"{rp['wrong']}, missed {rp['missed']}")
    d = r["dates"]
    print(f"\nDates ({d['sentences']} sentences)")
    print(f"{'system':26} {'found':>6} {'resolved right':>15} {'precision':>10} {'sent/s':>8}")
    for name, s in d["systems"].items():
        print(f"{name:26} {s['found']:>6} {s['resolution_accuracy']:>15} {s['precision']:>10} "
              f"{s['sentences_per_s']:>8}")
    print("\nDisagreements (labelled pairs of sentences from two sources)")
    for enc, s in r["disagreements"].items():
        print(f"encoder {enc:8} pairs {s['pairs']} ({s['positives']} disagree): P "
              f"{s['precision']} R {s['recall']} F1 {s['f1']}, false alarms "
              f"{s['false_alarms']}")
    t = r["time_200_articles"]
    print(f"\nFacts layer time on {t['articles']} articles ({t['sentences']} sentences, tfidf): "
          f"{t['without_facts']} s without, {t['with_facts']} s with (+{t['added_s']} s)")


if __name__ == "__main__":
    sys.exit(main())



