"""Protocol corners real clients reach: SPARQLWrapper's XML and JSON return formats for CONSTRUCT (format=xml,
format=json), `format` in a POST form, HEAD on the pages, and a syntax error told in one clear line."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from rdflib import Graph
from SPARQLWrapper import JSON, XML, SPARQLWrapper

from tests import source_facts as facts
from tests.server import TOKEN, Server

ID = "https://w3id.org/kgservice/id/"
KGO = "https://w3id.org/kgservice/ontology#"
CONSTRUCT = f"CONSTRUCT {{ ?t a ?c }} WHERE {{ ?t <{KGO}partOf> <{ID}kalisz-strategy-2004/II-4> ; a ?c }}"
TASKS = f"SELECT ?t WHERE {{ ?t <{KGO}partOf> <{ID}kalisz-strategy-2004/II-4> }}"


def expected_tasks() -> set[str]:
    """The tasks of Kalisz measure II-4 as the source document numbers them ('Zadanie II-4.1.')."""
    return {f"{ID}kalisz-strategy-2004/{notation}" for notation in facts.kalisz_tasks()}


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", [XML, JSON])
def test_sparqlwrapper_gets_a_construct_in_its_xml_and_json_return_formats(server: Server, fmt: str, method: str) -> None:
    client = SPARQLWrapper(server.sparql)
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    result = client.query()
    media = result.info()["content-type"].split(";")[0]
    assert media == {XML: "application/rdf+xml", JSON: "application/ld+json"}[fmt]
    graph = result.convert()
    assert isinstance(graph, Graph)  # SPARQLWrapper parsed it as RDF: RDF/XML, JSON-LD
    assert {str(s) for s in graph.subjects()} == expected_tasks()


@pytest.mark.parametrize(("name", "media"), [("xml", "application/rdf+xml"), ("json", "application/ld+json")])
def test_the_short_names_mean_rdf_formats_for_a_graph_and_results_formats_for_a_select(
    server: Server, name: str, media: str
) -> None:
    graph = httpx.get(server.sparql, params={"query": CONSTRUCT, "format": name}, timeout=30)
    assert graph.status_code == 200 and graph.headers["content-type"].startswith(media)
    parsed = Graph().parse(data=graph.text, format={"xml": "xml", "json": "json-ld"}[name])
    assert {str(s) for s in parsed.subjects()} == expected_tasks()
    table = httpx.get(server.sparql, params={"query": TASKS, "format": name}, timeout=30)
    assert table.headers["content-type"].startswith(f"application/sparql-results+{name}")


@pytest.mark.parametrize(("fmt", "media"), [("csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values")])
def test_format_in_a_post_form_is_honoured_as_in_the_url(server: Server, fmt: str, media: str) -> None:
    response = httpx.post(server.sparql, data={"query": TASKS, "format": fmt}, headers={"Accept": "application/json"}, timeout=30)
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    rows = list(csv.reader(io.StringIO(response.text), delimiter="," if fmt == "csv" else "\t"))
    assert {row[0].strip("<>") for row in rows[1:]} == expected_tasks()
    output = httpx.post(server.sparql, data={"query": TASKS, "output": "csv"}, timeout=30)
    assert output.headers["content-type"].startswith("text/csv")


PAGES = ["/", "/id/kalisz-strategy-2004", "/id/kalisz-strategy-2004/II-4.2", "/editor", "/coherence", "/suggestions"]
DOCS = ["/docs", "/redoc", "/openapi.json", "/api/queries", "/health", "/static/css/pages.css"]


@pytest.mark.parametrize("path", [*PAGES, *DOCS, "/validation"])
def test_head_answers_as_get_without_a_body(server: Server, path: str) -> None:
    head = httpx.head(server.url + path, timeout=120)
    get = httpx.get(server.url + path, timeout=120)
    assert head.status_code == get.status_code == 200, path
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    if path != "/validation":  # its first answer may be the page saying the report is being computed
        assert head.headers["content-length"] == get.headers["content-length"] == str(len(get.content))


def test_head_keeps_404_and_405_where_get_has_them(server: Server) -> None:
    assert httpx.head(server.url + "/no-such-page", timeout=30).status_code == 404
    assert httpx.head(server.url + "/api/suggestions/accept", timeout=30).status_code == 405  # a POST-only route


def test_a_query_without_its_prefix_is_400_naming_the_prefix_line_and_column(server: Server) -> None:
    query = "SELECT ?m WHERE {\n  ?m a kgo:Measure }"
    response = httpx.get(server.sparql, params={"query": query}, timeout=30)
    assert response.status_code == 400
    column = query.splitlines()[1].index("kgo:") + 1
    assert f"undefined prefix kgo: at line 2, column {column}" in response.text
    assert response.text.strip().count("\n") == 0 and "u{" not in response.text


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("cs", "formulář nemá pole 'query' ani 'update'"),
        ("pl", "formularz nie ma pola 'query' ani 'update'"),
        ("en", "the form has neither"),
    ],
)
def test_a_malformed_request_is_refused_in_the_language_asked(server: Server, language: str, said: str) -> None:
    response = httpx.post(server.sparql, data={"colour": "red"}, headers={"Accept-Language": language}, timeout=30)
    assert response.status_code == 400 and response.text.startswith(said)


def test_the_undefined_prefix_is_named_in_polish_after_its_line_and_column(server: Server) -> None:
    query = "SELECT ?m WHERE {\n  ?m a kgo:Measure }"
    response = httpx.get(server.sparql, params={"query": query, "lang": "pl"}, timeout=30)
    column = query.splitlines()[1].index("kgo:") + 1
    assert response.status_code == 400
    assert response.text.startswith(
        f"błąd składni zapytania:2:{column}: niezdefiniowany prefiks kgo: w wierszu 2, w kolumnie {column};"
    )


def test_an_update_with_its_own_using_and_using_graph_uri_is_refused_in_czech(server: Server) -> None:
    update = "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"
    response = httpx.post(
        server.sparql,
        data={"update": update, "using-graph-uri": "http://example.org/h"},
        headers={"Accept-Language": "cs", "Authorization": "Bearer " + TOKEN},
        timeout=30,
    )
    assert response.status_code == 400
    assert response.text.startswith("aktualizace má vlastní klauzuli USING nebo WITH a zároveň using-graph-uri")


def test_a_missing_graph_is_404_in_czech(server: Server) -> None:
    response = httpx.get(
        server.url + "/rdf-graphs", params={"graph": "http://example.org/none"}, headers={"Accept-Language": "cs"}
    )
    assert response.status_code == 404 and response.text.strip() == "graf <http://example.org/none> neexistuje"
