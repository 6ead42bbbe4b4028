"""The embedded query engine: `OxigraphStore` answers with pyoxigraph in this process (the command line,
the analyses' tests) and, wrapped by kgservice.engine.worker, inside each query worker process.

pyoxigraph is called directly: rdflib's engine is orders of magnitude slower on our joins. The default
graph of a query is the union of all named graphs unless a protocol request names its dataset.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from kgservice.engine import delta
from kgservice.engine.base import Dataset, QueryEngine, QueryRequest, Serialized, Triple, not_acceptable, too_large
from kgservice.engine.delta import UpdateDelta
from kgservice.errors import DataSyntaxError, ForbiddenOperation, InputError, QuerySyntaxError, StoreError
from kgservice.rdf.media import GRAPH_FORMATS, RESULT_FORMATS
from kgservice.rdf.terms import Table, Term
from kgservice.sparql.diagnosis import UPDATE_SOURCE, clarified
from kgservice.sparql.screening import OUTBOUND_REFUSED
from kgservice.translation import N_

NOT_EVALUATED = N_("the query could not be evaluated: %(error)s")
_POSITION = re.compile(r"at (\d+):(\d+)")
_POSITION_PREFIX = re.compile(r"^error at \d+:\d+: ")
Results = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def to_term(term: OxTerm) -> Term:
    """Convert a pyoxigraph term to an engine-neutral result term."""
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        return Term("literal", term.value, term.datatype.value, term.language)
    raise StoreError(f"quoted triples are not supported in results: {term}")


class TermCache:
    """Converts pyoxigraph terms, each distinct one once: results repeat their IRIs row after row, and the
    terms shared this way also pickle once when a worker sends its results to the parent process."""

    def __init__(self) -> None:
        self._seen: dict[OxTerm, Term] = {}

    def __call__(self, term: OxTerm | None) -> Term | None:
        if term is None:
            return None
        found = self._seen.get(term)
        if found is None:
            found = self._seen[term] = to_term(term)
        return found

    def triple(self, triple: ox.Triple) -> Triple:
        return self.term(triple.subject), self.term(triple.predicate), self.term(triple.object)

    def term(self, term: OxTerm) -> Term:
        converted = self(term)
        assert converted is not None
        return converted


def query_syntax_error(error: SyntaxError, source: str) -> QuerySyntaxError:
    """pyoxigraph's "error at 2:7: expected ..." as a QuerySyntaxError with its line and column."""
    found = _POSITION.search(str(error))
    line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
    message = _POSITION_PREFIX.sub("", str(error))
    return QuerySyntaxError(source, line, column, message)


@contextmanager
def _evaluating(source: str) -> Iterator[None]:
    """Turn pyoxigraph's errors into ours; results are lazy, so this covers reading them as well."""
    try:
        yield
    except SyntaxError as error:
        raise query_syntax_error(error, source) from None
    except OSError:
        # only an outbound request (SERVICE) does I/O in a query; pyoxigraph's message names the host
        # and says whether its port is open, so every such failure gets the one fixed message
        raise ForbiddenOperation(OUTBOUND_REFUSED) from None
    except RuntimeError as error:
        if "service" in str(error).lower():  # "Unsupported Content-Type returned by service <...>"
            raise ForbiddenOperation(OUTBOUND_REFUSED) from None
        raise InputError(NOT_EVALUATED, error=error) from error
    except ValueError as error:
        raise InputError(NOT_EVALUATED, error=error) from error


class BoundedBuffer(io.RawIOBase):
    """A writable buffer that refuses to grow past a limit, which stops the query's evaluation."""

    def __init__(self, limit: int | None) -> None:
        self.limit, self.buffer = limit, bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.limit is not None and len(self.buffer) + len(data) > self.limit:
            raise too_large(self.limit)
        self.buffer += data
        return len(data)


def dataset_options(dataset: Dataset) -> dict[str, object]:
    """pyoxigraph's query options for a protocol dataset: a named dataset excludes everything it leaves out."""
    if not dataset.default_graphs and not dataset.named_graphs:
        return {"use_default_graph_as_union": dataset.union_default_graph}
    return {
        "default_graph": [ox.NamedNode(g) for g in dataset.default_graphs],
        "named_graphs": [ox.NamedNode(g) for g in dataset.named_graphs],
    }


def _write(results: Results, request: QueryRequest) -> Serialized:
    is_graph = isinstance(results, ox.QueryTriples)
    media = request.graph_media if is_graph else request.results_media
    table: dict[str, ox.RdfFormat] | dict[str, ox.QueryResultsFormat] = GRAPH_FORMATS if is_graph else RESULT_FORMATS
    if media is None or media not in table:
        raise not_acceptable(list(table))
    out = BoundedBuffer(request.max_bytes)
    sink = cast(IO[bytes], out)  # a raw binary stream; pyoxigraph writes to any object with write()
    if isinstance(results, ox.QueryTriples):
        results.serialize(sink, GRAPH_FORMATS[media])
    else:
        results.serialize(sink, RESULT_FORMATS[media])
    charset = "; charset=utf-8" if media.startswith("text/") or media.endswith(("json", "xml")) else ""
    return Serialized(bytes(out.buffer), media + charset)


class OxigraphStore(QueryEngine):
    """An embedded pyoxigraph store, in memory or on disk, or wrapping a pyoxigraph store given."""

    def __init__(self, path: Path | None = None, engine: ox.Store | None = None) -> None:
        self.engine = engine if engine is not None else ox.Store(str(path)) if path is not None else ox.Store()

    def _run(self, query: str, source: str) -> Results:
        with _evaluating(source):
            return self.engine.query(query, use_default_graph_as_union=True)

    def select(self, query: str, source: str = "query") -> Table:
        solutions = self._run(query, source)
        if not isinstance(solutions, ox.QuerySolutions):
            raise StoreError(f"{source}: not a SELECT query")
        columns, convert = tuple(v.value for v in solutions.variables), TermCache()
        with _evaluating(source):
            rows = tuple(tuple(map(convert, solution)) for solution in solutions)  # a solution iterates in column order
        return Table(columns, rows)

    def ask(self, query: str, source: str = "query") -> bool:
        answer = self._run(query, source)
        if not isinstance(answer, ox.QueryBoolean):
            raise StoreError(f"{source}: not an ASK query")
        return bool(answer)

    def construct(self, query: str, source: str = "query") -> list[Triple]:
        triples = self._run(query, source)
        if not isinstance(triples, ox.QueryTriples):
            raise StoreError(f"{source}: not a CONSTRUCT or DESCRIBE query")
        convert = TermCache()
        with _evaluating(source):
            return [convert.triple(t) for t in triples]

    def serialize(self, request: QueryRequest) -> Serialized:
        options = dataset_options(request.dataset)
        with _evaluating(request.source):
            results = self.engine.query(request.query, base_iri=request.base_iri, **options)  # type: ignore[arg-type]
            return _write(results, request)

    def update_delta(self, update: str, base_iri: str | None = None) -> UpdateDelta | None:
        """Evaluate the update here (a query worker's copy: no network, a memory limit), the store left as it was."""
        try:
            return delta.evaluate(self.engine, update, base_iri)
        except SyntaxError as error:
            raise clarified(query_syntax_error(error, UPDATE_SOURCE), update) from None

    def close(self) -> None:
        """Nothing to release: the store lives as long as this object."""

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
        resolved = path.resolve()  # named relative to the project in errors; a user data file by its full path
        source = resolved.relative_to(root.resolve()).as_posix() if resolved.is_relative_to(root.resolve()) else str(resolved)
        total += store.load_turtle(path.read_bytes(), graph, source)
    return total
