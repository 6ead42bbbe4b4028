"""The layers of the overhead breakdown (benchmarks/overhead_servers.py) measure what they say: the
`no-evaluation` service answers the fixed result whatever the query, the `in-process` one answers exactly as
the shipped service does, and the `uvicorn` layer reads the request and answers the fixed result."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from benchmarks.overhead_servers import FIXED, layer_app
from kgservice.sparql.catalogue import Catalogue

ROOT = Path(__file__).resolve().parents[2]
ACCEPTS = ("application/sparql-results+json", "text/csv")


def _answers(client: TestClient, queries: list[str]) -> list[tuple[int, str | None, bytes]]:
    answers = []
    for query in queries:
        for accept in ACCEPTS:
            response = client.post("/sparql", data={"query": query}, headers={"Accept": accept})
            answers.append((response.status_code, response.headers.get("content-type"), response.content))
    return answers


@pytest.fixture(scope="module")
def queries() -> list[str]:
    catalogue = Catalogue(ROOT / "queries")
    return [catalogue.get(name).text for name in ("strategies", "element-actors")] + ["ASK { ?s a ?class }"]


def test_in_process_answers_as_the_service(tmp_path: Path, queries: list[str]) -> None:
    with TestClient(layer_app("service", tmp_path / "a")) as shipped:
        expected = _answers(shipped, queries)
    with TestClient(layer_app("in-process", tmp_path / "b")) as in_process:
        assert _answers(in_process, queries) == expected
    assert all(status == 200 and body for status, _, body in expected)


def test_no_evaluation_answers_the_fixed_result(tmp_path: Path, queries: list[str]) -> None:
    with TestClient(layer_app("no-evaluation", tmp_path)) as client:
        for query in queries:
            response = client.post("/sparql", data={"query": query})
            assert (response.status_code, response.content) == (200, FIXED.body)
        # the engine finds syntax errors, so with none evaluating a text that does not parse is answered too;
        # the service's own layers still run: a body over its bound and a query nested too deep are refused
        assert client.post("/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT"}).status_code == 200
        assert client.post("/sparql", data={"query": "x" * 2_000_000}).status_code == 413
        assert client.post("/sparql", data={"query": "ASK " + "{" * 100 + "}" * 100}).status_code == 400


def test_uvicorn_layer_reads_the_request_and_answers_the_fixed_result() -> None:
    with TestClient(layer_app("uvicorn", Path("unused"))) as client:
        response = client.post("/sparql", data={"query": "ASK {}"})
    assert (response.status_code, response.content, response.headers["content-length"]) == (200, FIXED.body, "26")
