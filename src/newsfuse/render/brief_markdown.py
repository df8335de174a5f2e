"""The brief as Markdown for the terminal: numbered citations resolved in a source list."""

from __future__ import annotations

import re

from newsfuse.model import Brief, BriefSource, Sentence

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
    when = source.date.date().isoformat() if source.date else "undated"
    if source.date_inferred:
        when += " (inferred)"
    parts = [source.outlet or "", agency, when]
    title = f"“{source.title}”" if source.title else ""
    return " · ".join(p for p in (title, *parts) if p)


def _cites(sources: tuple[str, ...], number: dict[str, int]) -> str:
    return "".join(f"[{number[s]}]" for s in sources if s in number)


def _support(independent: int, sources: tuple[str, ...]) -> str:
    word = "source" if independent == 1 else "sources"
    return f"{independent} independent {word}" + (
        f" of {len(sources)}" if len(sources) != independent else "")


def _facts_layer(brief: Brief, number: dict[str, int]) -> list[str]:
    lines: list[str] = []
    if brief.conflicts:
        lines += ["", "## Where the sources disagree", ""]
        for conflict in brief.conflicts:
            lines.append(f"- **{escape_markdown(conflict.about)}**")
            for side in conflict.sides:
                stance = {"asserts": "Reported", "denies": "Contradicted"}.get(
                    side.stance, side.stance)
                texts = " / ".join(f"“{escape_markdown(e.text)}” {_cites((e.article_id,), number)}"
                                   for e in side.evidence[:3])
                lines.append(f"  - {escape_markdown(stance)} "
                             f"({_support(side.independent, side.sources)}): {texts}")
    if brief.facts:
        lines += ["", "## Key figures", ""]
        for fact in brief.facts:
            flag = " — *sources disagree*" if fact.conflict else ""
            lines.append(f"- {escape_markdown(fact.text)} (**{escape_markdown(fact.value)}**; "
                         f"{_support(fact.independent, fact.sources)}) "
                         f"{_cites(fact.sources, number)}{flag}")
    if brief.quotes:
        lines += ["", "## Quotes", ""]
        for quote in brief.quotes[:MAX_QUOTES]:
            speaker = escape_markdown(quote.speaker) if quote.speaker else "unattributed"
            more = (f" ({len(quote.renderings)} renderings)"
                    if len(quote.renderings) > 1 else "")
            lines.append(f"- {speaker}: “{escape_markdown(quote.text)}” "
                         f"{_cites(quote.sources, number)}{more}")
    if brief.timeline:
        lines += ["", "## Timeline", ""]
        for entry in brief.timeline:
            when = entry.date or "undated"
            mark = " (date inferred)" if entry.inferred else ""
            lines.append(f"- **{when}**{mark}: {escape_markdown(entry.text)} "
                         f"{_cites(entry.sources, number)}")
    if brief.entities:
        lines += ["", "## People, organisations and places", ""]
        for kind, title in (("person", "People"), ("organization", "Organisations"),
                            ("place", "Places")):
            chosen = [e for e in brief.entities if e.type == kind][:MAX_ENTITIES]
            if not chosen:
                continue
            items = []
            for entity in chosen:
                aka = f" (also {', '.join(escape_markdown(a) for a in entity.aliases)})" \
                    if entity.aliases else ""
                cites = _cites(entity.sources, number)
                items.append(f"{escape_markdown(entity.name)}{aka} {cites}")
            lines.append(f"- {title}: " + "; ".join(items))
    return lines


MAX_QUOTES = 8
MAX_ENTITIES = 12


def other_language_evidence(brief: Brief, evidence: tuple[Sentence, ...],
                            ) -> list[tuple[Sentence, str]]:
    """The supporting sentences written in another language than the brief's, each with
    its language: shown beside the citation, in the source's own words."""
    language = {s.id: s.language for s in brief.sources}
    out = []
    for sentence in evidence:
        lang = language.get(sentence.article_id)
        if lang and lang != brief.language:
            out.append((sentence, lang))
    return out


def brief_to_markdown(brief: Brief) -> str:
    number = {s.id: i + 1 for i, s in enumerate(brief.sources)}
    independent = len({s.copy_of or s.id for s in brief.sources})
    date = f"{brief.date.day} {brief.date:%B %Y}" if brief.date else "undated"
    languages = sorted({s.language for s in brief.sources if s.language} - {brief.language})
    written = "" if brief.language == "en" and not languages else \
        f" · written in {brief.language}" + (f", sources also in {', '.join(languages)}"
                                             if languages else "")
    lines = [f"# {escape_markdown(brief.headline)}", "",
             f"*{date} · {len(brief.sources)} report{'s' if len(brief.sources) != 1 else ''}, "
             f"{independent} independent{escape_markdown(written)}*", ""]
    for sentence in brief.summary:
        cites = "".join(f"[{number[s]}]" for s in sentence.sources if s in number)
        lines.append(f"- {escape_markdown(sentence.text)} {cites}")
        for evidence, lang in other_language_evidence(brief, sentence.evidence):
            if evidence.article_id in number:
                lines.append(f"  - [{number[evidence.article_id]}] ({escape_markdown(lang)}) "
                             f"“{escape_markdown(evidence.text)}”")
    lines += _facts_layer(brief, number)
    lines += ["", "## Sources", ""]
    for source in brief.sources:
        copy = f" — copy of [{number[source.copy_of]}]" if source.copy_of in number else ""
        lines.append(f"{number[source.id]}. {escape_markdown(source.id)}: "
                     f"{escape_markdown(_label(source))}{copy}")
    if brief.warnings:
        lines += ["", "## Notes", ""]
        lines += [f"- {escape_markdown(w)}" for w in brief.warnings]
    return "\n".join(lines) + "\n"
