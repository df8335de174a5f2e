"""Page furniture that reaches a brief: every summary sentence, headline, timeline entry and
quote of the briefs over the Multi-News dev clusters and the Timeline17 dev days, audited.

The audit is independent of the cleaning rules (``newsfuse.text.boilerplate``): its own
pattern list, written from the kinds of furniture a page carries (captions and photo or
video credits, promos, player notices, navigation runs, timestamps, comment prompts,
copyright lines), so the count is not the cleaning rules grading themselves. Each hit is
printed with the text it was found in. Multi-News briefs are cut to the reference's length
in words; Timeline17 days are summarised to the journalist's number of sentences.
Run: ``python -m benchmarks.furniture``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator

import newsfuse
from benchmarks.common import SHARED, read_result, write_result
from newsfuse.model import Article, Brief

MULTINEWS = SHARED / "data" / "multinews-dev"
ENCODER = "tfidf"
_I = re.IGNORECASE
_AGENCIES = r"(?:AP|AFP|Reuters|REUTERS|Getty(?: Images)?|EPA|Bloomberg|Pool|Xinhua|UPI|" \
            r"Shutterstock|Alamy|NASA|Zuma|Sipa|PA|Corbis|Splash News)"

AUDIT: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("photo or video credit", re.compile(
        rf"[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+)*\s?/\s?{_AGENCIES}\b|"
        r"\b(?:photo|image|picture|video|footage|graphic)s? (?:by|courtesy(?: of)?|credit)\b|"
        r"^\s*(?:photo|image|picture|photograph)s?\s*:|\bimage (?:copyright|caption)\b|"
        r"\b(?:photo|image|picture|photograph)s?\s*:\s*[A-Z][\w.'’-]+(?:\s[A-Z][\w.'’-]+)*\s?/|"
        rf"\((?:{_AGENCIES}|photo|file)\)\s*$|\bvia getty\b|\bgetty images\b", _I)),
    ("caption", re.compile(
        r"^\s*FILE\s*[-–—]|(?:^|[-–—:]\s)in this (?:\w+ )?(?:\w+ \d{1,2}, )?(?:\d{4},? )?(?:file )?"
        r"(?:photo|image|picture|frame grab|video|still)\b|\bfile photo\b|"
        r"\b(?:pictured|seen) (?:here|above|below|left|right)\b|"
        r"\((?:left|right|center|top|bottom|above|below|pictured)\)|"
        r"\b(?:above|below|top|left|right):\s*[A-Z]", _I)),
    ("promo", re.compile(
        r"\bwatch\b.{0,60}\b(?:a\.m\.|p\.m\.|\bET\b|\bPT\b|tonight|live)|\btune in\b|"
        r"\bclick (?:here|to|the|on)\b|\bsign up\b|\bsubscribe\b|\bnewsletter\b|"
        r"\bdownload (?:the|our)\b.{0,20}\bapp\b|\bfollow (?:us|\w+ \w*) on "
        r"(?:twitter|facebook|instagram)\b|\bread (?:more|the full)\b|\bsee also\b|"
        r"^\s*(?:related|more|watch|listen|read)\s*:|\bcontinue reading\b|"
        r"\b(?:available|streaming) (?:now )?on (?:demand|itunes|netflix)\b|"
        r"\blike us on facebook\b|\bsponsored\b|\badvertisement\b", _I)),
    ("player or page notice", re.compile(
        r"\bmedia playback\b|\b(?:browser|device) (?:does not|doesn't) support\b|"
        r"\benable javascript\b|\bjavascript (?:is )?(?:disabled|required)\b|"
        r"\bplay(?:ing)? video\b|\bvideo (?:unavailable|loading|player)\b|"
        r"\bthis (?:video|content) is (?:not )?available\b|\bcookies?\b.{0,30}\bpolicy\b", _I)),
    ("navigation run", re.compile(
        r"(?:[^|•»›\n]{1,40}\s[|•»›]\s){3,}")),
    ("timestamp", re.compile(
        r"^\s*(?:updated|published|posted|last (?:updated|modified)|first published)\b"
        r".{0,40}\d|\b\d{4},?\s+\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?\s*)?(?:ET|EST|EDT|PT|PST|PDT|"
        r"GMT|UTC|BST|CET)?\b|\b\d+ (?:min(?:ute)?s?|hours?|hrs?) ago\b", _I)),
    ("comment prompt", re.compile(
        r"\b(?:leave|post|add|write|share) (?:a|your) comments?\b|\bcomments? (?:are|is) "
        r"(?:closed|moderated|disabled)\b|\bjoin the (?:conversation|discussion|debate)\b|"
        r"\bwhat do you think\?|\btell us (?:what you think|in the comments)\b|"
        r"\bin the comments? (?:section )?below\b|\bsound off\b|\bhave your say\b", _I)),
    ("copyright line", re.compile(
        r"©|\ball rights reserved\b|\bcopyright \d{4}\b|\bmay not be (?:published|"
        r"reproduced|redistributed|rewritten)\b", _I)),
)


def audit(text: str) -> list[str]:
    """The kinds of furniture ``text`` holds, by the audit's own patterns."""
    return [kind for kind, pattern in AUDIT if pattern.search(text)]


def brief_texts(brief: Brief) -> Iterator[tuple[str, str]]:
    """(part, text) of everything a reader sees as reporting in a brief."""
    yield "headline", brief.headline
    for s in brief.summary:
        yield "summary", s.text
    for t in brief.timeline:
        yield "timeline", t.text
    for q in brief.quotes:
        yield "quote", q.text


def multinews() -> Iterator[tuple[str, list[Article], int]]:
    references = json.loads((MULTINEWS / "references.json").read_text())
    for path in sorted(MULTINEWS.glob("c*.json")):
        articles = [a for a in newsfuse.read([path]) if a.sentences]
        if articles:
            yield path.stem, articles, len(str(references[path.stem]).split())


def timeline17() -> Iterator[tuple[str, list[Article], int]]:
    from benchmarks.summaries import instances

    for collection, day, articles, _, k in instances():
        yield f"{collection} {day}", articles, k


def _scan(name: str, brief: Brief, hits: list[dict[str, str]], parts: Counter[str]) -> None:
    for part, text in brief_texts(brief):
        parts[part] += 1
        for kind in audit(text):
            hits.append({"set": name, "part": part, "kind": kind, "text": text})


def main() -> dict[str, object]:
    hits: list[dict[str, str]] = []
    parts: Counter[str] = Counter()
    briefs = Counter[str]()
    for cluster, articles, words in multinews():
        brief = newsfuse.brief(articles, words=words, encoder=ENCODER)
        briefs["Multi-News clusters"] += 1
        _scan(f"multinews {cluster}", brief, hits, parts)
    for day, articles, k in timeline17():
        brief = newsfuse.brief(articles, sentences=k, encoder=ENCODER)
        briefs["Timeline17 days"] += 1
        _scan(f"timeline17 {day}", brief, hits, parts)
    payload: dict[str, object] = {
        "briefs": dict(briefs), "texts_audited": dict(parts), "furniture_hits": len(hits),
        "by_kind": dict(Counter(h["kind"] for h in hits)),
        "by_part": dict(Counter(h["part"] for h in hits)), "hits": hits, "target": 0,
        "encoder": ENCODER,
    }
    write_result("furniture", payload)
    return payload


def print_table(result: dict[str, object] | None = None) -> None:
    if result is None:
        result = read_result("furniture")
    print(f"Furniture in briefs ({result['briefs']}; audited texts {result['texts_audited']}; "
          f"encoder {result['encoder']})")
    print(f"furniture hits: {result['furniture_hits']} (target {result['target']}); "
          f"by kind {result['by_kind']}; by part {result['by_part']}")
    for hit in result["hits"]:  # type: ignore[attr-defined]
        print(f"  [{hit['kind']}] {hit['set']} {hit['part']}: {hit['text'][:150]}")


if __name__ == "__main__":
    print_table(main())
