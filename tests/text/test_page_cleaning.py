"""Cleaning on real page fragments: furniture goes, reporting stays, headings are told from
paragraphs in English, Japanese, Russian and PTB-tokenized text (data: tests/data/pages)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsfuse import clean_article
from newsfuse.model import Article, Origin
from newsfuse.text.headings import ends_sentence, is_heading, runs_on

PAGES = Path(__file__).resolve().parent.parent / "data" / "pages"
CONLL = Path(__file__).resolve().parents[3] / "shared" / "data" / "conll2003-dev" / "dev_docs.jsonl"
FRAGMENTS = [json.loads(x) for x in (PAGES / "furniture.jsonl").read_text().splitlines()]
HEADINGS = json.loads((PAGES / "headings.json").read_text())


def _clean(text: str) -> Article:
    return clean_article(Article(id="t", title=None, text=text, origin=Origin("test")))


@pytest.mark.parametrize("fragment", FRAGMENTS, ids=[f["source"] for f in FRAGMENTS])
def test_furniture_goes_and_reporting_stays(fragment: dict[str, object]) -> None:
    article = _clean(str(fragment["text"]))
    for furniture in fragment["furniture"]:  # type: ignore[attr-defined]
        assert furniture not in article.text, (furniture, article.text)
        assert all(furniture not in s.text for s in article.sentences)
    for reporting in fragment["reporting"]:  # type: ignore[attr-defined]
        assert reporting in article.text, (reporting, article.text)
    assert article.removed  # what went is recorded, never dropped silently


@pytest.mark.parametrize("case", HEADINGS, ids=[c["language"] + ":" + c["source"][10:22]
                                                 for c in HEADINGS])
def test_headings_told_from_paragraphs(case: dict[str, list[str]]) -> None:
    lines = case["lines"]
    article = _clean("\n\n".join(lines))
    cut = {r.text for r in article.removed if r.reason == "subheading"}
    assert set(case["headings"]) <= cut
    for line in lines:
        if line not in case["headings"] and line not in case["ambiguous"]:
            assert line not in cut, line


def test_ptb_sentences_are_never_headings() -> None:
    """CoNLL-2003 documents are Reuters reports, one PTB sentence per line."""
    lines = dropped = 0
    for raw in CONLL.read_text().splitlines():
        doc = json.loads(raw)
        article = _clean(doc["text"])
        lines += sum(1 for x in doc["text"].split("\n") if x.strip())
        dropped += sum(r.reason == "subheading" for r in article.removed)
    assert lines > 3000
    assert dropped <= 0.02 * lines


def test_sentence_without_final_punctuation_is_not_a_heading() -> None:
    body = ("Rescue teams worked through the night to reach the villages cut off by the flood, "
            "the regional governor said on Sunday.")
    for line in ("The water rose faster than anyone in the valley had expected",
                 "Die Regierung hat am Montag neue Hilfen für die betroffenen Dörfer angekündigt",
                 "the rest of a line that was wrapped by the page"):
        assert not is_heading([body, line, body], 1), line
    for heading in ("What Happens Next", "Rescue efforts", "«Мы остались без дома»"):
        assert is_heading([body, heading, body], 1), heading


def test_a_line_ends_a_sentence_or_runs_on() -> None:
    """The one sentence-end test headings and unwrapping share: closing quotes and brackets
    aside, a line ends a sentence or runs on; a line of nothing but closers does neither."""
    for line in ("The port reopened on Monday.", 'He said: "We will rebuild."',
                 "¿Dónde está el puerto? »", "港口周一重新开放。"):
        assert ends_sentence(line) and not runs_on(line)
    for line in ("l'armée égyptienne a mis", "as many as 22 people,", "(the fire service said"):
        assert runs_on(line) and not ends_sentence(line)
    for line in ('"', "» )", ""):
        assert not ends_sentence(line) and not runs_on(line)
