"""What newsfuse knows of each language it writes briefs in, beyond English.

For Spanish, French, Italian and German: stop words, a light stemmer, the abbreviations
after which a full stop does not end a sentence, day and month names with the words for
yesterday, today and tomorrow, the verbs that introduce reported speech, and the words a
sentence opens with when it leans on the one before it. Everything is small and
hand-written (no model, nothing loaded at run time); the lists cover news copy, not the
whole language. Other languages are read and kept whole, and a brief says what it cannot do
for them (:func:`limitations`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

ENGLISH = "en"
# Languages a brief can be written in, with their own rules (English has its own modules).
BRIEF_LANGUAGES = ("en", "es", "fr", "it", "de")
NAMES = {"en": "English", "es": "Spanish", "fr": "French", "it": "Italian", "de": "German"}

_STOP = {
    "es": """
a al algo algunas algunos ante antes aquel aquella aquellas aquellos aqui así aun aunque
bajo bien cada casi como con contra cual cuales cuando cuanto de del desde donde dos durante
e el ella ellas ello ellos en entre era eran es esa esas ese eso esos esta estaba estaban
estado estamos estan están estar este esto estos estoy fue fueron ha habia había han hasta
hay he la las le les lo los mas más me mi mientras muy ni no nos nosotros o otra otras otro
otros para pero poco por porque que qué quien quienes se sea según ser si sí sido sin sino
sobre son su sus también tan tanto te tenia tenía tiene tienen todo todos tras tu un una
uno unos usted y ya yo este esta cuyo cuya puede pueden sólo solo dijo ser será serán
estará estuvo estuvieron habían habrá hace hacía hacen hacer hecho haber ahora aquí allí
después luego entonces además embargo tampoco todavía aún siempre nunca mucho mucha muchos
muchas pocos poca menos mismo misma mismos mismas varios varias cierto cierta ciertos tal tales
cuyos cuyas adonde pues hacia mediante vez veces nada alguien nadie ninguno ninguna alguno
alguna algún ningún toda todas nuestro nuestra nuestros nuestras vosotros ustedes os aquello
ese eso podía podría debe deben dice dicen siendo soy
""",
    "fr": """
a à afin ai ainsi alors après au aucun aussi autre autres aux avait avaient avant avec
avoir c ce ceci cela celle celles celui ces cet cette chaque comme d dans de des deux
depuis donc dont du elle elles en encore entre est et été être eu eux fait font il ils
j je l la le les leur leurs lors lui m mais me même mes moins n ne ni nos notre nous on
ont ou où par pas pendant peu peut plus pour qu quand que quel quelle quelles quels qui
s sa sans se selon ses si son sont sous sur ta tandis te tes toi ton tous tout toute
toutes très tu un une vers vos votre vous y été était étaient sera seront cela ça aussi
ai aient ait as aura aurait auraient avez avons ayant étais étant êtes suis sommes soit
soient fut furent serait seraient ceux celles ici là voici voilà bien trop beaucoup plusieurs
quelques certains certaines chacun chacune aucune autant toujours jamais déjà souvent parfois
puis ensuite enfin car or pourtant cependant toutefois néanmoins parce pourquoi comment
combien lequel laquelle lesquels lesquelles duquel auquel auxquels mon ma moi toi soi faire
faite faits dit dire va vais peuvent pouvait doit doivent devait faut non oui mêmes tel telle
tels telles tant rien chez dès jusqu lorsque sinon fois
""",
    "it": """
a abbiamo ad agli ai al alla alle allo anche ancora avere aveva avevano c che chi ci
come con contro cui da dal dalla dalle dagli dai dallo degli dei del della delle dello
di dopo dove e è ed era erano essere gli ha hanno i il in io l la le lei li lo loro lui
ma mentre mi molto ne nei nel nella nelle nello noi non nostro o oltre per perché più
poi proprio qualche quale quando quanto quella quelle quelli quello questa queste questi
questo se sarà sono stata state stati stato su sua sue sui sul sulla sulle suo suoi tra
tutti tutto tutta tutte un una uno verso viene vi sia siano fra già però cosa così
si sì io tu noi voi mio mia miei mie tuo tua quel ciò quali quanta quanti quante perchè
poiché soltanto pure molti molta molte poco pochi tanto tanti troppo meno altro altri altra
altre stesso stessa stessi ogni ognuno qualcuno nessuno niente nulla sei siamo siete fu furono
saranno sarebbe sarebbero ho hai avete avuto fa fanno fare fatto detto dice può possono
potrebbe deve devono qui qua lì là ora quindi dunque invece infatti inoltre presso senza sopra
sotto prima negli sugli col coi od né via
""",
    "de": """
aber alle allem allen aller alles als also am an auch auf aus bei beim bin bis bisher
da damit dann das dass daß dem den denen der deren des dessen die dies diese diesem diesen
dieser dieses doch dort du durch ein eine einem einen einer eines er es etwa für gegen
hat hatte hatten hier ich ihm ihn ihr ihre ihrem ihren ihrer im in ist ja jedoch kann
kein keine man mehr mit nach nicht noch nun nur ob oder ohne sehr sei seien sein seine
seinem seinen seiner sich sie sind so soll sollen sowie über um und uns unter vom von
vor war waren was weil welche wenn werden wird wie wieder wir wurde wurden zu zum zur
zwischen habe haben worden sagte laut
""",
}


@functools.cache
def stop_words(language: str) -> frozenset[str]:
    """The language's stop words (empty for a language without a list)."""
    return frozenset(_STOP.get(language, "").split())


# --- light stemmers ------------------------------------------------------------------------
# Inflectional suffixes, longest first; a word keeps at least _MIN_STEM letters. Light
# stemming (plural, gender, common verb endings) is what helps retrieval most in the Romance
# languages and German (Savoy, 1999; Jacques Savoy's light stemmers); it never merges words
# as aggressively as a full Snowball stemmer, so it errs on the side of missing a match.
_SUFFIXES = {
    "es": ("aciones", "uciones", "amientos", "imientos", "amiento", "imiento", "ación",
           "ución", "aron", "ieron", "aban", "ían", "adoras", "adores", "ancias", "encias",
           "mente", "ando", "iendo", "ados", "idas", "idos", "adas", "ada", "ado", "ida",
           "ido", "ales", "ces", "es", "as", "os", "a", "o", "e", "s"),
    "fr": ("issements", "issement", "atrices", "ateurs", "ations", "ation", "atrice",
           "ateur", "ements", "ement", "euses", "euse", "eux", "ités", "ité", "ives", "ive",
           "ifs", "if", "aient", "ait", "ant", "ées", "és", "ée", "er", "ez", "es", "é", "e",
           "s", "x"),
    "it": ("azioni", "azione", "arono", "avano", "ava", "ano", "amenti", "amento", "imenti",
           "imento", "mente", "ando", "endo", "ati", "ate", "ata", "ato", "iti", "ite", "ita",
           "ito", "ali", "ale", "ici", "ico", "ica", "i", "e", "a", "o"),
    "de": ("ungen", "heiten", "keiten", "ung", "heit", "keit", "lich", "isch", "ern", "ten",
           "en", "er", "es", "em", "e", "n", "s"),
}
_MIN_STEM = 3
_ACCENTS = str.maketrans("áàâäéèêëíìîïóòôöúùûüç", "aaaaeeeeiiiioooouuuuc")


@functools.cache
def _stemmer_suffixes(language: str) -> tuple[str, ...]:
    return tuple(sorted(_SUFFIXES.get(language, ()), key=len, reverse=True))


@functools.lru_cache(maxsize=200_000)
def light_stem(word: str, language: str) -> str:
    """``word`` (lower case) without its inflectional ending, accents folded: "manifestantes"
    -> "manifestant", "élections" -> "election", "proteste" -> "protest", "Wahlen" -> "wahl"."""
    if language == "de":
        word = word.replace("ß", "ss")
    for suffix in _stemmer_suffixes(language):
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            word = word[: -len(suffix)]
            break
    return word.translate(_ACCENTS)


# --- abbreviations -------------------------------------------------------------------------
# Words a full stop follows without ending the sentence: titles, "núm.", months, "etc.".
_ABBREVIATIONS = {
    "es": "sr sra srta dr dra lic ing gral gen tte cnel cap sto sta núm num art pág ud uds "
          "etc aprox admón av avda dpto ej vol ene feb mar abr may jun jul ago sept sep "
          "oct nov dic pdte pte sres mons",
    "fr": "m mm mme mmes mlle dr pr me mgr st ste gén col cdt lt sgt av bd boul etc cf "
          "env min max no nº p pp vol janv févr fév avr juil sept oct nov déc éd art "
          "chap",
    "it": "sig sigg sig.ra dott dr prof ing avv gen col cap on sen arch geom rag sac "
          "mons sant s ss n nr art pag pagg vol ecc cfr es gen genn febbr apr giu lug ago "
          "sett ott nov dic",
    "de": "dr prof hr fr frl nr str bzw ca usw vgl evtl ggf inkl zb z.b d.h u.a v.a s "
          "bspw jan feb märz apr jun jul aug sept okt nov dez abs art bd gen hg mio mrd "
          "tsd st",
}
# Titles precede a name: a capitalised word after them does not start a sentence.
_TITLES = {
    "es": "sr sra srta dr dra lic ing gral gen tte cnel cap pdte pte mons sto sta",
    "fr": "m mm mme mmes mlle dr pr me mgr gén col cdt lt sgt st ste",
    "it": "sig sigg dott dr prof ing avv gen col cap on sen mons sant s",
    "de": "dr prof hr fr frl gen st",
}


@functools.cache
def abbreviations(language: str) -> frozenset[str]:
    """Lower-case abbreviations (without their full stop) of ``language``."""
    return frozenset(_ABBREVIATIONS.get(language, "").split())


@functools.cache
def titles(language: str) -> frozenset[str]:
    """Lower-case title abbreviations (before a name) of ``language``."""
    return frozenset(_TITLES.get(language, "").split())


# --- days and months -----------------------------------------------------------------------
@dataclass(frozen=True)
class Calendar:
    """How a language names days: weekdays (Monday first), months (January first, each with
    its variants) and the deictic words with their offset in days."""

    weekdays: tuple[tuple[str, ...], ...]
    months: tuple[tuple[str, ...], ...]
    deictic: dict[str, int]
    # words between a day number and a month ("25 de enero"), and a day's ordinal mark
    day_month_link: str
    # a word that puts a weekday in the past or the future ("el domingo pasado", "próximo")
    past: tuple[str, ...]
    future: tuple[str, ...]
    # words of a future tense or plan near a weekday ("será", "prévu", "sarà", "wird")
    future_cue: str
    # words before a weekday that make it any such day, not one ("un mercredi sur deux",
    # "cada lunes", "ogni venerdì", "jeden Montag")
    recurring: tuple[str, ...] = ()
    # a day word used for a time, not a day: "les jeunes d'aujourd'hui", "hoy en día",
    # "encore aujourd'hui" (a state that lasts, not what happened that day), "à la veille de
    # la manifestation" (the eve of that, not of the publication); matched
    # over the day word and what stands around it
    generic: str = r"(?!)"


CALENDARS = {
    "es": Calendar(
        weekdays=(("lunes",), ("martes",), ("miércoles", "miercoles"), ("jueves",),
                  ("viernes",), ("sábado", "sabado"), ("domingo",)),
        months=(("enero",), ("febrero",), ("marzo",), ("abril",), ("mayo",), ("junio",),
                ("julio",), ("agosto",), ("septiembre", "setiembre"), ("octubre",),
                ("noviembre",), ("diciembre",)),
        deictic={"anteayer": -2, "antier": -2, "ayer": -1, "hoy": 0, "esta mañana": 0,
                 "esta tarde": 0, "esta noche": 0, "anoche": -1, "pasado mañana": 2,
                 "mañana": 1},
        day_month_link=r"(?:\s+de)?", past=("pasado", "anterior"),
        future=("próximo", "proximo", "que viene"),
        future_cue=r"\b(?:será|serán|se celebrará|tendrá|habrá|prevé|previsto|prevista|"
                   r"va a|van a|convoca(?:do|da|n)?|está previst[oa])\b",
        recurring=("un", "cada", "todos los", "los"),
        generic=r"\bhoy(?:\s+en)?\s+día\b|\bde\s+hoy\s+en\s+adelante\b|\bhasta\s+hoy\b|"
                r"\b(?:todavía|aún)\s+hoy\b|\bhoy\s+(?:todavía|aún)\b"),
    "fr": Calendar(
        weekdays=(("lundi",), ("mardi",), ("mercredi",), ("jeudi",), ("vendredi",),
                  ("samedi",), ("dimanche",)),
        months=(("janvier", "janv"), ("février", "fevrier", "févr"), ("mars",),
                ("avril", "avr"), ("mai",), ("juin",), ("juillet", "juil"), ("août", "aout"),
                ("septembre", "sept"), ("octobre", "oct"), ("novembre", "nov"),
                ("décembre", "decembre", "déc")),
        deictic={"avant-hier": -2, "hier soir": -1, "hier": -1, "aujourd'hui": 0,
                 "aujourd’hui": 0, "ce matin": 0, "cet après-midi": 0, "ce soir": 0,
                 "après-demain": 2, "demain": 1, "la veille": -1},
        day_month_link=r"(?:er)?", past=("dernier", "passé"), future=("prochain",),
        future_cue=r"\b(?:sera|seront|aura lieu|doit|doivent|devrait|devraient|prévu|prévue|"
                   r"va|vont)\b",
        recurring=("un", "chaque", "tous les"),
        generic=r"(?:\bd['’]|\bà\s+|\bjusqu['’]\s*(?:à\s+)?|\bencore\s+)aujourd['’]hui\b|"
                r"\baujourd['’]hui,?\s+encore\b|"
                r"\bla\s+veille\s+(?:de|du|des|d['’])(?!\w)"),
    "it": Calendar(
        weekdays=(("lunedì", "lunedi"), ("martedì", "martedi"), ("mercoledì", "mercoledi"),
                  ("giovedì", "giovedi"), ("venerdì", "venerdi"), ("sabato",),
                  ("domenica",)),
        months=(("gennaio",), ("febbraio",), ("marzo",), ("aprile",), ("maggio",),
                ("giugno",), ("luglio",), ("agosto",), ("settembre",), ("ottobre",),
                ("novembre",), ("dicembre",)),
        deictic={"l'altro ieri": -2, "l’altro ieri": -2, "ieri sera": -1, "ieri": -1,
                 "oggi": 0, "stamattina": 0, "stamani": 0, "stasera": 0, "stanotte": 0,
                 "dopodomani": 2, "domani": 1},
        day_month_link=r"(?:°|º)?", past=("scorso", "scorsa"),
        future=("prossimo", "prossima"),
        future_cue=r"\b(?:sarà|saranno|si terrà|dovrà|dovranno|previsto|prevista|è atteso|"
                   r"è attesa)\b",
        recurring=("un", "ogni", "tutti i", "tutte le"),
        generic=r"\b(?:fino\s+)?ad\s+oggi\b|\bal\s+giorno\s+d['’]oggi\b|\bancora\s+oggi\b|"
                r"\boggi\s+ancora\b"),
    "de": Calendar(
        weekdays=(("Montag",), ("Dienstag",), ("Mittwoch",), ("Donnerstag",), ("Freitag",),
                  ("Samstag", "Sonnabend"), ("Sonntag",)),
        months=(("Januar", "Jänner", "Jan"), ("Februar", "Feb"), ("März", "Maerz"),
                ("April", "Apr"), ("Mai",), ("Juni",), ("Juli",), ("August", "Aug"),
                ("September", "Sept"), ("Oktober", "Okt"), ("November", "Nov"),
                ("Dezember", "Dez")),
        deictic={"vorgestern": -2, "gestern abend": -1, "gestern": -1, "heute": 0,
                 "heute morgen": 0, "heute abend": 0, "übermorgen": 2, "morgen": 1},
        day_month_link=r"\.?", past=("vergangenen", "vergangener", "letzten", "letzter"),
        future=("kommenden", "kommender", "nächsten", "nächster"),
        future_cue=r"\b(?:wird|werden|soll|sollen|geplant|bevorstehend)\b",
        recurring=("jeden", "jeder", "jedem"),
        generic=r"\bbis\s+heute\b|\bvon\s+heute\b"),
}


# Words that move a narrative a day on or a day back from the day it was on ("le
# lendemain", "the day before"): read against the day a passage opened with.
_NEXT_DAY = {
    "en": r"the (?:next|following) day|the day after|a day later",
    "es": r"al día siguiente|el día siguiente|un día después|al otro día",
    "fr": r"le lendemain|un jour plus tard|le jour suivant",
    "it": r"il giorno (?:dopo|seguente|successivo)|l['’]indomani",
    "de": r"am (?:nächsten|folgenden) Tag|tags darauf|einen Tag später",
}
_DAY_BEFORE = {
    "en": r"the (?:previous|preceding) day|the day before|a day earlier|the night before",
    "es": r"la víspera|el día anterior|un día antes",
    "fr": r"la veille|un jour plus tôt|le jour précédent",
    "it": r"il giorno (?:prima|precedente)|la vigilia",
    "de": r"am Vortag|einen Tag (?:zuvor|vorher)",
}


@functools.cache
def day_shift(language: str | None) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Patterns of the words that move a narrative a day on and a day back, in
    ``language`` (English for a language without them)."""
    key = language if language in _NEXT_DAY else ENGLISH
    return tuple(re.compile(r"(?<!\w)(?:" + table[key] + r")(?!\w)(?!\s+(?:de|du|des|d['’]|of|"
                            r"del|di|della|dello|von)\b)", re.IGNORECASE)
                 for table in (_NEXT_DAY, _DAY_BEFORE))  # type: ignore[return-value]


# --- reported speech -----------------------------------------------------------------------
# Verbs (and verb phrases) that introduce or close a quotation, in the forms news uses.
SPEECH_VERBS = {
    "es": ("dijo", "dice", "ha dicho", "afirmó", "afirma", "ha afirmado", "declaró",
           "aseguró", "asegura", "ha asegurado", "señaló", "señala", "explicó", "explica",
           "añadió", "indicó", "manifestó", "advirtió", "denunció", "sostuvo", "subrayó",
           "insistió", "agregó", "comentó", "anunció", "reconoció", "precisó", "tuiteó",
           "escribió", "afirmaba", "decía", "según"),
    "fr": ("a déclaré", "a dit", "a affirmé", "a assuré", "a expliqué", "a ajouté",
           "a indiqué", "a souligné", "a estimé", "a averti", "a annoncé", "a précisé",
           "a dénoncé", "a reconnu", "a insisté", "a confié", "a lancé", "déclare", "dit",
           "affirme", "assure", "explique", "ajoute", "indique", "souligne", "estime",
           "déclarait", "disait", "selon", "a-t-il déclaré", "a-t-il dit", "a-t-il ajouté",
           "a-t-elle déclaré", "a-t-elle dit", "a-t-il affirmé", "a-t-il expliqué"),
    "it": ("ha detto", "ha dichiarato", "ha affermato", "ha spiegato", "ha aggiunto",
           "ha sottolineato", "ha annunciato", "ha precisato", "ha denunciato",
           "ha assicurato", "ha ribadito", "ha commentato", "ha scritto", "ha avvertito",
           "dice", "afferma", "dichiara", "spiega", "aggiunge", "sottolinea", "disse",
           "dichiarò", "affermò", "secondo"),
    "de": ("sagte", "sagt", "erklärte", "erklärt", "betonte", "betont", "fügte hinzu",
           "teilte mit", "warnte", "warnt", "kündigte an", "schrieb", "meinte", "sagten",
           "erklärten", "hieß es", "so", "laut", "zufolge", "behauptete", "versicherte"),
}

# Openers that make a sentence lean on the one before it (pronouns, connectives).
_DANGLING = {
    "es": r"Él|Ella|Ellos|Ellas|Esto|Eso|Este|Esta|Estos|Estas|Ese|Esa|Su|Sus|Pero|Y|"
          r"Sin embargo|Además|También|Asimismo|Por eso|Por ello|Por lo tanto|Entonces|"
          r"Mientras tanto|Por otra parte|Por otro lado|En cambio|Luego|Después|Otros|"
          r"Otras|Ambos|Dicho|Dicha|El portavoz|La portavoz|El ministro|El comunicado",
    "fr": r"Il|Elle|Ils|Elles|Ce|Cela|Ceci|Cette|Ces|Son|Sa|Ses|Leur|Leurs|Mais|Et|"
          r"Cependant|Pourtant|Toutefois|En outre|De plus|Aussi|Ainsi|Alors|Donc|Puis|"
          r"Ensuite|Par ailleurs|En revanche|D'autres|D’autres|Les deux|Le porte-parole|"
          r"Le ministre|Le communiqué|Selon lui|Selon elle",
    "it": r"Lui|Lei|Loro|Egli|Essa|Esso|Questo|Questa|Questi|Queste|Quello|Quella|Suo|Sua|"
          r"Suoi|Sue|Ma|E|Però|Tuttavia|Inoltre|Anche|Così|Quindi|Poi|Allora|Intanto|"
          r"Invece|Altri|Altre|Entrambi|Il portavoce|Il ministro|Il comunicato|Secondo lui",
    "de": r"Er|Sie|Es|Dies|Diese|Dieser|Dieses|Das|Sein|Seine|Ihr|Ihre|Aber|Und|Doch|"
          r"Jedoch|Außerdem|Zudem|Auch|Daher|Deshalb|Dann|Danach|Allerdings|Andere|Beide|"
          r"Der Sprecher|Die Sprecherin|Der Minister|Die Erklärung",
}


@functools.cache
def dangling(language: str) -> re.Pattern[str] | None:
    """A sentence opening that points back, for ``language``; ``None`` when none is known."""
    words = _DANGLING.get(language)
    if words is None:
        return None
    return re.compile(r"^(?:[\"“„«‘'»]\s*)?(?:" + words + r")\b")


def limitations(language: str, paraphrases: bool = False) -> tuple[str, ...]:
    """What a brief in ``language`` does not do as well as in English, in plain words;
    ``paraphrases``: its sentences were compared by a multilingual sentence encoder too."""
    name = NAMES.get(language, f"'{language}'")
    if language == ENGLISH:
        return ()
    if language not in BRIEF_LANGUAGES:
        return (f"{name}: no language rules; sentences were compared by their words only, "
                "dates, figures, quotes and entities were not looked for",)
    notes = [] if paraphrases else [
        f"{name}: sentences compared by light-stemmed words without stop words "
        "(no paraphrase model for a story this large, or another encoder chosen)"]
    if language == "fr":
        notes.append(f"{name}: names from spaCy's small French model on the leading "
                     "sentences, capitalisation rules elsewhere; types from head words "
                     "and titles, and no gazetteer of French place names")
    elif language == "de":
        notes.append(f"{name}: names only with evidence (a title, a head word, a known "
                     "place, an acronym): German capitalises every noun, and there is no "
                     "German name model; many names are missed")
    else:
        notes.append(f"{name}: names found by capitalisation rules only (no {name} name "
                     "model): lower recall, and types guessed from head words and titles")
    notes.append(f"{name}: quotes found by {name} quotation marks, dialogue dashes and "
                 "speech verbs; a speaker only when named next to the verb (no parser)")
    notes.append(f"{name}: figures from digits with {name} separators and small number "
                 "words")
    notes.append(f"{name}: disagreements only between differing figures (no negation "
                 "or assertion analysis)")
    return tuple(notes)


def majority_language(languages: list[str | None]) -> str:
    """The language most of ``languages`` are (unknown counts as English), earlier ones
    breaking ties: whose rules a timeline or an input's event split uses. A brief's own
    language, which may be asked for, is :func:`newsfuse.story.crosslang.story_language`."""
    counts: dict[str, int] = {}
    for language in languages:
        key = language or ENGLISH
        counts[key] = counts.get(key, 0) + 1
    if not counts:
        return ENGLISH
    return max(counts, key=lambda k: counts[k])  # first seen wins a tie (dict order)
