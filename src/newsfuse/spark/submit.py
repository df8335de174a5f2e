"""The file to give ``spark-submit``: ``newsfuse spark`` with the arguments that follow.

    spark-submit --master yarn --archives newsfuse-env.tar.gz#env \\
        "$(python -c 'import newsfuse.spark.submit as m; print(m.__file__)')" \\
        s3a://bucket/crawl/ --out s3a://bucket/newsfuse/run1

The master, executors and memory come from spark-submit (``--master``, ``--conf``); the
options after the file are those of ``newsfuse spark``.
"""

from __future__ import annotations

import sys

from newsfuse.cli import main

if __name__ == "__main__":
    sys.exit(main(["spark", *sys.argv[1:]]))
