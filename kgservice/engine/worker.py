"""A query worker process: holds its own in-memory copy of the graph and answers one call at a time.

The service runs queries in worker processes so that a runaway query can be stopped for real: the
parent kills the process at the deadline, which frees its CPU, and starts a fresh one. Messages on the
pipe are tuples: ("call", Call) -> ("ok", value) or ("failed", Failure); ("patch", removed, added) and
("load", path) change the copy. The worker answers with the embedded engine, so its results and errors
are those of the command line; it imports only pyoxigraph, the standard library and light kgservice
modules, so it starts quickly.
"""

from __future__ import annotations

import resource
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

from kgservice.engine.base import Failure
from kgservice.engine.channel import send
from kgservice.engine.embedded import OxigraphStore
from kgservice.engine.sandbox import isolate_worker
from kgservice.errors import KgServiceError, QueryOutOfMemory, StoreError
from kgservice.translation import N_

Method = Literal["select", "ask", "construct", "serialize", "update_delta"]


@dataclass(frozen=True)
class Call:
    """One QueryEngine method to run in a worker, with its (picklable) arguments."""

    method: Method
    args: tuple[object, ...]


def answer(engine: OxigraphStore, call: Call) -> tuple[str, object]:
    """Run the call: ("ok", its result) or ("failed", the error as a Failure, since exceptions do not unpickle)."""
    try:
        return "ok", getattr(engine, call.method)(*call.args)
    except KgServiceError as error:
        return "failed", Failure.of(error)
    except MemoryError:
        # Python's own allocations fail with MemoryError under the limit; pyoxigraph's abort the process,
        # which the pool reports as the same error.
        return "failed", Failure.of(QueryOutOfMemory(N_("the query needed more memory than a query worker may use")))


def limit_memory(megabytes: int | None) -> None:
    """Cap the data segment of this process (heap and anonymous maps, not the code): a query that
    allocates past it fails here, in this worker, instead of taking the machine's memory."""
    if megabytes is not None:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def load_snapshot(path: Path) -> ox.Store:
    """A new in-memory store with the N-Quads snapshot at `path` (blank node labels kept, which patches name).

    Parsed leniently (IRIs and language tags not checked again, a fifth less time): the snapshot is the
    repository's own dump of terms it validated. `Store.load` and `bulk_load` would be faster still, but they
    rename blank nodes, and a patch could then not remove a quad that has one."""
    store = ox.Store()
    store.extend(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS, lenient=True))
    return store


def apply_patch(store: ox.Store, removed: bytes, added: bytes) -> None:
    """Apply a change given as N-Quads of removed and added quads (blank node labels kept)."""
    for quad in ox.parse(removed, format=ox.RdfFormat.N_QUADS):
        store.remove(quad)
    store.extend(ox.parse(added, format=ox.RdfFormat.N_QUADS))


def patch(engine: OxigraphStore, removed: bytes, added: bytes) -> tuple[str, object]:
    """Apply a patch: ("patched", None), or ("failed", Failure) and the pool replaces this worker."""
    try:
        apply_patch(engine.engine, removed, added)
    except (SyntaxError, ValueError, OSError, MemoryError) as error:
        return "failed", Failure.of(StoreError(f"the committed change could not be applied: {error}"))
    return "patched", None  # not len(): pyoxigraph counts the quads one by one (67 ms at 100k) on every patch


def serve(conn: Connection, snapshot: str, memory_mb: int | None = None, network: bool = False) -> None:
    """The worker's main loop (the target of the worker process), within `memory_mb` MiB of data; without
    network unless it is the worker of allow-listed SERVICE calls."""
    isolate_worker(network)  # first: from here on no query can reach another host, whatever its text says
    limit_memory(memory_mb)
    engine = OxigraphStore(engine=load_snapshot(Path(snapshot)))
    send(conn, ("ready", None))  # not len(): pyoxigraph counts the quads one by one, 0.5 s at 1M
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        kind = message[0]
        if kind == "call":
            send(conn, answer(engine, message[1]))
        elif kind == "patch":
            send(conn, patch(engine, message[1], message[2]))
        elif kind == "load":
            engine = OxigraphStore(engine=load_snapshot(Path(message[1])))
            send(conn, ("loaded", None))
        elif kind == "stop":
            return
