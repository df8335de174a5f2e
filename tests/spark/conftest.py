"""One SparkSession (local[2], two shuffle partitions, no UI, a small driver) shared by
every Spark test of a test session; the tests carry the ``spark`` xdist group so that they
all run in one worker, with one JVM."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/spark/" in item.nodeid:
            item.add_marker(pytest.mark.xdist_group("spark"))


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    from newsfuse.spark import requirements_missing
    from newsfuse.spark.job import session

    missing = requirements_missing()
    if missing is not None:
        pytest.fail(missing)
    spark = session("local[2]", partitions=2, driver_memory="512m", app="newsfuse-tests")
    yield spark
    spark.stop()
