"""The furniture audit of briefs (benchmarks.furniture) counts page furniture and only that:
its patterns are checked on furniture and reporting sentences taken from the dev data
(multinews-dev and timeline17-dev summaries of an earlier newsfuse), independent of the
cleaning rules."""

from __future__ import annotations

import pytest
from benchmarks.furniture import audit

FURNITURE = [  # (text, kind) as they appeared in briefs
    ("Media playback is not supported on this device World Cup 2018: Portugal 3-3 Spain - "
     "watch all six goals in under a minute", "player or page notice"),
    ("FILE - In this March 27, 2010 file photo, actor Robin Williams speaks at The 24th "
     "American Cinematheque Awards in Beverly Hills, Calif.", "caption"),
    ("Eddie Johnson (left) and U.S. Rep. Danny Davis (right) announces a federal lawsuit "
     "challenging the Justice Department's threats.", "caption"),
    ("Photograph: Liz Condo/AP Soon after taking over in 2007, BP's newly appointed chief "
     "executive told an audience of business students", "photo or video credit"),
    ("Enlarge this image toggle caption Evan Vucci/AP Evan Vucci/AP", "photo or video credit"),
    ("Read more about: Dianne Feinstein, Malaysia, Flight 370", "promo"),
    ("Subscribe to Star Wars on YouTube at http://www.youtube.com/starwars", "promo"),
    ("Published: January 31st, 2012 | Tags: Super Bowl XLVI, Mark Herzlich, Media Day, "
     "New York Giants", "timestamp"),
    ("WASHINGTON | Wed Apr 29, 2009 5:24 pm EDT WASHINGTON (Reuters) - U.S. health officials "
     "confirmed a total of 91 human cases", "timestamp"),
    ("cheap political points, I guess njacobs | Posted by: LMW6 | May 27, 2010 4:58 PM | "
     "Report abuse", "navigation run"),
]
REPORTING = [
    "Reuters said two videos were posted, at 16:50 (09:50 GMT) and 16:57 on Monday, and were "
    "taken down at about 17:00 on Tuesday, roughly 24 hours later.",
    'The "You and the Law" cards begin with the big picture: Stay out of trouble.',
    "BP's shares fell 3% at the start of trading in London today after the oil company was "
    "hit with a lawsuit from the US government.",
    "Rescue teams used boats to reach families stranded on rooftops, officials said.",
]


@pytest.mark.parametrize(("text", "kind"), FURNITURE)
def test_audit_finds_furniture(text: str, kind: str) -> None:
    assert kind in audit(text)


@pytest.mark.parametrize("text", REPORTING)
def test_audit_passes_reporting(text: str) -> None:
    assert audit(text) == []
