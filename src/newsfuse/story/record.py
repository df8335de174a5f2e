"""The story record: one story's articles, sentences, vectors, claims and copies, built once.

Every analysis stage of a brief (summary selection, entities, quotes, figures, disagreements,
timeline) is a function of one :class:`Story`: nothing is re-derived or re-bundled between
stages. :func:`build_story` reads the articles into rows (one per sentence), vectorises them,
aligns them into claims, finds copies and their groups, and counts each claim's independent
sources. What only some stages need (the articles' days, entity mentions with the language
model's names, figures, which sentences are mostly quoted) is computed on first use and kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from newsfuse import settings
from newsfuse.encode import Encoder, Matrix, get_encoder, is_multilingual, lexical_vectors
from newsfuse.model import Article, Claim, CopyRelation, Entity, Sentence
from newsfuse.story.align import Pairs, candidate_pairs, group_claims
from newsfuse.story.copies import copy_groups, find_copies, independent_count, near_identical
from newsfuse.story.crosslang import quotable_texts, row_languages
from newsfuse.text.languages import ENGLISH

if TYPE_CHECKING:
    from newsfuse.story.entities import Mention
    from newsfuse.story.figures import Figure
    from newsfuse.story.timeline import ArticleDates


@dataclass(frozen=True, eq=False)
class Story:
    """One story as every stage reads it. Rows are the articles' sentences, article after
    article in input order; per-row arrays are read-only."""

    articles: tuple[Article, ...]       # the usable articles (with body text, ids unique)
    sentences: tuple[Sentence, ...]     # every sentence, by row
    article_of: np.ndarray              # row -> index of its article
    language: str                       # the brief's language (see story.crosslang)
    lexical: sparse.csr_matrix          # TF-IDF rows, L2-normalised
    semantic: Matrix | None             # sentence embeddings (None: lexical only)
    cross_lingual: bool                 # sentences are aligned across languages by meaning
    languages: np.ndarray               # row -> language of its article ("und": unknown)
    pairs: Pairs                        # candidate pairs of rows and their similarities
    members: tuple[list[int], ...]      # claim id -> its rows (every row in one claim)
    claims: tuple[Claim, ...]           # claim id -> the claim, independent sources counted
    copies: tuple[CopyRelation, ...]    # which article copies which
    copy_group: tuple[int, ...]         # article index -> its group of mutual copies

    # --- per row -----------------------------------------------------------------------
    @cached_property
    def texts(self) -> tuple[str, ...]:
        """The text the summary may quote of each row: other languages' sentences blanked
        (see :func:`newsfuse.story.crosslang.quotable_texts`)."""
        return tuple(quotable_texts([s.text for s in self.sentences], self.languages,
                                    self.language))

    @cached_property
    def refs(self) -> tuple[tuple[str, int], ...]:
        """(article id, sentence index) of each row."""
        return tuple((s.article_id, s.index) for s in self.sentences)

    @cached_property
    def position(self) -> np.ndarray:
        """Index of each row's sentence in its article."""
        return _frozen(np.array([s.index for a in self.articles for s in a.sentences]))

    @cached_property
    def relative(self) -> np.ndarray:
        """Position of each row's sentence over the number of sentences of its article."""
        return _frozen(np.array([s.index / max(1, len(a.sentences)) for a in self.articles
                                 for s in a.sentences]))

    @cached_property
    def is_copy(self) -> np.ndarray:
        """Whether each row's article copies another."""
        copies = self.copy_ids
        return _frozen(np.array([a.id in copies for a in self.articles for _ in a.sentences]))

    @cached_property
    def claim_of(self) -> np.ndarray:
        """Claim id of each row reported by several articles; -1 for a sentence alone."""
        claim_of = np.full(len(self.sentences), -1, dtype=np.int64)
        for claim_id, rows in enumerate(self.members):
            if len(rows) > 1:
                claim_of[rows] = claim_id
        return _frozen(claim_of)

    @cached_property
    def in_quote(self) -> np.ndarray:
        """Whether each row is mostly a direct quotation (a party's words, not the
        source's)."""
        return _frozen(np.array([mostly_quoted(s.text) for s in self.sentences], dtype=bool))

    # --- per article -------------------------------------------------------------------
    @cached_property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.articles)

    @cached_property
    def copy_ids(self) -> set[str]:
        """Ids of the articles that copy another."""
        return {r.copy for r in self.copies}

    @cached_property
    def dates(self) -> ArticleDates:
        """The day each article is read against (publication, or inferred), with warnings."""
        from newsfuse.story.timeline import article_dates

        return article_dates(self.articles)

    @cached_property
    def days(self) -> list[datetime | None]:
        """Each article's publication date, else its inferred day, else ``None``."""
        from newsfuse.story.timeline import as_datetime

        return [a.date or as_datetime(self.dates.day.get(a.id)) for a in self.articles]

    def independent(self, sources: Sequence[str]) -> int:
        """How many independent origins the articles ``sources`` are: copies count once."""
        return len({self._group_of.get(s, s) for s in sources})

    @cached_property
    def _group_of(self) -> dict[str, int]:
        return {a.id: self.copy_group[i] for i, a in enumerate(self.articles)}

    # --- found on first use ------------------------------------------------------------
    @cached_property
    def mentions(self) -> list[Mention]:
        """Entity mentions of every sentence, merged across spellings (the language model's
        names where it runs, see :mod:`newsfuse.story.ner`)."""
        from newsfuse.story.entities import find_mentions, merge_mentions

        return merge_mentions(find_mentions(self.articles, language=self.language))

    @cached_property
    def entities(self) -> dict[str, Entity]:
        """Merged entity key -> its entry (display name, type, spellings, articles)."""
        from newsfuse.story.entities import entities_by_key

        return entities_by_key(self.articles, self.mentions)

    @cached_property
    def figures(self) -> list[tuple[int, Figure]]:
        """Every figure of the story, with its row (read in the story's language)."""
        from newsfuse.story.figures import find_figures, find_figures_foreign

        english = self.language == ENGLISH
        return [(row, f) for row, s in enumerate(self.sentences)
                for f in (find_figures(s.article_id, s.index, s.text) if english
                          else find_figures_foreign(s.article_id, s.index, s.text,
                                                    self.language))]


def build_story(articles: Sequence[Article], language: str,
                encoder: str | Encoder = "auto") -> Story:
    """The story of ``articles`` (each with body text, ids unique) for a brief written in
    ``language``: sentences vectorised with ``encoder`` (see
    :func:`newsfuse.encode.get_encoder`), aligned into claims, copies found once."""
    usable = tuple(articles)
    sentences = tuple(s for a in usable for s in a.sentences)
    texts = [s.text for s in sentences]
    article_of = _frozen(np.array([i for i, a in enumerate(usable) for _ in a.sentences],
                                  dtype=np.int64))
    lexical = lexical_vectors(texts, language)
    chosen = get_encoder(encoder, len(texts), [a.language for a in usable])
    multilingual = is_multilingual(chosen)
    # an English-only model would compare foreign sentences by their shared names only
    semantic = chosen.encode(texts) if chosen.semantic and (
        multilingual or language == ENGLISH) else None
    cross_lingual = multilingual and semantic is not None
    languages = _frozen(row_languages(usable))
    pairs = candidate_pairs(lexical, article_of, semantic, languages if cross_lingual else None)
    members = group_claims(pairs, article_of)
    identical = near_identical(pairs)
    relations = find_copies(list(usable), pairs, article_of, identical)
    groups = copy_groups(list(usable), relations)
    claims = _claims(usable, sentences, members, article_of, pairs, identical, groups)
    return Story(articles=usable, sentences=sentences, article_of=article_of,
                 language=language, lexical=lexical, semantic=semantic,
                 cross_lingual=cross_lingual, languages=languages, pairs=pairs,
                 members=tuple(members), claims=tuple(claims), copies=tuple(relations),
                 copy_group=tuple(groups))


def _claims(articles: Sequence[Article], sentences: Sequence[Sentence],
            members: list[list[int]], article_of: np.ndarray, pairs: Pairs,
            identical: np.ndarray, groups: list[int]) -> list[Claim]:
    """One claim per group of aligned rows, its sentences in article order, its sources'
    copies and near-identical sentences counted once."""
    same_text = {(int(min(pairs.left[k], pairs.right[k])),
                  int(max(pairs.left[k], pairs.right[k]))) for k in identical}
    claims = []
    for claim_id, rows in enumerate(members):
        order = sorted(rows, key=lambda r: int(article_of[r]))
        claims.append(Claim(
            id=claim_id, sentences=tuple(sentences[r] for r in order),
            sources=tuple(articles[int(article_of[r])].id for r in order),
            independent=independent_count(order, article_of, groups, same_text)))
    return claims


_QUOTED_SPAN = re.compile(r"[“\"«„»]([^”\"«»„“]+)[”\"»“«]")


def mostly_quoted(text: str) -> bool:
    """Whether a sentence is mostly a direct quotation: more than
    ``settings.QUOTED_SHARE`` of it inside quotation marks, or opening or closing a
    quotation that spans sentences."""
    inside = sum(len(m) for m in _QUOTED_SPAN.findall(text))
    opens = text.lstrip()[:1] in "“\"«„—" or text.rstrip()[-1:] in "”\"»“"
    return inside > settings.QUOTED_SHARE * len(text) or (opens and inside == 0)


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array
