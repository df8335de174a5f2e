"""The vocabulary every stage speaks: small immutable records.

Stages take and return these records and nothing else, which keeps each stage a plain
function that can run in the CLI, the web app or a distributed worker alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record was read from: a path (``-`` for stdin) and a 1-based line or record."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Dateline:
    """The place/agency prefix of a report ("BAGHDAD (AP) –", "(CNN)"), kept as metadata."""

    place: str | None
    agency: str | None
    raw: str


@dataclass(frozen=True, slots=True)
class EmbeddedPost:
    """A social-media post quoted inside an article; its furniture is removed from the text."""

    text: str
    author: str | None
    handle: str | None
    posted: str | None


@dataclass(frozen=True, slots=True)
class Removal:
    """A piece of the raw text that cleaning removed, and why (for auditing what was dropped)."""

    reason: str
    text: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article; ``start``/``end`` index into ``Article.text``."""

    article_id: str
    index: int
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Article:
    """One news report.

    ``date`` is the publication time as written by the source (wall-clock time, no time
    zone), or ``None`` when unknown. ``text`` is the cleaned body once the article has been
    through :func:`newsfuse.text.clean_article`; readers deliver the raw body.
    """

    id: str
    title: str | None
    text: str
    origin: Origin
    date: datetime | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    dateline: Dateline | None = None
    sentences: tuple[Sentence, ...] = ()
    embeds: tuple[EmbeddedPost, ...] = ()
    removed: tuple[Removal, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    @property
    def is_english(self) -> bool:
        return self.language in (None, "en")


@dataclass(frozen=True, slots=True)
class Claim:
    """Sentences from several articles that report the same thing.

    ``sources`` are the supporting article ids; ``independent`` counts them with copies of one
    wire story (whole articles or reused paragraphs) counted once.
    """

    id: int
    sentences: tuple[Sentence, ...]
    sources: tuple[str, ...]
    independent: int


@dataclass(frozen=True, slots=True)
class CopyRelation:
    """Article ``copy`` reproduces ``original`` (``shared`` near-identical sentences)."""

    copy: str
    original: str
    shared: int


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """One sentence of a brief's summary: source text, every supporting article, its claim."""

    text: str
    sources: tuple[str, ...]
    article_id: str
    sentence_index: int
    independent: int
    evidence: tuple[Sentence, ...] = ()  # the supporting sentence of each source


@dataclass(frozen=True, slots=True)
class Fact:
    """A figure the story reports: ``text`` in the sources' words ("at least 25 fighters
    killed"), ``value`` normalised ("25+"), its range, what it counts, and its support.
    ``conflict`` is set when sources give incompatible values for the same quantity."""

    text: str
    value: str
    sources: tuple[str, ...]
    low: float | None = None
    high: float | None = None
    counts: str | None = None
    event: str | None = None
    independent: int = 1
    evidence: tuple[Sentence, ...] = ()
    conflict: bool = False


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation or place; ``aliases`` are the other spellings merged into it."""

    name: str
    type: str
    aliases: tuple[str, ...]
    sources: tuple[str, ...]
    mentions: int = 0


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation; ``renderings`` are its wordings in each source (translations,
    partial quotes) as (article id, words)."""

    speaker: str | None
    text: str
    sources: tuple[str, ...]
    article_id: str = ""
    sentence_index: int = 0
    renderings: tuple[tuple[str, str], ...] = ()
    independent: int = 1
    speaker_type: str | None = None  # "person" or "organization" for a named speaker


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """Something that happened on ``date`` (``None``: undated), in a source's words.
    ``inferred`` marks a date resolved against an article date that was itself inferred."""

    date: str | None
    text: str
    sources: tuple[str, ...]
    article_id: str = ""
    sentence_index: int = 0
    expression: str = ""
    inferred: bool = False
    independent: int = 1


@dataclass(frozen=True, slots=True)
class ConflictSide:
    """One position in a disagreement: its wording, its sources and its stance
    ("asserts", "denies", or a value for a figure)."""

    text: str
    sources: tuple[str, ...]
    stance: str = ""
    evidence: tuple[Sentence, ...] = ()
    independent: int = 1


@dataclass(frozen=True, slots=True)
class Conflict:
    """A point on which the sources disagree; ``kind`` is "figure" or "assertion"."""

    about: str
    sides: tuple[ConflictSide, ...]
    kind: str = ""


@dataclass(frozen=True, slots=True)
class BriefSource:
    """An article as a brief lists it, with the article it copies when it is a copy."""

    id: str
    title: str | None
    date: datetime | None
    outlet: str | None
    copy_of: str | None
    language: str | None = None
    agency: str | None = None
    date_inferred: bool = False


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where corpus clustering put one article: its event and story, the article it is a
    near-duplicate of, and whether it had no date (placed by content only). ``id`` is unique
    in the input: a repeated id is renamed."""

    id: str
    event: str
    story: str
    copy_of: str | None = None
    undated: bool = False


@dataclass(frozen=True, slots=True)
class Brief:
    """The fused report of one story: what happened and which sources say so."""

    headline: str
    date: datetime | None
    summary: tuple[SummarySentence, ...]
    sources: tuple[BriefSource, ...]
    facts: tuple[Fact, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    claims: tuple[Claim, ...] = ()
    warnings: tuple[str, ...] = ()
    language: str = "en"        # ISO 639-1 code of the language the brief is written in
