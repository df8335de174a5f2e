"""A store of real reports plus hostile ones, and the web app over it."""

from __future__ import annotations

from pathlib import Path

import pytest

import newsfuse
from newsfuse.corpus.store import Store
from tests.conftest import EXAMPLES, SEEDS, TEST_DATA

HOSTILE = TEST_DATA / "web" / "hostile.jsonl"
ENCODER = "tfidf"  # briefs built on request; the encoder is not what these tests are about


def build_store(path: Path) -> Path:
    with Store(path) as store:
        store.ingest(newsfuse.read([SEEDS, EXAMPLES, HOSTILE]))
    return path


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web") / "news.db")


@pytest.fixture
def writable_store(store_path: Path, tmp_path: Path) -> Path:
    """A private copy of the store, for tests that write."""
    copy = tmp_path / "news.db"
    with Store(store_path, readonly=True) as store:
        store.db.execute(f"VACUUM INTO '{copy}'")
    return copy


# The address a loopback server is reached at: requests name it in their Host header.
BASE_URL = "http://127.0.0.1:8000"


@pytest.fixture(scope="session")
def client(store_path: Path):
    from fastapi.testclient import TestClient

    from newsfuse.web import create_app

    with TestClient(create_app(str(store_path), encoder=ENCODER),
                    base_url=BASE_URL) as test_client:
        yield test_client
