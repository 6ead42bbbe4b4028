"""Reading W3C test manifests (mf:Manifest, mf:include, mf:entries) into test cases, in manifest order.

The files are read from where they lie (the shared checkout); their IRIs are the ones the W3C
published them under, so relative IRIs in queries, data and results resolve as in other reports.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from conformance.vocab import DAWGT, MF, W3C_BASE

# Approval states under which a test no longer says what an implementation must do.
_RETIRED = frozenset({DAWGT.Withdrawn, DAWGT.Rejected, DAWGT.Obsoleted, DAWGT.Deprecated})


@dataclass(frozen=True)
class TestSource:
    """A folder of test files on disk and the IRI that folder was published under."""

    __test__ = False  # not a pytest test class despite the name

    root: Path
    base: str = W3C_BASE

    def iri(self, path: Path) -> str:
        """The published IRI of a file below `root`."""
        return self.base + path.resolve().relative_to(self.root.resolve()).as_posix()

    def path(self, iri: str) -> Path:
        """The file on disk behind a published IRI; ValueError if it is not below `base`."""
        if not iri.startswith(self.base):
            raise ValueError(f"{iri} is not a file of the test suite (expected it below {self.base})")
        return self.root / iri[len(self.base) :].split("#", 1)[0]


@dataclass(frozen=True)
class TestCase:
    """One manifest entry: its IRI and name, and the manifest graph to read its details from."""

    __test__ = False  # not a pytest test class despite the name

    iri: URIRef
    name: str
    types: frozenset[URIRef]
    graph: Graph = field(repr=False, compare=False)

    def value(self, subject: Node, predicate: URIRef) -> Node | None:
        """The one object of `subject predicate ?o` in the manifest, or None."""
        return self.graph.value(subject, predicate)

    def values(self, subject: Node, predicate: URIRef) -> list[Node]:
        """Every object of `subject predicate ?o` in the manifest, in a stable order."""
        return sorted(self.graph.objects(subject, predicate), key=str)

    def items(self, head: Node | None) -> list[Node]:
        """The members of an RDF list (empty for None)."""
        return list(Collection(self.graph, head)) if head is not None else []

    @property
    def retired(self) -> bool:
        """Whether the working group withdrew, rejected or deprecated the test."""
        return self.value(self.iri, DAWGT.approval) in _RETIRED


def load_manifest(source: TestSource, relative: str) -> list[TestCase]:
    """Every test of a manifest and of the manifests it includes, in order."""
    return list(_walk(source, source.root / relative))


def _walk(source: TestSource, path: Path) -> Iterator[TestCase]:
    graph = parse_manifest(source, path)
    manifest = URIRef(source.iri(path))
    for head in graph.objects(manifest, MF.include):
        for included in Collection(graph, head):
            yield from _walk(source, source.path(str(included)))
    for head in graph.objects(manifest, MF.entries):
        for entry in Collection(graph, head):
            if isinstance(entry, URIRef):
                yield _case(graph, entry)


def parse_manifest(source: TestSource, path: Path) -> Graph:
    """A manifest file parsed with its published IRI as base."""
    if not path.is_file():
        raise FileNotFoundError(f"manifest {path} not found: pass --tests-dir pointing at w3c-rdf-tests/sparql/sparql11")
    graph = Graph()
    graph.parse(path, format="turtle", publicID=source.iri(path))
    return graph


def _case(graph: Graph, entry: URIRef) -> TestCase:
    name = graph.value(entry, MF.name) or graph.value(entry, RDFS.label) or Literal(str(entry))
    types = frozenset(t for t in graph.objects(entry, RDF.type) if isinstance(t, URIRef))
    return TestCase(entry, str(name), types, graph)
