"""Recognising page furniture that is not reporting: ads, pitches, credits, bylines, embeds.

Whole-line rules answer "is this line furniture, and which kind?"; inline rules cut furniture
out of a line that also carries reporting (an embedded post's signature, a credit in
parentheses) and keep the reporting.
"""

from __future__ import annotations

import re

from newsfuse.model import EmbeddedPost, Removal

_I = re.IGNORECASE

# Ad slots, loaders and navigation labels standing alone on a line.
_LABEL = re.compile(
    r"^(?:advertisements?|advert|ads?|sponsored(?: content)?|promoted(?: content)?|"
    r"loading|story continues below(?: advertisement)?|article continues below(?: advertisement)?|"
    r"continue reading(?: below| the main story)?|scroll to continue(?: with content)?|"
    r"skip advertisement|read more|see more|show more|more on this story|"
    r"related(?: articles| stories| coverage| content)?|recommended(?: for you)?|most read|"
    r"trending(?: now)?|watch|video|listen|listen to this article|play video|"
    r"close|menu|share|share this|tweet|email|print|back to top)\W*$", _I)

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

_PITCH = re.compile(
    r"\bby subscribing\b|\bsubscribe (?:now|today|to (?:our|the))\b|"
    r"\b(?:support|fund) (?:our|independent|quality) journalism\b|\bquality journalism is\b|"
    r"\bplease (?:consider )?(?:donat|support(?:ing)? us|subscrib)|\bwith a donation\b|"
    r"\bbecome a (?:member|subscriber|supporter)\b|"
    r"\bsign up (?:for|to) (?:our|the)\b.*\bnewsletter|"
    r"\byou can help us\b|\bmake a (?:donation|contribution)\b|\bdonate (?:now|today)\b|"
    r"\bsubscribers? (?:only|exclusive)\b|\balready a subscriber\b", _I)

_PHOTO = re.compile(
    r"^\(?(?:photo|photograph|picture|image|file photo|photo credit|credit|caption|"
    r"image caption|image copyright|photo illustration)\s*(?::|/|by\b|copyright\b)|"
    r"^\(?(?:AP|AFP|Reuters|REUTERS|Getty Images|EPA|Xinhua|Bloomberg)(?: Photo)?/"
    r"[A-Z][\w .'’-]+\)?\.?$|\bAP Photo/|\bREUTERS/[A-Z]|\bAFP via Getty Images\b|"
    r"^\(?(?:Getty Images|Shutterstock|Alamy)\)?\.?$", _I)

_CREDIT = re.compile(
    r"^\(?(?:additional )?(?:reporting|writing|editing|compiled|edited|written|research|"
    r"graphics|production) by\b|contributed (?:reporting )?to this (?:report|story|article)\W*$|"
    r"^(?:our standards:|the thomson reuters trust principles)|"
    r"^this (?:story|article) (?:has been|was) (?:corrected|updated)\b", _I)

# "By QASSIM ABDUL-ZAHRA", "By Jane Doe and John Roe, Associated Press"
_NAME = r"[A-Z][A-Za-z.'’\-]*"
_BYLINE = re.compile(
    rf"^By\s+{_NAME}(?:\s+{_NAME}){{0,3}}(?:\s*(?:,|and|&)\s*{_NAME}(?:\s+{_NAME}){{0,3}})*"
    r"(?:\s*[,|]\s*(?:The )?(?:Associated Press|Reuters|AFP|Agence France-Presse|Bloomberg|"
    r"[A-Z][\w ]{0,30}(?:Correspondent|Reporter|Editor|Writer)))?\s*$")

_LINE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ad or page label", _LABEL),
    ("related-content link", _RELATED),
    ("source signature", _SIGNATURE),
    ("comments notice", _COMMENTS),
    ("subscription or donation pitch", _PITCH),
    ("photo credit", _PHOTO),
    ("credit line", _CREDIT),
    ("byline", _BYLINE),
    ("share or follow prompt", _SHARE),
)
# Rules that can misfire on long reporting lines apply only to short lines.
_MAX_WORDS = {"related-content link": 25, "source signature": 6,
              "subscription or donation pitch": 60, "photo credit": 30, "credit line": 80,
              "share or follow prompt": 25, "byline": 12}

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
    "related", "see also", "click", "download",
)


def is_boilerplate_line(line: str) -> str | None:
    """The kind of furniture ``line`` is, or ``None`` for reporting."""
    stripped = line.strip()
    if not stripped:
        return None
    words = len(stripped.split())
    if words > SHORT_LINE_WORDS:
        lowered = stripped.lower()
        if not any(cue in lowered for cue in _LONG_LINE_CUES):
            return None
    for reason, pattern in _LINE_RULES:
        if words <= _MAX_WORDS.get(reason, 10_000) and pattern.search(stripped):
            return reason
    return None


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
    if "(" not in line:
        return line.strip(), removed, embed
    for pattern, reason in ((_CREDIT_PAREN, "credit line"), (_PHOTO_PAREN, "photo credit")):
        match = pattern.search(line)
        if match:
            removed.append(Removal(reason, match.group(0).strip()))
            line = pattern.sub("", line)
    return line.strip(), removed, embed
