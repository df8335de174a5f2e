"""Figures on real sentences (copied from ``../shared/data``; the collection is named at
each case): what is a figure, what it counts, what happened to it, and when two agree."""

from __future__ import annotations

import pytest

from newsfuse.story.figures import find_figures, overlaps


def _figures(text: str) -> list[tuple[str, str, str | None]]:
    return [(f.span, f.counts, f.event) for f in find_figures("a", 0, text)]


def _one(text: str):
    (figure,) = find_figures("a", 0, text)
    return figure


@pytest.mark.parametrize("text", [
    "A man in his early 30s was arrested at the scene.",
    "In the 1990s the company sold the rig.",
    "The relief well is about 190 ft from the leaking well, and drilling takes 24 hours.",
    "It said 6 percent was enough.",
])
def test_ages_decades_durations_and_bare_percentages_are_no_figures(text):
    assert [f for f in _figures(text) if f[1] not in ("ft",)] == []


def test_a_phrasal_verb_is_not_what_happened_to_the_count():
    assert _figures("Police said two saws cut through the fence.") == [
        ("two saws", "saws", None)]


def test_a_second_figure_does_not_take_the_first_ones_event():
    assert _figures("The quake killed 302 people and left 1.5 million homeless.") == [
        ("302 people", "people", "killed"), ("1.5 million homeless", "homeless", None)]


def test_spaced_scales_decimal_commas_and_inherited_people():
    # timeline17-dev/bpoil_guardian
    spill = _one("An estimated 4.9 m barrels of oil leaked into the waters of the Gulf.")
    assert (spill.value, spill.low, spill.high) == (4_900_000, None, None)  # about 4.9m
    assert spill.counts == "barrels"
    # timeline17-dev/bpoil_guardian: "$3,5 bn" is a typo for $3.5bn, not 3 dollars
    assert all(f.span != "$3" for f in find_figures(
        "a", 0, "the cost had reached $3,5 bn (# 2.33 bn) and"))
    # timeline17-dev/bpoil_reuters: "killing 11" counts people, not the gallons before it
    text = ("The company has repeatedly failed to stop the leak, which has gushed millions of "
            "gallons of oil into the Gulf of Mexico since an oil rig exploded on April 20, "
            "killing 11.")
    assert ("11", "people", "killing") in _figures(text)
    # timeline17-dev/H1N1: "nine other countries" counts countries
    assert ("nine other countries", "countries", "cases") in _figures(
        "So far the virus has not been as deadly, with mostly mild cases in nine other "
        "countries.")


def test_or_more_is_a_lower_bound():
    # timeline17-dev/bpoil_guardian
    rate = _one("Oil continues gushing into the Gulf of Mexico at a rate of 4,000 barrels a day "
                "or more.")
    assert (rate.low, rate.high) == (4000, None)


def test_figures_agree_at_the_precision_of_the_coarser_one():
    # timeline17-dev/bpoil: the same close reported to one or two decimals
    assert overlaps(_one("The firm's shares closed down 6.6% in London."),
                    _one("BP shares closed 6.65 percent down in London."))
    # a rounded conversion and an exact one
    assert overlaps(_one("an area of 200,000 square km"), _one("an area of 202,582 square km"))
    # exact small counts do not round: 20 and 21 countries differ
    assert not overlaps(_one("cases have been reported in 20 countries"),
                        _one("cases have been reported in 21 countries"))


def test_a_fact_is_supported_only_by_statements_of_its_value():
    from newsfuse.story.figures import same_statement

    # ../shared/seeds (Reuters and AFP/Arab News reports of 31 December 2019)
    strikes = _one("Abdul Mahdi condemned the strikes, which killed at least 25 fighters.")
    protests = _one("Abdul-Mahdi, who has announced his intention to withdraw in the face of "
                    "anti-government protests in which more than 450 people have been killed, "
                    "is supported by Iran and its allies.")
    same = _one("The rape followed American airstrikes on Sunday that killed 25 fighters of the "
                "Iran-backed militia in Iraq, the Kataeb Hezbollah.")
    assert same_statement(strikes, same)
    assert not same_statement(strikes, protests)
