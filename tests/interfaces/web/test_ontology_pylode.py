"""pyLODE documents the ontology without errors: each module on its own (each declares itself an
owl:Ontology with a title) and all modules together, as /ontology serves them. Every kgo: class and
property the files declare appears in the generated page."""

from __future__ import annotations

from pathlib import Path

import pytest
from pylode import OntPub
from rdflib import Graph
from rdflib.namespace import OWL, RDF

from tests.conftest import ROOT

KGO = "https://w3id.org/kgservice/ontology#"
MODULES = sorted((ROOT / "ontology").glob("*.ttl"))
# pyLODE documents classes and properties; datatypes (kgo:AssignedNotation) it lists nowhere, /ontology does.
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)


def declared_terms(graph: Graph) -> set[str]:
    return {str(s) for kind in KINDS for s in graph.subjects(RDF.type, kind) if str(s).startswith(KGO)}


def document(graph: Graph, tmp_path: Path) -> str:
    target = tmp_path / "ontology.html"
    OntPub(ontology=graph).make_html(destination=target)
    return target.read_text(encoding="utf-8")


@pytest.mark.parametrize("module", MODULES, ids=[m.stem for m in MODULES])
def test_pylode_documents_each_module(module: Path, tmp_path: Path) -> None:
    graph = Graph().parse(module, format="turtle")
    html = document(graph, tmp_path)
    missing = sorted(t for t in declared_terms(graph) if t not in html)
    assert not missing, f"pyLODE left out of {module.name}: {missing}"


def test_pylode_documents_the_whole_ontology(tmp_path: Path) -> None:
    graph = Graph()
    for module in MODULES:
        graph.parse(module, format="turtle")
    terms = declared_terms(graph)
    html = document(graph, tmp_path)
    assert len(terms) > 50  # the seven modules together, not one of them
    assert not sorted(t for t in terms if t not in html)
