"""The Python worker daemon of a local Spark session, with newsfuse already imported.

PySpark forks every Python worker from one daemon process. Importing the job's stages
(the readers, cleaning, the clustering engine with datasketch, pandas, pyarrow) takes a
few CPU seconds; done here once, before the daemon starts forking, every worker inherits
the modules instead of importing them again. The session points
``spark.python.daemon.module`` here when it starts the JVM itself (local mode).

The JVM puts the copies of pyspark and py4j zipped inside the pyspark package first on the
workers' path. Imported from there, every module is compiled from source at each start
(a zip holds no compiled files), and each new worker's first task, which adds Spark's file
folder to the path, makes Python read the zip's directory again for each of its
sub-packages (``importlib.invalidate_caches``; 0.4 CPU-s per worker). When the package
installed beside newsfuse is the very one those zips come from, the daemon imports it from
there instead: the same code, from its installed files.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


def unzipped_pyspark() -> bool:
    """Take pyspark's own zipped copies (``pyspark/python/lib/*.zip`` of the installed
    package) off ``sys.path`` when the installed package can be imported without them;
    whether they were taken off. Call it before pyspark is imported."""
    zips = [p for p in sys.path if p.endswith(".zip") and Path(p).parent.parts[-3:] ==
            ("pyspark", "python", "lib")]
    if not zips or "pyspark" in sys.modules:
        return False
    kept = [p for p in sys.path if p not in zips]
    before, sys.path[:] = list(sys.path), kept
    pyspark, py4j = importlib.util.find_spec("pyspark"), importlib.util.find_spec("py4j")
    home = Path(pyspark.origin).parent if pyspark and pyspark.origin else None
    if home is None or py4j is None or any(Path(z).parent != home / "python" / "lib"
                                           for z in zips):
        sys.path[:] = before  # another pyspark than the zips' one: leave the path alone
        return False
    for key in [k for k in sys.path_importer_cache if k.startswith(tuple(zips))]:
        del sys.path_importer_cache[key]  # else each invalidation reads the zips again
    return True


def preload() -> None:
    """Import what the job's Python functions use."""
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401
    import pyspark.sql.pandas.serializers
    import pyspark.worker  # noqa: F401

    import newsfuse.spark.job
    import newsfuse.spark.stages  # noqa: F401


if __name__ == "__main__":
    import gc

    unzipped_pyspark()
    preload()
    # What is imported stays: kept out of the collector's passes, the forked workers do not
    # copy the pages of these objects when they collect their own garbage.
    gc.freeze()
    from pyspark.daemon import manager

    manager()
