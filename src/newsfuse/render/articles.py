"""How ``newsfuse read`` shows articles: one JSON object per line, or readable text."""

from __future__ import annotations

import json
from typing import Any

from newsfuse.model import Article


def article_to_dict(article: Article) -> dict[str, Any]:
    """A JSON-ready view of an article, everything newsfuse saw and kept."""
    return {
        "id": article.id,
        "title": article.title,
        "date": article.date.isoformat() if article.date else None,
        "outlet": article.outlet,
        "url": article.url,
        "language": article.language,
        "dateline": ({"place": article.dateline.place, "agency": article.dateline.agency}
                     if article.dateline else None),
        "origin": {"path": article.origin.path, "line": article.origin.line},
        "text": article.text,
        "sentences": [{"index": s.index, "text": s.text, "start": s.start, "end": s.end}
                      for s in article.sentences],
        "embeds": [{"text": e.text, "author": e.author, "handle": e.handle, "posted": e.posted}
                   for e in article.embeds],
        "removed": [{"reason": r.reason, "text": r.text} for r in article.removed],
        "warnings": list(article.warnings),
    }


def article_to_jsonl(article: Article) -> str:
    return json.dumps(article_to_dict(article), ensure_ascii=False)


def article_to_text(article: Article) -> str:
    """A plain-text block: header lines, then the numbered sentences."""
    date = article.date.date().isoformat() if article.date else "undated"
    lines = [f"== {article.id}", f"title:    {article.title or '-'}",
             f"date:     {date}", f"outlet:   {article.outlet or '-'}",
             f"language: {article.language or 'unknown'}"]
    if article.dateline:
        agency = f" ({article.dateline.agency})" if article.dateline.agency else ""
        lines.append(f"dateline: {article.dateline.place or ''}{agency}".replace(":  (", ": ("))
    if article.url:
        lines.append(f"url:      {article.url}")
    lines.append(f"source:   {article.origin}")
    if article.removed:
        counts: dict[str, int] = {}
        for removal in article.removed:
            counts[removal.reason] = counts.get(removal.reason, 0) + 1
        lines.append("removed:  " + ", ".join(f"{n} {r}" for r, n in counts.items()))
    lines.append("")
    width = len(str(len(article.sentences)))
    lines.extend(f"  [{s.index + 1:>{width}}] {s.text}" for s in article.sentences)
    if not article.sentences:
        lines.append("  (headline only)")
    return "\n".join(lines) + "\n"
