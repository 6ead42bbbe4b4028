"""Opening a store folder: the first query worker starts on the folder's base while the service reads it, and
is then sent the commits of the log, so that it answers on the same graph as the service."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgservice.config import Settings
from kgservice.engine.base import QueryEngine
from kgservice.engine.derived import DERIVED_GRAPH, IN_STRATEGY, PART_OF, RDF_TYPE, STRATEGY_DOCUMENT
from kgservice.engine.repository import Repository
from kgservice.engine.snapshots import link_base
from kgservice.engine.wal import DiskLog, to_nquads
from kgservice.errors import StoreError
from kgservice.project.layout import Layout
from kgservice.project.open import StartingSnapshot, open_embedded

LAYOUT = Layout(Path(__file__).resolve().parents[2])
G = ox.NamedNode("http://e/g")
SAYS = ox.NamedNode("http://e/says")
NODE = ox.BlankNode("b1")


def quad(subject: ox.NamedNode | ox.BlankNode, text: str) -> ox.Quad:
    return ox.Quad(subject, SAYS, ox.Literal(text), G)


@contextmanager
def opened(folder: Path) -> Iterator[tuple[Repository, QueryEngine]]:
    repository, engine = open_embedded(Settings(store_path=folder, load_bundled_data=False, workers=1), LAYOUT)
    try:
        yield repository, engine
    finally:
        engine.close()
        assert repository.disk is not None and repository.disk._lock is not None
        os.close(repository.disk._lock)  # as the process's end would: the test opens the folder again


def said(engine: QueryEngine) -> set[str]:
    table = engine.select("SELECT ?s ?o WHERE { GRAPH <http://e/g> { ?s <http://e/says> ?o } }")
    return set(table.column("o"))


def test_a_worker_started_on_the_base_is_sent_the_logged_commits_blank_nodes_included(tmp_path: Path) -> None:
    disk = DiskLog(tmp_path)
    disk.write_base(_store([quad(NODE, "in the base"), quad(ox.NamedNode("http://e/a"), "kept")]), 0)
    disk.load()
    disk.append(1, b"", to_nquads([quad(ox.NamedNode("http://e/b"), "logged")]))
    disk.append(2, to_nquads([quad(NODE, "in the base")]), b"")  # only removable where the label was kept
    with opened(tmp_path) as (repository, engine):
        assert repository.version == 2
        assert said(engine) == {"kept", "logged"}
        repository.commit(lambda store: store.add(quad(ox.NamedNode("http://e/c"), "after the start")))
        assert said(engine) == {"kept", "logged", "after the start"}


def test_derived_facts_a_base_lacks_are_logged_once_as_a_commit_and_reach_the_worker(tmp_path: Path) -> None:
    strategy, goal = ox.NamedNode("http://e/strategy"), ox.NamedNode("http://e/goal")
    data = [ox.Quad(strategy, RDF_TYPE, STRATEGY_DOCUMENT, G), ox.Quad(goal, PART_OF, strategy, G)]
    (tmp_path / "base.nq").write_bytes(to_nquads(data))  # written by other means: no version line, no derived facts
    ask = f"ASK {{ GRAPH <{DERIVED_GRAPH.value}> {{ <{goal.value}> <{IN_STRATEGY.value}> <{strategy.value}> }} }}"
    with opened(tmp_path) as (repository, engine):
        assert repository.version == 1
        assert engine.ask(ask)
    log = (tmp_path / "wal.log").read_bytes()
    with opened(tmp_path) as (repository, engine):
        assert repository.version == 1 and engine.ask(ask)
    assert (tmp_path / "wal.log").read_bytes() == log  # nothing more to derive, nothing logged


def test_only_the_first_start_takes_the_base_the_others_wait_for_the_repository(tmp_path: Path) -> None:
    base = (tmp_path / "v0.nq", 0)
    starting = StartingSnapshot(base)
    assert starting() == base
    later: list[tuple[Path, int] | Exception] = []
    waiter = threading.Thread(target=lambda: later.append(_call(starting)))
    waiter.start()
    waiter.join(0.3)
    assert waiter.is_alive() and not later  # waits while the repository is being opened
    repository = Repository(_store([quad(ox.NamedNode("http://e/a"), "x")]))
    starting.opened(repository)
    waiter.join(10)
    assert later == [repository.snapshot()]


def test_a_start_waiting_for_a_repository_that_could_not_open_fails_with_why(tmp_path: Path) -> None:
    starting = StartingSnapshot((tmp_path / "v0.nq", 0))
    starting()
    starting.opened(None)
    with pytest.raises(StoreError, match="the graph could not be loaded"):
        starting()


def _call(starting: StartingSnapshot) -> tuple[Path, int] | Exception:
    try:
        return starting()
    except Exception as error:
        return error


def _store(quads: list[ox.Quad]) -> ox.Store:
    store = ox.Store()
    store.extend(quads)
    return store


def test_the_base_a_worker_started_from_outlives_later_snapshots(tmp_path: Path) -> None:
    (tmp_path / "base.nq").write_bytes(to_nquads([quad(ox.NamedNode("http://e/a"), "x")]))
    (tmp_path / "snapshots").mkdir()
    snapshots = link_base(tmp_path / "base.nq", tmp_path / "snapshots", 0)
    repository = Repository(_store([]), None, 0, snapshots)
    assert repository.snapshot() == snapshots.first  # no second copy of the same version
    repository.commit(lambda store: store.add(quad(ox.NamedNode("http://e/b"), "y")))
    newer, _ = repository.snapshot()
    assert newer.name == "v1.nq" and snapshots.first is not None and snapshots.first[0].exists()
