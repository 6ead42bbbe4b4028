"""The authoritative graph of the HTTP service and the one way to change it.

Every change (SPARQL Update, graph store PUT/POST/DELETE) is applied to a staging copy, validated
with the SHACL shapes, and only then logged (fsynced, when on disk) and swapped in whole. A change
that fails or would make the graph invalid is rejected and changes nothing. Queries never run here:
they run in worker processes that receive each commit as a patch.
"""

from __future__ import annotations

import tempfile
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgservice.engine.derived import derive
from kgservice.engine.pool import Patch
from kgservice.engine.wal import DiskLog, to_nquads
from kgservice.errors import WriteRejected

Validator = Callable[[ox.Store], "ValidationOutcome"]
_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def graph_sizes(store: ox.Store) -> dict[str, int]:
    """Triples per named graph of a store."""
    rows = store.query(_COUNTS)
    assert isinstance(rows, ox.QuerySolutions)
    return {str(row["g"].value): int(str(row["n"].value)) for row in rows}


@dataclass(frozen=True)
class ValidationOutcome:
    """What the validator says of a staging graph."""

    conforms: bool
    report_text: str
    violations: list[dict[str, str | None]]


@dataclass(frozen=True)
class CommitResult:
    version: int
    removed: int
    added: int


def copy_store(store: ox.Store) -> ox.Store:
    """An in-memory copy with the same quads (blank node labels kept)."""
    staging = ox.Store()
    staging.extend(store)
    return staging


GraphName = ox.NamedNode | ox.DefaultGraph


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
    def commit(self, change: Callable[[ox.Store], None]) -> CommitResult:
        """Apply a change to a staging copy, validate it, and make it the current graph, or change nothing."""


def delta(before: ox.Store, after: ox.Store) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """The quads removed and added between two states."""
    old, new = set(before), set(after)
    return old - new, new - old


@dataclass(frozen=True)
class Staged:
    """A change applied to a copy of the graph and validated, ready to be made current."""

    store: ox.Store
    removed: set[ox.Quad]
    added: set[ox.Quad]


def stage(current: ox.Store, change: Callable[[ox.Store], None], validator: Validator | None) -> Staged | None:
    """Apply `change` to a copy of `current` and recompute the derived facts; None when nothing changes.

    Raises WriteRejected, with the validation report, when the result would not conform to the shapes."""
    staging = copy_store(current)
    change(staging)
    derive(staging)
    removed, added = delta(current, staging)
    if not removed and not added:
        return None
    if validator is not None:
        outcome = validator(staging)
        if not outcome.conforms:
            raise WriteRejected(outcome.report_text, outcome.violations)
    return Staged(staging, removed, added)


class Repository(GraphRepository):
    """The embedded graph: the current in-memory store, its version, and the commit procedure."""

    def __init__(self, store: ox.Store, disk: DiskLog | None = None, version: int = 0) -> None:
        self.store, self.disk, self.version = store, disk, version
        self.validator: Validator | None = None
        self.on_commit: Callable[[Patch], None] | None = None
        self._write_lock = threading.Lock()
        self._snapshots = Path(tempfile.mkdtemp(prefix="kgservice-snapshots-"))
        self._snapshot: tuple[Path, int] | None = None
        self._snapshot_lock = threading.Lock()

    def snapshot(self) -> tuple[Path, int]:
        """The current graph as an N-Quads file and its version (written once per version)."""
        with self._snapshot_lock:
            store, version = self.store, self.version
            if self._snapshot is None or self._snapshot[1] != version:
                path = self._snapshots / f"v{version}.nq"
                with path.open("wb") as out:
                    store.dump(out, format=ox.RdfFormat.N_QUADS)
                if self._snapshot is not None:
                    self._snapshot[0].unlink(missing_ok=True)
                self._snapshot = (path, version)
            return self._snapshot

    def size(self) -> int:
        return len(self.store)

    def graph_sizes(self) -> dict[str, int]:
        return graph_sizes(self.store)

    def has_graph(self, graph: GraphName) -> bool:
        return isinstance(graph, ox.DefaultGraph) or self.store.contains_named_graph(graph)

    def dump(self, rdf_format: ox.RdfFormat, graph: GraphName | None) -> bytes:
        data = self.store.dump(format=rdf_format) if graph is None else self.store.dump(format=rdf_format, from_graph=graph)
        assert data is not None  # dump() without an output returns the bytes
        return data

    def commit(self, change: Callable[[ox.Store], None]) -> CommitResult:
        """Apply `change` to a copy, validate, log and swap it in; raise without changing anything on failure."""
        with self._write_lock:
            staged = stage(self.store, change, self.validator)
            if staged is None:
                return CommitResult(self.version, 0, 0)
            return self._swap(staged.store, staged.removed, staged.added)

    def _swap(self, staging: ox.Store, removed: set[ox.Quad], added: set[ox.Quad]) -> CommitResult:
        version = self.version + 1
        removed_nq, added_nq = to_nquads(removed), to_nquads(added)
        if self.disk is not None:
            self.disk.append(version, removed_nq, added_nq)
        self.store, self.version = staging, version
        if self.on_commit is not None:
            self.on_commit(Patch(version, removed_nq, added_nq))
        if self.disk is not None and self.disk.needs_compaction():
            self.disk.write_base(staging)
        return CommitResult(version, len(removed), len(added))
