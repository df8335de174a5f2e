"""How a session the job starts itself sets up its processes: the JVM's class archive
(named by what it depends on, recorded once, put in place whole or not at all) and the
Python worker daemon (pyspark from its installed files, not its zipped copy)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pyspark
import pytest

from newsfuse.spark import classes

JAVA_OPTIONS = "-XX:+UseSerialGC"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("NEWSFUSE_SPARK_CLASS_ARCHIVE", raising=False)
    return tmp_path


def test_the_archive_is_named_by_the_runtime_pyspark_and_the_options(cache: Path) -> None:
    path = classes.archive_path(JAVA_OPTIONS)
    assert path is not None and path.parent == cache / "newsfuse" / "spark"
    assert pyspark.__version__ in path.name
    assert classes.archive_path(JAVA_OPTIONS) == path  # stable
    assert classes.archive_path(JAVA_OPTIONS + " -Xss2m") != path  # other options, other file


def test_options_record_once_then_map_the_archive(cache: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = classes.archive_path(JAVA_OPTIONS)
    assert path is not None
    # Not asked to record and none there: the options as given.
    assert classes.options(JAVA_OPTIONS, record=False) == (JAVA_OPTIONS, None)
    recording, partial = classes.options(JAVA_OPTIONS, record=True)
    assert partial is not None and partial.parent == path.parent
    assert f"-XX:ArchiveClassesAtExit={partial}" in recording
    assert recording.startswith(JAVA_OPTIONS) and classes.QUIET in recording
    path.write_bytes(b"archive")
    mapping, none = classes.options(JAVA_OPTIONS, record=True)
    assert none is None and f"-XX:SharedArchiveFile={path}" in mapping
    assert "-Xshare:auto" in mapping  # an archive the JVM rejects is ignored, not fatal
    monkeypatch.setenv("NEWSFUSE_SPARK_CLASS_ARCHIVE", "0")
    assert classes.options(JAVA_OPTIONS, record=True) == (JAVA_OPTIONS, None)


def test_no_recording_without_room_for_the_archive(cache: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    usage = shutil.disk_usage(cache)
    monkeypatch.setattr(shutil, "disk_usage",
                        lambda _: usage._replace(free=100 << 20))  # 100 MB free
    assert classes.options(JAVA_OPTIONS, record=True) == (JAVA_OPTIONS, None)


def test_stale_half_written_archives_are_removed(cache: Path) -> None:
    path = classes.archive_path(JAVA_OPTIONS)
    assert path is not None
    path.parent.mkdir(parents=True)
    stale = path.parent / ".partial-1-2-old.jsa"
    fresh = path.parent / ".partial-3-4-new.jsa"
    stale.write_bytes(b"x")
    fresh.write_bytes(b"x")
    old = 10 * 3600
    os.utime(stale, (stale.stat().st_mtime - old, stale.stat().st_mtime - old))
    classes.options(JAVA_OPTIONS, record=True)
    assert not stale.exists() and fresh.exists()


class _Session:
    stopped = False

    def stop(self) -> None:
        self.stopped = True


def _fake_jvm(script: str, monkeypatch: pytest.MonkeyPatch) -> subprocess.Popen[bytes]:
    """A process standing for pyspark's JVM: it runs ``script`` once its input ends, as
    the JVM exits (and writes its archive) when pyspark closes its input."""
    from pyspark import SparkContext

    process = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE)
    gateway = SimpleNamespace(proc=process, shutdown=lambda: None)
    monkeypatch.setattr(SparkContext, "_gateway", gateway)
    monkeypatch.setattr(SparkContext, "_jvm", object())
    return process


def test_finish_puts_the_archive_written_at_exit_in_place(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pyspark import SparkContext

    _, partial = classes.options(JAVA_OPTIONS, record=True)
    assert partial is not None
    _fake_jvm(f"import sys; sys.stdin.read(); open({str(partial)!r}, 'wb').write(b'cds')",
              monkeypatch)
    session = _Session()
    saved = classes.finish(session, partial)  # type: ignore[arg-type]
    assert session.stopped
    assert saved == classes.archive_path(JAVA_OPTIONS)
    assert saved is not None and saved.read_bytes() == b"cds" and not partial.exists()
    assert SparkContext._gateway is None  # a later session starts a JVM of its own


def test_finish_leaves_nothing_when_the_jvm_wrote_no_archive(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, partial = classes.options(JAVA_OPTIONS, record=True)
    assert partial is not None
    _fake_jvm("import sys; sys.stdin.read()", monkeypatch)
    assert classes.finish(_Session(), partial) is None  # type: ignore[arg-type]
    archive = classes.archive_path(JAVA_OPTIONS)
    assert archive is not None and not archive.exists()
    assert not list(archive.parent.glob(".partial-*"))


def test_the_daemon_imports_the_installed_pyspark_not_its_zips() -> None:
    lib = Path(pyspark.__file__).parent / "python" / "lib"
    zips = sorted(str(z) for z in lib.glob("*.zip"))
    assert zips, "pyspark ships its zipped copies"
    script = ("import sys, importlib; import newsfuse.spark.daemon as d; "
              "taken = d.unzipped_pyspark(); import pyspark, py4j; "
              "print(taken, pyspark.__file__, py4j.__file__, "
              "any('.zip' in k and 'pyspark' in k for k in sys.path_importer_cache))")
    src = str(Path(classes.__file__).parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*zips, src])}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out[0] == "True"
    assert out[1] == pyspark.__file__ and ".zip" not in out[2]
    assert out[3] == "False"  # no zip importer left to read the zips again
    # A pyspark other than the installed one (zips elsewhere): the path is left alone.
    other = subprocess.run(
        [sys.executable, "-c", "import sys; sys.path.insert(0, '/elsewhere/pyspark/python/"
         "lib/pyspark.zip'); import newsfuse.spark.daemon as d; print(d.unzipped_pyspark())"],
        env={**os.environ, "PYTHONPATH": src}, capture_output=True, text=True, check=True)
    assert other.stdout.strip() == "False"
