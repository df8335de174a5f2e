"""Peer summarizers run on newsfuse's own sentences: sumy's LexRank, TextRank, LSA and Luhn,
lead-k and random-k. sumy's default tokenizer needs NLTK data that cannot be downloaded here,
so every system is handed the same sentences newsfuse split, with a plain word tokenizer.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from typing import Any

from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from newsfuse.model import Article

_WORD = re.compile(r"\w+(?:[’'-]\w+)*")


class WordTokenizer:
    """What sumy needs from a tokenizer, without NLTK data: words of a sentence."""

    language = "english"

    def to_words(self, sentence: str) -> list[str]:
        return _WORD.findall(sentence)

    def to_sentences(self, paragraph: str) -> list[str]:  # not used: sentences are given
        return [paragraph]


def sumy_document(articles: Sequence[Article]) -> ObjectDocumentModel:
    tokenizer = WordTokenizer()
    paragraphs = [Paragraph([Sentence(s.text, tokenizer) for s in a.sentences])
                  for a in articles if a.sentences]
    return ObjectDocumentModel(paragraphs)


def sumy_system(kind: str) -> Callable[[Sequence[Article], int], list[str]]:
    classes = {"lexrank": LexRankSummarizer, "textrank": TextRankSummarizer,
               "lsa": LsaSummarizer, "luhn": LuhnSummarizer}
    summarizer = classes[kind](Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")

    def summarize(articles: Sequence[Article], k: int) -> list[str]:
        return [str(s) for s in summarizer(sumy_document(articles), k)]
    return summarize


def lead(articles: Sequence[Article], k: int) -> list[str]:
    """The first sentence of each article, earliest first, then second sentences."""
    ordered = sorted((a for a in articles if a.sentences),
                     key=lambda a: (a.date is None, a.date or 0))
    out: list[str] = []
    depth = 0
    while len(out) < k and any(depth < len(a.sentences) for a in ordered):
        out.extend(a.sentences[depth].text for a in ordered if depth < len(a.sentences))
        depth += 1
    return out[:k]


def random_k(seed: int) -> Callable[[Sequence[Article], int], list[str]]:
    def summarize(articles: Sequence[Article], k: int) -> list[str]:
        pool = [s.text for a in articles for s in a.sentences]
        return random.Random(seed).sample(pool, min(k, len(pool)))
    return summarize


def sumy_words(kind: str) -> Callable[[Sequence[Article], int], list[str]]:
    """A sumy summarizer given a word budget: its best-rated sentences until they hold
    ``words`` words, in document order (the cut to length is left to the caller)."""
    classes = {"lexrank": LexRankSummarizer, "textrank": TextRankSummarizer,
               "lsa": LsaSummarizer, "luhn": LuhnSummarizer}
    summarizer = classes[kind](Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")

    def summarize(articles: Sequence[Article], words: int) -> list[str]:
        def until_budget(infos: list[Any]) -> list[Any]:
            taken, used = [], 0
            for info in infos:
                if used >= words:
                    break
                taken.append(info)
                used += len(str(info.sentence).split())
            return taken
        return [str(s) for s in summarizer(sumy_document(articles), until_budget)]
    return summarize


def first_article(articles: Sequence[Article], words: int) -> list[str]:
    """The first article's sentences, in order (cut to length by the caller)."""
    first = next((a for a in articles if a.sentences), None)
    return [s.text for s in first.sentences] if first is not None else []


def lead_each(k: int) -> Callable[[Sequence[Article], int], list[str]]:
    """First-k of Fabbri et al. (Multi-News): the first ``k`` sentences of each article,
    article after article in input order (cut to length by the caller)."""
    def summarize(articles: Sequence[Article], words: int) -> list[str]:
        return [s.text for a in articles for s in a.sentences[:k]]
    return summarize
