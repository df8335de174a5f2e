"""Abbreviations of English news copy: a full stop after them does not end a sentence."""

from __future__ import annotations

# Titles and other words that precede a name or a number ("Gov. Ron Smith", "No. 10").
TITLES = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gov", "sen", "rep", "gen", "lt", "col", "maj", "capt",
    "sgt", "adm", "cmdr", "st", "rev", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "no", "nos", "vol", "fig", "art", "ft", "mt", "pres",
})

# Every abbreviation: the titles and those that may also close a phrase ("Acme Inc.").
ABBREVIATIONS = TITLES | frozenset({
    "etc", "vs", "approx", "incl", "est", "dept", "govt", "inc", "corp", "ltd", "co", "jr",
    "sr", "al", "ed", "pp", "cf", "ca", "op", "p", "pct", "min", "max", "av", "ave", "blvd",
})
