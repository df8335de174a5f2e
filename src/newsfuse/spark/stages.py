"""The Spark job's stages as plain functions over Python values: no Spark in here.

Each function wraps the local pipeline's own stage functions (the readers, cleaning,
:func:`newsfuse.corpus.features.article_features` (term counts and MinHash signature),
:meth:`newsfuse.corpus.engine.Clusterer.step`, :func:`newsfuse.brief`), so that a Spark
executor makes the decisions a single process makes. :mod:`newsfuse.spark.job` only moves
their inputs and outputs between Arrow batches.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np

from newsfuse import settings
from newsfuse.corpus.cluster import content_key
from newsfuse.corpus.dedup import band_keys
from newsfuse.corpus.engine import BUCKETS, Clusterer, day_number
from newsfuse.corpus.features import article_features
from newsfuse.corpus.online import root
from newsfuse.corpus.store import article_from_record
from newsfuse.errors import InputError, UsageError
from newsfuse.io.records import record_to_article
from newsfuse.io.report import Problem
from newsfuse.io.textfile import file_stem
from newsfuse.model import Article, Origin
from newsfuse.render.articles import article_to_dict

# --- articles as records ----------------------------------------------------------------


def article_fields(article: Article) -> dict[str, Any]:
    """An article as the record the store keeps (``article_to_dict``), plus the dateline as
    written, so that :func:`article_from_json` gives back the same article."""
    record = article_to_dict(article)
    if article.dateline is not None:
        record["dateline"]["raw"] = article.dateline.raw
    return record


def article_record(article: Article) -> str:
    """:func:`article_fields` as JSON text."""
    return json.dumps(article_fields(article), ensure_ascii=False)


def article_from_json(text: str) -> Article:
    """The article :func:`article_record` wrote."""
    record = json.loads(text)
    article = article_from_record(record)
    dateline = record.get("dateline")
    if article.dateline is not None and dateline and dateline.get("raw"):
        article = replace(article, dateline=replace(article.dateline, raw=dateline["raw"]))
    return article


# --- read + clean + segment --------------------------------------------------------------

PARQUET_SUFFIXES = (".parquet", ".parq")


def file_format(name: str) -> str | None:
    """``parquet`` for Parquet files (read here, column names as JSON fields), ``None``
    for everything else (detected by the local readers)."""
    return "parquet" if name.lower().endswith(PARQUET_SUFFIXES) else None


def read_file(uri: str, data: bytes) -> tuple[list[Article], list[Problem]]:
    """The cleaned, segmented articles of one input file (its bytes ``data``, its name
    ``uri`` in whatever file system Spark read it from), and every problem reported on the
    way: exactly what ``newsfuse.read`` gives for that file, with the same ids (the file's
    stem and record numbers) and origins naming ``uri``."""
    name = PurePosixPath(uri.rstrip("/")).name or "input"
    problems: list[Problem] = []
    if file_format(uri) == "parquet":
        return _read_parquet(uri, name, data, problems), problems
    from newsfuse import read

    with tempfile.TemporaryDirectory(prefix="newsfuse-spark-") as folder:
        local = Path(folder) / name
        local.write_bytes(data)
        prefix = str(local)

        def renamed(path: str) -> str:
            return uri + path[len(prefix):] if path.startswith(prefix) else path

        def collect(problem: Problem) -> None:
            problems.append(replace(problem, path=renamed(problem.path)))

        articles = [replace(a, origin=replace(a.origin, path=renamed(a.origin.path)))
                    for a in read([local], on_problem=collect)]
    return articles, problems


def _read_parquet(uri: str, name: str, data: bytes, problems: list[Problem]) -> list[Article]:
    """Rows of a Parquet file as records (the same field names as JSON), numbered from 1,
    cleaned and counted as ``newsfuse read`` cleans and counts a JSON file's records."""
    import pyarrow.parquet as pq

    from newsfuse.io import ArticleStream
    from newsfuse.text import clean_article

    try:
        table = pq.read_table(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises many kinds for a damaged file
        problems.append(Problem("skipped", uri, None,
                                f"not a readable Parquet file ({str(exc)[:120]})"))
        return []
    stem = file_stem(Path(name))
    stream = ArticleStream([], on_problem=problems.append, prepare=clean_article)

    def raw() -> Iterator[Article]:
        for number, row in enumerate(table.to_pylist(), start=1):
            try:
                yield record_to_article(row, Origin(path=uri, line=number), stem)
            except InputError as exc:
                stream.report.skip(exc)

    return list(stream.prepared(raw()))


@dataclass(frozen=True, slots=True)
class Features:
    """What the clustering and the near-duplicate search need of one article."""

    day: float | None
    content_key: str
    terms: list[int]  # hashed term buckets, in the order term_counts gives them
    weights: list[float]
    signature: list[int] | None  # the MinHash values (uint32)
    bands: list[int]  # one LSH key per band
    signature_digest: str | None  # equal signatures, equal digests


def features(article: Article) -> Features:
    """The clustering features of a cleaned article, from the local engine's functions."""
    local = article_features(article)
    counts, sig = local.counts, local.signature
    return Features(
        day=day_number(article.date), content_key=content_key(article),
        terms=list(counts.keys()), weights=list(counts.values()),
        signature=None if sig is None else [int(v) for v in sig],
        bands=[] if sig is None else band_keys(sig),
        signature_digest=None if sig is None else hashlib.blake2b(
            sig.tobytes(), digest_size=16).hexdigest())


# --- events, within a time block ---------------------------------------------------------


@dataclass
class BlockArticle:
    """One article as the block clustering sees it, in canonical order within its block.

    ``rank`` is its place in the canonical order of the whole input; ``group`` the rank of
    the earliest article with the same MinHash signature; ``neighbours`` the groups whose
    signatures it nearly duplicates (verified candidate pairs of the LSH bands)."""

    rank: int
    uid: str
    day: float | None
    terms: Sequence[int]
    weights: Sequence[float]
    group: int | None
    neighbours: Sequence[int]


@dataclass
class Placed:
    """Where the block clustering put an article."""

    rank: int
    uid: str
    event: int
    story: int
    copy_of: str | None
    indexed: bool  # later copies may find it (it was not folded into its original)
    earlier_copy: bool  # it nearly duplicates an article of an earlier block


@dataclass
class BlockState:
    """What a block starts from: the document frequencies of all earlier blocks."""

    df: np.ndarray = field(default_factory=lambda: np.zeros(BUCKETS, dtype=np.int32))
    documents: int = 0


def cluster_block(articles: Sequence[BlockArticle], start: BlockState) -> list[Placed]:
    """Place a time block's articles (in canonical order) with the local engine's step.

    Blocks are cut where no event or story can reach across (see
    :func:`newsfuse.spark.stages.block_cuts`), so the only state carried in is the document
    frequencies. Event keys are numbered from the block's first rank, so the keys of
    different blocks never meet. A copy's original is the earliest article it nearly
    duplicates that later copies may still find, as :class:`newsfuse.corpus.dedup.CopyIndex`
    answers; an original in an earlier block is out of any event's window here (its copy
    is placed by content) and is named after all blocks ran (:func:`earlier_originals`)."""
    if not articles:
        return []
    clusterer = Clusterer(df=start.df.copy(), documents=start.documents)
    first_rank = articles[0].rank
    clusterer.next_key = first_rank + 1
    first_indexed: dict[int, tuple[int, str]] = {}  # group -> (rank, id) findable earliest
    event_of: dict[str, int] = {}
    merged: dict[int, int] = {}
    joined: dict[int, int] = {}
    story_of: dict[int, int] = {}
    rows: list[tuple[BlockArticle, str | None, bool, bool]] = []
    for article in articles:
        groups = [] if article.group is None else [article.group, *article.neighbours]
        earlier = any(g < first_rank for g in groups)
        found = [first_indexed[g] for g in groups if g in first_indexed]
        original = min(found) if found and not earlier else None
        original_event = -1 if earlier else (
            root(merged, event_of[original[1]]) if original is not None else None)
        counts = dict(zip(article.terms, article.weights, strict=True))
        event, (merges, joins) = clusterer.step(counts, article.day, original_event)
        indexed = event.key != original_event
        event_of[article.uid] = event.key
        for kept, gone in merges:
            merged[gone] = kept
        for kept, gone in joins:
            joined[gone] = kept
        story_of.update((k, e.story) for k, e in clusterer.dropped.items())
        clusterer.dropped.clear()
        if indexed and article.group is not None and article.group not in first_indexed:
            first_indexed[article.group] = (article.rank, article.uid)
        rows.append((article, original[1] if original is not None else None, indexed,
                     earlier))
    story_of.update((k, e.story) for k, e in clusterer.events.items())
    placed = []
    for article, copy_of, indexed, earlier in rows:
        event_key = root(merged, event_of[article.uid])
        placed.append(Placed(rank=article.rank, uid=article.uid, event=event_key,
                             story=root(joined, story_of.get(event_key, event_key)),
                             copy_of=copy_of, indexed=indexed, earlier_copy=earlier))
    return placed


def block_cuts(day_spans: Sequence[tuple[float, float]], undated: bool) -> list[float]:
    """Where time blocks start: the first day of every stretch of articles that follows
    more than ``settings.STORY_WINDOW_DAYS`` without any. Across such a gap the engine
    has dropped every event (and no story links further), so each block can be clustered on
    its own from the document frequencies of the earlier ones. ``day_spans`` are the
    (earliest, latest) day of the articles of each calendar day. An undated article's event
    stays open to every later article, so an input with undated articles is one block."""
    if undated:
        return []
    cuts = []
    spans = sorted(day_spans)
    for (_, last), (first, _) in itertools.pairwise(spans):
        if first - last > settings.STORY_WINDOW_DAYS:
            cuts.append(first)
    return cuts


def earlier_originals(copies: Sequence[tuple[int, Sequence[int]]],
                      findable: Sequence[tuple[int, int, str]]) -> dict[int, str]:
    """The originals of copies whose original is in an earlier block: for each ``(rank,
    candidate groups)``, the earliest findable article (``(group, rank, id)``) of those
    groups placed before it. ``{rank: original id}``."""
    by_group: dict[int, list[tuple[int, str]]] = {}
    for group, rank, uid in findable:
        by_group.setdefault(group, []).append((rank, uid))
    for members in by_group.values():
        members.sort()
    out: dict[int, str] = {}
    for rank, groups in copies:
        best: tuple[int, str] | None = None
        for g in groups:
            for member in by_group.get(g, ()):
                if member[0] >= rank:
                    break
                if best is None or member < best:
                    best = member
                break
        if best is not None:
            out[rank] = best[1]
    return out


# --- briefs ------------------------------------------------------------------------------


def brief_event(records: Sequence[str], *, encoder: str, words: int | None = None,
                sentences: int | None = None) -> tuple[str | None, str | None]:
    """The brief (JSON contract) of one event's articles, given in canonical order (as a
    store holds them), made as ``serve`` and ``brief --db`` make it; ``(None, reason)``
    when no brief can be made (headlines only, say)."""
    from newsfuse import brief
    from newsfuse.render.brief_json import brief_to_json

    articles = [article_from_json(r) for r in records]
    try:
        made = brief(articles, words=words, sentences=sentences, encoder=encoder,
                     events="together")
    except UsageError as exc:
        return None, str(exc)
    return brief_to_json(made), None

