"""Recognising page furniture that is not reporting: ads, pitches, credits, bylines, embeds.

Whole-line rules answer "is this line furniture, and which kind?"; inline rules cut furniture
out of a line that also carries reporting (an embedded post's signature, a credit in
parentheses) and keep the reporting.
"""

from __future__ import annotations

import re

from newsfuse.model import EmbeddedPost, Removal
from newsfuse.text.furniture import CREDIT_MARK, furniture_sentence

_I = re.IGNORECASE

# Ad slots, loaders and navigation labels standing alone on a line, one or several in a row
# ("Advertisement Continue reading the main story").
_LABEL = re.compile(
    r"^(?:(?:advertisements?|advert|ads?|sponsored(?: content)?|promoted(?: content)?|"
    r"loading|story continues below(?: advertisement)?|article continues below(?: advertisement)?|"
    r"continue reading(?: below| the main story)?|scroll to continue(?: with content)?|"
    r"skip advertisement|read more|see more|show more|more on this story|"
    r"related(?: articles| stories| coverage| content)?|recommended(?: for you)?|most read|"
    r"trending(?: now)?|watch|video|listen|listen to this article|play video|"
    r"close|menu|share|share this|tweet|email|print|back to top)(?:\W+|$))+$", _I)

_SHARE = re.compile(
    r"^(?:share|tweet|email|follow|like|click here|tap here|download (?:our|the) app|"
    r"join us|get (?:our|the) .{0,30}newsletter)\b.{0,120}$|"
    r"\b(?:share|follow|like) (?:us|this|it) on (?:facebook|twitter|x|instagram|whatsapp|"
    r"linkedin|telegram|youtube)\b", _I)

_RELATED = re.compile(
    r"^(?:read more|related|see also|also read|read also|more on this|more|watch|listen|"
    r"recommended|most popular)\s*[:|]", _I)

# "— Continental Service": a bare source signature closing an article.
_SIGNATURE = re.compile(r"^[—–]{1,2}\s*[A-Z][\w.&'’ -]{1,60}$")

_COMMENTS = re.compile(
    r"^(?:comments? (?:are|is) (?:now )?(?:closed|disabled|turned off)|"
    r"comments have been (?:closed|disabled)|(?:leave|post|add|view|show|read) "
    r"(?:a |your |all )?comments?|\d+ comments?|be the first to comment|"
    r"join the (?:conversation|discussion))\W*$", _I)

# Comment-section furniture that reads like a sentence ("We welcome comments on our articles").
_COMMENT_NOTICE = re.compile(
    r"\bviews expressed in the comments\b|\bwe welcome comments\b|"
    r"\bthis discussion is (?:now )?closed\b|\bmay edit your comments\b|"
    r"\byour comments may be published\b|\bleave a comment\b|\bcomments? (?:are|is) "
    r"(?:now )?(?:closed|moderated)\b|\bpost a comment\b", _I)

# Phrases no reporting contains: they mark a sentence as furniture however long it runs on.
_COMMENT_POLICY = re.compile(
    r"\bwe welcome comments that\b|\bviews expressed in the comments do not\b|"
    r"\bcomments may be published on any\b", _I)

_LEGAL = re.compile(
    r"\ball rights reserved\b|\bmay not be (?:reproduced|published, broadcast|redistributed)|"
    r"\bprotected by .{0,40}copyright law\b|\bcopyright or other notice\b|"
    r"\bthis copy may not be in its final form\b|^(?:©|\(c\)|copyright)\s", _I)

_PITCH = re.compile(
    r"\bby subscribing\b|\bsubscribe (?:now|today|to (?:our|the))\b|"
    r"\b(?:support|fund) (?:our|independent|quality) journalism\b|\bquality journalism is\b|"
    r"\bplease (?:consider )?(?:donat|support(?:ing)? us|subscrib)|\bwith a donation\b|"
    r"\bbecome a (?:member|subscriber|supporter)\b|"
    r"\bsign up (?:for|to) (?:our|the)\b.*\bnewsletter|"
    r"\byou can help us\b|\bmake a (?:donation|contribution)\b|\bdonate (?:now|today)\b|"
    r"\bsubscribers? (?:only|exclusive)\b|\balready a subscriber\b", _I)

_PHOTO = re.compile(
    r"^\(?(?:photos?|photographs?|pictures?|images?|file photo|photo credit|credit|caption|"
    r"image caption|image copyright|photo illustration)\s*(?::|/|by\b|copyright\b)|"
    r"^\(?(?:AP|AFP|Reuters|REUTERS|Getty Images|EPA|Xinhua|Bloomberg)(?: Photo)?/"
    r"[A-Z][\w .'’-]+\)?\.?$|\bAP Photo/|\bREUTERS/[A-Z]|\bAFP via Getty Images\b|"
    r"^\(?(?:Getty Images|Shutterstock|Alamy)\)?\.?$", _I)

_CREDIT = re.compile(
    r"^\(?(?:additional )?(?:reporting|writing|editing|compiled|edited|written|research|"
    r"graphics|production) by\b|"
    r"^(?:(?![a-z]{3}[.!?][\"”’]?\s+[A-Z]).){0,400}?\bcontributed (?:reporting )?to this "
    r"(?:report|story|article)\b|"
    r"^(?:our standards:|the thomson reuters trust principles)|"
    r"^this (?:story|article) (?:has been|was) (?:corrected|updated)\b", _I)

# "By QASSIM ABDUL-ZAHRA", "By Jane Doe and John Roe, Associated Press"
_NAME = r"[A-Z][A-Za-z.'’\-]*"
_BYLINE = re.compile(
    rf"^By\s+{_NAME}(?:\s+{_NAME}){{0,3}}(?:\s*(?:,|and|&)\s*{_NAME}(?:\s+{_NAME}){{0,3}})*"
    r"(?:\s*[,|]\s*(?:The )?(?:Associated Press|Reuters|AFP|Agence France-Presse|Bloomberg|"
    r"[A-Z][\w ]{0,30}(?:Correspondent|Reporter|Editor|Writer)))?\s*$")

# (kind, pattern, most words a line may have for the rule to apply): rules that could misfire
# on a long line of reporting apply only to short lines.
_LINE_RULES: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("ad or page label", _LABEL, 12),
    ("related-content link", _RELATED, 25),
    ("source signature", _SIGNATURE, 6),
    ("comments notice", _COMMENTS, 12),
    ("comments notice", _COMMENT_NOTICE, 40),
    ("comments notice", _COMMENT_POLICY, 10_000),
    ("legal notice", _LEGAL, 60),
    ("subscription or donation pitch", _PITCH, 60),
    ("photo credit", _PHOTO, 30),
    ("credit line", _CREDIT, 80),
    ("byline", _BYLINE, 12),
    ("share or follow prompt", _SHARE, 25),
)

# Kinds of furniture that close an article: in a run-on paragraph (text scraped as one
# line), what follows them is more furniture or reader comments, never reporting.
END_OF_ARTICLE = frozenset({"credit line", "comments notice", "legal notice"})

# Weak pitch cues: furniture only when next to a strong pitch line in the same block.
WEAK_PITCH = re.compile(r"\bjournalism\b|\bthan ever\b|\bsupport us\b|\bour readers\b", _I)


# A line longer than SHORT_LINE_WORDS is furniture only if it holds one of these cues; plain
# substring tests rule most reporting sentences out before any rule runs.
SHORT_LINE_WORDS = 12
_LONG_LINE_CUES = (
    "subscri", "donat", "journalism", "newsletter", "help us", "member", "contribut",
    "reporting by", "writing by", "editing by", "compiled by", "edited by", "written by",
    "research by", "photo", "image", "picture", "caption", "getty", "credit", "comment",
    "share", "follow", "standards", "principles", "corrected", "updated", "read more",
    "related", "see also", "click", "download", "discussion", "rights reserved",
    "reproduced", "final form", "copyright",
)
# Short lines: every literal a rule starts from (labels, bylines, signatures, captions).
_SHORT_LINE_CUES = (*_LONG_LINE_CUES, "advert", "sponsor", "promot", "loading", "continue",
                    "scroll", "read", "more", "recommend", "trending", "watch", "video",
                    "listen", "close", "menu", "tweet", "email", "print", "top", "by ", "—",
                    "–", "reuters", "ap", "afp", "epa", "xinhua", "bloomberg", "alamy",
                    "shutterstock", "like", "tap", "join", "conversation", "©", "(c)", "popular")


def is_boilerplate_line(line: str, sentence: bool = False) -> str | None:
    """The kind of furniture ``line`` is, or ``None`` for reporting; ``sentence`` says the
    line is one sentence (sentence rules then apply however it is punctuated inside)."""
    stripped = line.strip()
    if not stripped:
        return None
    words = len(stripped.split())
    lowered = stripped.lower()
    cues = _LONG_LINE_CUES if words > SHORT_LINE_WORDS else _SHORT_LINE_CUES
    if any(cue in lowered for cue in cues) or lowered.strip(" .:!") in ("ad", "ads"):
        for reason, pattern, max_words in _LINE_RULES:
            if words <= max_words and pattern.search(stripped):
                return reason
    if _TEASER.search(stripped):
        return "teaser"
    if not sentence and _MULTI_SENTENCE.search(stripped):
        return None  # its sentences are judged one by one after segmentation
    return furniture_sentence(stripped)


_MULTI_SENTENCE = re.compile(r"[a-z0-9)][.!?][\"”’]?\s+[\"“‘]?[A-Z]")
# Another page's story shown in a sidebar: its opening words cut short and a link to the rest
# ("Autore di libri e diversi report, tre volte...leggi tutto »"). The whole line goes, however
# many sentences its opening holds.
# The link may follow the cut words with no ellipsis, even without a space ("in Washington,
# DCleggi tutto"); English "read more" and German "mehr" only after an ellipsis.
_TEASER = re.compile(
    r"(?:(?:\.\.\.|…)\s*(?:read more|continue reading|mehr)|(?:leggi tutto|continua a "
    r"leggere|leer más|seguir leyendo|lire la suite|weiterlesen))\s*[»›>→]*\s*$", _I)


# Embedded social-media post: "<text> pic.twitter.com/x — Name (@handle) December 31, 2019"
_EMBED_SIGNATURE = re.compile(
    r"\s*[—–-]{1,2}\s*(?P<author>[^()\n—–]{1,80}?)\s*\(@(?P<handle>\w{1,30})\)\s*"
    r"(?P<date>(?:[A-Z][a-z]+\.? \d{1,2}, \d{4})|(?:\d{1,2} [A-Z][a-z]+ \d{4}))?\s*$")
_EMBED_LINK = re.compile(r"\s*(?:pic\.twitter\.com/\w+|https?://t\.co/\w+)", _I)
_TRAILING_TAGS = re.compile(r"(?:\s*#\w+)+\s*$")
_HASHTAG = re.compile(r"#(\w)")
_CREDIT_PAREN = re.compile(
    r"\s*\((?:additional |editing |writing )?(?:reporting|writing|editing|compiled|research)"
    r"\s+by\b[^()]*\)\s*$", _I)
# A photo credit opening the text: "(Patricia de Melo Moreira/Pool via REUTERS) Netanyahu..."
_LEADING_PHOTO_PAREN = re.compile(
    r"^\((?=[^()]{3,90}\))[^()]*(?:/|\bvia\s+)(?:REUTERS|Reuters|AP|AFP|Getty Images|EPA|"
    r"Pool|Bloomberg)[^()]*\)\s*")
# A run of five or more upper-case words glued before the text: a related-story headline.
_CAPS_RUN = re.compile(r"^(?:[A-Z][A-Z'’.,:-]*\s+){5,}(?=[A-Z][a-z])")
_PHOTO_PAREN = re.compile(r"\s*\((?:(?:AP|AFP|Reuters|EPA|Getty) Photo|Photo:)[^()]*\)", _I)


def strip_inline(line: str) -> tuple[str, list[Removal], EmbeddedPost | None]:
    """Cut furniture out of a line that also carries reporting."""
    removed: list[Removal] = []
    embed: EmbeddedPost | None = None
    signature = _EMBED_SIGNATURE.search(line) if "(@" in line else None
    if signature and (_EMBED_LINK.search(line) or signature.group("date")):
        removed.append(Removal("embedded post furniture", signature.group(0).strip()))
        body = line[: signature.start()]
        for link in _EMBED_LINK.findall(body):
            removed.append(Removal("embedded post furniture", link.strip()))
        body = _EMBED_LINK.sub("", body)
        tags = _TRAILING_TAGS.search(body)
        if tags:
            removed.append(Removal("embedded post furniture", tags.group(0).strip()))
            body = body[: tags.start()]
        body = _HASHTAG.sub(r"\1", body).strip()
        if body:
            embed = EmbeddedPost(text=body, author=signature.group("author").strip() or None,
                                 handle=signature.group("handle"),
                                 posted=signature.group("date"))
        line = body
    elif "pic.twitter.com/" in line or "t.co/" in line:
        for link in _EMBED_LINK.findall(line):
            removed.append(Removal("embedded post furniture", link.strip()))
        line = _EMBED_LINK.sub("", line)
    for pattern, reason in ((_LEADING_PHOTO_PAREN, "photo credit"),
                            (_CAPS_RUN, "related-content link")):
        match = pattern.match(line)
        if match:
            removed.append(Removal(reason, match.group(0).strip()))
            line = line[match.end():]
    if "(" not in line:
        return line.strip(), removed, embed
    for pattern, reason in ((_CREDIT_PAREN, "credit line"), (_PHOTO_PAREN, "photo credit")):
        match = pattern.search(line)
        if match:
            removed.append(Removal(reason, match.group(0).strip()))
            line = pattern.sub("", line)
    return line.strip(), removed, embed


# Page headers scraped with the text: "Page last updated at 11:14 GMT, Thursday, 3 February
# 2011 09:03 UK", "By Jane Doe, Health Editor WASHINGTON | Mon Mar 2, 2009 4:23 pm EST" before
# an agency dateline, and server-side-include debris.
_TZ = r"(?:GMT|UTC|UK|BST|ET|EST|EDT|CET|CEST)"
_PAGE_UPDATED = re.compile(
    rf"\b(?:page )?last updated(?: at| on)?:?\s+\d{{1,2}}:\d{{2}}(?:\s+{_TZ})?"
    r"(?:,\s+[A-Z][a-z]+day)?(?:,?\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4})?"
    rf"(?:\s+\d{{1,2}}:\d{{2}}\s+{_TZ})?\s*", _I)
_SSI_ERROR = re.compile(r"\s*\[?\(?an error occurred while processing this directive\)?\]?\s*",
                        _I)
_AGENCY_DATELINE = re.compile(
    r"\b[A-Z][A-Z .'’/-]{2,40}(?:,\s*[A-Z][\w.]*(?: [A-Z][\w.]*)?)?"
    r"(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2})?"
    r"\s*\((?:Reuters|AP|AFP|Bloomberg|CNN|UPI|dpa|Xinhua|AFX|"
    r"Agence France-Presse|Associated Press)\)\s*[-–—]")
_SENTENCE_END = re.compile(r"[.!?][\"”’]?\s")
_WIRE_HEADER = re.compile(
    r"(?:\b[A-Z][A-Z .'’/-]{1,40}(?:,\s*[A-Z][\w.]*(?: [A-Z][\w.]*)?)?\s*\|\s*)?"
    r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? [A-Z][a-z]{2,8}\.? \d{1,2},? \d{4},?\s+"
    rf"\d{{1,2}}:\d{{2}}\s*(?:[ap]\.?m\.?)?\s*{_TZ}?\s+")
_CREDIT_HEADER_CHARS = 600  # a credit this early closes the page's standfirst and caption
_HEADER_CUES = re.compile(r"\||^By\s|\d{1,2}:\d{2}", _I)


def strip_page_header(paragraph: str) -> tuple[str, list[Removal]]:
    """Cut page-header furniture off the first paragraph of an article."""
    removed: list[Removal] = []
    if "processing this directive" in paragraph:
        for match in _SSI_ERROR.findall(paragraph):
            removed.append(Removal("page debris", match.strip()))
        paragraph = _SSI_ERROR.sub(" ", paragraph).strip()
    match = _PAGE_UPDATED.search(paragraph, 0, 400)
    if match and not _SENTENCE_END.search(paragraph[: match.start()]):
        removed.append(Removal("page header", paragraph[: match.end()].strip()))
        paragraph = paragraph[match.end():]
    match = CREDIT_MARK.search(paragraph, 0, _CREDIT_HEADER_CHARS)
    if match:  # standfirst and photo caption, closed by the photo's credit
        removed.append(Removal("photo caption and credit", paragraph[: match.end()].strip()))
        paragraph = paragraph[match.end():].lstrip()
    match = _WIRE_HEADER.search(paragraph, 0, _CREDIT_HEADER_CHARS)
    if match:  # "<photo caption> WASHINGTON | Wed Apr 29, 2009 5:24 pm EDT" before the text
        removed.append(Removal("page header", paragraph[: match.end()].strip()))
        paragraph = paragraph[match.end():].lstrip()
    match = _AGENCY_DATELINE.search(paragraph, 0, 320)
    if match and match.start() > 0:
        prefix = paragraph[: match.start()]
        if _HEADER_CUES.search(prefix) and not _SENTENCE_END.search(prefix):
            removed.append(Removal("page header", prefix.strip()))
            paragraph = paragraph[match.start():]
    return paragraph, removed
