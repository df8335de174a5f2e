"""The brief as Markdown for the terminal: numbered citations resolved in a source list."""

from __future__ import annotations

import re

from newsfuse.model import Brief, BriefSource

_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]<>#|])")


def escape_markdown(text: str) -> str:
    """Article text is untrusted: Markdown and HTML control characters are escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _label(source: BriefSource) -> str:
    agency = ""
    if source.agency and not source.outlet:  # the agency's report, or a copy carrying it
        agency = f"via {source.agency}" if source.copy_of else source.agency
    elif source.agency and source.outlet and source.agency.lower() not in source.outlet.lower():
        agency = f"via {source.agency}"
    parts = [source.outlet or "", agency,
             source.date.date().isoformat() if source.date else "undated"]
    title = f"“{source.title}”" if source.title else ""
    return " · ".join(p for p in (title, *parts) if p)


def brief_to_markdown(brief: Brief) -> str:
    number = {s.id: i + 1 for i, s in enumerate(brief.sources)}
    independent = len({s.copy_of or s.id for s in brief.sources})
    date = f"{brief.date.day} {brief.date:%B %Y}" if brief.date else "undated"
    lines = [f"# {escape_markdown(brief.headline)}", "",
             f"*{date} · {len(brief.sources)} reports, {independent} independent*", ""]
    for sentence in brief.summary:
        cites = "".join(f"[{number[s]}]" for s in sentence.sources if s in number)
        lines.append(f"- {escape_markdown(sentence.text)} {cites}")
    lines += ["", "## Sources", ""]
    for source in brief.sources:
        copy = f" — copy of [{number[source.copy_of]}]" if source.copy_of in number else ""
        lines.append(f"{number[source.id]}. {escape_markdown(source.id)}: "
                     f"{escape_markdown(_label(source))}{copy}")
    if brief.warnings:
        lines += ["", "## Notes", ""]
        lines += [f"- {escape_markdown(w)}" for w in brief.warnings]
    return "\n".join(lines) + "\n"
