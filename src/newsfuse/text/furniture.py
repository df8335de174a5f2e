"""Furniture that comes glued to reporting or dressed as a sentence: photo captions and
credits, promos, media-player notices, page timestamps, gallery counters, reader-comment
bylines.

``furniture_sentence`` judges a whole sentence (or short line); ``strip_leading_credit``
cuts a credit or player notice off the start of a sentence that goes on with reporting
("Photograph: Jane Doe/AP Rescue crews ..."). The patterns describe the forms these take on
news pages (agency credits, "In this ... file photo", "Watch ... at 8 p.m. ET"), never the
words of particular pages.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE
# Photo agencies and picture desks that sign credits ("Name/AP", "Name, Getty Images").
AGENCY = (r"(?:AP|AFP|Reuters|REUTERS|Getty(?: Images)?|EPA(?:-EFE)?|Bloomberg|Pool|Xinhua|"
          r"UPI|Shutterstock|Alamy|Zuma(?: Press)?|Sipa(?: USA)?|PA(?: Wire)?|Corbis|"
          r"Rex(?: Features)?|Rex/Shutterstock|USA TODAY(?: Sports)?|NurPhoto|Anadolu|"
          r"dpa|Kyodo|Yonhap|TASS|WENN|Splash News|Handout|AP Photo|Redux)")
_NAME = r"[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,3}"
_CREDIT_CORE = (rf"(?:{_NAME}(?:\s?/\s?(?:{_NAME}))*\s?/\s?{AGENCY}(?:\s?/\s?{AGENCY})*|"
                rf"{AGENCY}\s?/\s?[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*)?)")
_CREDIT_WORD = (r"(?:Photograph|Photo|Picture|Image|Illustration|Video|Graphic|Composite)s?"
                r"(?: credit)?")
# What a credit word introduces: a credit as above, "Name/Outlet" or "Name for the Outlet"
# (any outlet: the label says it is a credit), or an agency alone ("Photograph: AP").
_LABELLED = (rf"(?:{_CREDIT_CORE}|{_NAME}(?:\s?/\s?{_NAME})*\s?/\s?[A-Z][\w.'’-]*|"
             rf"{_NAME} for (?:the )?[A-Z][\w.'’-]*|{AGENCY})")

# "Photograph: Gerald Herbert/AP Underwater robots ...", "Andrew Harnik/AP Sessions blasts ..."
_LEADING_CREDIT = re.compile(
    rf"^(?:{_CREDIT_WORD}\s*:\s*{_LABELLED}|{_CREDIT_CORE}|"
    rf"(?:{_NAME},\s(?:Getty Images|USA TODAY|AP|AFP)\s*)+)"
    r"(?:\s*\((?:this )?caption [^()]{0,60}\)?)?\s+(?=[A-Z\"“‘'(])")
# A credit that closes a photo caption inside a paragraph: "... burning last week.
# Photograph: Gerald Herbert/AP"
CREDIT_MARK = re.compile(
    rf"(?:^|(?<=[.!?\"”’]\s))(?:{_CREDIT_WORD})\s*:\s*{_LABELLED}"
    r"(?:\s*\((?:this )?caption [^()]{0,60}\)?)?")
# A credit inside a sentence piece, after a caption: "... President Donald Trump. | Andrew
# Harnik/AP Sessions blasts ...": the caption and the credit go, the rest stays.
_MID_CREDIT = re.compile(
    rf"(?<=[.!?\"”’|]\s)(?:(?:{_CREDIT_WORD})\s*:\s*)?{_CREDIT_CORE}(?:\s+{_CREDIT_CORE})*\s+")
# A credit closing a caption with a bar: "... sanctuary cities. | Nader Issa/Sun-Times".
_TRAILING_CREDIT = re.compile(
    r"\s*\|\s*[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,3}\s?/\s?[A-Z][\w.'’-]*"
    r"(?:[\s-][A-Z][\w.'’-]*){0,2}\s*$")
# A page timestamp set between posts or after a byline: "-- June 02, 2010 2:52 PM".
_STAMP = re.compile(
    r"(?:^|\s*(?:[-–—]{1,2}|\|))\s*(?:[A-Z][a-z]{2,8},? )?[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4},?"
    r"\s+\d{1,2}:\d{2}\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s*(?:ET|EST|EDT|PT|PST|PDT|GMT|UTC|BST))?"
    r"(?=\s|$)")
# A navigation run: three or more short capitalised items between bars, bullets or
# chevrons ("Defense & Homeland Security | Energy & Environment | Finance", "1 | 2 | 3").
_ITEM = r"[A-Z0-9][\w&'’.-]*(?:\s(?:&|and|of|the|for|[A-Z0-9][\w&'’.-]*)){0,4}"
_NAV_RUN = re.compile(rf"(?:^|(?<=\s))(?:{_ITEM})(?:\s[|•»›·]\s+(?:{_ITEM})){{2,}}(?:\s[|•»›])?")
_PAGE_MARK = re.compile(r"\s*\((?:page|part) \d+ of \d+\)\s*", _I)
_YEAR_CLOCK = re.compile(r"\d{4},?\s+\d{1,2}:\d\d")  # what every page timestamp holds
# Gallery and player controls scraped as text: "Enlarge this image toggle caption".
_CONTROLS = re.compile(
    r"^(?:(?:enlarge|expand) this (?:image|photo)|toggle caption|hide caption|show caption|"
    r"view (?:gallery|slideshow|full ?size)|open gallery|\d+ (?:photos|images)|"
    r"(?:image|photo) \d+ of \d+)\s*", _I)
# A wire service's note to editors opening a story: "(Adds quotes, byline)", "(Corrects
# paragraph 3 to show ...)".
_EDITOR_NOTE = re.compile(
    r"^\((?:Adds|Corrects|Updates|Recasts|Repeats|Refiles|Rewrites|Changes|Fixes|Removes|"
    r"Inserts|Deletes|Moves|Writes through|New throughout)\b[^()]{0,200}\)\s*")
# Player and script notices that the page shows in place of a video or a widget.
_NOTICE = re.compile(
    r"^(?:media playback is (?:not supported|unsupported) on (?:this|your) device|"
    r"your browser does not support (?:the )?(?:video|audio|iframes?)(?: tag| element)?|"
    r"(?:please )?enable javascript(?: to [\w ]{3,40})?|"
    r"this (?:video|content) (?:is )?(?:not available|unavailable)[\w ]{0,30})[.!]?\s*", _I)

# A photo caption: "FILE - In this March 11, 2010 file photo, ...", "In this photo taken on
# ...", "This undated photo provided by ... shows", "Smith (left) and Jones (right) ...",
# gallery counters ("Image 2 of 3").
_CAPTION = re.compile(
    r"^\s*FILE\s*[-–—]|^File[-–—]\s?This\b|"
    r"(?:^|[-–—]\s)in this (?:[\w,.'’]+ ){0,7}?(?:file |handout |undated |still |aerial )?"
    r"(?:photo(?:graph)?|image|picture|frame grab|still|video image)s?[\s,]|"
    r"^(?:this|an?) (?:undated |handout |file |aerial |satellite )*"
    r"(?:[\w.]+ \d{1,2}, \d{4},? )?(?:file )?(?:photo(?:graph)?|image|picture|frame grab)"
    r"\b.{0,120}\b(?:shows|provided by|released by|taken on|made available)\b|"
    r"\((?:left|right|center|centre|(?:second|third) (?:from )?(?:left|right)|"
    r"far (?:left|right)|pictured)\)|\b(?:image|photo|picture|slide) \d+ of \d+\b|"
    r"\bthis caption was amended\b|^\s*(?:photo |image |picture )?captions?\s*:|"
    r"^\s*(?:pictured|above|below|top|bottom|left|right)\s*:", _I)

# Promos: imperative calls to watch, tune in, subscribe, click, download or follow, a
# broadcast slot ("at 8 & 10 p.m. ET"), "Read more about:", sponsor lines.
_SLOT = (r"\b\d{1,2}(?::\d\d)?\s*(?:(?:&|and|-|/)\s*\d{1,2}(?::\d\d)?\s*)?[ap]\.?m\.?\s*"
         r"(?:ET|PT|EST|EDT|PST|PDT|CT|GMT|BST)\b")
_PROMO_START = re.compile(  # an imperative opening the sentence
    r"(?:watch(?=:| (?:now|live|more|our|video|highlights|the (?:full |latest )?(?:video|"
    r"clip|interview|replay|highlights|trailer))\b)|"
    r"tune in|subscribe|sign up|click|tap (?:here|to)|download (?:the|our|it|now|here)|"
    r"listen(?: now| live| to (?:the|our))|"
    r"follow (?:us|@|[A-Z][\w.]* on)|like us|get (?:daily|the latest|breaking|our|\w+ updates)|"
    r"don[’']t miss|catch up on|see (?:more|all|the (?:full|latest))|"
    r"read (?:more|the full|our)|join (?:us|our)|share (?:your|this))"
    r"(?=[\s:,!]|$)|"
    r"(?:visit|like|follow|subscribe|watch|listen|download|get|join|find)\b.{0,80}"
    r"(?:\bhttps?://|\bwww\.)", _I)
_LINK = r"\bclick here\b|\bgo to:"  # a pointer to another page
_PROMO = re.compile(  # anywhere in the sentence
    rf"\b(?:watch|tune in|catch|airs?|see)\b.{{0,60}}{_SLOT}|"
    rf"{_LINK}|\bto your inbox\b|\binvalid email\b|\bprivacy notice\b|"
    r"\bread more about\s*:|,\s*(?:sponsored|presented) by [A-Z][^.,;]{1,40}\.?$|"
    r"\bbrought to you by [A-Z]|\bsubscribe (?:to|on) [A-Z][\w ]{0,30} (?:on|at) ", _I)
_PROMO_VERBS = ("watch", "tune", "subscribe", "sign", "click", "tap", "download", "listen",
                "follow", "like", "get", "don", "catch", "see", "read", "join", "share",
                "visit", "find")

# Page timestamps and tag lines: "Published: January 31st, 2012 | Tags: ...", "Updated 4:19
# am EDT, Mon May 4, 2009", "Mon May 4, 2009 3:56 pm EDT" standing alone.
_TZ = r"(?:ET|EST|EDT|PT|PST|PDT|CT|CST|CDT|GMT|UTC|BST|CET|CEST|IST|JST|AEST|AEDT)"
_TIMESTAMP = re.compile(
    r"^(?:published|updated|posted|last (?:updated|modified)|first published|"
    r"created|modified)\s*(?:on|at)?\s*:?\s*(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|"
    r"oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+\d)|"
    r"\|\s*tags?\s*:|^tags?\s*:|"
    rf"^\W*(?:[A-Z][a-z]{{2,8}},? )?[A-Z][a-z]{{2,8}}\.? \d{{1,2}},? \d{{4}},?\s+\d{{1,2}}:\d{{2}}"
    rf"(?:\s*[ap]\.?m\.?)?\s*{_TZ}?\W*$|^\W*\d{{1,2}}:\d{{2}}\s*(?:[ap]\.?m\.?)?\s*{_TZ}\W*$|"
    r"^\W*\d+ (?:min(?:ute)?s?|hours?|hrs?|days?) ago\W*$", _I)

# Reader comments scraped with the article: "Posted by: name | date | Report abuse",
# "At 09:35 2nd May 2009, name wrote:", "Reply | Recommend".
_COMMENT_BYLINE = re.compile(
    r"\bposted by\s*:?\s*\S+\s*\|\s*\w+|\breport abuse\b|"
    r"^at \d{1,2}:\d{2}\b.{0,40},\s*\S+ wrote\s*:|"
    r"\b(?:reply|recommend|flag)\s*\|\s*(?:reply|recommend|flag|report)\b|"
    r"\b(?:leave|post|add|write) (?:a|your) comment\b|\bjoin the (?:conversation|debate)\b|"
    r"\bwhat do you think\?\s*(?:tell us|let us know|comment)|"
    r"\b(?:tell us|let us know) (?:what you think )?in the comments\b", _I)

# Each rule runs only on a sentence holding one of its words (lower-cased): most sentences
# hold none and are passed after one word split.
_RULES: tuple[tuple[str, re.Pattern[str], int, frozenset[str]], ...] = (
    ("photo caption", _CAPTION, 80, frozenset((
        "file", "caption", "pictured", "photo", "photos", "photograph", "photographs", "image",
        "images", "picture", "pictures", "slide", "frame", "left", "right", "center", "centre",
        "above", "below", "top", "bottom", "captions"))),
    ("promo", _PROMO, 40, frozenset((
        "m", "am", "pm", "click", "go", "inbox", "email", "privacy", "read", "sponsored",
        "presented", "brought", "subscribe"))),
    ("page timestamp", _TIMESTAMP, 30, frozenset((
        "published", "updated", "posted", "modified", "created", "tag", "tags", "ago"))),
    ("related-content link", re.compile(_LINK, _I), 80,  # longer than a promo
     frozenset(("click", "go"))),
    ("comments notice", _COMMENT_BYLINE, 60, frozenset((
        "posted", "abuse", "wrote", "reply", "comment", "comments", "join", "think"))),
)
_LOWER_WORD = re.compile(r"[a-z]+")
_SHORT_WITH_CLOCK = 12  # a line this short holding ":" may be a bare timestamp


def furniture_sentence(piece: str) -> str | None:
    """The kind of furniture a sentence or short line is, or ``None`` for reporting."""
    lowered = piece.lower()
    found = set(_LOWER_WORD.findall(lowered))
    words = len(piece.split())
    clock = ":" in piece and words <= _SHORT_WITH_CLOCK
    for reason, pattern, max_words, cues in _RULES:
        cued = not cues.isdisjoint(found) or (clock and reason == "page timestamp")
        if cued and words <= max_words and pattern.search(piece):
            return reason
    if lowered.startswith(_PROMO_VERBS) and words <= 40 and _PROMO_START.match(piece):
        return "promo"
    if "/" in piece and words <= 25 and _credit_only(piece):
        return "photo credit"
    if words <= 60 and _FOREIGN.search(piece):
        return "page furniture"
    return None


# Page furniture in Spanish, French, Italian and German: "read more" links, comment counts,
# publication stamps, sharing prompts ("...leggi tutto", "Se han publicado 7 comentarios",
# "(pubblicato il 17 Aprile del 2013)", "Lire la suite", "Weiterlesen").
_FOREIGN = re.compile(
    r"(?:\.\.\.|…)\s*(?:leggi tutto|leer más|lire la suite|weiterlesen|mehr)\b|"
    r"^\W*(?:leggi (?:tutto|anche)|leer más|lea también|lire (?:la suite|aussi)|à lire aussi|"
    r"weiterlesen|lesen sie auch|mehr zum thema)\b|"
    r"\b(?:se han publicado|hay) \d+ comentarios?\b|^\W*\d+ (?:comentarios?|commentaires?|"
    r"commenti|kommentare?)\W*$|\((?:pubblicato|publicado|publié|veröffentlicht) (?:il|el|le|"
    r"am)\b[^)]{0,40}\)|\b(?:compartir en|partager sur|condividi su|teilen auf) "
    r"(?:facebook|twitter)\b|\btodos los derechos reservados\b|\btous droits réservés\b|"
    r"\btutti i diritti riservati\b|\balle rechte vorbehalten\b", re.IGNORECASE)


def _credit_only(piece: str) -> bool:
    """A line that is nothing but credits ("Photos by A/Getty Images, B/Reuters")."""
    return not _CREDIT_PARTS.sub(" ", piece).strip()


_CREDIT_PARTS = re.compile(rf"{_CREDIT_CORE}|{_CREDIT_WORD} (?:by|courtesy of)\b|\band\b|[,;:.]")


def strip_leading_credit(piece: str) -> tuple[str, list[tuple[str, str]]]:
    """Cut photo credits and player notices off the start of a sentence; (rest, cuts)."""
    cuts: list[tuple[str, str]] = []
    if any(bar in piece for bar in "|•»›·") and not piece.lstrip().startswith("|"):
        cuts.extend(("navigation", m.group(0).strip()) for m in _NAV_RUN.finditer(piece))
        piece = _NAV_RUN.sub(" ", piece).strip()
    if "(" in piece and _PAGE_MARK.search(piece):
        cuts.extend(("navigation", m.group(0).strip()) for m in _PAGE_MARK.finditer(piece))
        piece = _PAGE_MARK.sub(" ", piece).strip()
    if ":" in piece and _YEAR_CLOCK.search(piece) and _STAMP.search(piece):
        cuts.extend(("page timestamp", m.group(0).strip()) for m in _STAMP.finditer(piece))
        piece = _STAMP.sub("", piece).strip()
    trailing = _TRAILING_CREDIT.search(piece) if "|" in piece else None
    if trailing is not None:
        cuts.append(("photo credit", trailing.group(0).strip()))
        piece = piece[: trailing.start()]
    mid = _MID_CREDIT.search(piece) if "/" in piece else None
    if mid is not None and mid.end() < len(piece):
        cuts.append(("photo caption and credit", piece[: mid.end()].strip()))
        piece = piece[mid.end():]
    for _ in range(4):  # controls, a notice or credits, a few in a row at most
        controls = _CONTROLS.match(piece)
        if controls is not None and controls.end():
            cuts.append(("gallery controls", controls.group(0).strip()))
            piece = piece[controls.end():]
            continue
        note = _EDITOR_NOTE.match(piece) if piece.startswith("(") else None
        if note is not None:
            cuts.append(("editor's note", note.group(0).strip()))
            piece = piece[note.end():]
            continue
        notice = _NOTICE.match(piece)
        match = notice or (_LEADING_CREDIT.match(piece) if ("/" in piece or ":" in piece
                                                           or "," in piece) else None)
        if match is None or (match.end() >= len(piece) and not notice):
            break
        if notice:  # what follows the notice is the missing video's caption
            cuts.append(("player notice", piece))
            return "", cuts
        cuts.append(("photo credit", match.group(0).strip()))
        piece = piece[match.end():].lstrip()
    return piece, cuts
