"""Figure disagreements on real sentence pairs from the dev data.

Every passage is copied from ``../shared/data`` (the collection and article are named at
each case) and is also in ``benchmarks/data/disagreements_real.jsonl``; each pair goes
through ``newsfuse.brief`` as two one-sentence reports, as the benchmark does.
"""

from __future__ import annotations

from datetime import datetime

import pytest

import newsfuse
from newsfuse import settings
from newsfuse.model import Article, Origin
from newsfuse.stem import stem
from newsfuse.story.conflicts import negated_predicate
from newsfuse.story.figures import find_figures
from newsfuse.story.quantity import kinds, one_quantity, place
from newsfuse.text.clean import clean_article


def _report(article_id: str, text: str, day: str | None) -> Article:
    when = datetime.fromisoformat(day) if day else None
    return clean_article(Article(id=article_id, title=None, text=text, origin=Origin("test"),
                                 date=when))


def _disputes(a: tuple[str, str | None], b: tuple[str, str | None]) -> list:
    first, second = _report("first", *a), _report("second", *b)
    brief = newsfuse.brief([first, second], encoder="tfidf")
    return [c for c in brief.conflicts if c.kind == "figure"]


# timeline17-dev/H1N1_guardian (uid 2009-05-05) and H1N1_reuters, same day.
WHO_1085 = ("According to the WHO, 21 countries had officially reported 1,085 cases of H1N1 "
            "infection.", "2009-05-05")
WHO_1490 = ("The World Health Organization was monitoring the spread of the virus and said 21 "
            "countries have officially reported 1,490 cases.", "2009-05-05")


def test_same_day_tallies_that_differ_disagree_with_each_side_sourced():
    disputes = _disputes(WHO_1085, WHO_1490)
    assert len(disputes) == 1
    sides = {side.stance: side.sources for side in disputes[0].sides}
    assert sides == {"1,085": ("first",), "1,490": ("second",)}


def test_the_earlier_rule_is_kept_as_a_peer(monkeypatch):
    # H1N1 (timeline17-dev): the US and Mexico tallies of one day, not one quantity.
    us = ("Canada is the latest country to confirm cases after as many as 103 deaths in "
          "Mexico and 20 cases in the US.", "2009-04-27")
    mexico = ("More than 1,000 cases have been reported in Mexico, with over 80 deaths.",
              "2009-04-27")
    assert not _disputes(us, mexico)
    monkeypatch.setattr(settings, "CONFLICT_QUANTITY_IDENTITY", False)
    assert _disputes(us, mexico)


@pytest.mark.parametrize("a, b", [
    # timeline17-dev/H1N1: a school's count one day and the next (an update).
    (("The new cases include 13 children and an adult at Welford primary school in "
      "Handsworth, Birmingham, which has already been linked to 50 cases of the virus.",
      "2009-05-28"),
     ("The new cases include 10 children from Welford Primary School in Handsworth, "
      "Birmingham, where 60 cases have already been confirmed.", "2009-05-29")),
    # timeline17-dev/H1N1: two schools in London.
    (("The Dolphin School in Battersea, south London, has become the latest to announce it "
      "will close for several days after two pupils contracted the virus.", "2009-05-05"),
     ("Alleyn's school in Dulwich, south-east London, closed when six pupils were confirmed "
      "with having the H1N1 virus yesterday.", "2009-05-05")),
    # timeline17-dev/bpoil: a daily rate and the Exxon Valdez total of 1989.
    (("The oil is spilling out of the seafloor at 5,000 barrels a day -- the equivalent of "
      "210,000 gallons -- maybe much more, from a well about 50 miles out in the Gulf of "
      "Mexico.", "2010-05-01"),
     ("The environmental mess could eclipse the Exxon Valdez disaster, when an oil tanker "
      "spilled 11 million gallons off Alaska's shores in 1989.", "2010-05-01")),
    # timeline17-dev/H1N1: "more than 800" and 848 are compatible.
    (("There have been more than 800 cases in the UK with some areas of Scotland being "
      "particularly hard hit.", "2009-06-11"),
     ("Another 25 cases of swine flu have been confirmed in England and 26 more in Scotland, "
      "taking the UK total to 848.", "2009-06-11")),
    # multinews-dev/c212: a sum forfeited and a fine.
    (("Wells Fargo CEO John Stumpf will forfeit much of his 2016 salary -- including his bonus "
      "and $41 million in stock awards -- as the bank launches a probe.", None),
     ("In early September, Wells Fargo was fined $185 million by regulators.", None)),
])
def test_figures_of_different_quantities_are_not_set_against_each_other(a, b):
    assert not _disputes(a, b)


def _first(text: str, span: str):
    return next(f for f in find_figures("a", 0, text) if f.span.startswith(span))


def test_quantity_identity_reads_place_kind_rate_and_direction():
    us = "Twenty cases have been identified in the United States and six in Canada."
    assert place(us, _first(us, "Twenty")) == {"united", "states"}
    # timeline17-dev/H1N1_bbc: "another 59 cases" is an increment, not a total.
    new = "In England, the Health Protection Agency said another 59 cases had been confirmed."
    assert "increment" in kinds(new, _first(new, "59"))
    rate = "The well is estimated to be pouring 5,000 barrels a day of crude oil into the Gulf."
    assert "per day" in kinds(rate, _first(rate, "5,000"))
    # timeline17-dev/bpoil_guardian: a close down and a close up are two days' moves.
    down = "On the markets BP's shares closed down 6% in London on Thursday."
    up = "Meanwhile, BP's shares closed up 7.2%, recovering losses suffered on Thursday."
    assert not one_quantity(down, _first(down, "6%"), up, _first(up, "7.2%"))
    # timeline17-dev/H1N1: the US count and Mexico's, each in its own clause
    us = ("Canada is the latest country to confirm cases after as many as 103 deaths in "
          "Mexico and 20 cases in the US.")
    mexico = "More than 1,000 cases have been reported in Mexico, with over 80 deaths."
    assert not one_quantity(us, _first(us, "20"), mexico, _first(mexico, "More than 1,000"))


@pytest.mark.parametrize("a, b, values", [
    # timeline17-dev/H1N1 (articles 519 and 1204, 2009-04-28): the WHO is who gives the
    # count, not what it is of, so "in Mexico" and "The WHO" are no two subjects.
    (("The WHO assistant director-general, Keiji Fukuda, says there have only been seven "
      "laboratory-confirmed deaths from swine flu in Mexico.", "2009-04-28"),
     ("The WHO says only 9 deaths are confirmed.", "2009-04-28"), {"7", "9"}),
    # timeline17-dev/MJ_bbc (articles 114 and 794): "released in 1982" dates the album,
    # not the sales figure.
    (("One of those, Thriller, is still the biggest-selling album ever, selling 61 million "
      "copies.", "2009-06-27"),
     ("Thriller, released in 1982, is the biggest-selling album of all time, shifting 65m "
      "copies, according to the Guinness Book of World Records.", "2009-06-27"),
     {"61,000,000", "65,000,000"}),
    # timeline17-dev/bpoil_reuters (articles 1076 and 708): one report lists two banks'
    # estimates; the clash is with the nearest.
    (("Estimates for the total cost to BP range from $5.3 billion from Dutch bank ING to $37 "
      "billion from Credit Suisse.", "2010-06-03"),
     ("Credit Suisse estimates this at $23 billion.", "2010-06-03"),
     {"37,000,000,000", "23,000,000,000"}),
    # timeline17-dev/H1N1 (articles 1049 and 764): a tally listing countries against one
    # total: the Mexico count, the nearest, not the two US deaths.
    (("Its official tally, which tends to lag behind national reports but is also held to be "
      "more secure, includes 45 deaths in the disease epicentre, Mexico, two deaths in the "
      "US, and one each in Canada and Costa Rica.", "2009-05-11"),
     ("Sixty deaths have been confirmed, most in Mexico with three in the United States and "
      "one in Canada.", "2009-05-11"), {"45", "60"}),
])
def test_same_quantity_read_past_attribution_asides_and_lists(a, b, values):
    disputes = _disputes(a, b)
    assert len(disputes) == 1
    sides = {side.stance: side.sources for side in disputes[0].sides}
    assert set(sides) == values
    assert sorted(s for side in sides.values() for s in side) == ["first", "second"]


@pytest.mark.parametrize("a, b", [
    # multinews-dev/c231: the clause names no one; the sentence's subject is another sniper.
    (("Arron Perry briefly held the world's best sniper record after he fatally shot an "
      "insurgent at 2,310 metres during the same operation.", None),
     ("Rob Furlong, in the same operation, bested his brother-in-arms with a confirmed kill at "
      "2,430 metres.", None)),
])
def test_a_clause_without_names_speaks_of_its_sentence_subject(a, b):
    assert not _disputes(a, b)


def test_a_place_within_a_place_is_the_same_place():
    # timeline17-dev/H1N1 (article 411): the school and the district it is in.
    text = ("This week, five year seven pupils at Alleyn's school in Dulwich, south-east "
            "London, tested positive for the virus.")
    assert place(text, _first(text, "seven")) == {"alleyn's", "dulwich"}
    other = "Alleyn's school in Dulwich, south-east London, closed when six pupils were ill."
    assert place(other, _first(other, "six")) == {"dulwich"}


def test_a_short_negated_word_is_not_passed_over_for_a_later_one():
    # timeline17-dev/bpoil_reuters (articles 1227 and 451): "not pay three quarters" is no
    # denial of the "three quarters" another report cuts.
    denies = ("Oil giant BP said it would not pay three quarters of dividends, significantly "
              "reduce its investment program and sell $10 billion of assets to fund a planned "
              "$20 billion fund to pay for its Gulf of Mexico oil spill.", "2010-06-16")
    cuts = ("BP said in a statement it would cut three quarters of dividends, significantly "
            "reduce its investment program and sell $10 billion of assets to create the fund.",
            "2010-06-16")
    first, second = _report("first", *denies), _report("second", *cuts)
    brief = newsfuse.brief([first, second], encoder="tfidf")
    assert not brief.conflicts
    assert negated_predicate(denies[0]) is None
    assert negated_predicate("Officials said there were no plans to evacuate the town.") \
        == (stem("evacuate"), "no")


def test_lexical_cosine_of_two_rows_is_scipy_product_bit_for_bit(seeds):
    import numpy as np

    from newsfuse.encode import lexical_vectors
    from newsfuse.story.conflicts import lexical_cosine

    texts = [s.text for a in seeds for s in a.sentences]
    matrix = lexical_vectors(texts)
    rng = np.random.default_rng(7)
    pairs = [(a, a + 1) for a in range(len(texts) - 1)] + [
        tuple(int(x) for x in rng.integers(0, len(texts), 2)) for _ in range(2000)]
    shared = 0
    for a, b in pairs:
        expected = float(matrix[a].multiply(matrix[b]).sum())
        assert lexical_cosine(matrix, a, b) == expected
        shared += expected > 0
    assert shared > 300
    assert lexical_cosine(matrix, 3, 3) == pytest.approx(1.0, abs=1e-6)
