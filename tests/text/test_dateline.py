"""Datelines become metadata; sentences that merely start in capitals do not."""

from __future__ import annotations

import pytest

from newsfuse.text.dateline import split_dateline

DATELINES = [
    ("BAGHDAD (AP) – Enraged by strikes, militiamen stormed.", "BAGHDAD", "AP", "Enraged"),
    ("BAGHDAD / WASHINGTON – Angry protesters threw stones.", "BAGHDAD / WASHINGTON", None,
     "Angry"),
    ("BAGHDAD: Tear gas was fired.", "BAGHDAD", None, "Tear"),
    ("BAGHDAD – The US ambassador left.", "BAGHDAD", None, "The"),
    ("WASHINGTON (Reuters) - The Senate voted.", "WASHINGTON", "Reuters", "The"),
    ("LONDON, May 3 (Reuters) - Shares fell.", "LONDON", "Reuters", "Shares"),
    ("NEW YORK — Stocks rose on Monday.", "NEW YORK", None, "Stocks"),
    ("WASHINGTON--Oil spill frustration is rampant.", "WASHINGTON", None, "Oil"),
    ("Baghdad, Iraq (CNN) -- Protesters gathered.", "Baghdad, Iraq", "CNN", "Protesters"),
    ("(CNN) Israeli Prime Minister Benjamin Netanyahu has requested immunity.", None, "CNN",
     "Israeli"),
    ("(Newser) – Israeli Prime Minister Benjamin Netanyahu said.", None, "Newser", "Israeli"),
    ("Jan. 1 (UPI) -- Israeli Prime Minister Benjamin Netanyahu announced.", None, "UPI",
     "Israeli"),
]

NOT_DATELINES = [
    "US officials said the strikes were defensive.",
    "UPDATE: The embassy reopened on Friday.",
    "NATO - the alliance - met on Monday.",
    "The AP reported that officials met.",
    "EU: ministers will meet again.",
]


@pytest.mark.parametrize(("text", "place", "agency", "rest"), DATELINES)
def test_datelines(text: str, place: str | None, agency: str | None, rest: str):
    dateline, remainder = split_dateline(text)
    assert dateline is not None
    assert (dateline.place, dateline.agency) == (place, agency)
    assert remainder.split()[0] == rest


@pytest.mark.parametrize("text", NOT_DATELINES)
def test_not_datelines(text: str):
    dateline, remainder = split_dateline(text)
    assert dateline is None and remainder == text
