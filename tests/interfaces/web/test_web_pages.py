"""The web pages over HTTP: content negotiation on /id/..., 404s, escaping of labels, the language switch,
the editor, the validation report and the coherence dashboard, checked against the graph itself."""

from __future__ import annotations

import csv
import io
import re
import shutil
import time
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from kgservice.config import Settings
from kgservice.engine.embedded import OxigraphStore
from kgservice.interfaces.app import create_app
from kgservice.sparql.catalogue import Catalogue
from tests.conftest import ROOT
from tests.server import Server

ID = "https://w3id.org/kgservice/id/"
KGO = Namespace("https://w3id.org/kgservice/ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
MEASURE = ID + "liberec-strategy-2021/2.1.3"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PARSERS = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt", "application/rdf+xml": "xml"}
LOCAL, HIGHER = ID + "liberec-strategy-2021", ID + "liberecky-kraj-social-2026"
COUNTED = "VALUES ?status { kgo:AssertedInDocument kgo:Curated }"


class Links(HTMLParser):
    """The href of every <a>, the text of every <h1>, and the elements with an id, from a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.h1: list[str] = []
        self._in_h1 = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href" and v]
        self._in_h1 = self._in_h1 or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        self._in_h1 = self._in_h1 and tag != "h1"

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1.append(data)

    def heading(self) -> str:
        return " ".join("".join(self.h1).split())


def page(server: Server, path: str, **params: str) -> httpx.Response:
    return httpx.get(server.url + path, params=params, headers={"Accept": BROWSER}, timeout=60)


def validation_report(get: Callable[[], str]) -> str:
    """The validation page once its report is there: it is computed in the background, and until then the page
    says so and reloads itself."""
    for _ in range(1200):
        text = get()
        if 'id="verdict"' in text:
            return text
        time.sleep(0.1)
    raise AssertionError("no validation report after 120 s")


def labels(store: OxigraphStore, iri: str) -> dict[str, str]:
    table = store.select(f"SELECT ?l WHERE {{ <{iri}> <{SKOS.prefLabel}> ?l }}")
    return {row[0].lang or "": row[0].value for row in table.rows if row[0] is not None}


def described_triples(store: OxigraphStore, iri: str) -> int:
    """The resource's own triples plus those of the blank nodes below it, counted in the store."""
    query = f"""SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{
        {{ <{iri}> ?p ?o BIND(<{iri}> AS ?s) }} UNION {{ <{iri}> ?p0 ?s FILTER(isBlank(?s)) ?s ?p ?o }}
        UNION {{ <{iri}> ?p0 ?b0 FILTER(isBlank(?b0)) ?b0 ?p1 ?s FILTER(isBlank(?s)) ?s ?p ?o }} }} }}"""
    return int(store.select(query).column("n")[0])


# ---------------------------------------------------------------- content negotiation on /id/...


@pytest.mark.parametrize("media", list(PARSERS))
def test_a_resource_is_described_in_every_rdf_format(server: Server, store: OxigraphStore, media: str) -> None:
    response = httpx.get(server.url + "/id/liberec-strategy-2021/2.1.3", headers={"Accept": media})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    graph = Graph().parse(data=response.content, format=PARSERS[media])
    measure = URIRef(MEASURE)
    assert (measure, RDF.type, KGO.Measure) in graph
    assert (measure, KGO.partOf, URIRef(ID + "liberec-strategy-2021/2.1")) in graph
    assert len(graph) == described_triples(store, MEASURE)


def test_the_description_carries_the_excerpt_blank_nodes(server: Server) -> None:
    graph = Graph().parse(data=httpx.get(server.url + "/id/liberec-strategy-2021/2.1.3?format=turtle").content, format="turtle")
    excerpts = list(graph.objects(URIRef(MEASURE), PROV.wasDerivedFrom))
    assert excerpts and all(isinstance(e, BNode) for e in excerpts)
    quotes = {str(q) for e in excerpts for s in graph.objects(e, OA.hasSelector) for q in graph.objects(s, OA.exact)}
    assert any("Podpora plnohodnotného stárnutí" in q for q in quotes)


def test_a_triple_stated_by_two_sources_is_described_once(server: Server, store: OxigraphStore) -> None:
    group = ID + "org/kpss-ps-zdravotne-znevyhodneni"  # its org:unitOf is stated in two files (two named graphs)
    nt = httpx.get(server.url + "/id/org/kpss-ps-zdravotne-znevyhodneni", headers={"Accept": "application/n-triples"}).text
    lines = [line for line in nt.splitlines() if line.strip()]
    assert len(lines) == len(set(lines)) == described_triples(store, group)
    text = page(server, "/id/org/kpss-ps-zdravotne-znevyhodneni", lang="en").text
    assert text.count('href="/id/org/komunitni-planovani-liberec?lang=en"') == 1


def test_formats_agree_and_plain_clients_get_turtle(server: Server) -> None:
    url = server.url + "/id/kalisz-strategy-2004/II-4.2"
    turtle = Graph().parse(data=httpx.get(url).content, format="turtle")
    json_ld = Graph().parse(data=httpx.get(url, params={"format": "jsonld"}).content, format="json-ld")
    assert httpx.get(url).headers["content-type"].startswith("text/turtle")
    assert isomorphic(turtle, json_ld)


def test_a_browser_gets_the_page(server: Server, store: OxigraphStore) -> None:
    response = page(server, "/id/liberec-strategy-2021/2.1.3", lang="en")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert Links(response.text).heading() == "2.1.3 " + labels(store, MEASURE)["en"]


@pytest.mark.parametrize(
    "path", ["/id/no-such-strategy", "/id/liberec-strategy-2021/9.9.9", "/id/", "/id/a%20b", "/id/%3Cscript%3E"]
)
def test_unknown_iris_are_404_in_html_and_rdf(server: Server, path: str) -> None:
    html = httpx.get(server.url + path, headers={"Accept": BROWSER})
    assert html.status_code == 404 and html.headers["content-type"].startswith("text/html")
    assert "<script>" not in html.text
    assert httpx.get(server.url + path, headers={"Accept": "text/turtle"}).status_code == 404


def test_an_unacceptable_format_is_406(server: Server) -> None:
    assert httpx.get(server.url + "/id/liberec-strategy-2021", headers={"Accept": "image/png"}).status_code == 406


def test_a_browser_asking_the_endpoint_gets_the_editor_and_machines_the_description(server: Server) -> None:
    browser = httpx.get(server.sparql, headers={"Accept": BROWSER}, follow_redirects=True)
    assert browser.status_code == 200 and browser.url.path == "/editor"
    for accept in ("*/*", "text/turtle", None):
        machine = httpx.get(server.sparql, headers={"Accept": accept} if accept else {})
        assert machine.status_code == 200 and machine.headers["content-type"].startswith("text/turtle")


# ---------------------------------------------------------------- pages and their links


def test_the_index_links_every_strategy(server: Server, store: OxigraphStore) -> None:
    strategies = store.select(f"SELECT ?s WHERE {{ ?s a <{KGO.StrategyDocument}> }}").column("s")
    hrefs = {h.split("?")[0] for h in Links(page(server, "/").text).hrefs}
    assert {"/id/" + s.removeprefix(ID) for s in strategies} <= hrefs


def test_a_strategy_page_lists_its_whole_outline(server: Server, store: OxigraphStore) -> None:
    elements = store.select(f"SELECT ?e WHERE {{ ?e <{KGO.inStrategy}> <{LOCAL}> }}").column("e")
    hrefs = {h.split("?")[0] for h in Links(page(server, "/id/liberec-strategy-2021").text).hrefs}
    assert len(elements) == 72
    assert {"/id/" + e.removeprefix(ID) for e in elements} <= hrefs


def test_inherited_actors_name_where_they_are_stated(server: Server, store: OxigraphStore) -> None:
    text = page(server, "/id/kalisz-strategy-2004/II-4.2", lang="en").text
    responsible = store.select(f"SELECT ?a WHERE {{ <{ID}kalisz-strategy-2004/II-4> <{KGO.responsible}> ?a }}").column("a")
    assert responsible and all(f'href="/id/{a.removeprefix(ID)}?lang=en"' in text for a in responsible)
    assert 'href="/id/kalisz-strategy-2004/II-4?lang=en"' in text and "inherited" in text


def test_an_element_page_lists_the_tags_suggested_for_it_apart_from_curated_ones(server: Server) -> None:
    text = page(server, "/id/kalisz-strategy-2004/II-4", lang="pl").text
    suggested = text.split("sugerowane pojęcie", 1)
    assert len(suggested) == 2, "the suggested concepts are listed under their own term"
    assert 'href="/id/target-group/long-term-unemployed?lang=pl"' in suggested[1].split("</dd>", 1)[0]
    tag = page(server, "/id/tag/kalisz-strategy-2004/II-4/target-group/long-term-unemployed", lang="en").text
    assert "bezrobocie" in tag and 'href="/id/kalisz-strategy-2004/II-4?lang=en"' in tag


@pytest.mark.parametrize(("lang", "expected"), [("cs", "cs"), ("en", "en"), ("pl", "en")])
def test_the_language_switch_picks_labels_and_falls_back_to_english(
    server: Server, store: OxigraphStore, lang: str, expected: str
) -> None:
    response = page(server, "/id/liberec-strategy-2021/2.1.3", lang=lang)
    assert Links(response.text).heading() == "2.1.3 " + labels(store, MEASURE)[expected]
    assert f'<html lang="{lang}">' in response.text
    assert response.cookies.get("lang") == lang
    remembered = httpx.get(server.url + "/", headers={"Accept": BROWSER}, cookies={"lang": lang})
    assert f'<html lang="{lang}">' in remembered.text
    assert all(f"lang={lang}" in h for h in Links(remembered.text).hrefs if h.startswith("/id/"))


def test_the_editor_offers_every_named_query_and_serves_yasgui(server: Server, catalogue: Catalogue) -> None:
    text = page(server, "/editor").text
    assert len(re.findall(r'<button type="button" class="example"', text)) == len(catalogue.queries)
    script = httpx.get(server.url + "/static/vendor/yasgui/yasgui.min.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"] and len(script.content) > 100_000


@pytest.mark.parametrize("path", ["/static/../pyproject.toml", "/static/%2e%2e/%2e%2e/pyproject.toml", "/static/nothing.css"])
def test_static_files_stay_in_their_folder(server: Server, path: str) -> None:
    assert httpx.get(server.url + path).status_code == 404


def test_the_validation_page_reports_the_current_graph(server: Server) -> None:
    text = validation_report(lambda: page(server, "/validation", lang="en").text)
    assert "The graph conforms to every SHACL shape." in text


# ---------------------------------------------------------------- coherence dashboard


def test_the_dashboard_has_a_row_per_local_measure_and_a_column_per_targeted_priority(
    server: Server, store: OxigraphStore
) -> None:
    text = page(server, "/coherence", local=LOCAL, higher=HIGHER, lang="en").text
    table = text.split('id="heatmap"', 1)[1].split("</table>", 1)[0]
    head, body = table.split("<tbody>", 1)
    measures = store.select(f"SELECT ?m WHERE {{ ?m <{KGO.inStrategy}> <{LOCAL}> ; a <{KGO.Measure}> }}").column("m")
    assert body.count("<tr") == len(measures) == 19
    assert head.count('<th scope="col"') == len(targeted_priorities(store))
    api = httpx.get(server.url + "/api/coherence", params={"local": LOCAL, "higher": HIGHER}, timeout=60).json()["matrix"]
    assert [r["iri"] for r in api["rows"]] == measure_order(head + body, "row")
    assert [c["iri"] for c in api["columns"]] == measure_order(head, "col")


def measure_order(html: str, scope: str) -> list[str]:
    """The IRIs of the row or column headers of the heat map, in page order."""
    return [ID + path for path in re.findall(rf'<th scope="{scope}"[^>]*>(?:<div>)?<a href="/id/([^?"]+)', html)]


def targeted_priorities(store: OxigraphStore) -> set[str]:
    """Elements of the Region's strategy that a counted alignment from the city's strategy points to."""
    query = f"""PREFIX kgo: <{KGO}> SELECT DISTINCT ?o WHERE {{ {COUNTED}
        VALUES ?relation {{ kgo:contributesTo kgo:implements kgo:consistentWith kgo:conflictsWith }}
        ?a kgo:alignmentStatus ?status ; kgo:relation ?relation ;
           kgo:subjectElement/kgo:inStrategy <{LOCAL}> ; kgo:objectElement ?o . ?o kgo:inStrategy <{HIGHER}> }}"""
    return set(store.select(query).column("o"))


def test_the_csv_export_is_the_coherence_reports_matrix_and_tables(server: Server, store: OxigraphStore) -> None:
    def table(name: str) -> list[list[str]]:
        response = httpx.get(server.url + "/coherence.csv", params={"local": LOCAL, "higher": HIGHER, "table": name}, timeout=60)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        return list(csv.reader(io.StringIO(response.text.removeprefix("\ufeff"))))

    measures = store.select(f"SELECT ?m WHERE {{ ?m <{KGO.inStrategy}> <{LOCAL}> ; a <{KGO.Measure}> }}").column("m")
    kinds = " ".join(f"<{KGO[k]}>" for k in ("StrategicArea", "StrategicGoal", "SpecificGoal", "Measure", "Activity"))
    priorities = store.select(f"SELECT DISTINCT ?p WHERE {{ ?p <{KGO.inStrategy}> <{HIGHER}> ; a ?k VALUES ?k {{ {kinds} }} }}")
    matrix = table("matrix")
    assert len(matrix) - 1 == len(measures) and len(matrix[0]) - 3 == len(targeted_priorities(store))
    assert len(table("coverage")) - 1 == len(priorities.rows)
    assert httpx.get(server.url + "/coherence.csv", params={"local": LOCAL, "higher": HIGHER, "table": "x"}).status_code == 400


def test_a_strategy_that_is_not_one_is_a_clear_400(server: Server) -> None:
    response = page(server, "/coherence", local=ID + "theme/ageing", higher=HIGHER)
    assert response.status_code == 400 and "is not a strategy document" in response.text


# ---------------------------------------------------------------- hostile data, in-process


HOSTILE_LABEL = '<script>alert("x")</script> & <b>bold</b>'
HOSTILE = f"""@prefix kgo: <https://w3id.org/kgservice/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<{ID}test/hostile> a kgo:Activity ;
    kgo:partOf <{LOCAL}> ;
    skos:notation "\\"><img src=x onerror=alert(1)>" ;
    skos:prefLabel {Literal(HOSTILE_LABEL, lang="en").n3()} .
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The service on a copy of the project with one element whose label and notation are HTML, and which
    breaks the shapes (an activity directly under a document, with no excerpt)."""
    root = tmp_path_factory.mktemp("hostile")
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    (root / "data" / "strategies" / "hostile.ttl").write_text(HOSTILE, encoding="utf-8")
    with TestClient(create_app(Settings(root=Path(root), workers=1))) as client:
        yield client


PAIR = "/coherence?local=kgd:liberec-strategy-2021&higher=kgd:liberecky-kraj-social-2026"


@pytest.mark.parametrize("path", ["/id/test/hostile", "/id/liberec-strategy-2021", PAIR, "/validation"])
def test_labels_are_escaped_wherever_they_appear(hostile: TestClient, path: str) -> None:
    if path == "/validation":  # the report itself, not the page saying it is being computed
        validation_report(lambda: hostile.get(path, headers={"Accept": BROWSER}).text)
    response = hostile.get(path, headers={"Accept": BROWSER})
    assert response.status_code == 200, response.text[:500]
    assert "<script>alert" not in response.text and "<img src=x" not in response.text
    if path.startswith("/id/"):
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in response.text


def test_the_validation_page_groups_violations_by_shape_and_links_the_focus_node(hostile: TestClient) -> None:
    text = validation_report(lambda: hostile.get("/validation", params={"lang": "en"}).text)
    assert "The graph does not conform to the SHACL shapes." in text
    assert "kgs:ActivityParentShape" in text
    assert 'href="/id/test/hostile?lang=en"' in text
