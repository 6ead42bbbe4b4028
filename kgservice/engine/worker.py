"""A query worker process: holds its own in-memory copy of the graph and answers one query at a time.

The service runs queries in worker processes so that a runaway query can be stopped for real: the
parent kills the process at the deadline, which frees its CPU, and starts a fresh one. Messages on
the pipe are tuples: ("query", Job) -> ("ok", Outcome); ("patch", removed, added) and
("load", path) change the copy. Only pyoxigraph and the standard library are imported here, so a
worker starts quickly.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from kgservice.errors import ResultTooLarge
from kgservice.rdf.media import GRAPH_FORMATS, RESULT_FORMATS, choose


@dataclass(frozen=True)
class Job:
    """One query as the protocol handler hands it over."""

    query: str
    accept: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None
    max_bytes: int = 50_000_000
    union_default_graph: bool = True


@dataclass(frozen=True)
class Outcome:
    """What a query produced: a serialized body, or an error with a status and a message."""

    status: int
    media_type: str = "text/plain; charset=utf-8"
    body: bytes = b""
    message: str = ""
    extra: dict[str, str] = field(default_factory=dict)


class BoundedBuffer(io.RawIOBase):
    """A writable buffer that refuses to grow past a limit, which stops the query's evaluation."""

    def __init__(self, limit: int) -> None:
        self.limit, self.buffer = limit, bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if len(self.buffer) + len(data) > self.limit:
            raise ResultTooLarge(
                f"the result is larger than this service's limit of {self.limit} bytes; narrow the query or add LIMIT"
            )
        self.buffer += data
        return len(data)


def _dataset(job: Job) -> dict[str, object]:
    if not job.default_graphs and not job.named_graphs:
        return {"use_default_graph_as_union": job.union_default_graph}
    options: dict[str, object] = {}
    if job.default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    if job.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    else:
        options["named_graphs"] = []
    if not job.default_graphs:
        options["default_graph"] = []
    return options


def _serialize(results: object, job: Job) -> Outcome:
    is_graph = isinstance(results, ox.QueryTriples)
    table = GRAPH_FORMATS if is_graph else RESULT_FORMATS
    media = choose(job.accept, list(table))
    if media is None:
        offered = ", ".join(table)
        return Outcome(406, message=f"none of the requested media types can be produced for this query; available: {offered}")
    out = BoundedBuffer(job.max_bytes)
    sink = cast(IO[bytes], out)  # a raw binary stream; pyoxigraph writes to any object with write()
    if isinstance(results, ox.QueryTriples):
        results.serialize(sink, GRAPH_FORMATS[media])
    elif isinstance(results, (ox.QuerySolutions, ox.QueryBoolean)):
        results.serialize(sink, RESULT_FORMATS[media])
    charset = "; charset=utf-8" if media.startswith("text/") or media.endswith(("json", "xml")) else ""
    return Outcome(200, media + charset, bytes(out.buffer))


def evaluate(store: ox.Store, job: Job) -> Outcome:
    """Run one query against the store and serialize the result as the client asked."""
    try:
        results = store.query(job.query, base_iri=job.base_iri, **_dataset(job))  # type: ignore[arg-type]
        return _serialize(results, job)
    except SyntaxError as error:
        return Outcome(400, message=f"query syntax error: {error}")
    except ResultTooLarge as error:
        return Outcome(413, message=str(error), extra={"reason": "result-too-large"})
    except (OSError, ValueError, RuntimeError) as error:
        return Outcome(400, message=f"the query could not be evaluated: {error}")


def load_snapshot(path: Path) -> ox.Store:
    """A new in-memory store with the N-Quads snapshot at `path` (blank node labels kept)."""
    store = ox.Store()
    with path.open("rb") as data:
        store.extend(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    return store


def apply_patch(store: ox.Store, removed: bytes, added: bytes) -> None:
    """Apply a change given as N-Quads of removed and added quads (blank node labels kept)."""
    for quad in ox.parse(removed, format=ox.RdfFormat.N_QUADS):
        store.remove(quad)
    store.extend(ox.parse(added, format=ox.RdfFormat.N_QUADS))


def serve(conn: Connection, snapshot: str) -> None:
    """The worker's main loop (the target of the worker process)."""
    store = load_snapshot(Path(snapshot))
    conn.send(("ready", len(store)))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        kind = message[0]
        if kind == "query":
            conn.send(("ok", evaluate(store, message[1])))
        elif kind == "patch":
            apply_patch(store, message[1], message[2])
            conn.send(("patched", len(store)))
        elif kind == "load":
            store = load_snapshot(Path(message[1]))
            conn.send(("loaded", len(store)))
        elif kind == "stop":
            return
