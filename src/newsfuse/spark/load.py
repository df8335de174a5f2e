"""Loading a Spark result into a store: ``newsfuse ingest --from-parquet DIR``.

The articles (cleaned and segmented by the job) are added through the store's own ingest,
in the clustering's canonical order, so the store's events are made by the same engine
and its state (document frequencies, open events) is right for later ingests. Each brief
the job made is then kept in the store's brief cache for the event holding exactly that
event's articles, so ``serve`` and ``brief --db`` show it without building it again.
Needs pyarrow only (no Spark).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsfuse.errors import UsageError
from newsfuse.spark.stages import article_from_json

if TYPE_CHECKING:
    from newsfuse.corpus.store import IngestReport, Store
    from newsfuse.model import Article

BATCH_ROWS = 2048


@dataclass
class LoadReport:
    """What a load did: the store's ingest report and how many briefs were kept."""

    ingest: IngestReport
    briefs_cached: int
    briefs_stale: int  # events the store made differently, or already held articles of

    def summary(self) -> str:
        return (f"{self.ingest.summary()}; {self.briefs_cached} brief(s) from the Spark run "
                f"cached, {self.briefs_stale} left to be built on demand")


def read_manifest(folder: str | Path) -> dict[str, Any]:
    """The job's manifest (options and counts) of a result folder."""
    parts = sorted((Path(folder) / "_manifest").glob("part-*"))
    if not parts:
        raise UsageError(f"{folder}: not a newsfuse spark result (no _manifest; run "
                         "'newsfuse spark INPUT --out DIR' first)")
    try:
        manifest: dict[str, Any] = json.loads("".join(p.read_text("utf-8") for p in parts))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{folder}: unreadable manifest ({exc})") from None
    return manifest


def _table_rows(folder: Path, columns: list[str]) -> Iterator[dict[str, Any]]:
    import pyarrow.dataset as ds

    dataset = ds.dataset(folder, format="parquet")
    for batch in dataset.to_batches(columns=columns, batch_size=BATCH_ROWS):
        yield from batch.to_pylist()


def result_articles(folder: str | Path) -> list[tuple[int, str, Article]]:
    """``(event, job id, article)`` of a result, in the clustering's canonical order."""
    path = Path(folder) / "articles"
    if not path.is_dir():
        raise UsageError(f"{folder}: no articles table (expected {path})")
    rows = sorted(_table_rows(path, ["rank", "event", "id", "record"]),
                  key=lambda r: r["rank"])
    return [(r["event"], r["id"], article_from_json(r["record"])) for r in rows]


def load(store: Store, folder: str | Path, *, wait: float = 0.0) -> LoadReport:
    """Add a Spark result's articles to ``store`` and cache its briefs."""
    manifest = read_manifest(folder)
    items = result_articles(folder)
    report = store.ingest((article for _, _, article in items), wait=wait)
    stored = [uid for uid, _ in report.results]
    added = {uid for uid, status in report.results if status == "added"}
    cards = store.cards(stored)
    members: dict[int, list[str]] = {}
    for (event, _, _), uid in zip(items, stored, strict=True):
        members.setdefault(event, []).append(uid)
    cached = stale = 0
    briefs = Path(folder) / "briefs"
    if not briefs.is_dir() or not manifest.get("briefs"):
        return LoadReport(report, 0, 0)
    options = {"encoder": manifest.get("encoder"), "words": manifest.get("words"),
               "sentences": manifest.get("sentences")}
    for row in _table_rows(briefs, ["event", "brief"]):
        if row["brief"] is None:
            continue
        ids = members.get(row["event"], [])
        events = {cards[i]["event"] for i in ids if i in cards}
        if (len(events) == 1 and all(i in added for i in ids)
                and store.event_articles(next(iter(events))) == len(ids)
                and store.cache_brief(next(iter(events)), row["brief"], len(ids), **options)):
            cached += 1
        else:
            stale += 1
    return LoadReport(report, cached, stale)
