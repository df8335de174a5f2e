"""Day references on real sentences from ``../shared/data/timeline17-dev`` (collection,
article uid and publication day named at each case; PTB tokens as in the files)."""

from __future__ import annotations

from datetime import date

from newsfuse.story.temporal import find_times, passage_days


def _days(text: str, published: date) -> list[date | None]:
    return [m.day for m in find_times(text, published)]


def test_scheduled_events_look_forward():
    # H1N1_guardian 1019 (2009-05-05, a Tuesday)
    assert _days("The exam boards are due to meet on Thursday to discuss the situation as it "
                 "unfolds .", date(2009, 5, 5)) == [date(2009, 5, 7)]
    # H1N1_reuters 1208 (2009-03-16, a Monday): "will" more than 40 characters before the day
    assert _days("Many went into hiding according to these reports , vowing to press on with "
                 "the cross-country motor convoy that will set off from cities in Baluchistan "
                 "and Sind and then Puinjab on Friday before culminating outside the "
                 "parliament building in the capital .", date(2009, 3, 16)) == [
        date(2009, 3, 20)]
    # H1N1_bbc 937 (2009-05-31, a Sunday): a present-tense visit to come
    assert _days("I suspect many more will turn out to warmly greet Mr Curtis when he visits "
                 "Northern Ireland on Wednesday .", date(2009, 5, 31)) == [date(2009, 6, 3)]


def test_a_schedule_told_in_the_past_looks_back():
    # MJ_bbc 173 (2011-09-09, a Friday): the trial was due to start the day before
    assert _days("The case was due to start on Thursday , but the men and women on the jury "
                 "have taken longer than expected to choose .", date(2011, 9, 9)) == [
        date(2011, 9, 8)]


def test_past_narration_after_a_future_cue_looks_back():
    # a future cue, then the past: "returned its verdict on Thursday" was before
    assert _days("He will be sentenced after the jury returned its verdict on Thursday .",
                 date(2011, 11, 8)) == [date(2011, 11, 3)]


def test_full_dates_keep_their_year():
    # bpoil_guardian 1000 (2010-07-21)
    assert _days("BP acknowledges it posted on its website this altered photo that exaggerates "
                 "the activity at its Gulf oil spill command center in Houston , on July 16 "
                 "2010 .", date(2010, 7, 21)) == [date(2010, 7, 16)]
    assert _days("He was arrested on April 16 2004 in Madrid .", date(2006, 5, 9)) == [
        date(2004, 4, 16)]


def test_a_roundup_entry_is_read_against_its_own_day():
    # bpoil_reuters 124 (2010-05-11): a roundup of the spill, one entry per day
    sentences = [
        "\\* April 27 - U.S. departments of Interior and Homeland Security announce joint "
        "investigation .",
        "Coast Guard says leaking crude may be set ablaze to slow the spread of oil in the "
        "Gulf .",
        "\\* April 28 - The Coast Guard says the flow of oil is 5,000 barrels per day .",
        "A controlled burn is held on the giant oil slick .",
    ]
    published = date(2010, 5, 11)
    assert passage_days(sentences, published) == [
        date(2010, 4, 27), date(2010, 4, 27), date(2010, 4, 28), date(2010, 4, 28)]
    # an ordinary article is read against its publication day
    assert passage_days(["The spill grew on Monday .", "BP said it would pay ."],
                        published) == [published, published]
