"""Sentence selection with citations: the summary and the headline of a brief.

Every claim gets a score: its independent sources, how close to the top of its articles it
appears (news puts the main event first), and how central it is to the story. The summary
leads with the best-scored claim from the articles' leads, adds claims by score while they
fit the budget and repeat nothing already said, and reads in the order the articles tell it.
Each sentence is quoted from one article and cites every article of its claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy import sparse

from newsfuse import settings
from newsfuse.encode import Matrix
from newsfuse.model import Claim, SummarySentence
from newsfuse.text.segment import quote_open

# A sentence opening like this leans on one before it ("He said...", "The statement read").
_DANGLING = re.compile(
    r"^(?:[\"“‘']\s*)?(?:He|She|It|They|We|I|You|This|That|These|Those|His|Her|Its|Their|Him|"
    r"Them|There|Here|Such|But|And|Or|So|Also|However|Still|Meanwhile|Instead|Then|Yet|"
    r"Moreover|Furthermore|Nevertheless|Nonetheless|Besides|Otherwise|Thus|Hence|Others|"
    r"Another|Both|Neither|Either|Some of them|Many of them|Most of them|All of them|"
    r"In addition|At the same time|On the other hand|Later|Earlier|The (?:statement|group|"
    r"company|official|officials|spokesman|spokeswoman|minister|move|decision|agency|man|"
    r"woman|employee|attack|report|letter|source|sources|person|firm|latter|former))\b")
# Quoted words whose speaker is only a pronoun: '"...," he said.'
_PRONOUN_SPEAKER = re.compile(r"[\"”’],?\s+(?:he|she|they|it|we)\s+(?:said|says|added|told|"
                              r"wrote|tweeted|insisted|warned)\b", re.IGNORECASE)


# A verb whose object is the previous sentence: "Harrow denied that, telling...".
_BACK_REFERENCE = re.compile(r"\b(?:denied|confirmed|disputed|rejected|repeated|echoed|"
                             r"refuted|acknowledged|did|said) (?:that|this|it|so)\s*[,.:;]")
# A quotation closed without punctuation and followed by a new clause: two sentences run
# together by a missing full stop ("...No, no, Trump” Iraqi special forces were deployed").
_RUN_ON = re.compile(r"[^\s.!?,;:…]\s?[”\"]\s+[A-Z][a-z]+\s+[a-z]")


def standalone(text: str) -> bool:
    """True for a sentence a reader can take without the one before it."""
    words = len(text.split())
    if not settings.SUMMARY_MIN_WORDS <= words <= settings.SUMMARY_MAX_WORDS:
        return False
    stripped = text.rstrip("\"”’' ")
    if stripped.endswith(("?", ":", ",", ";")) or text[:1].islower():
        return False
    if (_DANGLING.match(text) or _PRONOUN_SPEAKER.search(text) or _BACK_REFERENCE.search(text)
            or quote_open(text)):
        return False
    if text.count("”") > text.count("“") or _RUN_ON.search(text):
        return False
    return not text.isupper()


@dataclass(frozen=True)
class StoryMatrix:
    """What selection needs to know about every sentence of the story, by row."""

    texts: list[str]
    article_of: np.ndarray
    position: np.ndarray        # index of the sentence in its article
    relative: np.ndarray        # position / sentences in the article
    lexical: sparse.csr_matrix
    semantic: Matrix | None
    is_copy: np.ndarray         # the sentence's article copies another


def centrality(story: StoryMatrix) -> np.ndarray:
    """Cosine of each sentence with the story's lexical centroid."""
    centroid = np.asarray(story.lexical.mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid)
    if norm == 0:
        return np.zeros(len(story.texts), dtype=np.float32)
    return np.asarray(story.lexical @ (centroid / norm)).ravel()


class Candidate(NamedTuple):
    """A claim as the summary sees it: its score, its lead position and the row it quotes."""

    score: float
    lead: float
    claim: Claim
    row: int
    rows: list[int]


def select_summary(claims: list[Claim], members: list[list[int]], story: StoryMatrix,
                   words: int | None = None, sentences: int | None = None,
                   ) -> list[tuple[Claim, int]]:
    """The claims of the summary with the sentence row quoted for each, in reading order."""
    central = centrality(story)
    scored: list[Candidate] = []
    for claim, rows in zip(claims, members, strict=True):
        row = _representative(rows, story, central)
        if row is None:
            continue
        lead = max(max(0.0, 1 - story.position[r] / settings.LEAD_SENTENCES) for r in rows)
        score = (claim.independent + settings.LEAD_WEIGHT * lead
                 + settings.CENTRAL_WEIGHT * float(central[row]))
        scored.append(Candidate(score, lead, claim, row, rows))
    if not scored:
        return []
    scored.sort(key=lambda c: (-c.score, c.claim.id))
    first_row = _lead_consensus(story, central)
    consensus = next((c for c in scored if first_row in c.rows), None)
    if consensus is None or first_row is None:
        first = max(scored, key=lambda c: (c.score + settings.LEAD_WEIGHT * c.lead, -c.claim.id))
    else:  # quote the consensus lead itself, not another sentence of its claim
        first = consensus._replace(row=first_row)
    budget = words if words is not None else settings.SUMMARY_WORDS
    chosen = [first]
    used = len(story.texts[first.row].split())
    for candidate in scored:
        if sentences is not None and len(chosen) >= sentences:
            break
        if sentences is None and used >= budget:
            break
        if (candidate.claim.id == first.claim.id
                or _redundant(candidate.row, [c.row for c in chosen], story)):
            continue
        length = len(story.texts[candidate.row].split())
        if sentences is None and used + length > budget * 1.15:
            continue
        chosen.append(candidate)
        used += length
    rest = sorted(chosen[1:], key=lambda c: (float(np.mean(story.relative[c.rows])), c.claim.id))
    return [(c.claim, c.row) for c in [chosen[0], *rest]]


def _lead_consensus(story: StoryMatrix, central: np.ndarray) -> int | None:
    """The standalone lead sentence the other articles' leads agree with most.

    Agreement of a lead with another article is its best cosine with that article's leads;
    computed as one lead-by-lead matrix, so it stays cheap for hundreds of articles.
    """
    leads = np.flatnonzero(story.position < settings.LEAD_POOL)
    if len(leads) == 0:
        return None
    vectors = story.semantic if story.semantic is not None else story.lexical
    block = vectors[leads]
    similarity = block @ block.T
    similarity = similarity.toarray() if sparse.issparse(similarity) else np.asarray(similarity)
    owner = story.article_of[leads]
    order = np.argsort(owner, kind="stable")
    owner_sorted = owner[order]
    starts = np.flatnonzero(np.r_[True, owner_sorted[1:] != owner_sorted[:-1]])
    # best similarity of every lead with each article's leads (articles in sorted order)
    per_article = np.maximum.reduceat(similarity[:, order], starts, axis=1)
    own = np.searchsorted(owner_sorted[starts], owner)
    per_article[np.arange(len(leads)), own] = np.nan
    others = per_article.shape[1] - 1
    agreement = (np.nansum(per_article, axis=1) / others) if others else np.zeros(len(leads))
    score = (agreement + settings.LEAD_CENTRAL_WEIGHT * central[leads]
             - settings.LEAD_POSITION_PENALTY * story.position[leads]
             - settings.LEAD_COPY_PENALTY * story.is_copy[leads])
    best, best_score = None, -np.inf
    for k in np.argsort(-score, kind="stable"):
        if standalone(story.texts[leads[k]]):
            best, best_score = int(leads[k]), float(score[k])
            break
    return best if best_score > -np.inf else None


def _representative(rows: list[int], story: StoryMatrix, central: np.ndarray) -> int | None:
    """The sentence to quote for a claim: standalone, from an original, central, early."""
    eligible = [r for r in rows if standalone(story.texts[r])]
    if not eligible:
        return None
    return min(eligible, key=lambda r: (bool(story.is_copy[r]), -round(float(central[r]), 2),
                                        int(story.position[r]), r))


def _redundant(row: int, chosen: list[int], story: StoryMatrix) -> bool:
    lexical = story.lexical[chosen] @ story.lexical[row].T
    if lexical.nnz and lexical.max() >= settings.REDUNDANT_LEXICAL:
        return True
    if story.semantic is not None:
        semantic = np.asarray(story.semantic[chosen]) @ np.asarray(story.semantic[row])
        if float(np.max(semantic)) >= settings.REDUNDANT_SEMANTIC:
            return True
    return False


def summary_sentences(selected: list[tuple[Claim, int]],
                      story: StoryMatrix, sentence_refs: list[tuple[str, int]],
                      ) -> list[SummarySentence]:
    out = []
    for claim, row in selected:
        article_id, index = sentence_refs[row]
        out.append(SummarySentence(text=story.texts[row], sources=claim.sources,
                                   article_id=article_id, sentence_index=index,
                                   independent=claim.independent, evidence=claim.sentences))
    return out


# --- headline ----------------------------------------------------------------------------
_LEADING_CLAUSE = re.compile(
    r"^(?:(?:Enraged|Angered|Angry|After|Following|On|In|At|By|As|Despite|Amid|With|Hours|"
    r"Days|Earlier|Later|Shortly|Just|Two|Three|A day|A week)\b|[A-Z][a-z]+ed by\b)"
    r"[^,]{0,90},\s+(?=[A-Za-z])")
_ATTRIBUTION = re.compile(r",?\s+(?:[\w.'’-]+\s+){0,6}(?:said|says|say|reported|reports|"
                          r"told\s+[\w.]+|according to [^,]+)\.?$")
_CLAUSE_BREAK = re.compile(r",\s+(?:which|who|where|setting|breaking|leaving|forcing|"
                           r"prompting|raising|a move|as|after|while|saying|adding|in what)\b|"
                           r"\s+[–—]\s+|;\s+")
_TITLE_SITE = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,40}$")


def compress(sentence: str, max_words: int = 20) -> str:
    """A headline-length prefix of a sentence: its main clause, no attribution."""
    text = sentence.strip().rstrip(".")
    text = _LEADING_CLAUSE.sub("", text, count=1)
    text = _ATTRIBUTION.sub("", text)
    match = _CLAUSE_BREAK.search(text)
    if match and len(text[: match.start()].split()) >= 5:
        text = text[: match.start()]
    words = text.split()
    if len(words) > max_words:
        text = " ".join(words[:max_words])
        for cut in (" on ", " in ", " at ", " after ", " and ", ", "):
            at = text.rfind(cut)
            if at > len(text) // 2:
                text = text[:at]
                break
    text = text.strip(" ,;")
    return text[:1].upper() + text[1:]


def clean_title(title: str) -> str:
    """A page title without its site name ("Dam bursts | Daily Ostrava")."""
    return _TITLE_SITE.sub("", title).strip()
