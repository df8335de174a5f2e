"""Language identification per article, restricted to a news desk's languages for speed.

The identifier is py3langid's, with the model its package installs. That file is an
LZMA-compressed ``.npz``, and decompressing it took about half a second of CPU at every start
of the command line and again in every worker. So the first load also writes the same arrays,
uncompressed, one ``.npy`` file each, to a cache folder
(``$XDG_CACHE_HOME/newsfuse/langid/<py3langid version>-<model's SHA-256>/``, else under
``~/.cache``), and later loads memory-map them. The parameters are the package's own, bit for
bit, and go through the same conversions as py3langid's loader, so every language and
probability is the one py3langid gives.

* Nothing is unpickled: arrays are read with ``allow_pickle=False``, and the cache holds only
  what was read from the installed package.
* The folder's name carries py3langid's version and the model file's hash: another version or
  model gets its own folder, never a stale one.
* The folder is written under a temporary name and renamed into place, so a reader sees a
  complete cache or none (two processes writing at once: one rename wins, both use it).
* When the cache cannot be read or written (no home, a read-only home, a full disk), or its
  files do not have the model's layout, the model is loaded from the package as before, only
  slower. A damaged cache folder is removed and written again.
* The folder takes about 70 MB and can be deleted at any time.
"""

from __future__ import annotations

import functools
import hashlib
import lzma
import os
import shutil
import tempfile
import zipfile
from array import array
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsfuse import settings
from newsfuse.cache import PARTIAL, cache_home, remove_stale_partials

if TYPE_CHECKING:
    import numpy as np

# The arrays of py3langid's model file, by their names in it.
MODEL_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")
_TYPECODES = {2: "H", 4: "I", 8: "L"}
_CACHE_ERRORS = (OSError, ValueError, KeyError, EOFError, lzma.LZMAError, zipfile.BadZipFile)


def model_file() -> Path:
    """The model file the installed py3langid ships."""
    import py3langid

    return Path(py3langid.__file__).parent / "data" / "model.npz.xz"


def cache_folder(model: Path) -> Path | None:
    """Where ``model``'s arrays are kept uncompressed: named by py3langid's version and the
    model file's SHA-256. ``None`` when there is no cache home or the model cannot be read."""
    import py3langid

    home = cache_home()
    if home is None:
        return None
    try:
        with model.open("rb") as f:
            digest = hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None
    version = str(getattr(py3langid, "__version__", "unknown"))
    return home.joinpath(*settings.LANGUAGE_MODEL_CACHE, f"{version}-{digest[:24]}")


def _as_array(values: np.ndarray[Any, Any]) -> array[int]:
    """An unsigned integer array as the stdlib array py3langid walks its automaton over."""
    import numpy as np

    out = array(_TYPECODES[values.dtype.itemsize])
    out.frombytes(np.ascontiguousarray(values).data.cast("B"))
    return out


def _well_formed(arrays: dict[str, np.ndarray[Any, Any]]) -> bool:
    """Whether the arrays have the dtypes and shapes of py3langid's model."""
    ptc, pc, classes = arrays["ptc"], arrays["pc"], arrays["classes"]
    nextmove, rows, out = arrays["nextmove"], arrays["nextmove_row"], arrays["out_feat"]
    return (ptc.dtype.str == "<f2" and ptc.ndim == 2 and pc.dtype.str == "<f4"
            and pc.shape == (ptc.shape[1],) and classes.dtype.kind == "U"
            and classes.shape == pc.shape
            and nextmove.dtype.kind == "u" and nextmove.dtype.itemsize in (2, 4)
            and nextmove.ndim == 1 and nextmove.size % 256 == 0
            and rows.dtype.kind == "u" and rows.dtype.itemsize in (2, 4) and rows.ndim == 1
            and out.dtype.str == "<i4" and out.shape == rows.shape)


def read_cache(folder: Path) -> tuple[Any, ...] | None:
    """The model's parameters from a cache folder, memory-mapped, in the form py3langid's own
    loader gives them; ``None`` when the folder is missing, unreadable or not well formed."""
    import numpy as np

    try:
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
                  for name in MODEL_ARRAYS}
    except (OSError, ValueError, EOFError):
        return None
    if not _well_formed(arrays):
        return None
    return (np.asarray(arrays["ptc"]), np.array(arrays["pc"]), arrays["classes"].tolist(),
            _as_array(arrays["nextmove"]), _as_array(arrays["nextmove_row"]),
            arrays["out_feat"].tolist())


def write_cache(model: Path, folder: Path) -> bool:
    """Write ``model``'s arrays uncompressed to ``folder``, atomically; whether ``folder``
    now holds them (``False`` when it could not be written, e.g. a read-only home)."""
    import numpy as np

    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_partials(folder.parent, settings.LANGUAGE_MODEL_CACHE_STALE_S)
        partial = Path(tempfile.mkdtemp(prefix=PARTIAL, dir=folder.parent))
    except OSError:
        return False
    try:
        with tempfile.TemporaryFile(dir=partial) as raw:
            with lzma.open(model) as packed:
                shutil.copyfileobj(packed, raw, length=1 << 20)
            raw.seek(0)
            with np.load(raw, allow_pickle=False) as data:
                for name in MODEL_ARRAYS:
                    np.save(partial / f"{name}.npy", data[name], allow_pickle=False)
        os.rename(partial, folder)
    except _CACHE_ERRORS:
        shutil.rmtree(partial, ignore_errors=True)
        return folder.is_dir()  # another process may have renamed its copy into place
    return True


def cached_parameters(model: Path) -> tuple[Any, ...] | None:
    """The model's parameters from the cache, written first when missing or damaged;
    ``None`` when the cache cannot be used."""
    folder = cache_folder(model)
    if folder is None:
        return None
    parameters = read_cache(folder)
    if parameters is not None:
        return parameters
    if folder.exists():  # damaged: written again below
        shutil.rmtree(folder, ignore_errors=True)
    if not write_cache(model, folder):
        return None
    return read_cache(folder)


def load_identifier() -> Any:
    """py3langid's identifier for the installed model, with normalised probabilities,
    restricted to ``settings.LANGUAGES``: from the cache when possible, else from the
    package's compressed file."""
    from py3langid.langid import LanguageIdentifier

    model = model_file()
    parameters = cached_parameters(model)
    if parameters is None:
        identifier = LanguageIdentifier.from_model_file(model, norm_probs=True)
    else:  # as py3langid's LanguageIdentifier.from_model_file builds it
        ptc, pc, classes, nextmove, row, output = parameters
        identifier = LanguageIdentifier(ptc, pc, classes, nextmove, output,
                                        norm_probs=True, tk_row=row)
    identifier.set_languages(list(settings.LANGUAGES))
    return identifier


@functools.cache
def _identifier() -> Any:
    return load_identifier()


def identify_language(text: str) -> tuple[str | None, float]:
    """ISO 639-1 code and probability; ``None`` when the text is too short to tell."""
    sample = text[: settings.LANGUAGE_SAMPLE_CHARS]
    letters = sum(map(str.isalpha, sample))
    if letters < settings.MIN_LANGUAGE_LETTERS:
        return None, 0.0
    code, probability = _identifier().classify(sample)
    if (letters < settings.SHORT_TEXT_LETTERS and code != "en"
            and probability < settings.SHORT_TEXT_MIN_PROBABILITY):
        return None, float(probability)  # a headline is too short to call it foreign
    return str(code), float(probability)
