"""The authoritative graph of the HTTP service and the one way to change it.

Every change (SPARQL Update, graph store PUT/POST/DELETE) goes through `commit.commit_change` under the
write lock: applied to the store in place with its delta recorded, validated with the SHACL shapes, and
only then logged (fsynced, when on disk) and published by this repository's sink. A change that fails
or would make the graph invalid is rolled back (the inverse delta) and changes nothing. Every reader of
the store here (sizes, dumps, snapshots) takes the same lock, so none sees a change before it is
accepted; queries never run here: they run in worker processes that receive each commit as a patch.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgservice.engine.commit import Change, GraphName, Staged, Validator, commit_change
from kgservice.engine.delta import UpdateDelta
from kgservice.engine.delta import apply as apply_delta
from kgservice.engine.pool import Patch
from kgservice.engine.snapshots import Snapshots, snapshot_folder
from kgservice.engine.wal import DiskLog, to_nquads
from kgservice.errors import UpdateConflict
from kgservice.translation import N_

_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def graph_sizes(store: ox.Store) -> dict[str, int]:
    """Triples per named graph of a store."""
    rows = store.query(_COUNTS)
    assert isinstance(rows, ox.QuerySolutions)
    return {str(row["g"].value): int(str(row["n"].value)) for row in rows}


@dataclass(frozen=True)
class CommitResult:
    version: int
    removed: int
    added: int


class GraphRepository(ABC):
    """What the HTTP service needs of the graph it serves, whether embedded or in a remote store."""

    version: int
    on_commit: Callable[[Patch], None] | None
    validator: Validator | None

    @abstractmethod
    def size(self) -> int:
        """Number of quads."""

    @abstractmethod
    def graph_sizes(self) -> dict[str, int]:
        """Triples per named graph."""

    @abstractmethod
    def has_graph(self, graph: GraphName) -> bool:
        """Whether the graph exists (the default graph always does)."""

    @abstractmethod
    def dump(self, rdf_format: ox.RdfFormat, graph: GraphName | None) -> bytes:
        """One graph, or the whole dataset when `graph` is None, serialized."""

    @abstractmethod
    def commit(self, change: Change) -> CommitResult:
        """Apply a change to a staging copy, validate it, and make it the current graph, or change nothing."""


class HeldGraph(GraphRepository):
    """A repository whose graph is an in-memory store, read under its write lock: the embedded graph, or a remote
    store's mirror. Readers never see a change before it is accepted."""

    _write_lock: threading.Lock

    @abstractmethod
    def held(self) -> ox.Store:
        """The store the reads answer from (call with the write lock held)."""

    def size(self) -> int:
        with self._write_lock:
            return len(self.held())

    def graph_sizes(self) -> dict[str, int]:
        with self._write_lock:
            return graph_sizes(self.held())

    def has_graph(self, graph: GraphName) -> bool:
        with self._write_lock:
            return isinstance(graph, ox.DefaultGraph) or self.held().contains_named_graph(graph)

    def dump(self, rdf_format: ox.RdfFormat, graph: GraphName | None) -> bytes:
        with self._write_lock:
            store = self.held()
            data = store.dump(format=rdf_format) if graph is None else store.dump(format=rdf_format, from_graph=graph)
        assert data is not None  # dump() without an output returns the bytes
        return data


class Repository(HeldGraph):
    """The embedded graph: the current in-memory store, its version, and the commit procedure."""

    def __init__(
        self, store: ox.Store, disk: DiskLog | None = None, version: int = 0, snapshots: Snapshots | None = None
    ) -> None:
        """`snapshots`: the folder of snapshots and the one already there (a copy of the base the workers
        started from), when the caller made them; otherwise a new, empty folder."""
        self.store, self.disk, self.version = store, disk, version
        self.validator: Validator | None = None
        self.on_commit: Callable[[Patch], None] | None = None
        self._write_lock = threading.Lock()
        if snapshots is None:
            snapshots = Snapshots(snapshot_folder(self, disk.directory if disk is not None else None))
        self._snapshots, self._snapshot = snapshots.folder, snapshots.first
        # The base the first worker started from is never removed here: that worker may not have opened it yet
        # when a later version is written. It is a link to the base, and costs space only once the base is
        # replaced (compaction), until the service stops; the next start empties the folder.
        self._kept = snapshots.first[0] if snapshots.first is not None else None
        self._snapshot_lock = threading.Lock()

    def snapshot(self) -> tuple[Path, int]:
        """The current graph as an N-Quads file and its version (written once per version)."""
        with self._snapshot_lock, self._write_lock:
            store, version = self.store, self.version
            if self._snapshot is None or self._snapshot[1] != version:
                path = self._snapshots / f"v{version}.nq"
                with path.open("wb") as out:
                    store.dump(out, format=ox.RdfFormat.N_QUADS)
                if self._snapshot is not None and self._snapshot[0] != self._kept:
                    self._snapshot[0].unlink(missing_ok=True)
                self._snapshot = (path, version)
            return self._snapshot

    def held(self) -> ox.Store:
        return self.store

    def commit(self, change: Change) -> CommitResult:
        """Apply `change` in place, validate, log and publish it; roll it back and raise on failure."""
        with self._write_lock:
            return commit_change(self.store, change, self.validator, _LogAndSwap(self))


def commit_evaluated(
    repository: GraphRepository, evaluate: Callable[[], UpdateDelta | None], attempts: int = 3
) -> CommitResult | None:
    """Commit the delta of an update that a query worker evaluated (`QueryEngine.update_delta`); None when the
    engine does not evaluate updates. The delta is applied only to the version it was worked out on: when
    another write came first, the update is evaluated again, at most `attempts` times."""
    for _ in range(attempts):
        delta = evaluate()
        if delta is None:
            return None
        stale = False

        def change(store: ox.Store, delta: UpdateDelta = delta) -> None:
            nonlocal stale
            stale = delta.version != repository.version
            if not stale:
                apply_delta(store, delta)

        result = repository.commit(change)
        if not stale:
            return result
    raise UpdateConflict(N_("the graph changed %(count)s times while the update was evaluated; send it again"), count=attempts)


class VersionSink:
    """What the sinks of a repository share: a change that alters nothing keeps the version."""

    def __init__(self, repository: GraphRepository) -> None:
        self.version_of = repository

    def unchanged(self) -> CommitResult:
        return CommitResult(self.version_of.version, 0, 0)


class _LogAndSwap(VersionSink):
    """The embedded repository's sink: log the change (fsynced), count the version, publish the patch."""

    def __init__(self, repository: Repository) -> None:
        super().__init__(repository)
        self.repository = repository

    def write(self, staged: Staged) -> CommitResult:
        repository, version = self.repository, self.repository.version + 1
        removed, added = to_nquads(staged.removed), to_nquads(staged.added)
        if repository.disk is not None:
            repository.disk.append(version, removed, added)
        repository.store, repository.version = staged.store, version
        if repository.on_commit is not None:
            repository.on_commit(Patch(version, removed, added))
        if repository.disk is not None and repository.disk.needs_compaction():
            repository.disk.compact(staged.store)  # a failed compaction must not fail a write already logged
        return CommitResult(version, len(staged.removed), len(staged.added))
