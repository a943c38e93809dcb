"""Property-based API robustness: schemathesis drives every operation of the OpenAPI schema.

No generated request may cause a server error (5xx); every 4xx must be a JSON body with a
`detail` message.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from projektatlas.ingest import ingest
from projektatlas.store.db import open_store
from projektatlas.web.app import create_app
from tests.conftest import ROOT, SEEDS


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    engine = open_store(f"sqlite:///{tmp_path_factory.mktemp('api') / 'api.db'}")
    ingest(engine, [str(SEEDS), str(ROOT / "examples" / "corpus")], workers=1)
    return create_app(engine=engine)


def json_error_with_message(response, case) -> None:
    """Every client error is JSON with a message a person can read."""
    if 400 <= response.status_code < 500:
        body = response.json()
        assert isinstance(body, dict) and body.get("detail"), (case.path, response.text[:200])


def test_no_server_errors_and_json_client_errors(app):
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8, "the API schema lists too few operations"
    tried: dict[str, int] = {}
    for operation in operations:

        @settings(
            max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        @given(case=operation.as_strategy())
        def run(case):
            label = case.operation.label
            response = case.call()
            case.validate_response(response, checks=[not_a_server_error])
            json_error_with_message(response, case)
            tried[label] = tried.get(label, 0) + 1

        run()
    assert sum(tried.values()) >= 100, tried
