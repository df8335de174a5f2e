"""Machine-translation repairs and PTB detokenization."""

from __future__ import annotations

import pytest

from newsfuse.text.repair import (
    detokenize,
    looks_ptb_tokenized,
    normalize_line,
    repair_translation,
)

REPAIRS = [
    ("the US UU. embassy", "the US embassy"),
    ("U.S. UU. officials said", "US officials said"),
    ("the EE. UU. embassy", "the US embassy"),
    ("a recession in Iraq-USA. UU. relations", "a recession in Iraq-US relations"),
    ("reaction to US airstrikes. UU. And his decision",
     "reaction to US airstrikes and his decision"),
    ("the US ambassador. UU. He was traveling", "the US ambassador was traveling"),
    ("US airstrikes UU., The largest in years", "US airstrikes, the largest in years"),
    ("ties with the US. UU. Officials said", "ties with the US. Officials said"),
    ("a new foreign policy headache. .", "a new foreign policy headache."),
    ("Islamic State fighters. , the two powers", "Islamic State fighters, the two powers"),
    ("in the afternoon. ,", "in the afternoon."),
    ("along with anti-United States. graffiti.", "along with anti-United States graffiti."),
    ("chanted “Death to America!” »Lit fires", "chanted “Death to America!” Lit fires"),
    ("«We were lucky», said Vessel.", "“We were lucky”, said Vessel."),
    ("there will be more, ”said Mahmoud", "there will be more,” said Mahmoud"),
    ("They will be held fully responsible. “", "They will be held fully responsible.”"),
    ("We will notify you! ”, Tweeted", "We will notify you!”, Tweeted"),
    ("shield him from prosecution.Netanyahu was indicted", "shield him from prosecution. "
     "Netanyahu was indicted"),
]

UNTOUCHED = [
    "At 3 p.m. local time the U.S. Embassy closed.",
    "Acme Inc. said on Jan. 5 it would pay $1.5 million.",
    "He said: “We are ready.” Then he left.",
    "Approx. two-thirds of voters, i.e. most, agreed.",
]


@pytest.mark.parametrize(("raw", "fixed"), REPAIRS)
def test_translation_artifacts(raw: str, fixed: str):
    assert repair_translation(raw) == fixed


@pytest.mark.parametrize("text", UNTOUCHED)
def test_clean_text_is_unchanged(text: str):
    assert repair_translation(text) == text


def test_ptb_detection_and_detokenization():
    ptb = ("Dr Hay said : `` It 's difficult to look on the bright side . '' He does n't "
           "want to be alarmist -LRB- yet -RRB- , and 9\\/11 was different .")
    assert looks_ptb_tokenized(ptb)
    assert not looks_ptb_tokenized("He said: \"It's difficult.\" She didn't agree, though.")
    assert detokenize(ptb) == ('Dr Hay said: "It\'s difficult to look on the bright side." He '
                               "doesn't want to be alarmist (yet), and 9/11 was different.")


def test_normalize_line():
    assert normalize_line("  A\u00a0\u00a0b\u200bc\tdone  ") == "A bc done"
