"""``newsfuse spark``: the whole pipeline (read, clean, near-duplicates, events, briefs) as
an Apache Spark application, for ``spark-submit`` on a cluster or ``local[*]`` on one
machine. The stages are the local pipeline's own functions (:mod:`newsfuse.spark.stages`);
:mod:`newsfuse.spark.job` moves them over Spark, and :mod:`newsfuse.spark.load` puts a
result into a store for ``serve``.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path


def requirements_missing() -> str | None:
    """Why Spark cannot run here (pyspark or a Java runtime missing), or ``None``."""
    if importlib.util.find_spec("pyspark") is None:
        return ("newsfuse spark needs pyspark: install the extra with "
                "pip install 'newsfuse[spark]'")
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        if not (Path(java_home) / "bin" / "java").exists():
            return (f"newsfuse spark needs a Java runtime (17 or later): JAVA_HOME is "
                    f"{java_home}, which holds no bin/java")
    elif shutil.which("java") is None:
        return ("newsfuse spark needs a Java runtime (17 or later): none on PATH and "
                "JAVA_HOME unset (on Debian: apt-get install openjdk-17-jre-headless, "
                "as scripts/setup-system.sh does)")
    return None

