"""Sentence boundaries survive abbreviations and quotations."""

from __future__ import annotations

import pytest

from newsfuse.text.segment import sentence_spans

CASES = [
    ("The U.S. Embassy was attacked on Dec. 31 at 3 p.m. local time. Dr. Smith said No. 10 "
     "was closed.",
     ["The U.S. Embassy was attacked on Dec. 31 at 3 p.m. local time.",
      "Dr. Smith said No. 10 was closed."]),
    ('Trump said: "They will be held fully responsible. In addition, we expect Iraq to act." '
     "The White House agreed.",
     ['Trump said: "They will be held fully responsible. In addition, we expect Iraq to act."',
      "The White House agreed."]),
    ("He works for Acme Inc. in Washington. The firm will pay Gov. Ron Smith on Jan. 5.",
     ["He works for Acme Inc. in Washington.", "The firm will pay Gov. Ron Smith on Jan. 5."]),
    ("They planned a sit-in. Dozens of flags flew.",
     ["They planned a sit-in.", "Dozens of flags flew."]),
    ("“We have delivered our message,” reads a notice. Protesters left.",
     ["“We have delivered our message,” reads a notice.", "Protesters left."]),
]


@pytest.mark.parametrize(("paragraph", "sentences"), CASES)
def test_sentences(paragraph: str, sentences: list[str]):
    assert [paragraph[s:e] for s, e in sentence_spans(paragraph)] == sentences


def test_spans_are_character_offsets_with_non_ascii():
    text = "Café “owners” met in Zürich. They agreed — mostly."
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["Café “owners” met in Zürich.",
                                             "They agreed — mostly."]


def test_empty():
    assert sentence_spans("   ") == []
