"""The one query interface of the service: `QueryEngine`, which the command line, the HTTP API, the
pages and the analyses call alike, whether the graph is embedded, in worker processes or remote.

Internal readers get typed results (`Table`, bool, triples of `Term`); the HTTP edge, which has already
negotiated the media types, gets the serialized answer (`serialize`). Errors are `kgservice.errors`
classes; `Failure` carries one across a process boundary, where exceptions do not unpickle.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from kgservice.engine.delta import UpdateDelta
from kgservice.errors import (
    ForbiddenOperation,
    InputError,
    KgServiceError,
    NotAcceptable,
    QueryOutOfMemory,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
    StoreError,
    TermTooLarge,
    UpdateConflict,
)
from kgservice.rdf.terms import Table, Term

Triple = tuple[Term, Term, Term]


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset of a protocol query: default-graph-uri and named-graph-uri, and whether the default
    graph is the union of the named graphs (it is unless the query or the request names graphs)."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    union_default_graph: bool = True


@dataclass(frozen=True)
class QueryRequest:
    """A query to answer in a media type the HTTP edge has already chosen: `results_media` for SELECT and
    ASK, `graph_media` for CONSTRUCT and DESCRIBE; None where the client accepts none (406)."""

    query: str
    results_media: str | None
    graph_media: str | None
    dataset: Dataset = field(default_factory=Dataset)
    base_iri: str | None = None
    max_bytes: int | None = None
    source: str = "query"
    outbound: bool = False  # it calls allow-listed SERVICE endpoints: only a worker with network may answer it


@dataclass(frozen=True)
class Serialized:
    """A serialized answer and its media type (with charset where it is text)."""

    body: bytes
    media_type: str


class QueryEngine(ABC):
    """Answer SPARQL queries: typed results for internal readers, serialized ones for the HTTP edge."""

    restarts: int = 0  # query workers restarted after a missed deadline (engines without workers: 0)

    @abstractmethod
    def select(self, query: str, source: str = "query") -> Table:
        """Run a SELECT query; `source` names the query in error messages."""

    @abstractmethod
    def ask(self, query: str, source: str = "query") -> bool:
        """Run an ASK query."""

    @abstractmethod
    def construct(self, query: str, source: str = "query") -> list[Triple]:
        """Run a CONSTRUCT or DESCRIBE query."""

    @abstractmethod
    def serialize(self, request: QueryRequest) -> Serialized:
        """Run a query of any form and serialize its answer in the media type chosen for that form."""

    def submit(self, request: QueryRequest) -> Future[Serialized]:
        """`serialize` as a future, for the HTTP edge, which must not hold one of its threads while a query
        waits for its turn; engines with a queue of their own answer through it."""
        return _BLOCKING.submit(self.serialize, request)

    async def answer(self, request: QueryRequest) -> Serialized:
        """`serialize` awaited on the event loop, for the HTTP edge; cancelling the await cancels the query
        where the engine can (a worker pool stops its worker)."""
        return await asyncio.wrap_future(self.submit(request))

    def select_many(self, queries: Sequence[str], source: str = "query") -> list[Table]:
        """Run several SELECT queries, answers in order; engines with workers run them side by side."""
        return [self.select(query, source) for query in queries]

    def problem(self) -> str | None:
        """Why the engine cannot answer any query now (every worker down), or None; /health reports it."""
        return None

    def update_delta(self, update: str, base_iri: str | None = None) -> UpdateDelta | None:
        """What a SPARQL update would change, worked out on the engine's own copy of the graph, which it
        leaves as it was; None: this engine does not evaluate updates (apply them to the repository's store)."""
        return None

    @abstractmethod
    def close(self) -> None:
        """Release the engine's workers and connections."""


_BLOCKING = ThreadPoolExecutor(max_workers=4, thread_name_prefix="query-engine")


def not_acceptable(offered: Sequence[str]) -> NotAcceptable:
    """The 406 error of a query whose form has no media type the client accepts."""
    return NotAcceptable(f"none of the requested media types can be produced for this query; available: {', '.join(offered)}")


def too_large(limit: int) -> ResultTooLarge:
    """The 413 error of a result over the size limit."""
    return ResultTooLarge(f"the result is larger than this service's limit of {limit} bytes; narrow the query or add LIMIT")


# The errors an engine raises on purpose, by name; any other crosses a process boundary as its nearest base here.
_PLAIN: dict[str, type[KgServiceError]] = {
    cls.__name__: cls
    for cls in (
        InputError,
        NotAcceptable,
        ResultTooLarge,
        ForbiddenOperation,
        UpdateConflict,
        TermTooLarge,
        QueryTimeout,
        QueryOutOfMemory,
        StoreError,
    )
}


@dataclass(frozen=True)
class Failure:
    """An engine error as plain data: the class name, the message, and where a syntax error is."""

    kind: str
    message: str
    source: str = ""
    line: int | None = None
    column: int | None = None

    args: tuple[tuple[str, str | int | float], ...] = ()  # the named arguments of a catalogue text

    @classmethod
    def of(cls, error: KgServiceError) -> Failure:
        args = tuple((k, v if isinstance(v, str | int | float) else str(v)) for k, v in error.message_args.items())
        if isinstance(error, QuerySyntaxError):
            return cls("QuerySyntaxError", error.message, error.source, error.line, error.column, args)
        kind = next((k.__name__ for k in type(error).__mro__ if k.__name__ in _PLAIN), "StoreError")
        if not error.message or str(error) != (error.message % error.message_args if args else error.message):
            return cls(kind, str(error))  # an error that puts more than its text in its message (a place)
        return cls(kind, error.message, args=args)

    def error(self) -> KgServiceError:
        """The `kgservice.errors` exception this failure stands for (its text translatable as where it was raised)."""
        if self.kind == "QuerySyntaxError":
            return QuerySyntaxError(self.source, self.line, self.column, self.message, **dict(self.args))
        return _PLAIN.get(self.kind, StoreError)(self.message, **dict(self.args))
