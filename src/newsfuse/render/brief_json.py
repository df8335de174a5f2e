"""The brief's JSON contract (``newsfuse/schemas/brief.schema.json``): extend it, never break it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from newsfuse.model import (
    Brief,
    BriefSource,
    Conflict,
    ConflictSide,
    Entity,
    Fact,
    Quote,
    Sentence,
    SummarySentence,
    TimelineEntry,
)

SCHEMA_VERSION = "1.2"


def _date(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


def _evidence(sentences: tuple[Sentence, ...],
              language: dict[str, str | None]) -> list[dict[str, Any]]:
    """Each supporting sentence in its source's words, with the source's language."""
    return [{"article": e.article_id, "sentence": e.index, "text": e.text,
             "language": language.get(e.article_id)} for e in sentences]


def brief_to_dict(brief: Brief) -> dict[str, Any]:
    """Plain data following the published schema."""
    language = {s.id: s.language for s in brief.sources}
    return {
        "schema_version": SCHEMA_VERSION,
        "headline": brief.headline,
        "date": _date(brief.date),
        "language": brief.language,
        "summary": [{"text": s.text, "sources": list(s.sources),
                     "quoted_from": {"article": s.article_id, "sentence": s.sentence_index},
                     "independent_sources": s.independent,
                     "evidence": _evidence(s.evidence, language)} for s in brief.summary],
        "facts": [{"text": f.text, "value": f.value, "sources": list(f.sources),
                   "low": f.low, "high": f.high, "counts": f.counts, "event": f.event,
                   "independent_sources": f.independent, "conflict": f.conflict,
                   "evidence": _evidence(f.evidence, language)} for f in brief.facts],
        "entities": [{"name": e.name, "type": e.type, "aliases": list(e.aliases),
                      "sources": list(e.sources)} for e in brief.entities],
        "quotes": [{"speaker": q.speaker, "speaker_type": q.speaker_type, "text": q.text,
                    "sources": list(q.sources),
                    "quoted_from": {"article": q.article_id, "sentence": q.sentence_index},
                    "independent_sources": q.independent,
                    "renderings": [{"article": a, "text": t} for a, t in q.renderings]}
                   for q in brief.quotes],
        "timeline": [{"date": t.date, "text": t.text, "sources": list(t.sources),
                      "quoted_from": {"article": t.article_id, "sentence": t.sentence_index},
                      "expression": t.expression, "date_inferred": t.inferred,
                      "independent_sources": t.independent}
                     for t in brief.timeline],
        "conflicts": [{"about": c.about, "kind": c.kind,
                       "sides": [{"text": s.text, "sources": list(s.sources),
                                  "stance": s.stance, "independent_sources": s.independent,
                                  "evidence": _evidence(s.evidence, language)} for s in c.sides]}
                      for c in brief.conflicts],
        "sources": [{"id": s.id, "title": s.title, "date": _date(s.date), "outlet": s.outlet,
                     "copy_of": s.copy_of, "language": s.language, "agency": s.agency,
                     "date_inferred": s.date_inferred}
                    for s in brief.sources],
        "warnings": list(brief.warnings),
    }


def brief_to_json(brief: Brief) -> str:
    return json.dumps(brief_to_dict(brief), ensure_ascii=False, indent=2) + "\n"


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _sentences(items: list[dict[str, Any]]) -> tuple[Sentence, ...]:
    return tuple(Sentence(article_id=e["article"], index=e["sentence"], text=e["text"],
                          start=0, end=len(e["text"])) for e in items)


def brief_from_dict(data: dict[str, Any]) -> Brief:
    """A :class:`Brief` back from :func:`brief_to_dict`'s data (a cached brief). Claims and
    entity mention counts are not part of the contract and come back empty; a brief cached
    before briefs had a language is English."""
    return Brief(
        headline=data["headline"], date=_when(data["date"]),
        summary=tuple(SummarySentence(
            text=s["text"], sources=tuple(s["sources"]),
            article_id=s["quoted_from"]["article"], sentence_index=s["quoted_from"]["sentence"],
            independent=s["independent_sources"], evidence=_sentences(s["evidence"]))
            for s in data["summary"]),
        sources=tuple(BriefSource(
            id=s["id"], title=s["title"], date=_when(s["date"]), outlet=s["outlet"],
            copy_of=s["copy_of"], language=s["language"], agency=s["agency"],
            date_inferred=s["date_inferred"]) for s in data["sources"]),
        facts=tuple(Fact(
            text=f["text"], value=f["value"], sources=tuple(f["sources"]), low=f["low"],
            high=f["high"], counts=f["counts"], event=f["event"],
            independent=f["independent_sources"], evidence=_sentences(f["evidence"]),
            conflict=f["conflict"]) for f in data["facts"]),
        entities=tuple(Entity(name=e["name"], type=e["type"], aliases=tuple(e["aliases"]),
                              sources=tuple(e["sources"])) for e in data["entities"]),
        quotes=tuple(Quote(
            speaker=q["speaker"], text=q["text"], sources=tuple(q["sources"]),
            article_id=q["quoted_from"]["article"], sentence_index=q["quoted_from"]["sentence"],
            renderings=tuple((r["article"], r["text"]) for r in q["renderings"]),
            independent=q["independent_sources"], speaker_type=q.get("speaker_type"))
            for q in data["quotes"]),
        timeline=tuple(TimelineEntry(
            date=t["date"], text=t["text"], sources=tuple(t["sources"]),
            article_id=t["quoted_from"]["article"], sentence_index=t["quoted_from"]["sentence"],
            expression=t["expression"], inferred=t["date_inferred"],
            independent=t["independent_sources"]) for t in data["timeline"]),
        conflicts=tuple(Conflict(about=c["about"], kind=c["kind"], sides=tuple(ConflictSide(
            text=s["text"], sources=tuple(s["sources"]), stance=s["stance"],
            independent=s["independent_sources"], evidence=_sentences(s["evidence"]))
            for s in c["sides"])) for c in data["conflicts"]),
        warnings=tuple(data["warnings"]), language=data.get("language") or "en")


def brief_from_json(text: str) -> Brief:
    return brief_from_dict(json.loads(text))
