"""Parsing RDF exactly: pyoxigraph reads the bytes, terms become rdflib terms with their lexical form kept.

rdflib's own parsers normalise literals ("01"^^xsd:integer becomes "1"), which would hide the very
differences the function and cast tests look for; pyoxigraph keeps them, and `Literal(...,
normalize=False)` carries them into rdflib, whose graph isomorphism the comparisons use.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class RdfSyntaxError(ValueError):
    """A document could not be parsed as the RDF format it claims to be."""


def to_rdflib(term: OxTerm) -> Node:
    """The rdflib term for a pyoxigraph term, literals with their exact lexical form."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        return _literal(term)
    raise RdfSyntaxError(f"quoted triples are outside SPARQL 1.1: {term}")


def _literal(term: ox.Literal) -> Literal:
    datatype = term.datatype.value
    if term.language:
        return Literal(term.value, lang=term.language, normalize=False)
    if datatype == XSD_STRING:
        return Literal(term.value, normalize=False)
    return Literal(term.value, datatype=URIRef(datatype), normalize=False)


@contextmanager
def quiet_rdflib() -> Iterator[None]:
    """Silence rdflib's warning for ill-typed literals ("abc"^^xsd:integer), which tests use on purpose."""
    logger = logging.getLogger("rdflib.term")
    previous = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(previous)


def rdf_format_of_file(path: Path) -> ox.RdfFormat | None:
    """The RDF format a file's extension names, else None."""
    return ox.RdfFormat.from_extension(path.suffix.lstrip("."))


def rdf_format_of_media_type(media_type: str) -> ox.RdfFormat | None:
    """The RDF format a media type names, else None."""
    return ox.RdfFormat.from_media_type(media_type) if media_type else None


def parse_graph(data: bytes | str, fmt: ox.RdfFormat, base: str | None) -> Graph:
    """An rdflib graph of every triple in `data` (quads in named graphs are merged in)."""
    try:
        quads = list(ox.parse(data, fmt, base_iri=base))
    except SyntaxError as error:
        raise RdfSyntaxError(f"not valid {fmt.name}: {error}") from error
    return to_graph((quad.subject, quad.predicate, quad.object) for quad in quads)


def to_graph(triples: Iterable[tuple[OxTerm, OxTerm, OxTerm]]) -> Graph:
    """An rdflib graph of pyoxigraph triples."""
    graph = Graph()
    with quiet_rdflib():
        for s, p, o in triples:
            graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return graph


def file_as_ntriples(path: Path, base: str) -> bytes:
    """A data file as N-Triples with every IRI absolute and fresh blank node labels, ready to load."""
    fmt = rdf_format_of_file(path)
    if fmt is None:
        raise RdfSyntaxError(f"cannot tell the RDF format of {path.name}")
    quads = ox.parse(path=path, format=fmt, base_iri=base, rename_blank_nodes=True)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
