"""A bounded Schemathesis run against a real server process, with the write token so that updates and
graph store writes are exercised: no answer is a 5xx, and every status, media type and JSON body is one
the OpenAPI schema declares. Bounded: a few examples per operation, no shrinking, a per-request timeout."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.server import TOKEN, Server, running_server  # noqa: E402

AUTH = {"Authorization": f"Bearer {TOKEN}"}
EXAMPLES = 30  # per operation: 23 operations, ~700 requests in well under a minute on two cores
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# The API, not the pages (HTML, whose schema FastAPI does not describe).
API = r"^/(sparql|rdf-graphs|api/|health)"
# The textual bodies of the protocols, sent as they are generated.
schemathesis.serializer.alias(
    [
        "application/sparql-query",
        "application/sparql-update",
        "application/n-triples",
        "application/x-turtle",
        "application/rdf+xml",
    ],
    "text/plain",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("schemathesis")  # what its writes store goes to its own user-data/
    with running_server(
        folder, write_token=TOKEN, workers="2", query_timeout="5", user_data=str(folder / "user-data")
    ) as running:
        yield running


def _exercise(operation: Any, server: Server) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case: Any) -> None:
        case.call_and_validate(base_url=server.url, headers=AUTH, timeout=30, checks=CHECKS)

    run()


def test_the_api_answers_as_its_schema_says(server: Server) -> None:
    """Every operation of the API, each with a few generated requests; the failures of all are listed."""
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json").include(path_regex=API)
    failures, operations = [], 0
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            _exercise(operation, server)
        # Each operation's failure is kept and the next operation runs, so one run lists them all.
        except (Exception, BaseExceptionGroup) as error:
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    print(f"schemathesis: {operations} operations, {time.monotonic() - started:.0f} s")
    assert operations >= 20
    assert not failures, "\n\n".join(failures)
