"""The language model's cache: the package's own parameters bit for bit, the same language and
probability on real articles, written once and atomically, never unpickled, and the package's
loader when the cache cannot be written or is damaged."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from py3langid.langid import LanguageIdentifier
from py3langid.modelio import load_model

from newsfuse import settings
from newsfuse.text import language
from tests.conftest import DATA, TIMELINE17


def _texts() -> list[str]:
    """Real articles in several languages: Timeline17 (English), the CL-TLS dev set (Spanish,
    French, Italian) and the bodies of the extraction benchmark's pages (some not English),
    each whole and cut to a headline's length."""
    texts: list[str] = []
    for collection in sorted(TIMELINE17.iterdir())[:3]:
        articles = json.loads((collection / "articles.json").read_text(encoding="utf-8"))
        texts += [a["text"] for a in articles[:15]]
    for folder in sorted((DATA / "cltls-dev").iterdir()):
        with (folder / "articles.jsonl").open(encoding="utf-8") as lines:
            texts += [json.loads(line)["text"] for _, line in zip(range(15), lines, strict=False)]
    truth = json.loads((DATA / "aeb-pages" / "ground-truth.json").read_text(encoding="utf-8"))
    texts += [page["articleBody"] for page in truth.values()]
    return [cut for text in texts if text.strip()
            for cut in (text[:settings.LANGUAGE_SAMPLE_CHARS], text[:60])]


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


@pytest.fixture(scope="module")
def package_identifier() -> Any:
    identifier = LanguageIdentifier.from_model_file(language.model_file(), norm_probs=True)
    identifier.set_languages(list(settings.LANGUAGES))
    return identifier


def _folder() -> Path:
    folder = language.cache_folder(language.model_file())
    assert folder is not None
    return folder


def test_cache_holds_the_packages_parameters_bit_for_bit(cache_home: Path) -> None:
    model = language.model_file()
    cached = language.cached_parameters(model)
    assert cached is not None
    folder = _folder()
    assert folder.parent == cache_home / "newsfuse" / "langid"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{name}.npy" for name in language.MODEL_ARRAYS)
    packaged = load_model(model)
    ptc, pc, classes, nextmove, row, output = cached
    assert ptc.dtype == packaged[0].dtype and np.array_equal(ptc, packaged[0])
    assert pc.dtype == packaged[1].dtype and np.array_equal(pc, packaged[1])
    assert classes == packaged[2]
    assert nextmove == packaged[3] and nextmove.typecode == packaged[3].typecode
    assert row == packaged[4] and row.typecode == packaged[4].typecode
    assert output == packaged[5]


def test_cached_identifier_gives_the_packages_answers_on_real_articles(
        cache_home: Path, package_identifier: Any) -> None:
    language.load_identifier()  # writes the cache
    cached = language.load_identifier()  # reads it
    texts = _texts()
    answers = [cached.classify(text) for text in texts]
    assert answers == [package_identifier.classify(text) for text in texts]
    found = {code for code, _ in answers}
    assert {"en", "es", "fr", "it"} <= found


def test_second_load_reads_the_cache_without_writing(
        cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    language.load_identifier()
    stamps = {p.name: p.stat().st_mtime_ns for p in _folder().iterdir()}

    def refuse(model: Path, folder: Path) -> bool:
        raise AssertionError("the cache was written again")

    monkeypatch.setattr(language, "write_cache", refuse)
    assert language.load_identifier().classify("Le gouvernement a annoncé une réforme.")[0] == "fr"
    assert {p.name: p.stat().st_mtime_ns for p in _folder().iterdir()} == stamps


def test_unwritable_cache_falls_back_to_the_package(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, package_identifier: Any) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    identifier = language.load_identifier()
    text = "Il governo italiano ha approvato ieri la nuova legge di bilancio."
    assert identifier.classify(text) == package_identifier.classify(text)
    assert blocker.is_file()


@pytest.mark.parametrize("damage", ["truncated", "wrong dtype", "pickled objects", "missing"])
def test_damaged_cache_is_written_again(cache_home: Path, damage: str,
                                        package_identifier: Any) -> None:
    language.load_identifier()
    folder = _folder()
    target = folder / ("ptc.npy" if damage != "pickled objects" else "classes.npy")
    if damage == "truncated":
        target.write_bytes(target.read_bytes()[:1000])
    elif damage == "wrong dtype":
        np.save(target, np.zeros((4, 4), dtype=np.float64))
    elif damage == "pickled objects":
        np.save(target, np.array([{"not": "a class"}], dtype=object), allow_pickle=True)
    else:
        target.unlink()
    assert language.read_cache(folder) is None
    identifier = language.load_identifier()
    assert language.read_cache(folder) is not None
    text = "El presidente anunció este martes un acuerdo con los sindicatos del sector."
    assert identifier.classify(text) == package_identifier.classify(text)


def test_a_folder_already_in_place_is_kept(cache_home: Path) -> None:
    """Two processes writing at once: the second rename fails and the first one's folder is
    used as it is."""
    model = language.model_file()
    assert language.cached_parameters(model) is not None
    folder = _folder()
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert language.write_cache(model, folder)
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == stamps
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]


def test_cache_key_follows_the_model_file(cache_home: Path, tmp_path: Path) -> None:
    model = language.model_file()
    copy = tmp_path / "model.npz.xz"
    copy.write_bytes(model.read_bytes() + b"\0")
    assert language.cache_folder(copy) != language.cache_folder(model)
    copy.write_bytes(model.read_bytes())
    assert language.cache_folder(copy) == language.cache_folder(model)


def test_relative_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert language.cache_home() == Path.home() / ".cache"


def test_stale_partial_folders_are_removed(cache_home: Path) -> None:
    parent = cache_home.joinpath(*settings.LANGUAGE_MODEL_CACHE)
    stale = parent / ".partial-dead"
    fresh = parent / ".partial-writing"
    for folder in (stale, fresh):
        folder.mkdir(parents=True)
        (folder / "ptc.npy").write_bytes(b"half")
    old = time.time() - settings.LANGUAGE_MODEL_CACHE_STALE_S - 60
    os.utime(stale, (old, old))
    language.load_identifier()
    assert not stale.exists()
    assert fresh.exists()
