"""How corpus commands show their results: event assignments, event lists and timelines.

JSON output is plain data; Markdown escapes the control characters of Markdown and HTML in
every text taken from an article (ids, titles, headlines, timeline entries), like the brief's
Markdown, so a page that renders it shows the text and runs nothing; HTML goes through
Jinja2 with autoescaping, like the brief.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from newsfuse.model import Assignment, TimelineEntry
from newsfuse.render.brief_html import environment
from newsfuse.render.brief_markdown import escape_markdown


def assignment_to_dict(a: Assignment) -> dict[str, Any]:
    return {"id": a.id, "event": a.event, "story": a.story, "copy_of": a.copy_of,
            "undated": a.undated}


def assignments_to_jsonl(items: Sequence[Assignment]) -> str:
    return "".join(json.dumps(assignment_to_dict(a), ensure_ascii=False) + "\n"
                   for a in items)


def assignments_to_json(items: Sequence[Assignment]) -> str:
    events: dict[str, dict[str, Any]] = {}
    for a in items:
        event = events.setdefault(a.event, {"event": a.event, "story": a.story,
                                            "articles": [], "copies": 0})
        event["articles"].append(a.id)
        event["copies"] += a.copy_of is not None
    return json.dumps({"articles": [assignment_to_dict(a) for a in items],
                       "events": list(events.values())}, ensure_ascii=False, indent=2) + "\n"


def assignments_to_markdown(items: Sequence[Assignment], titles: dict[str, str | None]) -> str:
    by_story: dict[str, dict[str, list[Assignment]]] = {}
    for a in items:
        by_story.setdefault(a.story, {}).setdefault(a.event, []).append(a)
    events = len({a.event for a in items})
    lines = [f"# {len(items)} articles, {events} events, {len(by_story)} stories", ""]
    for story, story_events in by_story.items():
        lines.append(f"## Story {story} ({len(story_events)} event(s))")
        for event, members in story_events.items():
            independent = sum(1 for m in members if m.copy_of is None)
            lines.append(f"### Event {event}: {len(members)} article(s), "
                         f"{independent} independent")
            for m in members:
                flags = [f"copy of {m.copy_of}"] if m.copy_of else []
                if m.undated:
                    flags.append("undated")
                title = escape_markdown(titles.get(m.id) or "(no title)")
                copy = f" ({'; '.join(flags)})" if flags else ""
                lines.append(f"- {escape_markdown(m.id)}: {title}{escape_markdown(copy)}")
            lines.append("")
    return "\n".join(lines)


def timeline_to_dict(entries: Sequence[TimelineEntry]) -> dict[str, Any]:
    return {"timeline": [{"date": e.date, "text": e.text, "sources": list(e.sources)}
                         for e in entries]}


def timeline_to_json(entries: Sequence[TimelineEntry]) -> str:
    return json.dumps(timeline_to_dict(entries), ensure_ascii=False, indent=2) + "\n"


def timeline_to_markdown(entries: Sequence[TimelineEntry], title: str = "Timeline") -> str:
    lines = [f"# {escape_markdown(title)}", ""]
    day = None
    for e in entries:
        if e.date != day:
            if day is not None:
                lines.append("")
            day = e.date
            lines.append(f"## {e.date or 'undated'}")
        sources = escape_markdown(", ".join(e.sources))
        lines.append(f"- {escape_markdown(e.text)} [{sources}]")
    return "\n".join(lines) + "\n"


def timeline_to_html(entries: Sequence[TimelineEntry], title: str = "Timeline") -> str:
    days: dict[str, list[TimelineEntry]] = {}
    for e in entries:
        days.setdefault(e.date or "undated", []).append(e)
    return environment().get_template("timeline.html").render(title=title, days=days)


def events_to_markdown(events: Sequence[dict[str, Any]]) -> str:
    lines = ["| event | story | last | first | articles | independent | headline |",
             "|---|---|---|---|---|---|---|"]
    for e in events:
        headline = escape_markdown(e["headline"] or "(no title)")
        lines.append(f"| {e['id']} | {e['story']} | {e['last'] or '-'} | {e['first'] or '-'} "
                     f"| {e['articles']} | {e['independent_sources']} | {headline} |")
    return "\n".join(lines) + "\n"
