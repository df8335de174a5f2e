"""Every tuning constant in one place, each with what it trades off and how it was chosen."""

from __future__ import annotations

# --- reading -----------------------------------------------------------------------------
# Longest article body kept, in characters. News articles rarely pass 60k characters; the cap
# bounds cleaning and segmentation time on pathological input (a 50 MB one-line file) and is
# reported as a warning, never applied silently.
MAX_ARTICLE_CHARS = 300_000
# Bytes read from a single plain-text or HTML file (4 bytes per character in the worst case).
MAX_FILE_BYTES = 4 * MAX_ARTICLE_CHARS
# Bytes of a file looked at to sniff its format and encoding.
SNIFF_BYTES = 8192
# Share of control characters (besides tab/newline/CR/FF) above which a file is binary.
BINARY_CONTROL_SHARE = 0.10
# Fewer words than this extracted from a page means it has no article (a menu, an error page).
MIN_HTML_WORDS = 10
# Largest CSV field accepted (the csv module's default of 128 KiB is too small for bodies).
MAX_CSV_FIELD = 10_000_000
# Epoch values above this are milliseconds, below it seconds (1e11 s is the year 5138).
EPOCH_MS_THRESHOLD = 100_000_000_000
# Dates outside this range of years are treated as unparseable rather than trusted.
MIN_YEAR, MAX_YEAR = 1900, 2100

# Field names real datasets use (WCEP, news-please, news-tls, Common Crawl News exports),
# tried in order, case-insensitively.
ID_FIELDS = ("id", "uid", "_id", "doc_id", "article_id", "guid")
TITLE_FIELDS = ("title", "headline")
TEXT_FIELDS = ("text", "body", "content", "maintext", "article", "article_text", "description")
DATE_FIELDS = (
    "date", "dct", "published", "publish_date", "date_publish", "published_at",
    "publishedat", "pubdate", "date_published", "datetime", "time", "timestamp",
)
URL_FIELDS = ("url", "link", "uri", "source_url")
OUTLET_FIELDS = ("source", "outlet", "publisher", "sitename", "site_name", "source_domain",
                 "domain", "hostname")
LANGUAGE_FIELDS = ("language", "lang")

# --- cleaning ----------------------------------------------------------------------------
# A line with at most this many words and no sentence-final punctuation is a title when it
# opens a plain-text file, and a subheading inside the body.
MAX_HEADING_WORDS = 12
MAX_TITLE_WORDS = 30
# Lines longer than this are never dropped whole as furniture (text scraped as one line holds
# the article and its furniture together); their sentences are judged one by one instead.
MAX_FURNITURE_LINE_WORDS = 80
# Multi-sentence quotations: the segmenter's pieces are re-joined while a quotation is open,
# at most this many pieces and characters (bounds damage from unbalanced quote marks).
MAX_QUOTE_MERGE_PIECES = 6
MAX_QUOTE_MERGE_CHARS = 900

# --- language ----------------------------------------------------------------------------
# Restricting langid to the languages a news desk meets keeps it fast and avoids exotic
# false positives on short English text.
LANGUAGES = ("en", "es", "fr", "de", "it", "pt", "nl", "sv", "pl", "ru", "uk", "tr", "ar",
             "fa", "he", "hi", "id", "zh", "ja", "ko")
# Characters of an article given to the identifier: enough for a stable answer.
LANGUAGE_SAMPLE_CHARS = 800
# Below this many letters, no language is claimed.
MIN_LANGUAGE_LETTERS = 20
# Headlines and other short texts: langid scores "Carl Icahn slams eBay CEO" as German, so
# below SHORT_TEXT_LETTERS a language other than English is claimed only when near-certain,
# else the language is left unknown. On the 2,989 UCI headlines langid alone called 54
# English headlines another language, none above 0.85 probability; with this rule, none.
SHORT_TEXT_LETTERS = 150
SHORT_TEXT_MIN_PROBABILITY = 0.95
