"""Shared paths: the project's examples and the shared development data beside the repo."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"
TIMELINE17 = DATA / "timeline17-dev"
UCI = DATA / "uci-headlines" / "dev.csv"
AYLIEN = DATA / "aylien-cluster" / "articles.jsonl"
EXAMPLES = ROOT / "examples" / "corpus"
TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def seeds() -> list:
    import newsfuse

    return list(newsfuse.read([SEEDS]))


@pytest.fixture(scope="session")
def examples() -> list:
    import newsfuse

    return list(newsfuse.read([EXAMPLES]))
