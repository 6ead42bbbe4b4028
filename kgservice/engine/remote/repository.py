"""`RemoteRepository`: kgservice's graphs in a remote store, mirrored in memory, where each change is
validated before its delta goes to the remote in chunks (undone if a later chunk fails)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pyoxigraph as ox

from kgservice.engine.commit import Change, Staged, Validator, commit_change
from kgservice.engine.pool import Patch
from kgservice.engine.remote.client import JSON, RemoteClient, RemoteEndpoints
from kgservice.engine.remote.store import RemoteStore
from kgservice.engine.remote.texts import deskolemise, parse_triples, results_document, skolemise
from kgservice.engine.repository import CommitResult, HeldGraph, VersionSink
from kgservice.errors import KgServiceError
from kgservice.rdf.terms import table_from_json

REGISTRY = ox.NamedNode("https://w3id.org/kgservice/graph/kgservice-graphs")
DEFAULT_GRAPH = ox.NamedNode("https://w3id.org/kgservice/graph/default")
MEMBER = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#member")
CHUNK_TRIPLES = 1000


# -- the repository -----------------------------------------------------------------------------------------------


def _remote_graph(graph: Any) -> ox.NamedNode:
    """Where a graph of the mirror lives in the remote."""
    return DEFAULT_GRAPH if isinstance(graph, ox.DefaultGraph) else skolemise(graph)


def _local_graph(graph: ox.NamedNode) -> ox.NamedNode | ox.BlankNode | ox.DefaultGraph:
    return ox.DefaultGraph() if graph == DEFAULT_GRAPH else deskolemise(graph)


def _line(quad: ox.Quad) -> tuple[ox.NamedNode, str]:
    triple = f"{skolemise(quad.subject)} {quad.predicate} {skolemise(quad.object)} ."
    return _remote_graph(quad.graph_name), triple


def data_updates(inserting: bool, quads: Iterable[ox.Quad], chunk: int = CHUNK_TRIPLES) -> Iterator[str]:
    """INSERT DATA (or DELETE DATA) requests of at most `chunk` triples each, blank nodes skolemised."""
    by_graph: dict[ox.NamedNode, list[str]] = {}
    for quad in quads:
        graph, line = _line(quad)
        by_graph.setdefault(graph, []).append(line)
    verb = "INSERT DATA" if inserting else "DELETE DATA"
    for graph in sorted(by_graph, key=str):
        lines = by_graph[graph]
        for start in range(0, len(lines), chunk):
            yield f"{verb} {{ GRAPH {graph} {{\n" + "\n".join(lines[start : start + chunk]) + "\n} }"


def _member(graph: ox.NamedNode) -> ox.Quad:
    return ox.Quad(REGISTRY, MEMBER, graph, REGISTRY)


class RemoteRepository(HeldGraph):
    """kgservice's graphs in a remote store, mirrored in memory; writes are validated on the mirror, then sent as deltas."""

    def __init__(self, endpoints: RemoteEndpoints, timeout: float = 120, chunk: int = CHUNK_TRIPLES) -> None:
        self.endpoints, self.timeout, self.chunk = endpoints, timeout, chunk
        self.version = 0
        self.validator: Validator | None = None
        self.on_commit: Callable[[Patch], None] | None = None
        self.client = RemoteClient(endpoints, timeout)
        self.mirror = ox.Store()
        self.registered: set[ox.NamedNode] = set()
        self._write_lock = threading.Lock()
        self._stale = True

    def open(self) -> None:
        """Read kgservice's graphs from the remote into the mirror (the registry says which)."""
        with self._write_lock:
            self._reload()

    def _reload(self) -> None:
        query = f"SELECT ?g WHERE {{ GRAPH {REGISTRY} {{ {REGISTRY} {MEMBER} ?g }} }}"
        body, _ = self.client.query(query, [("named-graph-uri", REGISTRY.value)], JSON, 64_000_000)
        table = table_from_json(results_document(body))
        mirror, registered = ox.Store(), {ox.NamedNode(g) for g in table.column("g") if g}
        for graph in sorted(registered, key=str):
            local = _local_graph(graph)
            if not isinstance(local, ox.DefaultGraph):
                mirror.add_graph(local)
            data = self.client.graph(graph)
            if data:
                mirror.extend(ox.Quad(t.subject, t.predicate, t.object, local) for t in parse_triples(data))
        self.mirror, self.registered, self._stale = mirror, registered, False

    def is_empty(self) -> bool:
        """Whether kgservice has no graph in the remote (the store's own graphs do not count)."""
        with self._write_lock:
            return not self.registered

    def query_graphs(self) -> tuple[list[str], list[str]]:
        """The dataset of queries: the union of kgservice's graphs as default graph, and each named one."""
        named = sorted(g.value for g in self.registered if g != DEFAULT_GRAPH)
        return [*named, DEFAULT_GRAPH.value], named

    def engine(self, timeout: float) -> RemoteStore:
        """The query engine on kgservice's graphs in this remote."""
        return RemoteStore(self.endpoints, timeout, graphs=self.query_graphs)

    def held(self) -> ox.Store:
        return self.mirror

    def commit(self, change: Change) -> CommitResult:
        with self._write_lock:
            if self._stale:
                self._reload()
            return commit_change(self.mirror, change, self.validator, _SendDelta(self))

    def upload(self, store: ox.Store) -> None:
        """Fill the remote with every quad of `store` (the bundled data into a remote without kgservice's graphs)."""
        with self._write_lock:
            for graph in store.named_graphs():
                self.mirror.add_graph(graph)
            self.mirror.extend(store)
            self.send(set(), set(store))

    def send(self, removed: set[ox.Quad], added: set[ox.Quad]) -> None:
        """Make the remote hold what the mirror holds, given the delta: registry entries of new graphs first,
        the deleted and inserted triples, then the registry entries of graphs now gone; undo on failure."""
        now = {_remote_graph(g) for g in self.mirror.named_graphs()}
        if next(iter(self.mirror.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
            now.add(DEFAULT_GRAPH)
        new, gone = now - self.registered, self.registered - now
        steps = [
            *((True, u) for u in data_updates(True, map(_member, new), self.chunk)),
            *((False, u) for u in data_updates(False, removed, self.chunk)),
            *((True, u) for u in data_updates(True, added, self.chunk)),
            *((False, u) for u in data_updates(False, map(_member, gone), self.chunk)),
        ]
        self._apply(steps)
        self.registered = now

    def _apply(self, steps: list[tuple[bool, str]]) -> None:
        done: list[tuple[bool, str]] = []
        try:
            for inserting, update in steps:
                self.client.update(update)
                done.append((inserting, update))
        except KgServiceError:
            self._undo(done)
            raise

    def _undo(self, done: list[tuple[bool, str]]) -> None:
        """Send the inverse of the requests that went through; if that fails too, reload before the next write."""
        try:
            for inserting, update in reversed(done):
                verb, inverse = ("INSERT DATA", "DELETE DATA") if inserting else ("DELETE DATA", "INSERT DATA")
                self.client.update(inverse + update[len(verb) :])
        except KgServiceError:
            self._stale = True


class _SendDelta(VersionSink):
    """The remote repository's sink: the delta to the remote, in chunks, then a new version."""

    def __init__(self, repository: RemoteRepository) -> None:
        super().__init__(repository)
        self.repository = repository

    def write(self, staged: Staged) -> CommitResult:
        self.repository.send(staged.removed, staged.added)
        self.repository.version += 1
        return CommitResult(self.repository.version, len(staged.removed), len(staged.added))
