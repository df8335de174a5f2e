"""Stop words: the common function words left out of every lexical comparison.

The list is the one scikit-learn ships as ``ENGLISH_STOP_WORDS`` (from the Glasgow
Information Retrieval Group's list); it is kept here so that lexical stages do not import
scikit-learn, and a test checks the two are the same words. Other languages' lists are in
:mod:`newsfuse.text.languages`.
"""

from __future__ import annotations

import re

from newsfuse.text.languages import light_stem, stop_words

_WORDS = """
a about above across after afterwards again against all almost alone along already also
although always am among amongst amoungst amount an and another any anyhow anyone
anything anyway anywhere are around as at back be became because become becomes becoming
been before beforehand behind being below beside besides between beyond bill both bottom
but by call can cannot cant co con could couldnt cry de describe detail do done down due
during each eg eight either eleven else elsewhere empty enough etc even ever every
everyone everything everywhere except few fifteen fifty fill find fire first five for
former formerly forty found four from front full further get give go had has hasnt have
he hence her here hereafter hereby herein hereupon hers herself him himself his how
however hundred i ie if in inc indeed interest into is it its itself keep last latter
latterly least less ltd made many may me meanwhile might mill mine more moreover most
mostly move much must my myself name namely neither never nevertheless next nine no
nobody none noone nor not nothing now nowhere of off often on once one only onto or
other others otherwise our ours ourselves out over own part per perhaps please put
rather re same see seem seemed seeming seems serious several she should show side since
sincere six sixty so some somehow someone something sometime sometimes somewhere still
such system take ten than that the their them themselves then thence there thereafter
thereby therefore therein thereupon these they thick thin third this those though three
through throughout thru thus to together too top toward towards twelve twenty two un
under until up upon us very via was we well were what whatever when whence whenever
where whereafter whereas whereby wherein whereupon wherever whether which while whither
who whoever whole whom whose why will with within without would yet you your yours
yourself yourselves
"""
ENGLISH_STOP_WORDS = frozenset(_WORDS.split())

_WORD = re.compile(r"(?u)\b\w[\w'’-]*\w\b|\b\d\b")
# An elided article, pronoun or conjunction before a vowel: "l'armée", "dell'esercito",
# "d’Égypte", "jusqu'à", "lorsqu'il".
_ELISION = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu|quoiqu|dell|dall|nell|sull|all|"
                      r"un|quell)['’]", re.UNICODE)


def language_terms(text: str, language: str) -> list[str]:
    """Content words of a text in ``language`` (not English): lower case, elided articles
    cut, stop words left out, light-stemmed (:func:`newsfuse.text.languages.light_stem`)."""
    stops = stop_words(language)
    out = []
    for word in _WORD.findall(text.lower()):
        word = _ELISION.sub("", word)
        if (len(word) > 1 and word not in stops) or word.isdigit():
            out.append(light_stem(word, language))
    return out
