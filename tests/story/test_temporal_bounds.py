"""Inferring an undated article's day costs the same however far apart the dated ones are."""

from __future__ import annotations

from datetime import date

from newsfuse import settings
from newsfuse.story import temporal
from newsfuse.story.temporal import infer_publication

# From the seeds (Reuters, 1 January 2020): relative days, no publication date.
WITHDREW = ["Protesters withdrew from the U.S. Embassy in Baghdad on Wednesday after "
            "two days of clashes.",
            "Supporters of the militia broke into the compound on Tuesday."]


def test_candidates_do_not_grow_with_the_span(monkeypatch):
    calls = []
    real = temporal.find_times

    def counted(text, ref, language=None):
        calls.append(ref)
        return real(text, ref, language)

    monkeypatch.setattr(temporal, "find_times", counted)
    near = infer_publication(WITHDREW, [date(2019, 12, 31), date(2020, 1, 2)])
    near_calls = len(calls)
    calls.clear()
    far = infer_publication(WITHDREW, [date(1900, 1, 1), date(2019, 12, 31),
                                       date(2099, 12, 31)])
    assert near == date(2020, 1, 1)
    assert far is not None
    assert len(calls) <= len(WITHDREW) * (settings.INFER_MAX_CANDIDATES + 1)
    assert len(calls) < 3 * near_calls
