"""The size bound of the terms a change may store: every literal and IRI written is at most `MAX_TERM_BYTES`.

Each committed change reaches the query workers as N-Quads, and each worker starts from an N-Quads
snapshot; pyoxigraph's N-Quads parser refuses a token over 16 MiB. One literal past that (a 17 MB
RDF/XML upload, an update of 15 nested CONCATs) made every worker fail on its patch. A change with a
larger term is refused before it is committed (`TermTooLarge`, 413), so the graph and the workers keep
what they had.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kgservice.errors import TermTooLarge

# 1 MiB of UTF-8: far above any text of the graph (its longest literal is a few kB), and even with
# N-Quads escapes (at most 10 bytes for a 4-byte character) a quad stays well below the parser's 16 MiB.
MAX_TERM_BYTES = 1024 * 1024

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph


def _size(term: Term) -> int:
    """The UTF-8 bytes of the largest part of a term (value, datatype or language; quoted triples: any part)."""
    if isinstance(term, ox.Triple):
        return max(_size(term.subject), _size(term.predicate), _size(term.object))
    if isinstance(term, ox.Literal):
        return max(len(term.value.encode()), len(term.datatype.value), len(term.language or ""))
    if isinstance(term, ox.DefaultGraph):
        return 0
    return len(term.value.encode())


def check_terms(quads: Iterable[ox.Quad], limit: int = MAX_TERM_BYTES) -> None:
    """Raise TermTooLarge when a quad holds a literal or IRI over `limit` bytes (the first one found)."""
    for quad in quads:
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            size = _size(term)
            if size > limit:
                kind = "literal" if isinstance(term, ox.Literal) else "term"
                raise TermTooLarge(
                    f"a {kind} of {size} bytes cannot be stored: this service's limit is {limit} bytes per literal or IRI"
                )
