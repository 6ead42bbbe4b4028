"""The store interface that the CLI, the HTTP API and the analysis call, and its embedded implementation.

`Store` is the small abstract interface; `OxigraphStore` answers with the embedded pyoxigraph engine
(called directly: rdflib's engine is orders of magnitude slower on our joins). The default graph of a
query is the union of all named graphs.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kgservice.errors import DataSyntaxError, QuerySyntaxError, StoreError
from kgservice.rdf.terms import Table, Term

_POSITION = re.compile(r"at (\d+):(\d+)")
_POSITION_PREFIX = re.compile(r"^error at \d+:\d+: ")


class Store(ABC):
    """What every backend can do: answer SPARQL SELECT, ASK and CONSTRUCT queries."""

    @abstractmethod
    def select(self, query: str, source: str = "query") -> Table:
        """Run a SELECT query; `source` names the query in error messages."""

    @abstractmethod
    def ask(self, query: str, source: str = "query") -> bool:
        """Run an ASK query."""

    @abstractmethod
    def construct(self, query: str, source: str = "query") -> list[tuple[Term, Term, Term]]:
        """Run a CONSTRUCT or DESCRIBE query."""


def to_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Term:
    """Convert a pyoxigraph term to an engine-neutral result term."""
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        return Term("literal", term.value, term.datatype.value, term.language)
    raise StoreError(f"quoted triples are not supported in results: {term}")


def query_syntax_error(error: SyntaxError, source: str) -> QuerySyntaxError:
    found = _POSITION.search(str(error))
    line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
    message = _POSITION_PREFIX.sub("", str(error))
    return QuerySyntaxError(source, line, column, message)


class OxigraphStore(Store):
    """An embedded pyoxigraph store, in memory or on disk."""

    def __init__(self, path: Path | None = None) -> None:
        self.engine = ox.Store(str(path)) if path is not None else ox.Store()

    def _run(self, query: str, source: str = "query") -> object:
        try:
            return self.engine.query(query, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise query_syntax_error(error, source) from None
        except OSError as error:
            raise StoreError(str(error)) from error

    def select(self, query: str, source: str = "query") -> Table:
        solutions = self._run(query, source)
        if not isinstance(solutions, ox.QuerySolutions):
            raise StoreError("not a SELECT query")
        columns = tuple(v.value for v in solutions.variables)
        rows = tuple(tuple(to_term(s[c]) if s[c] is not None else None for c in columns) for s in solutions)
        return Table(columns, rows)

    def ask(self, query: str, source: str = "query") -> bool:
        answer = self._run(query, source)
        if not isinstance(answer, ox.QueryBoolean):
            raise StoreError("not an ASK query")
        return bool(answer)

    def construct(self, query: str, source: str = "query") -> list[tuple[Term, Term, Term]]:
        triples = self._run(query, source)
        if not isinstance(triples, ox.QueryTriples):
            raise StoreError("not a CONSTRUCT or DESCRIBE query")
        return [(to_term(t.subject), to_term(t.predicate), to_term(t.object)) for t in triples]

    def load_turtle(self, data: bytes, graph: str, source: str) -> int:
        """Parse Turtle completely, then add it to `graph`: a file that does not parse adds nothing."""
        quads = parse_turtle(data, graph, source)
        self.engine.extend(quads)
        return len(quads)

    def graphs(self) -> list[str]:
        """The named graphs in the store."""
        return sorted(g.value for g in self.engine.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        return len(self.engine)


def parse_turtle(data: bytes, graph: str, source: str) -> list[ox.Quad]:
    """Parse Turtle into quads of `graph`, or raise DataSyntaxError with the file, line and column."""
    target = ox.NamedNode(graph)
    try:
        triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=graph, without_named_graphs=True))
    except SyntaxError as error:
        message = str(error).split(": ", 1)[-1] if error.lineno is not None else str(error)
        raise DataSyntaxError(source, error.lineno, error.offset, message) from None
    return [ox.Quad(t.subject, t.predicate, t.object, target) for t in triples]


def load_files(store: OxigraphStore, files: Iterable[tuple[Path, str]], root: Path) -> int:
    """Load each (file, graph IRI) into the store; return the number of triples added."""
    total = 0
    for path, graph in files:
        source = path.resolve().relative_to(root.resolve()).as_posix()
        total += store.load_turtle(path.read_bytes(), graph, source)
    return total
