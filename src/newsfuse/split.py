"""Finding the events in a brief's input, so that unrelated reports are never fused.

A brief fuses the reports of one event. Handed a day's feed instead, it would fuse unrelated
leads into one story. So the input is first split into events: the corpus clustering
(:func:`newsfuse.cluster`) proposes groups, which are never separated again; groups are
then joined, closest first, while the average similarity of their articles' content
reaches a threshold (``settings.SPLIT_JOIN_*``). Clustering alone splits one event's reports
when they share no title and open differently (most Multi-News clusters); whole-article
content joins them back. Dates are not used: two reports of one event may be days apart,
and two unrelated stories share a day.

An article's content vector is the mean of its sentences' MiniLM vectors when the brief has
them (the input is encoded once, for the split and every brief), else its TF-IDF row over
the whole input.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse

from newsfuse import settings
from newsfuse.encode import Encoder, Matrix, is_multilingual, lexical_vectors
from newsfuse.errors import UsageError
from newsfuse.model import Article, Brief
from newsfuse.text.languages import majority_language


@dataclass(frozen=True, slots=True)
class EventGroup:
    """One event found in the input: its articles in input order, a headline naming it
    (a title or an opening sentence of its most central article), and its brief when one
    was made."""

    number: int  # 1 for the largest event
    articles: tuple[Article, ...]
    headline: str
    brief: Brief | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.articles)


@dataclass(frozen=True, slots=True)
class BriefSet:
    """The events of an input, largest first, each with its brief when one was made."""

    events: tuple[EventGroup, ...]

    @property
    def briefs(self) -> tuple[Brief, ...]:
        return tuple(e.brief for e in self.events if e.brief is not None)

    def __len__(self) -> int:
        return len(self.events)


def article_links(rows: Matrix, owner: np.ndarray, n_articles: int) -> np.ndarray:
    """How strongly each pair of articles reports the same things: the mean of the
    ``settings.SPLIT_TOP_MATCHES`` best cosines between a sentence of one and its closest
    sentence in the other (``rows``: L2-normalised sentence rows; ``owner``: the article of
    each row, rows of one article contiguous, every article with at least one row).

    Reports of one event share some near-paraphrased sentences (the same facts, quotes,
    figures); reports of two events on one topic share a vocabulary but few such pairs,
    which is what an article-level average misses."""
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    best = np.empty((len(owner), n_articles), dtype=np.float32)  # sentence x article
    dense = not sparse.issparse(rows)
    for lo in range(0, len(owner), settings.SPLIT_CHUNK_ROWS):
        chunk = rows[lo:lo + settings.SPLIT_CHUNK_ROWS] @ rows.T
        chunk = np.asarray(chunk if dense else chunk.toarray(), dtype=np.float32)
        best[lo:lo + len(chunk)] = np.maximum.reduceat(chunk, starts, axis=1)
    k = settings.SPLIT_TOP_MATCHES
    top = np.full((n_articles, n_articles, k), np.nan, dtype=np.float32)
    ends = [*starts[1:].tolist(), len(owner)]
    for i, (start, end) in enumerate(zip(starts.tolist(), ends, strict=True)):
        ranked = -np.sort(-best[start:end], axis=0)[:k]  # article i's k best, for every j
        top[i, :, :len(ranked)] = ranked.T
    both = -np.sort(-np.concatenate([top, top.transpose(1, 0, 2)], axis=2), axis=2)
    both = np.where(np.isnan(both), -np.inf, both)  # fewer than k sentences: fewer values
    ranked = np.sort(both, axis=2)[:, :, ::-1][:, :, :k]
    valid = np.isfinite(ranked)
    links = np.where(valid, ranked, 0.0).sum(axis=2) / np.maximum(valid.sum(axis=2), 1)
    np.fill_diagonal(links, 1.0)
    return np.asarray(links, dtype=np.float64)


def group_events(labels: Sequence[str], links: np.ndarray, join: float,
                 short: Sequence[bool] | None = None,
                 lengths: Sequence[int] | None = None) -> list[list[int]]:
    """Indices of the articles of each event, largest first.

    ``labels`` is the clustering's proposal (articles sharing a label stay together);
    groups are joined by average link (the mean of ``links`` between their articles) while
    the best pair reaches ``join``. A group made only of ``short`` articles (too little
    text to tell that it reports something else) then joins the group it links to best.

    The largest event is the one with the most articles that are not ``short``; of equals,
    the one with the most text (``lengths``, e.g. sentences per article), then the first
    seen. A short archive notice or sign-up page set beside one full report is not the main
    event of the input, whichever comes first."""
    first: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        first.setdefault(label, []).append(i)
    groups = list(first.values())
    member = np.zeros((len(groups), len(labels)), dtype=np.float64)
    for g, rows in enumerate(groups):
        member[g, rows] = 1.0 / len(rows)
    link = member @ links @ member.T  # mean link between every two groups
    np.fill_diagonal(link, -np.inf)
    while len(groups) > 1:
        x, y = sorted(np.unravel_index(int(np.argmax(link)), link.shape))
        if link[x, y] < join:
            break
        size_x, size_y = len(groups[x]), len(groups[y])
        # average link of the union: the size-weighted mean of the two links
        merged = (link[x] * size_x + link[y] * size_y) / (size_x + size_y)
        groups[x] = sorted(groups[x] + groups[y])
        del groups[y]
        link[x], link[:, x] = merged, merged
        link = np.delete(np.delete(link, y, axis=0), y, axis=1)
        link[x, x] = -np.inf
    if short is not None:
        groups = _attach_short(groups, link, short)
    return sorted(groups, key=lambda g: _size(g, short, lengths))


def _size(group: list[int], short: Sequence[bool] | None,
          lengths: Sequence[int] | None) -> tuple[int, int, int]:
    """The sort key of an event, largest first (see :func:`group_events`)."""
    full = sum(1 for i in group if short is None or not short[i])
    text = sum(lengths[i] for i in group) if lengths is not None else 0
    return (-full, -text, group[0])


def _attach_short(groups: list[list[int]], link: np.ndarray,
                  short: Sequence[bool]) -> list[list[int]]:
    alone = [all(short[i] for i in g) for g in groups]
    if not any(alone):
        return groups
    if all(alone):  # no article long enough to tell events apart: one event
        return [sorted(i for g in groups for i in g)]
    kept = [g for g, a in zip(groups, alone, strict=True) if not a]
    index = [k for k, a in enumerate(alone) if not a]
    for k, group in enumerate(groups):
        if alone[k]:
            best = max(range(len(kept)), key=lambda j: (link[k, index[j]], -j))
            kept[best] = sorted(kept[best] + group)
    return kept


def representative(members: list[int], links: np.ndarray) -> int:
    """The member most linked to the rest of its group (the first on a tie)."""
    return members[int(np.argmax(links[np.ix_(members, members)].sum(axis=1)))]


def name_of(article: Article, max_words: int = 16) -> str:
    """A short name for an event: the article's title, or its first sentence cut short."""
    text = article.title or (article.sentences[0].text if article.sentences else article.id)
    words = text.split()
    return " ".join(words[:max_words]) + ("…" if len(words) > max_words else "")


def find_events(articles: Sequence[Article], links: np.ndarray, semantic: bool,
                labels: Sequence[str] | None = None) -> tuple[EventGroup, ...]:
    """The events of ``articles`` (largest first), from the clustering's ``labels``
    (computed when not given) joined by content ``links`` (see :func:`article_links`; from
    MiniLM rows when ``semantic``, else TF-IDF rows: each has its own threshold)."""
    if not articles:
        return ()
    if labels is None:
        from newsfuse.corpus.cluster import cluster

        labels = [a.story for a in cluster(articles).assignments]
    join = settings.SPLIT_JOIN_SEMANTIC if semantic else settings.SPLIT_JOIN_LEXICAL
    lengths = [len(a.sentences) for a in articles]
    short = [n < settings.SPLIT_MIN_SENTENCES for n in lengths]
    out = []
    for number, members in enumerate(group_events(labels, links, join, short, lengths),
                                     start=1):
        head = articles[representative(members, links)]
        out.append(EventGroup(number=number, articles=tuple(articles[i] for i in members),
                              headline=name_of(head)))
    return tuple(out)


EVENT_CHOICES = ("largest", "all", "together")


def brief_events(articles: Iterable[Article], *, words: int | None = None,
                 sentences: int | None = None, encoder: str = "auto", facts: bool = True,
                 events: str | int = "largest", briefs: bool = True,
                 language: str | None = None, workers: int | None = 1) -> BriefSet:
    """Find the events of ``articles`` and brief them: ``largest`` (the largest event only;
    its brief's warnings name the others), ``all`` (each event, largest first) or
    ``together`` (no split: the caller knows the input is one event), or a number: that
    event (1 = the largest; its brief's warnings name the others). ``briefs=False`` only
    finds the events. ``language`` is the language the briefs are written in (default: the
    one most of each event's articles use). ``workers``: the processes making the briefs
    (see :func:`newsfuse.parallel.make_briefs`; ``None`` chooses): the same briefs, in the
    same order, for any number.

    The input is encoded once; each brief reuses the rows (and gets the encoder chosen for
    the whole input, whichever process makes it). Articles that cannot be aligned (no body
    text, a repeated id) go with the largest event, whose brief warns about them."""
    if not isinstance(events, int) and events not in EVENT_CHOICES:
        raise UsageError(f"unknown events choice {events!r} (choose {', '.join(EVENT_CHOICES)})")
    from newsfuse.encode import CachedEncoder, get_encoder
    from newsfuse.parallel import make_briefs

    everything = list(articles)
    n_sentences = sum(len(a.sentences) for a in everything)
    chosen = CachedEncoder(get_encoder(encoder, n_sentences, [a.language for a in everything]))
    groups = (_whole(everything),) if events == "together" else \
        split_input(everything, chosen)
    if isinstance(events, int) and not 1 <= events <= len(groups):
        raise UsageError(f"no event {events}: the input holds {len(groups)} event"
                         f"{'s' if len(groups) > 1 else ''}")
    first = events - 1 if isinstance(events, int) else 0
    last = len(groups) if events == "all" else first + 1
    chosen_events = range(first, last if briefs else first)
    tasks = ((groups[i].articles, words, sentences,
              chosen.seeded(sentence_texts(groups[i].articles)), facts, language)
             for i in chosen_events)
    briefed = list(groups)
    for i, made in zip(chosen_events, make_briefs(tasks, workers=workers,
                                                  semantic=chosen.semantic), strict=True):
        if events != "all" and len(groups) > 1:
            made = replace(made, warnings=(*made.warnings, left_out_warning(groups, i)))
        briefed[i] = replace(groups[i], brief=made)
    return BriefSet(tuple(briefed))


def sentence_texts(articles: Iterable[Article]) -> Iterator[str]:
    """The texts of the sentences of ``articles`` (what a brief encodes)."""
    return (s.text for a in articles for s in a.sentences)


def split_input(articles: Sequence[Article], encoder: Encoder) -> tuple[EventGroup, ...]:
    """The events of ``articles``, largest first. Articles that cannot be aligned (no body
    text, a repeated id) join the largest event, whose brief warns about them. Articles of
    every language are split together (a multilingual encoder compares them; otherwise
    their shared words and names do).
    """
    everything = list(articles)
    language = majority_language([a.language for a in everything if a.sentences])  # the main one
    positions: list[int] = []  # of the usable articles in the input
    seen: set[str] = set()
    for p, article in enumerate(everything):
        if article.sentences and article.id not in seen:
            positions.append(p)
        seen.add(article.id)
    usable = [everything[p] for p in positions]
    if len(usable) < 2:
        return (_whole(everything),)
    lead = [(i, s.text) for i, a in enumerate(usable)
            for s in a.sentences[:settings.SPLIT_LEAD_SENTENCES]]
    texts = [text for _, text in lead]
    semantic = encoder.semantic and (language == "en" or is_multilingual(encoder))
    rows = encoder.encode(texts) if semantic else lexical_vectors(texts, language)
    links = article_links(rows, np.array([i for i, _ in lead], dtype=np.int64), len(usable))
    found = find_events(usable, links, semantic, labels=[a.id for a in usable])
    if len(found) > 1:  # the clustering's groups are kept together, then joined by content
        found = find_events(usable, links, semantic)
    rest = sorted(set(range(len(everything))) - set(positions))
    if not rest:
        return found
    position = {id(a): p for p, a in zip(positions, usable, strict=True)}
    first = sorted([position[id(a)] for a in found[0].articles] + rest)
    return (replace(found[0], articles=tuple(everything[p] for p in first)), *found[1:])


def _whole(articles: list[Article]) -> EventGroup:
    named = next((a for a in articles if a.sentences), articles[0] if articles else None)
    return EventGroup(number=1, articles=tuple(articles),
                      headline=name_of(named) if named is not None else "")


def left_out_warning(groups: Sequence[EventGroup], chosen: int = 0) -> str:
    """What a brief of one event leaves out: every other event's articles and name."""
    total = sum(len(g.articles) for g in groups)
    others = "; ".join(f"event {g.number} ({_count(len(g.articles))}: {', '.join(g.ids)}): "
                       f"\"{g.headline}\"" for i, g in enumerate(groups) if i != chosen)
    return (f"the input holds {len(groups)} events; this brief covers event "
            f"{groups[chosen].number} ({len(groups[chosen].articles)} of {total} articles); "
            f"left out: {others}")


def _count(n: int) -> str:
    return f"{n} article{'s' if n != 1 else ''}"
