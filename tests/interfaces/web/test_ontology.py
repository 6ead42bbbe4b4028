"""/ontology: the page lists every class and property of ontology/*.ttl with its labels in cs, pl and en and its
definitions, and the shapes of shapes/ that apply; the same IRI answers Turtle, RDF/XML and JSON-LD by content
negotiation (parsed, and isomorphic to the files), and a term's IRI under /ontology/ is a 303 to its anchor."""

from __future__ import annotations

import html
import re

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from tests.conftest import ROOT
from tests.server import Server

KGO = "https://w3id.org/kgservice/ontology#"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def ontology_files() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def terms(graph: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Datatype)
    return {s for k in kinds for s in graph.subjects(RDF.type, k) if isinstance(s, URIRef) and str(s).startswith(KGO)}


def article(page: str, name: str) -> str:
    """The text of a term's <article id=name> on the page."""
    match = re.search(rf'<article class="term" id="{re.escape(name)}">(.*?)</article>', page, re.S)
    assert match, f"no article for {name}"
    return html.unescape(match.group(1))


@pytest.fixture(scope="module")
def page(server: Server) -> str:
    response = httpx.get(server.url + "/ontology", headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    return response.text


def test_the_page_has_every_term_with_its_three_labels_and_definitions(page: str) -> None:
    graph = ontology_files()
    for term in terms(graph):
        text = article(page, str(term).removeprefix(KGO))
        for label in graph.objects(term, RDFS.label):
            assert isinstance(label, Literal) and label.language in ("cs", "pl", "en")
            assert str(label) in text, f"{term}: label {label!r} missing"
        for definition in graph.objects(term, SKOS.definition):
            assert " ".join(str(definition).split()) in " ".join(text.split()), f"{term}: definition missing"


def test_the_page_names_the_shapes_that_apply(page: str) -> None:
    shapes = Graph()
    for path in sorted((ROOT / "shapes").glob("*.ttl")):
        shapes.parse(path, format="turtle")
    graph = ontology_files()
    checked = 0
    for shape, target in shapes.subject_objects(SH.targetClass):
        if isinstance(shape, URIRef) and str(target).startswith(KGO) and (target, RDF.type, OWL.Class) in graph:
            name = str(shape).rsplit("#", 1)[-1]
            assert f"kgs:{name}" in article(page, str(target).removeprefix(KGO)), f"{shape} not listed for {target}"
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [("text/turtle", "turtle"), ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")],
)
def test_the_namespace_answers_rdf_by_content_negotiation(server: Server, accept: str, rdf_format: str) -> None:
    response = httpx.get(server.url + "/ontology", headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    served = Graph().parse(data=response.content, format=rdf_format)
    assert isomorphic(served, ontology_files())


def test_format_parameter_and_unacceptable_types(server: Server) -> None:
    turtle = httpx.get(server.url + "/ontology", params={"format": "turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert httpx.get(server.url + "/ontology", headers={"Accept": "image/png"}).status_code == 406


def test_a_term_iri_is_dereferenceable(server: Server, page: str) -> None:
    for name in ("Measure", "contributesTo", "startLine"):
        response = httpx.get(f"{server.url}/ontology/{name}", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].endswith(f"/ontology#{name}")
        assert f'id="{name}"' in page
    assert httpx.get(server.url + "/ontology/actors", follow_redirects=False).headers["location"].endswith("#module-actors")
    assert httpx.get(server.url + "/ontology/NoSuchTerm", follow_redirects=False).status_code == 404


def test_individuals_of_the_namespace_are_listed_and_dereferenceable(server: Server, page: str) -> None:
    graph = ontology_files()
    declared = {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(KGO)}
    individuals = declared - terms(graph)
    assert URIRef(KGO + "AssertedInDocument") in individuals
    for individual in individuals:
        name = str(individual).removeprefix(KGO)
        text = article(page, name)
        for label in graph.objects(individual, RDFS.label):
            assert str(label) in text, f"{individual}: label {label!r} missing"
        for kind in graph.objects(individual, RDF.type):
            assert str(kind).removeprefix(KGO) in text
    response = httpx.get(f"{server.url}/ontology/AssertedInDocument", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith("#AssertedInDocument")
