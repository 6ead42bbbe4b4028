"""The one commit procedure of every write: apply the change to a copy, validate it, hand it to a sink.

The embedded repository's sink logs and swaps, the remote's sends one update, the project tree's writes
Turtle files; a change that fails or does not validate never reaches any of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

import pyoxigraph as ox

from kgservice.engine.derived import derive
from kgservice.errors import WriteRejected

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
    """A change applied to a copy of the graph, derived facts recomputed: the copy and the quads it changed."""

    store: ox.Store
    removed: set[ox.Quad]
    added: set[ox.Quad]

    @property
    def touched(self) -> set[AnyGraphName]:
        """The graphs that gained or lost a quad."""
        return {quad.graph_name for quad in self.removed | self.added}


#: Judges a staged change. It is given the whole change (copy and delta), not only the copy, so that a
#: validator may check just the nodes the delta touches; `shacl_validator` still checks the whole copy.
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


def delta(before: ox.Store, after: ox.Store) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """The quads removed and added between two states."""
    old, new = set(before), set(after)
    return old - new, new - old


def stage(current: ox.Store, change: Change) -> Staged | None:
    """Apply `change` to a copy of `current` and recompute the derived facts; None when no quad changes."""
    staging = copy_store(current)
    change(staging)
    derive(staging)
    removed, added = delta(current, staging)
    return Staged(staging, removed, added) if removed or added else None


def validate(staged: Staged, validator: Validator | None) -> None:
    """Raise WriteRejected, with the validator's report, unless the staged change conforms."""
    if validator is None:
        return
    outcome = validator(staged)
    if not outcome.conforms:
        raise WriteRejected(outcome.report_text, outcome.violations)


def commit_change(current: ox.Store, change: Change, validator: Validator | None, sink: Sink[Result_co]) -> Result_co:
    """Stage `change` on a copy of `current`, validate it, and hand it to `sink`; `current` is never touched.

    Raises WriteRejected when the change does not conform, whatever the change raises, and whatever
    the sink raises to refuse it; in each case the sink has written nothing."""
    staged = stage(current, change)
    if staged is None:
        return sink.unchanged()
    validate(staged, validator)
    return sink.write(staged)
