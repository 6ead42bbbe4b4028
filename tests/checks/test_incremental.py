"""The incremental check of a change gives the verdict of validating the whole graph.

Random changes drawn from the bundled data's vocabulary (labels, partOf, types, alignments, notations,
tags, removed required properties, wrong datatypes) are staged on the bundled graph, which conforms;
the incremental validator and the whole-graph validator must agree on conforms and on every violation.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgservice.checks.validation import shacl_validator, whole_graph_validator
from kgservice.engine.commit import Staged, ValidationOutcome, Validator, stage
from kgservice.engine.embedded import OxigraphStore
from kgservice.project.layout import Layout
from kgservice.rdf.namespaces import ID, PREFIXES

KGO, SKOS, RDF = PREFIXES["kgo"], PREFIXES["skos"], PREFIXES["rdf"]
GRAPH = ox.NamedNode("https://example.org/test-graph")
XSD = "http://www.w3.org/2001/XMLSchema#"
PREDICATES = [
    ox.NamedNode(iri)
    for iri in (
        KGO + "partOf",
        RDF + "type",
        SKOS + "prefLabel",
        SKOS + "notation",
        SKOS + "inScheme",
        KGO + "strength",
        KGO + "relation",
        KGO + "alignmentStatus",
        KGO + "subjectElement",
        KGO + "objectElement",
        KGO + "theme",
        KGO + "targetGroup",
        KGO + "expectedOutcome",
        KGO + "startLine",
        KGO + "originalFilePath",
        "http://purl.org/dc/terms/title",
        "http://www.w3.org/ns/prov#wasDerivedFrom",
        "http://www.w3.org/2000/01/rdf-schema#comment",
    )
]
CLASSES = [
    ox.NamedNode(KGO + name)
    for name in ("Measure", "Activity", "StrategyDocument", "Alignment", "SpecificGoal", "ExpectedOutcome")
]
LITERALS = [
    ox.Literal("a label", language="en"),
    ox.Literal("štítek", language="cs"),
    ox.Literal("no language"),
    ox.Literal("2.1"),
    ox.Literal("bad notation."),
    ox.Literal("3", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("-2", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("7", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("x", datatype=ox.NamedNode(XSD + "string")),
]


@pytest.fixture(scope="module")
def validators(layout: Layout) -> tuple[Validator, Validator]:
    return shacl_validator(layout), whole_graph_validator(layout)


@pytest.fixture(scope="module")
def graph(store: OxigraphStore) -> ox.Store:
    copy = ox.Store()
    copy.extend(store.engine)
    return copy


def _pairs(outcome: ValidationOutcome) -> set[tuple[str | None, str | None]]:
    return {(v["focus_node"], v["shape"]) for v in outcome.violations}


def _change(store: ox.Store, seed: int, removals: int, additions: int) -> Callable[[ox.Store], None]:
    """Remove some existing quads and add some drawn from the graph's own nodes and the vocabulary above."""
    rng = random.Random(seed)
    quads = sorted(store, key=str)
    nodes = sorted({q.subject for q in quads if isinstance(q.subject, ox.NamedNode)}, key=str)
    removed = [rng.choice(quads) for _ in range(removals)]
    added = []
    for _ in range(additions):
        subject = rng.choice([*nodes, ox.NamedNode(ID + "test-new-node")])
        predicate = rng.choice(PREDICATES)
        if predicate.value == RDF + "type":
            obj: ox.NamedNode | ox.Literal = rng.choice(CLASSES)
        elif rng.random() < 0.5:
            obj = rng.choice(nodes)
        else:
            obj = rng.choice(LITERALS)
        added.append(ox.Quad(subject, predicate, obj, GRAPH))

    def change(staging: ox.Store) -> None:
        for quad in removed:
            staging.remove(quad)
        staging.extend(added)

    return change


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**9), removals=st.integers(0, 3), additions=st.integers(0, 3))
def test_the_incremental_verdict_is_the_whole_graphs(
    graph: ox.Store, validators: tuple[Validator, Validator], seed: int, removals: int, additions: int
) -> None:
    incremental, whole = validators
    before = len(graph)
    recorder, staged = stage(graph, _change(graph, seed, removals, additions))
    try:
        if staged is None:
            return
        fast, full = incremental(staged), whole(staged)
        assert fast.conforms == full.conforms
        assert _pairs(fast) == _pairs(full)
        assert fast.violations == full.violations
    finally:
        recorder.rollback()
    assert len(graph) == before


def test_the_bundled_graph_conforms_so_a_change_is_judged_by_what_it_breaks(
    graph: ox.Store, validators: tuple[Validator, Validator]
) -> None:
    _, whole = validators
    assert whole(Staged(graph, set(), set())).conforms


IMPORTED = """
@prefix ex: <https://example.org/imported/> .
@prefix kgo: <https://w3id.org/kgservice/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix lang: <http://publications.europa.eu/resource/authority/language/> .
ex:doc a kgo:StrategyDocument ; dcterms:title "Strategie obce"@cs ; skos:prefLabel "Strategie obce"@cs ;
    dcterms:language lang:CES ; prov:wasDerivedFrom ex:excerpt .
ex:excerpt a kgo:SourceExcerpt ; oa:hasSource ex:source ; kgo:startLine 1 ; kgo:endLine 1 ;
    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "Strategie obce" ] .
ex:source a kgo:SourceFile ; kgo:filePath "sources/obec.txt" ; kgo:originalFilePath "sources/obec.docx" ;
    dcterms:language lang:CES .
"""


def test_an_imported_node_is_judged_by_its_source_file_two_steps_away(
    graph: ox.Store, validators: tuple[Validator, Validator]
) -> None:
    # A document that states only what it was given is valid while its source keeps the original file;
    # the verdict of the document changes when only the source file's kgo:originalFilePath goes.
    incremental, whole = validators
    quads = [ox.Quad(t.subject, t.predicate, t.object, GRAPH) for t in ox.parse(IMPORTED, format=ox.RdfFormat.TURTLE)]
    original = next(q for q in quads if q.predicate.value == KGO + "originalFilePath")
    graph.extend(quads)
    try:
        recorder, staged = stage(graph, lambda store: store.remove(original))
        try:
            assert staged is not None
            fast, full = incremental(staged), whole(staged)
            assert not full.conforms and "https://example.org/imported/doc" in {v["focus_node"] for v in full.violations}
            assert fast.violations == full.violations
        finally:
            recorder.rollback()
    finally:
        for quad in quads:
            graph.remove(quad)
