"""Open the project's graph: every ontology and data file loaded into a store, one named graph per file."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kgservice.engine.derived import derive
from kgservice.engine.embedded import OxigraphStore, load_files
from kgservice.project.layout import Layout


def open_store(layout: Layout) -> OxigraphStore:
    """A new in-memory store holding the ontology and all data of `layout`."""
    store = OxigraphStore()
    load_files(store, [(f, layout.graph_name(f)) for f in layout.graph_files()], layout.root)
    derive(store.engine)
    return store


def _to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise ValueError(f"quoted triples are not supported: {term}")


def union_graph(store: OxigraphStore | ox.Store) -> Graph:
    """The union of all graphs of the store as one rdflib Graph (for pySHACL)."""
    engine = store.engine if isinstance(store, OxigraphStore) else store
    graph = Graph()
    for quad in engine:
        graph.add((_to_rdflib(quad.subject), _to_rdflib(quad.predicate), _to_rdflib(quad.object)))
    return graph
