"""A class archive for the JVM of a session the job starts itself (Java's class-data
sharing, dynamic archives, Java 13 and later).

A Spark session loads some 18,000 classes (Spark, Scala, Hadoop, Parquet, Arrow)
out of pyspark's 250-odd jars: finding each one in the jars, parsing and verifying it is
about a third of a session's start-up CPU, and it goes on through the first job. Java can
save the classes a run loaded, parsed and verified (``-XX:ArchiveClassesAtExit``) and map
them at the next start (``-XX:SharedArchiveFile``).

* ``newsfuse spark`` records the archive during its first run on a machine (the JVM writes
  it as it exits: about 20 s, once) and uses it from the next run on. The benchmark
  records it before it measures; library callers use one when it is there.
* The file is named by a digest of what it depends on: the Java runtime (its path, size and
  time), pyspark's version and jars (names, sizes, times) and the JVM options. Another
  installation gets its own archive, never a stale one. The JVM checks the class path
  again itself and ignores an archive that does not match (``-Xshare:auto``): the session
  then starts as it would without one.
* It is written under a temporary name and renamed into place, so a JVM maps a whole archive
  or none; a temporary file left by a process that died is removed after an hour.
* It takes about 190 MB under ``$XDG_CACHE_HOME/newsfuse/spark`` (else ``~/.cache``) and can
  be deleted at any time. ``NEWSFUSE_SPARK_CLASS_ARCHIVE=0`` turns it off.
* Under ``spark-submit`` nothing is added: the JVM is started before the job runs. On a
  cluster, an archive recorded with the same jars can be passed with
  ``spark.driver.extraJavaOptions`` and ``spark.executor.extraJavaOptions``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

from newsfuse import settings
from newsfuse.cache import PARTIAL, cache_home, remove_stale_partials

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

# The JVM's messages about the archive (classes it cannot keep, such as those of signed
# jars; an archive that does not match) are not the user's business: either way the job
# runs the same.
QUIET = "-Xlog:cds*=off -Xlog:class+path*=off"


def enabled() -> bool:
    """Whether sessions use a class archive (``NEWSFUSE_SPARK_CLASS_ARCHIVE`` not off)."""
    return os.environ.get("NEWSFUSE_SPARK_CLASS_ARCHIVE", "1").strip().lower() not in (
        "0", "false", "no", "off")


def archive_path(java_options: str) -> Path | None:
    """Where the archive for this Java runtime, pyspark and ``java_options`` is kept;
    ``None`` when there is no cache folder or the runtime or pyspark cannot be found."""
    home = cache_home()
    java = _java()
    if home is None or java is None:
        return None
    try:
        import pyspark
    except ImportError:
        return None
    jars = Path(pyspark.__file__).parent / "jars"
    digest = hashlib.sha256()
    try:
        for path in (java, *sorted(jars.glob("*.jar"))):
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    except OSError:
        return None
    digest.update(f"{pyspark.__version__}\0{java_options}".encode())
    return home.joinpath(*settings.SPARK_CLASS_ARCHIVE_CACHE,
                         f"pyspark-{pyspark.__version__}-{digest.hexdigest()[:24]}.jsa")


def existing(java_options: str) -> Path | None:
    """The archive a session started with ``java_options`` maps, if there is one (and
    archives are enabled)."""
    if not enabled():
        return None
    path = archive_path(java_options)
    return path if path is not None and path.is_file() else None


def _partial(final: Path) -> Path:
    """The temporary name a JVM records ``final`` under (unique to this process and call)."""
    return final.with_name(f"{PARTIAL}{os.getpid()}-{time.time_ns()}-{final.name}")


def _final(partial: Path) -> Path:
    """The archive's own name, from the temporary one :func:`_partial` gave it."""
    return partial.with_name(partial.name[len(PARTIAL):].split("-", 2)[-1])


def _java() -> Path | None:
    """The ``java`` pyspark launches: ``$JAVA_HOME/bin/java``, else the one on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    found = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not found:
        return None
    try:
        return Path(found).resolve(strict=True)
    except OSError:
        return None


def options(java_options: str, record: bool) -> tuple[str, Path | None]:
    """The JVM options to start a session with: ``java_options`` plus the archive's, and
    the temporary file the JVM writes the archive to when it exits (when ``record`` and
    there is no archive yet; :func:`finish` then puts it in place)."""
    path = archive_path(java_options) if enabled() else None
    if path is None:
        return java_options, None
    if path.is_file():
        return f"{java_options} -XX:SharedArchiveFile={path} -Xshare:auto {QUIET}", None
    if not record:
        return java_options, None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_partials(path.parent, settings.SPARK_CLASS_ARCHIVE_STALE_S)
        if shutil.disk_usage(path.parent).free < settings.SPARK_CLASS_ARCHIVE_MIN_FREE_MB << 20:
            return java_options, None  # no room for it: a cut-off archive is no archive
    except OSError:
        return java_options, None
    partial = _partial(path)
    return f"{java_options} -XX:ArchiveClassesAtExit={partial} {QUIET}", partial


def finish(spark: SparkSession, partial: Path | None) -> Path | None:
    """Stop ``spark`` and, when its JVM was told to record the archive to ``partial``,
    let the JVM exit (it writes the archive as it does), then put the archive in place.
    The archive's path, or ``None`` when none was written."""
    spark.stop()
    if partial is None:
        return None
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    process = getattr(gateway, "proc", None)
    if gateway is None or process is None:
        return None
    with contextlib.suppress(Exception):  # the connections may be gone already
        gateway.shutdown()
    SparkContext._gateway = None  # a later session starts a JVM of its own
    SparkContext._jvm = None
    try:
        if process.stdin is not None:
            process.stdin.close()  # on end of input, pyspark's JVM exits
        process.wait(timeout=settings.SPARK_CLASS_ARCHIVE_WAIT_S)
    except Exception:  # a JVM that does not end in time (or a closed pipe): no archive
        with contextlib.suppress(OSError):
            process.kill()
        with contextlib.suppress(OSError):
            partial.unlink()
        return None
    final = _final(partial)
    try:
        if partial.stat().st_size == 0:
            raise OSError("empty archive")
        partial.replace(final)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink()
        return None
    return final

