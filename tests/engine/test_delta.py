"""Updates with WHERE, CLEAR, DROP, COPY...: the delta a worker works out is what running the update gives,
and the worker's copy is left as it was."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgservice.engine import delta
from kgservice.engine.commit import stage
from kgservice.engine.embedded import OxigraphStore
from kgservice.engine.repository import Repository, commit_evaluated
from kgservice.errors import QuerySyntaxError, TermTooLarge, UpdateConflict

EX = "http://example.org/"
START = f"""
PREFIX ex: <{EX}>
INSERT DATA {{
  GRAPH ex:g1 {{ ex:a ex:p 1 . ex:b ex:p 2 . ex:a ex:label "á"@cs . _:x ex:p ex:a }}
  GRAPH ex:g2 {{ ex:c ex:p 3 }}
  ex:d ex:p 4 .
}}
"""
UPDATES = [
    f"PREFIX ex: <{EX}> DELETE {{ GRAPH ?g {{ ?s ex:p ?o }} }} INSERT {{ GRAPH ?g {{ ?s ex:q ?o }} }}"
    " WHERE { GRAPH ?g { ?s ex:p ?o } }",
    f"PREFIX ex: <{EX}> DELETE WHERE {{ GRAPH ex:g1 {{ ?s ex:p ?o }} }}",
    f"PREFIX ex: <{EX}> INSERT {{ GRAPH ex:g3 {{ [] ex:copyOf ?s }} }} WHERE {{ GRAPH ?g {{ ?s ex:p ?o }} }}",
    f"PREFIX ex: <{EX}> WITH ex:g2 DELETE {{ ?s ?p ?o }} INSERT {{ ?s ?p 30 }} WHERE {{ ?s ?p ?o }}",
    f"CLEAR GRAPH <{EX}g1>",
    f"DROP GRAPH <{EX}g2>",
    f"CREATE GRAPH <{EX}empty>",
    f"COPY <{EX}g1> TO <{EX}g2>",
    f"MOVE <{EX}g2> TO <{EX}g4>",
    f"ADD DEFAULT TO <{EX}g1>",
    "CLEAR ALL",
    f"PREFIX ex: <{EX}> INSERT DATA {{ GRAPH ex:g1 {{ ex:z ex:p 9 }} }} ;"
    " DELETE { GRAPH ex:g1 { ex:z ex:p ?o } } WHERE { GRAPH ex:g1 { ex:z ex:p ?o } }",
    f"PREFIX ex: <{EX}> DELETE {{ GRAPH ex:g1 {{ ?s ex:p ?o }} }} WHERE {{ GRAPH ex:g1 {{ ?s ex:p ?o FILTER(?o > 100) }} }}",
]


def _store() -> ox.Store:
    store = ox.Store()
    store.update(START)
    return store


def _state(store: ox.Store) -> tuple[set[str], set[str]]:
    return {str(q) for q in store}, {str(g) for g in store.named_graphs()}


@pytest.mark.parametrize("update", UPDATES)
def test_the_delta_is_what_the_update_does_and_the_copy_is_kept(update: str) -> None:
    worker, expected, server = _store(), _store(), _store()
    copied = [ox.Quad(q.subject, q.predicate, q.object, q.graph_name) for q in worker]
    server.clear()
    server.extend(copied)  # the server holds the same quads, blank node labels included
    before = _state(worker)
    found = delta.evaluate(worker, update, None)
    assert _state(worker) == before
    expected.update(update)
    delta.apply(server, found)
    ours, theirs = _state(server), _state(expected)
    assert _plain(ours[0]) == _plain(theirs[0]) and ours[1] == theirs[1]


def _plain(quads: set[str]) -> set[str]:
    """Quads with blank nodes named alike (fresh blank nodes differ from one evaluation to the other)."""
    return {" ".join("_:b" if part.startswith("_:") else part for part in quad.split(" ")) for quad in quads}


def test_a_conflict_and_a_syntax_error_say_so_and_change_nothing() -> None:
    worker = OxigraphStore(engine=_store())
    before = _state(worker.engine)
    with pytest.raises(UpdateConflict, match="cannot be applied"):
        worker.update_delta(f"CREATE GRAPH <{EX}g1>")
    with pytest.raises(QuerySyntaxError) as raised:
        worker.update_delta(f"PREFIX ex: <{EX}>\nDELETE {{ ?s ex:p }} WHERE {{ ?s ?p ?o }}")
    assert raised.value.line == 2
    assert _state(worker.engine) == before


def test_a_term_past_the_bound_is_refused_and_the_copy_restored() -> None:
    worker = _store()
    before = _state(worker)
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(15))
    update = f'INSERT {{ <urn:big> <urn:text> ?v15 }} WHERE {{ BIND("{"x" * 1000}" AS ?v0) {binds} }}'  # 32 MB
    with pytest.raises(TermTooLarge, match="limit is 1048576 bytes"):
        delta.evaluate(worker, update, None)
    assert _state(worker) == before


def test_a_delta_of_an_older_version_is_evaluated_again() -> None:
    repository = Repository(_store())
    evaluations: list[int] = []

    def evaluate() -> delta.UpdateDelta:
        evaluations.append(repository.version)
        found = delta.evaluate(OxigraphStore(engine=_copy(repository.store)).engine, f"CLEAR GRAPH <{EX}g2>", None)
        if len(evaluations) == 1:  # another write lands between the evaluation and the commit
            repository.commit(lambda store: store.add(ox.Quad(ox.NamedNode(EX + "e"), ox.NamedNode(EX + "p"), ox.Literal("5"))))
            return delta.UpdateDelta(found.removed, found.added, found.created, found.dropped, version=0)
        return delta.UpdateDelta(found.removed, found.added, found.created, found.dropped, version=repository.version)

    result = commit_evaluated(repository, evaluate)
    assert result is not None and result.removed == 1 and len(evaluations) == 2
    assert not list(repository.store.quads_for_pattern(None, None, None, ox.NamedNode(EX + "g2")))


def test_an_update_that_keeps_losing_the_race_is_refused() -> None:
    repository = Repository(_store())
    with pytest.raises(UpdateConflict, match="changed 3 times"):
        commit_evaluated(repository, lambda: delta.UpdateDelta(b"", b"", version=repository.version - 1))


def _copy(store: ox.Store) -> ox.Store:
    copy = ox.Store()
    copy.extend(store)
    return copy


def test_the_delta_goes_through_the_recorder() -> None:
    store = _store()
    found = delta.evaluate(_copy(store), f"PREFIX ex: <{EX}> DELETE WHERE {{ GRAPH ex:g1 {{ ex:a ?p ?o }} }}", None)
    recorder, staged = stage(store, lambda staging: delta.apply(staging, found))
    assert staged is not None and len(staged.removed) == 2 and not staged.added
    recorder.rollback()
    assert len(store) == 6
