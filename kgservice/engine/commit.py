"""The one commit procedure of every write: apply the change in place, recording its delta, validate, hand it to a sink.

The change runs on the current store through a `Recorder`, which applies each mutation at once and keeps
the net delta (quads removed and added), so no write copies the store or compares two full quad sets.
The derived facts are updated from the delta (`derived.derive_delta`). If the validator refuses the
change, or the change or the sink raises, the inverse delta is applied and the store is as it was.
The caller must hold the store's write lock and keep readers off the store meanwhile (the repository's
readers take that lock; queries run in worker processes on their own copies, patched after the commit).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, cast

import pyoxigraph as ox

from kgservice.engine.derived import derive_delta
from kgservice.engine.limits import check_terms
from kgservice.errors import WriteRejected
from kgservice.sparql.lexer import Token, tokens

GraphName = ox.NamedNode | ox.DefaultGraph
AnyGraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
Change = Callable[[ox.Store], None]
Result_co = TypeVar("Result_co", covariant=True)


@dataclass(frozen=True)
class ValidationOutcome:
    """What the validator says of a staged change."""

    conforms: bool
    report_text: str
    violations: list[dict[str, str | None]]


@dataclass(frozen=True)
class Staged:
    """A change applied to the store, derived facts updated: the store after it and the quads it changed."""

    store: ox.Store
    removed: set[ox.Quad]
    added: set[ox.Quad]

    @property
    def touched(self) -> set[AnyGraphName]:
        """The graphs that gained or lost a quad."""
        return {quad.graph_name for quad in self.removed | self.added}


#: Judges a staged change, given the store after it and the delta, so that it may check only what the
#: delta can affect (`checks.incremental`); the store before it is the store minus `added` plus `removed`.
Validator = Callable[[Staged], ValidationOutcome]


class Sink(Protocol[Result_co]):
    """Where a validated change goes: the write-ahead log, a remote store, the project's files."""

    def write(self, staged: Staged) -> Result_co:
        """Make the validated change current (or durable); raise, having changed nothing, to refuse it."""
        ...

    def unchanged(self) -> Result_co:
        """The answer for a change that changed no quad (nothing is validated or written)."""
        ...


def copy_store(store: ox.Store) -> ox.Store:
    """An in-memory copy with the same quads (blank node labels kept)."""
    staging = ox.Store()
    staging.extend(store)
    return staging


class Recorder:
    """The store as a change sees it: each mutation is applied at once and its net effect recorded.

    Reads go to the store itself, so a change sees its own writes. `rollback` applies the inverse."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.removed: set[ox.Quad] = set()
        self.added: set[ox.Quad] = set()
        self._created: set[ox.NamedNode | ox.BlankNode] = set()
        self._dropped: set[ox.NamedNode | ox.BlankNode] = set()

    def __getattr__(self, name: str) -> Any:
        # query, quads_for_pattern, named_graphs, contains_named_graph, dump: reads of the store itself
        return getattr(self.store, name)

    def __iter__(self) -> Iterator[ox.Quad]:
        return iter(self.store)

    def __len__(self) -> int:
        return len(self.store)

    def __contains__(self, quad: ox.Quad) -> bool:
        return quad in self.store

    def add(self, quad: ox.Quad) -> None:
        if quad in self.store:
            return
        self.store.add(quad)
        if quad in self.removed:
            self.removed.discard(quad)
        else:
            self.added.add(quad)

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        for quad in quads:
            self.add(quad)

    def remove(self, quad: ox.Quad) -> None:
        if quad not in self.store:
            return
        self.store.remove(quad)
        if quad in self.added:
            self.added.discard(quad)
        else:
            self.removed.add(quad)

    def clear_graph(self, graph: AnyGraphName) -> None:
        for quad in list(self.store.quads_for_pattern(None, None, None, graph)):
            self.remove(quad)

    def remove_graph(self, graph: AnyGraphName) -> None:
        if isinstance(graph, ox.DefaultGraph):
            self.clear_graph(graph)
            return
        self.clear_graph(graph)
        if self.store.contains_named_graph(graph):
            self.store.remove_graph(graph)
            if graph in self._created:
                self._created.discard(graph)
            else:
                self._dropped.add(graph)

    def add_graph(self, graph: ox.NamedNode | ox.BlankNode) -> None:
        if not self.store.contains_named_graph(graph):
            self.store.add_graph(graph)
            self._created.add(graph)

    def clear(self) -> None:
        for graph in list(self.store.named_graphs()):
            self.remove_graph(graph)
        self.clear_graph(ox.DefaultGraph())

    def update(self, update: str, **options: Any) -> None:
        """Run a SPARQL update: data-only updates as their quads, any other by comparing the quad sets."""
        operations = data_operations(update)
        if operations is None:
            self._update_and_compare(update, options)
            return
        for inserting, text in operations:
            scratch = ox.Store()
            scratch.update(text, **options)
            for quad in scratch:
                self.add(quad) if inserting else self.remove(quad)

    def _update_and_compare(self, update: str, options: dict[str, Any]) -> None:
        # Updates with WHERE, LOAD, CLEAR, DROP... where no query worker evaluates them (the command line, a
        # remote store's mirror): O(graph), a quad set, not a copy. The service has a worker work out their delta.
        before = set(self.store)
        graphs = set(self.store.named_graphs())
        self.store.update(update, **options)
        after = set(self.store)
        for quad in before - after:
            self.removed.discard(quad) if quad in self.added else self.removed.add(quad)
            self.added.discard(quad)
        for quad in after - before:
            self.added.discard(quad) if quad in self.removed else self.added.add(quad)
            self.removed.discard(quad)
        now = set(self.store.named_graphs())
        self._created |= now - graphs
        self._dropped |= graphs - now

    def rollback(self) -> None:
        """Apply the inverse of what was recorded: the store holds the quads and named graphs it had."""
        for quad in self.added:
            self.store.remove(quad)
        self.store.extend(self.removed)
        for graph in self._created:
            if (
                self.store.contains_named_graph(graph)
                and next(iter(self.store.quads_for_pattern(None, None, None, graph)), None) is None
            ):
                self.store.remove_graph(graph)
        for graph in self._dropped:
            self.store.add_graph(graph)
        self.removed, self.added, self._created, self._dropped = set(), set(), set(), set()


def data_operations(update: str) -> list[tuple[bool, str]] | None:
    """An update of only INSERT DATA / DELETE DATA operations as (inserting, INSERT DATA text) in order; else None.

    Each text carries the prologue declared before it, so running it on an empty store gives the operation's quads."""
    stream, prologue, operations, i = list(tokens(update)), [], [], 0
    while i < len(stream):
        word = _word(stream, i)
        if word == "PREFIX" and i + 2 < len(stream) and stream[i + 1].kind == "name" and stream[i + 2].kind == "iri":
            prologue.append(f"PREFIX {stream[i + 1].text} {stream[i + 2].text}")
            i += 3
        elif word == "BASE" and i + 1 < len(stream) and stream[i + 1].kind == "iri":
            prologue.append(f"BASE {stream[i + 1].text}")
            i += 2
        elif (
            word in ("INSERT", "DELETE") and _word(stream, i + 1) == "DATA" and i + 2 < len(stream) and stream[i + 2].text == "{"
        ):
            close = _closing(stream, i + 2)
            if close is None:
                return None
            block = update[stream[i + 2].start : stream[close].start + 1]
            operations.append((word == "INSERT", " ".join(prologue) + " INSERT DATA " + block))
            i = close + 1
        elif stream[i].text == ";":
            i += 1
        else:
            return None
    return operations or None


def _word(stream: list[Token], i: int) -> str:
    return stream[i].text.upper() if i < len(stream) and stream[i].kind == "name" else ""


def _closing(stream: list[Token], opening: int) -> int | None:
    """The index of the brace that closes the one at `opening`."""
    depth = 0
    for j in range(opening, len(stream)):
        depth += {"{": 1, "}": -1}.get(stream[j].text, 0)
        if depth == 0:
            return j
    return None


def stage(current: ox.Store, change: Change) -> tuple[Recorder, Staged | None]:
    """Apply `change` to `current` in place and update the derived facts; the staged change is None if no quad changed."""
    recorder = Recorder(current)
    try:
        change(cast(ox.Store, recorder))
        derive_delta(cast(ox.Store, recorder), set(recorder.removed), set(recorder.added))
    except BaseException:
        recorder.rollback()
        raise
    if not recorder.removed and not recorder.added:
        recorder.rollback()  # an empty named graph created by a change that changed no quad goes too
        return recorder, None
    return recorder, Staged(current, set(recorder.removed), set(recorder.added))


def validate(staged: Staged, validator: Validator | None) -> None:
    """Raise WriteRejected, with the validator's report, unless the staged change conforms."""
    if validator is None:
        return
    outcome = validator(staged)
    if not outcome.conforms:
        raise WriteRejected(outcome.report_text, outcome.violations)


def commit_change(current: ox.Store, change: Change, validator: Validator | None, sink: Sink[Result_co]) -> Result_co:
    """Apply `change` to `current` in place, validate it, and hand it to `sink`; on any failure `current` is restored.

    Raises WriteRejected when the change does not conform, whatever the change raises, and whatever
    the sink raises to refuse it; in each case the sink has written nothing and `current` holds what it held."""
    recorder, staged = stage(current, change)
    if staged is None:
        return sink.unchanged()
    try:
        check_terms(staged.added)  # a term past the workers' N-Quads parser would break every one of them
        validate(staged, validator)
        return sink.write(staged)
    except BaseException:
        recorder.rollback()
        raise
