"""The delta of a SPARQL update with a WHERE clause (or CLEAR, DROP, ADD, MOVE, COPY, LOAD), worked out in a
query worker so that the server process neither evaluates it nor compares quad sets.

A data-only update (INSERT DATA / DELETE DATA) gives its quads without touching the store
(`commit.data_operations`). Any other update is run here, on the worker's own copy of the graph, which
has no network and a memory limit: the copy is serialized before and after it, the two serializations
compared by 128-bit digests of their lines (about 70 MB for a million quads, not a second set of
quads), and the copy restored. The server applies the delta it gets back to its store through the
commit's recorder, and validates and logs it like any other change.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from kgservice.engine.limits import MAX_TERM_BYTES, check_terms
from kgservice.errors import ForbiddenOperation, TermTooLarge, UpdateConflict
from kgservice.sparql.screening import OUTBOUND_REFUSED
from kgservice.translation import N_

_NQ = ox.RdfFormat.N_QUADS
_PARSER_LIMIT = 16 * 1024 * 1024  # pyoxigraph's N-Quads parser refuses longer lines


@dataclass(frozen=True)
class UpdateDelta:
    """What an update changed: N-Quads of the quads it removed and added, the named graphs (IRIs) it
    created empty or dropped, and the version of the graph it was evaluated on (-1: not known)."""

    removed: bytes
    added: bytes
    created: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    version: int = -1


def _lines(dump: bytes) -> Iterator[bytes]:
    return (line for line in io.BytesIO(dump) if line.strip())


def _digests(dump: bytes) -> set[bytes]:
    return {hashlib.blake2b(line, digest_size=16).digest() for line in _lines(dump)}


def _missing(dump: bytes, present: set[bytes]) -> bytes:
    """The lines of `dump` whose digests are not in `present`."""
    return b"".join(line for line in _lines(dump) if hashlib.blake2b(line, digest_size=16).digest() not in present)


def _named(store: ox.Store) -> set[str]:
    return {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}


def evaluate(store: ox.Store, update: str, base_iri: str | None) -> UpdateDelta:
    """Run `update` on `store`, note what it changed, and put the store back as it was."""
    graphs, before = _named(store), store.dump(format=_NQ) or b""
    try:
        store.update(update, base_iri=base_iri)
    except OSError:
        raise ForbiddenOperation(OUTBOUND_REFUSED) from None  # pyoxigraph's own text names the host and port
    except RuntimeError as error:
        # CREATE of an existing graph, DROP of a missing one: about the request against the graph's state
        raise UpdateConflict(N_("the update cannot be applied: %(error)s"), error=error) from None
    after, now = store.dump(format=_NQ) or b"", _named(store)
    removed, added = _missing(before, _digests(after)), _missing(after, _digests(before))
    delta = UpdateDelta(removed, added, tuple(sorted(now - graphs)), tuple(sorted(graphs - now)))
    try:
        _check_sizes(added)
    finally:
        restore(store, delta, before)
    return delta


def _check_sizes(added: bytes) -> None:
    """Refuse a delta that adds a term over the service's bound (a line past the N-Quads parser's own
    16 MiB limit could not even be read back by the workers)."""
    for line in _lines(added):
        if len(line) <= MAX_TERM_BYTES:
            continue
        if len(line) > _PARSER_LIMIT:
            raise TermTooLarge(
                N_("a term of about %(size)s bytes cannot be stored: this service's limit is %(limit)s bytes per literal or IRI"),
                size=len(line),
                limit=MAX_TERM_BYTES,
            )
        check_terms(ox.parse(line, format=_NQ))


def restore(store: ox.Store, delta: UpdateDelta, before: bytes) -> None:
    """Undo `delta` on a store it was applied to; from the serialization `before` when the added quads cannot be
    read back (a term past the parser's limit)."""
    try:
        added = list(ox.parse(delta.added, format=_NQ))
    except (SyntaxError, ValueError, MemoryError):  # MemoryError: "Reached the buffer maximal size of 16777216"
        store.clear()
        store.bulk_extend(ox.parse(before, format=_NQ))
        return
    for quad in added:
        store.remove(quad)
    store.extend(ox.parse(delta.removed, format=_NQ))
    for graph in delta.created:
        store.remove_graph(ox.NamedNode(graph))
    for graph in delta.dropped:
        store.add_graph(ox.NamedNode(graph))


def apply(store: ox.Store, delta: UpdateDelta) -> None:
    """Apply `delta` to a store holding what the evaluating copy held (the commit's recorder)."""
    for quad in ox.parse(delta.removed, format=_NQ):
        store.remove(quad)
    for quad in ox.parse(delta.added, format=_NQ):
        store.add(quad)
    for graph in delta.created:
        store.add_graph(ox.NamedNode(graph))
    for graph in delta.dropped:
        store.remove_graph(ox.NamedNode(graph))
