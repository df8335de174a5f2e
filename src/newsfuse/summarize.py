"""Sentence selection with citations: the summary and the headline of a brief.

Every claim gets a score: its independent sources, how close to the top of its articles it
appears (news puts the main event first), and how central it is to the story (closeness to
what the articles' shared vocabulary says). The summary leads with the lead sentence the
articles' leads agree on, then adds the best-scored claims that still fit the word budget
(never past it, never cut) and repeat nothing already said, and reads in the order the
articles tell it. Only sentences that stand alone are quoted, or a sentence that points back
("He said...") right after the sentence it points to.
Each sentence is quoted from one article and cites every article of its claim, and every
other article whose closest sentence says the same in other words.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np
from scipy import sparse

from newsfuse import settings
from newsfuse.encode import Matrix
from newsfuse.model import Claim, SummarySentence
from newsfuse.story.record import Story
from newsfuse.text.languages import dangling
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


# Openers _DANGLING catches that point nowhere: first-person words inside a quotation whose
# speaker is named after it ('"I was never into drugs," Smith said.'), existential "there"
# ("There were 12 people on board."), "it" extraposed before its clause ("It is not clear
# whether..."), and a time adverbial ("This week, ...", "Earlier this month, ...") before a
# clause that must itself stand alone.
_FIRST_PERSON_QUOTE = re.compile(r"^[\"“‘']\s*(?:I|I'm|I’m|I've|I’ve|I'd|I’d|I'll|I’ll|We|We're|"
                                 r"We’re|We've|We’ve|We'll|We’ll|You|My|Our)\b")
_SPEECH = r"(?:said|says|added|told|wrote|tweeted|explained|recalled|insisted|warned|continued)"
_NAMED_SPEAKER = re.compile(
    r"[,.!?…—–-]\s*[\"”’']\s*,?\s*(?:" + _SPEECH + r"\s+(?!(?:he|she|they|it|we|I)\b)"
    r"(?:[A-Z][\w.'’-]*|the|a|an)\b|(?!(?:He|She|They|It|We|I)\b)(?:[A-Z][\w.'’-]*|the|a|an)"
    r"\s+[^\"“”]{0,60}?\b" + _SPEECH + r"\b)")
_EXISTENTIAL = re.compile(r"^(?:[\"“‘']\s*)?There(?:'s|’s|\s+(?:is|are|was|were|has been|"
                          r"have been|had been|will be|would be|may be|might be|could be|"
                          r"remains|remain)\b)")
_EXTRAPOSED = re.compile(
    r"^(?:[\"“‘']\s*)?It(?:'s|’s|\s+(?:is|was|remains|remained|seems|seemed|appears|appeared|"
    r"has been|had been|will be|would be))\s+(?:not\s+)?(?:yet\s+|immediately\s+|still\s+|"
    r"also\s+|now\s+)?(?:clear|unclear|known|unknown|possible|impossible|likely|unlikely|hard|"
    r"difficult|easy|important|necessary|true|understandable|expected|estimated|believed|"
    r"thought|reported|rare|common|illegal|unusual|worth)\s+(?:to|that|whether|if|how|why|"
    r"what|when|who|where|for)\b")
_TIME_OPENER = re.compile(r"^(?:This (?:week|month|year|morning|afternoon|evening|weekend|"
                          r"spring|summer|fall|autumn|winter)|(?:Earlier|Later) "
                          r"(?:this|today|tonight)\b[^,]{0,20}),\s+(?=\S)")

# A finished sentence ends with a full stop or an exclamation mark, perhaps inside a quote or
# bracket; a title, caption or cut-off line does not ("After Rahm sues feds, ...").
_ENDED = re.compile(r"[.!…][\"”’')\]»“›]*\s*$")
_QUOTES = re.compile(r"[“”„]")


def standalone(text: str, language: str = "en") -> bool:
    """True for a sentence a reader can take without the one before it: of summary length,
    finished, not a question, opening with no word that points back (pronoun, connective,
    "the statement"), every quotation closed, not a title, caption or bar-separated page line
    (page furniture as such is judged in :mod:`newsfuse.text.furniture`). In another
    ``language``, its own pointing-back openers; quotations in its own marks."""
    return _well_formed(text, language) and not _points_back(text, language)


def leans_back(text: str, language: str = "en") -> bool:
    """True for a finished summary-length sentence whose only fault is that it points back
    ("He said...", "But the mayor..."): it stands right after the sentence before it."""
    return _well_formed(text, language) and _points_back(text, language)


def row_forms(story: Story) -> tuple[np.ndarray, np.ndarray]:
    """Of each row of ``story``: whether it is :func:`standalone`, and whether it
    :func:`leans_back`; each sentence read once."""
    alone = np.zeros(len(story.texts), dtype=bool)
    leaning = np.zeros(len(story.texts), dtype=bool)
    for row, text in enumerate(story.texts):
        if _well_formed(text, story.language):
            back = _points_back(text, story.language)
            alone[row], leaning[row] = not back, back
    return alone, leaning


def _well_formed(text: str, language: str) -> bool:
    """Of summary length, finished, not a question, title, bar-separated page line or
    shouted line, every quotation closed (and, in English, no two sentences run together)."""
    words = len(text.split())
    if not settings.SUMMARY_MIN_WORDS <= words <= settings.SUMMARY_MAX_WORDS:
        return False
    stripped = text.rstrip("\"”’' »“›")
    if stripped.endswith(("?", ":", ",", ";")) or text[:1].islower():
        return False
    if not _ENDED.search(text) or "|" in text or text.isupper():
        return False
    if language != "en":
        return not quote_open(text)
    quotes = _QUOTES.sub('"', text)  # mixed typographic and straight quotes pair up
    return not quote_open(quotes) and not _RUN_ON.search(text)


def _points_back(text: str, language: str) -> bool:
    """The sentence opens with a word that points back, or (English) quotes a speaker named
    only by a pronoun, or answers the sentence before ("denied that")."""
    if language != "en":
        pattern = dangling(language)
        return pattern is not None and pattern.match(text) is not None
    if _PRONOUN_SPEAKER.search(text) or _BACK_REFERENCE.search(text):
        return True
    if not _DANGLING.match(text):
        return False
    time = _TIME_OPENER.match(text)
    if time is not None:
        rest = text[time.end():]
        return _points_back(rest[:1].upper() + rest[1:], language)
    if _FIRST_PERSON_QUOTE.match(text):
        return _NAMED_SPEAKER.search(text) is None
    return not (_EXISTENTIAL.match(text) or _EXTRAPOSED.match(text))


def centrality(story: Story) -> np.ndarray:
    """Cosine of each sentence with the story's centroid over its shared vocabulary: the
    mean TF-IDF vector of all sentences, kept to the terms at least
    CENTROID_MIN_ARTICLES articles use (what the reports have in common, not one article's
    asides, captions or furniture). A one-article story, or one whose articles share no
    term, keeps every term."""
    lexical = story.lexical
    centroid = np.asarray(lexical.mean(axis=0)).ravel()
    articles, owner = np.unique(story.article_of, return_inverse=True)
    if len(articles) >= settings.CENTROID_MIN_ARTICLES:
        used = sparse.csr_matrix((np.ones(len(owner)), (owner, np.arange(len(owner)))),
                                 shape=(len(articles), len(owner))) @ (lexical != 0)
        shared = np.asarray((used != 0).sum(axis=0)).ravel() >= settings.CENTROID_MIN_ARTICLES
        if np.any(centroid[shared] > 0):
            centroid = np.where(shared, centroid, 0.0)
    norm = np.linalg.norm(centroid)
    if norm == 0:
        return np.zeros(len(story.texts), dtype=np.float32)
    return np.asarray(lexical @ (centroid / norm)).ravel()


class Candidate(NamedTuple):
    """A claim as the summary sees it: its score, its lead position and the row it quotes;
    ``after`` is the row it must follow when it points back to it (-1: it stands alone)."""

    score: float
    lead: float
    claim: Claim
    row: int
    rows: list[int]
    after: int = -1


def select_summary(story: Story, words: int | None = None, sentences: int | None = None,
                   ) -> list[tuple[Claim, int]]:
    """The claims of the summary with the sentence row quoted for each, in reading order.

    With ``words``, the summary never passes the budget and never cuts a sentence: it keeps
    adding the claim of best value that still fits, so short strong claims fill the end.
    A sentence that points back ("He said...") is quoted only right after the sentence
    before it in its article, once that one is in the summary: the pair reads on its own.
    """
    central = centrality(story)
    alone, leaning = row_forms(story)
    scored: list[Candidate] = []
    followers: list[Candidate] = []
    for claim, rows in zip(story.claims, story.members, strict=True):
        lead = max(max(0.0, 1 - story.position[r] / settings.LEAD_SENTENCES) for r in rows)
        base = claim.independent + settings.LEAD_WEIGHT * lead
        row = _representative(rows, story, central, alone)
        if row is not None:
            scored.append(Candidate(base + settings.CENTRAL_WEIGHT * float(central[row]),
                                    lead, claim, row, rows))
        for r in rows:
            before = _previous_row(story, r)
            if before >= 0 and leaning[r]:
                followers.append(Candidate(base + settings.CENTRAL_WEIGHT * float(central[r]),
                                           lead, claim, r, rows, before))
    if not scored:
        return []
    scored.sort(key=lambda c: (-c.score, c.claim.id))
    first_row = _lead_consensus(story, central, alone)
    consensus = next((c for c in scored if first_row in c.rows), None)
    if consensus is None or first_row is None:
        first = max(scored, key=lambda c: (c.score + settings.LEAD_WEIGHT * c.lead, -c.claim.id))
    else:  # quote the consensus lead itself, not another sentence of its claim
        first = consensus._replace(row=first_row)
    budget = words if words is not None else settings.SUMMARY_WORDS
    pool = [c for c in scored + followers if c.claim.id != first.claim.id]
    chosen = [first, *_fill(pool, first, story, None if sentences is not None else
                            budget - _length(story, first.row), sentences)]
    return [(c.claim, c.row) for c in _reading_order(chosen, story)]


def _previous_row(story: Story, row: int) -> int:
    """The row of the sentence just before ``row`` in its article, or -1."""
    if row == 0 or story.article_of[row - 1] != story.article_of[row]:
        return -1
    return row - 1 if story.position[row - 1] == story.position[row] - 1 else -1


def _reading_order(chosen: list[Candidate], story: Story) -> list[Candidate]:
    """The lead first, then the other sentences in the order the articles tell them (mean
    relative position of their claim); a sentence that points back right after its own."""
    after: dict[int, list[Candidate]] = {}
    for c in chosen[1:]:
        if c.after >= 0:
            after.setdefault(c.after, []).append(c)
    heads = sorted((c for c in chosen[1:] if c.after < 0),
                   key=lambda c: (float(np.mean(story.relative[c.rows])), c.claim.id))
    out: list[Candidate] = []

    def place(c: Candidate) -> None:
        out.append(c)
        for follower in after.get(c.row, []):
            place(follower)
    for c in [chosen[0], *heads]:
        place(c)
    return out


def _length(story: Story, row: int) -> int:
    return len(story.texts[row].split())


def _fill(pool: list[Candidate], first: Candidate, story: Story, room: int | None,
          sentences: int | None) -> list[Candidate]:
    """Claims added after the lead, best value first (score over length to the
    SUMMARY_LENGTH_EXPONENT). A claim as close as a redundancy threshold to one already
    chosen, or too long for the ``room`` left in the budget, is never taken; the
    similarities to the chosen sentences are kept as running maxima, one product per pick.
    A sentence that points back is open only once the row it follows is chosen; a claim is
    told once, by whichever of its candidates is taken."""
    if not pool:
        return []
    rows = np.array([c.row for c in pool])
    claim_ids = np.array([c.claim.id for c in pool])
    after = np.array([c.after for c in pool])
    score = np.array([c.score for c in pool])
    length = np.array([_length(story, int(r)) for r in rows], dtype=np.float64)
    lexical = np.zeros(len(pool))
    semantic = np.zeros(len(pool))
    open_ = np.ones(len(pool), dtype=bool)
    placed = np.zeros(len(story.texts), dtype=bool)
    placed[first.row] = True
    value = score / length ** settings.SUMMARY_LENGTH_EXPONENT
    out: list[Candidate] = []
    newest = first.row
    while sentences is None or len(out) < sentences - 1:
        lexical = np.maximum(lexical, _similarity(story.lexical, rows, newest))
        if story.semantic is not None:
            semantic = np.maximum(semantic, _similarity(story.semantic, rows, newest))
        open_ &= (lexical < settings.REDUNDANT_LEXICAL) & (semantic < settings.REDUNDANT_SEMANTIC)
        fits = open_ & ((after < 0) | placed[np.maximum(after, 0)])
        if room is not None:
            fits &= length <= room
        if not fits.any():
            break
        k = int(np.argmax(np.where(fits, value, -np.inf)))
        out.append(pool[k])
        open_ &= claim_ids != claim_ids[k]
        newest = int(rows[k])
        placed[newest] = True
        if room is not None:
            room -= int(length[k])
    return out


def _similarity(vectors: Matrix, rows: np.ndarray, row: int) -> np.ndarray:
    """Cosine of each of ``rows`` with ``row``, clipped to 0..1."""
    clipped: np.ndarray = np.clip(_cosines(vectors[rows], vectors[row]), 0.0, 1.0)
    return clipped


def _lead_consensus(story: Story, central: np.ndarray, alone: np.ndarray) -> int | None:
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
        if alone[leads[k]]:
            best, best_score = int(leads[k]), float(score[k])
            break
    return best if best_score > -np.inf else None


def _representative(rows: list[int], story: Story, central: np.ndarray,
                    alone: np.ndarray) -> int | None:
    """The sentence to quote for a claim: standalone, from an original, central, early."""
    eligible = [r for r in rows if alone[r]]
    if not eligible:
        return None
    return min(eligible, key=lambda r: (bool(story.is_copy[r]), -round(float(central[r]), 2),
                                        int(story.position[r]), r))


def summary_sentences(selected: list[tuple[Claim, int]], story: Story,
                      ) -> list[SummarySentence]:
    """The summary as quoted sentences, each citing its claim's articles and every other
    article that reports the same thing in other words (see :func:`supporters`)."""
    sentence_refs, sentences = story.refs, story.sentences
    out = []
    for claim, row in selected:
        article_id, index = sentence_refs[row]
        cited = {sentence_refs[r][0] for r in story.members[claim.id]}
        extra = [r for r in supporters(row, story) if sentence_refs[r][0] not in cited]
        own_words = sum(1 for r in extra if not story.is_copy[r])
        out.append(SummarySentence(
            text=story.texts[row],
            sources=claim.sources + tuple(sentence_refs[r][0] for r in extra),
            article_id=article_id, sentence_index=index,
            independent=claim.independent + own_words,
            evidence=claim.sentences + tuple(sentences[r] for r in extra)))
    return out


def supporters(row: int, story: Story) -> list[int]:
    """For every other article that reports what sentence ``row`` says, its closest sentence.

    Claims group only sentences close enough to be one statement; a summary sentence is
    also supported by an article that says the same in other words: its closest sentence is
    semantically at least CITE_SEMANTIC with some words shared (lexical at least
    CITE_SEMANTIC_MIN_LEXICAL), or, without the MiniLM encoder, lexically at least
    CITE_LEXICAL.
    """
    lexical = _column(story.lexical, row)
    if story.semantic is not None:
        semantic = _column(story.semantic, row)
        score = semantic
        ok = (semantic >= settings.CITE_SEMANTIC) & (lexical >= settings.CITE_SEMANTIC_MIN_LEXICAL)
    else:
        score = lexical
        ok = lexical >= settings.CITE_LEXICAL
    ok &= story.article_of != story.article_of[row]
    best: dict[int, int] = {}
    for r in np.flatnonzero(ok):
        article = int(story.article_of[r])
        if article not in best or score[r] > score[best[article]]:
            best[article] = int(r)
    return [best[a] for a in sorted(best)]


def _column(vectors: Matrix, row: int) -> np.ndarray:
    """Cosine of every row with ``row``."""
    return _cosines(vectors, vectors[row])


def _cosines(block: Matrix, vector: Matrix) -> np.ndarray:
    """Dot products of the rows of ``block`` with one row (cosines: rows are L2-normalised),
    as a flat float64 array whether the vectors are sparse or dense."""
    product = block @ vector.T
    if sparse.issparse(product):
        product = product.toarray()
    return np.asarray(product, dtype=np.float64).ravel()


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


def compress(sentence: str, max_words: int | None = None) -> str:
    """A headline-length prefix of a sentence (at most ``max_words``, by default
    ``settings.HEADLINE_MAX_WORDS``): its main clause, no attribution."""
    if max_words is None:
        max_words = settings.HEADLINE_MAX_WORDS
    text = sentence.strip().rstrip(".")
    text = _LEADING_CLAUSE.sub("", text, count=1)
    text = _ATTRIBUTION.sub("", text)
    match = _CLAUSE_BREAK.search(text)
    if match and len(text[: match.start()].split()) >= settings.HEADLINE_MIN_CLAUSE_WORDS:
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
