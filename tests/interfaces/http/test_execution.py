"""The HTTP edge of a query: it screens the query and negotiates the media type of either query form
before the engine sees it, so the engine never parses an Accept header."""

from __future__ import annotations

import pytest

from kgservice.config import Settings
from kgservice.engine.embedded import OxigraphStore
from kgservice.errors import ForbiddenOperation, NotAcceptable, QuerySyntaxError
from kgservice.interfaces.http.execution import query_request

SETTINGS = Settings(max_result_bytes=1234)
ASK = "ASK { ?s ?p ?o }"


@pytest.mark.parametrize(
    ("accept", "results", "graph"),
    [
        (None, "application/sparql-results+json", "text/turtle"),
        ("text/csv", "text/csv", None),
        ("application/n-triples", None, "application/n-triples"),
        ("text/plain", None, "text/plain"),
        ("image/png", None, None),
        ("text/*;q=0.5, application/sparql-results+xml", "application/sparql-results+xml", "text/turtle"),
    ],
)
def test_the_edge_chooses_a_media_type_for_each_query_form(accept: str | None, results: str | None, graph: str | None) -> None:
    request = query_request(SETTINGS, ASK, accept)
    assert (request.results_media, request.graph_media) == (results, graph)
    assert request.max_bytes == 1234


def test_a_dataset_given_in_the_query_or_the_request_turns_the_union_off() -> None:
    assert query_request(SETTINGS, ASK, None).dataset.union_default_graph
    assert not query_request(SETTINGS, "ASK FROM <http://e/g> { ?s ?p ?o }", None).dataset.union_default_graph
    named = query_request(SETTINGS, ASK, None, ("http://e/g",), ("http://e/h",))
    assert (named.dataset.default_graphs, named.dataset.named_graphs) == (("http://e/g",), ("http://e/h",))


def test_the_edge_screens_before_anything_runs() -> None:
    with pytest.raises(ForbiddenOperation, match="not on this service's allow-list"):
        query_request(SETTINGS, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", None)


def test_the_engine_answers_the_edges_request_or_says_why_not() -> None:
    engine = OxigraphStore()
    assert engine.serialize(query_request(SETTINGS, ASK, "text/csv")).body.strip() == b"false"
    with pytest.raises(NotAcceptable, match="available: text/turtle"):
        engine.serialize(query_request(SETTINGS, "CONSTRUCT WHERE { ?s ?p ?o }", "text/csv"))
    with pytest.raises(QuerySyntaxError, match=r"^query syntax error:2:7: "):
        engine.serialize(query_request(SETTINGS, "SELECT * WHERE { ?s ?p ?o }\nLIMIT x", None))
