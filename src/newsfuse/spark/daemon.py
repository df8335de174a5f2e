"""The Python worker daemon of a local Spark session, with newsfuse already imported.

PySpark forks every Python worker from one daemon process. Importing the job's stages
(the readers, cleaning, the clustering engine with datasketch, pandas, pyarrow) takes a
few CPU seconds; done here once, before the daemon starts forking, every worker inherits
the modules instead of importing them again. The session points
``spark.python.daemon.module`` here when it starts the JVM itself (local mode).
"""

from __future__ import annotations


def preload() -> None:
    """Import what the job's Python functions use."""
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401
    import pyspark.sql.pandas.serializers
    import pyspark.worker  # noqa: F401

    import newsfuse.spark.job
    import newsfuse.spark.stages  # noqa: F401


if __name__ == "__main__":
    preload()
    from pyspark.daemon import manager

    manager()
