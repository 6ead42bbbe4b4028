"""The SPARQL 1.1 Protocol over HTTP against a real server process: query forms, negotiation, dataset."""

from __future__ import annotations

import csv
import io
import json

import httpx
import pytest
from rdflib import Graph, Literal, URIRef, Variable
from rdflib.query import Result

from kgservice.engine.embedded import OxigraphStore
from tests.server import Server

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"


def count_of(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_query_by_get_post_form_and_post_direct_agree(server: Server, store: OxigraphStore) -> None:
    by_get = httpx.get(server.sparql, params={"query": COUNT})
    by_form = httpx.post(server.sparql, data={"query": COUNT})
    by_direct = httpx.post(server.sparql, content=COUNT, headers={"Content-Type": "application/sparql-query"})
    assert count_of(by_get) == count_of(by_form) == count_of(by_direct) == len(store)


@pytest.mark.parametrize(
    ("accept", "media", "parser"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
        ("text/csv", "text/csv", "csv"),
        ("text/tab-separated-values", "text/tab-separated-values", "tsv"),
        ("text/*;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml", "xml"),
        ("image/png, */*;q=0.1", "application/sparql-results+json", "json"),
    ],
)
def test_select_results_in_every_format_parse_back(server: Server, accept: str, media: str, parser: str) -> None:
    query = (
        "SELECT ?task WHERE { ?task <https://w3id.org/kgservice/ontology#partOf> "
        "<https://w3id.org/kgservice/id/kalisz-strategy-2004/II-4> }"
    )
    response = httpx.get(server.sparql, params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    result = Result.parse(io.BytesIO(response.content), format=parser)
    expected = {f"https://w3id.org/kgservice/id/kalisz-strategy-2004/II-4.{i}" for i in range(1, 5)}
    assert {str(row[Variable("task")]) for row in result.bindings} == expected


def test_nothing_acceptable_gives_406(server: Server) -> None:
    refused = httpx.get(server.sparql, params={"query": COUNT}, headers={"Accept": "image/png"})
    assert refused.status_code == 406 and "available: application/sparql-results+json" in refused.text
    construct = "CONSTRUCT WHERE { ?s a ?o } LIMIT 1"
    refused = httpx.get(server.sparql, params={"query": construct}, headers={"Accept": "text/csv"})
    assert refused.status_code == 406 and "available: text/turtle" in refused.text


@pytest.mark.parametrize("media", ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"])
def test_construct_in_every_graph_format_parses_back(server: Server, media: str) -> None:
    query = (
        "CONSTRUCT { ?t a ?c } WHERE { ?t <https://w3id.org/kgservice/ontology#partOf> "
        "<https://w3id.org/kgservice/id/kalisz-strategy-2004/II-4> ; a ?c }"
    )
    response = httpx.get(server.sparql, params={"query": query}, headers={"Accept": media})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    graph = Graph().parse(
        data=response.content,
        format={
            "text/turtle": "turtle",
            "application/n-triples": "nt",
            "application/ld+json": "json-ld",
            "application/rdf+xml": "xml",
        }[media],
    )
    assert len(graph) == 4


def test_ask_and_format_parameter(server: Server) -> None:
    ask = "ASK { ?s a <https://w3id.org/kgservice/ontology#Measure> }"
    response = httpx.get(server.sparql, params={"query": ask, "format": "json"})
    assert response.json()["boolean"] is True
    as_csv = httpx.get(server.sparql, params={"query": COUNT, "format": "csv"})
    rows = list(csv.reader(io.StringIO(as_csv.text)))
    assert rows[0] == ["n"]


def test_default_graph_uri_restricts_the_dataset(server: Server, store: OxigraphStore) -> None:
    graph = "https://w3id.org/kgservice/graph/data/strategies/kalisz-strategy-2004"
    expected = int(store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").column("n")[0])
    assert count_of(httpx.get(server.sparql, params={"query": COUNT, "default-graph-uri": graph})) == expected
    named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count_of(httpx.get(server.sparql, params={"query": named, "named-graph-uri": graph})) == expected


def test_syntax_error_is_400_with_line_and_column(server: Server) -> None:
    response = httpx.get(server.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o }\nLIMIT x"})
    assert response.status_code == 400 and response.text.startswith("query syntax error")
    assert "2:7" in response.text and "Traceback" not in response.text


def test_protocol_errors(server: Server) -> None:
    assert httpx.get(server.sparql, params={"update": "CLEAR ALL"}).status_code == 400
    assert httpx.get(server.sparql + "?query=ASK{}&query=ASK{}").status_code == 400
    assert httpx.post(server.sparql, content="ASK {}", headers={"Content-Type": "text/plain"}).status_code == 415
    assert httpx.post(server.sparql, content="ASK {}").status_code == 400
    invalid_utf8 = b"ASK { ?s ?p '\xff' }"
    sparql_query = {"Content-Type": "application/sparql-query"}
    assert httpx.post(server.sparql, content=invalid_utf8, headers=sparql_query).status_code == 400
    assert httpx.put(server.sparql, content="ASK {}").status_code == 405


def test_service_description_with_void_counts(server: Server, store: OxigraphStore) -> None:
    response = httpx.get(server.sparql, headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.text, format="turtle")
    service = next(graph.subjects(URIRef(SD + "endpoint"), URIRef(server.sparql)))
    languages = set(graph.objects(service, URIRef(SD + "supportedLanguage")))
    assert URIRef(SD + "SPARQL11Query") in languages and URIRef(SD + "SPARQL11Update") in languages
    totals = {int(t) for t in graph.objects(None, URIRef(VOID + "triples")) if isinstance(t, Literal)}
    assert len(store) in totals
    names = set(graph.objects(None, URIRef(SD + "name")))
    assert URIRef("https://w3id.org/kgservice/graph/data/strategies/liberec-strategy-2021") in names


def test_named_queries_api(server: Server) -> None:
    listing = httpx.get(server.url + "/api/queries").json()
    assert {"measures-supporting-priority", "priority-gaps"} <= {q["name"] for q in listing}
    response = httpx.get(
        server.url + "/api/queries/element-actors", params={"element": "kgd:kalisz-strategy-2004/II-4.1", "lang": "pl"}
    )
    labels = {b["actorLabel"]["value"] for b in response.json()["results"]["bindings"]}
    assert "Straż Miejska w Kaliszu" in labels
    bad = httpx.get(server.url + "/api/queries/element-path", params={"element": "not an iri"})
    assert bad.status_code == 400 and "not a valid iri" in json.loads(bad.text)["error"]
    assert httpx.get(server.url + "/api/queries/nope").status_code == 404


def test_openapi_describes_the_api(server: Server) -> None:
    paths = httpx.get(server.url + "/openapi.json").json()["paths"]
    assert "/sparql" in paths and "/api/queries/{name}" in paths and "/rdf-graphs" in paths
