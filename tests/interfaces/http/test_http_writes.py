"""Writes through SPARQL Update and the Graph Store Protocol: validated whole, rejected whole."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from tests.server import TOKEN, Server, running_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}
KGO = "https://w3id.org/kgservice/ontology#"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PERSON = """@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<http://www.example/person/1> foaf:nick "jd" ; foaf:knows [ foaf:nick "anon" ] .
"""


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("writes"), write_token=TOKEN, workers="2") as running:
        yield running


def count(server: Server) -> int:
    return int(httpx.get(server.sparql, params={"query": COUNT}).json()["results"]["bindings"][0]["n"]["value"])


def test_a_valid_update_is_committed_and_every_worker_sees_it(writable: Server) -> None:
    before = count(writable)
    update = (
        "INSERT DATA { GRAPH <http://e/notes> { <http://e/note/1> <http://www.w3.org/2000/01/rdf-schema#comment> 'checked' } }"
    )
    response = httpx.post(writable.sparql, data={"update": update}, headers=AUTH, timeout=60)
    assert response.status_code == 204, response.text
    assert {count(writable) for _ in range(6)} == {before + 1}


def test_an_update_that_breaks_a_shape_is_rejected_with_the_report_and_changes_nothing(writable: Server) -> None:
    before = count(writable)
    update = (
        f"PREFIX kgo: <{KGO}>\n"
        "        INSERT DATA { GRAPH <http://e/bad> { <https://w3id.org/kgservice/id/x/9.9> a kgo:Measure . "
        "<http://e/ok> <http://e/p> 1 } }"
    )
    response = httpx.post(writable.sparql, data={"update": update}, headers=AUTH, timeout=60)
    assert response.status_code == 422
    body = response.json()
    focus = {v["focus_node"] for v in body["violations"]}
    assert "https://w3id.org/kgservice/id/x/9.9" in focus
    assert "kgd:x/9.9" in body["report"]
    assert count(writable) == before


def test_an_update_that_deletes_required_facts_is_rejected(writable: Server) -> None:
    before = count(writable)
    update = f"PREFIX kgo: <{KGO}> DELETE WHERE {{ GRAPH ?g {{ ?measure kgo:partOf ?goal . ?measure a kgo:Measure }} }}"
    assert httpx.post(writable.sparql, data={"update": update}, headers=AUTH, timeout=60).status_code == 422
    assert count(writable) == before


def test_a_malformed_update_is_400_and_changes_nothing(writable: Server) -> None:
    before = count(writable)
    response = httpx.post(writable.sparql, data={"update": "INSERT DATA { <http://e/a> <http://e/b> }"}, headers=AUTH)
    assert response.status_code == 400 and "1:" in response.text
    assert count(writable) == before


def test_graph_store_put_get_post_delete(writable: Server) -> None:
    store = writable.url + "/rdf-graphs"
    graph = {"graph": "http://www.example/people"}
    put = httpx.put(store, params=graph, content=PERSON, headers={**AUTH, "Content-Type": "text/turtle"}, timeout=60)
    assert put.status_code == 201, put.text
    got = httpx.get(store, params=graph, headers={"Accept": "text/turtle"})
    assert isomorphic(Graph().parse(data=got.text, format="turtle"), Graph().parse(data=PERSON, format="turtle"))
    more = '<http://www.example/person/2> <http://xmlns.com/foaf/0.1/nick> "kr" .'
    appended = httpx.post(
        store, params=graph, content=more, headers={**AUTH, "Content-Type": "application/n-triples"}, timeout=60
    )
    assert appended.status_code == 204
    merged = Graph().parse(data=httpx.get(store, params=graph, headers={"Accept": "application/n-triples"}).text, format="nt")
    assert len(merged) == 4
    assert httpx.head(store, params=graph).status_code == 200
    assert httpx.delete(store, params=graph, headers=AUTH, timeout=60).status_code == 204
    assert httpx.get(store, params=graph).status_code == 404
    assert httpx.delete(store, params=graph, headers=AUTH).status_code == 404


def test_graph_store_direct_identification_and_post_to_the_store(writable: Server) -> None:
    url = writable.url + "/rdf-graphs/people/2"
    assert httpx.put(url, content=PERSON, headers={**AUTH, "Content-Type": "text/turtle"}, timeout=60).status_code == 201
    names = httpx.get(writable.sparql, params={"query": "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"}).json()
    assert url in {b["g"]["value"] for b in names["results"]["bindings"]}
    created = httpx.post(
        writable.url + "/rdf-graphs", content=PERSON, headers={**AUTH, "Content-Type": "text/turtle"}, timeout=60
    )
    assert created.status_code == 201 and created.headers["location"].startswith(writable.url + "/rdf-graphs/")
    assert httpx.get(created.headers["location"]).status_code == 200


def test_malformed_upload_is_400_with_position_and_changes_nothing(writable: Server) -> None:
    before = count(writable)
    response = httpx.put(
        writable.url + "/rdf-graphs",
        params={"graph": "http://e/broken"},
        content='<http://e/a> <http://e/b> "x .\n',
        headers={**AUTH, "Content-Type": "text/turtle"},
    )
    assert response.status_code == 400 and "request body:1:" in response.text
    assert count(writable) == before
    assert httpx.get(writable.url + "/rdf-graphs", params={"graph": "http://e/broken"}).status_code == 404


def test_reading_a_bundled_graph(writable: Server) -> None:
    graph = "https://w3id.org/kgservice/graph/data/strategies/kalisz-strategy-2004"
    response = httpx.get(writable.url + "/rdf-graphs", params={"graph": graph}, headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    assert len(Graph().parse(data=response.text, format="json-ld")) > 500
    assert httpx.get(writable.url + "/rdf-graphs", params={"graph": graph}, headers={"Accept": "image/png"}).status_code == 406
