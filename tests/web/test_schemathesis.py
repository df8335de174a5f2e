"""Property-based API tests generated from the OpenAPI description (schemathesis): every
operation, with valid and invalid inputs, must answer within its documented responses and
schemas, never with a server error."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from newsfuse.web import create_app
from tests.web.conftest import ENCODER


@pytest.fixture
def api_schema(writable_store):
    # schemathesis calls the app as "testserver": allowed like a configured server name
    app = create_app(str(writable_store), encoder=ENCODER, allowed_hosts=["testserver"])
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


def operations(api_schema) -> list:
    return [result.ok() for result in api_schema.get_all_operations()]


def test_api_conforms_to_its_openapi_description(api_schema):
    checked = []
    for operation in operations(api_schema):

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def conforms(case) -> None:
            case.call_and_validate()

        conforms()
        checked.append(operation.label)
    assert len(checked) == 7, checked  # GET /api/feeds included


def test_openapi_names_every_endpoint(api_schema):
    raw = api_schema.raw_schema
    paths = raw["paths"]
    assert {"/api/events", "/api/events/{event_id}", "/api/stories/{story_id}",
            "/api/articles/{article_id}", "/api/search", "/api/articles"} <= set(paths)
    brief = raw["components"]["schemas"]["Brief"]
    assert {"summary", "facts", "conflicts", "sources"} <= set(brief["required"])
