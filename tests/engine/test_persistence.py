"""A persistent store keeps every acknowledged write across restarts and kill -9."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kgservice.engine import wal
from kgservice.engine.repository import Repository
from kgservice.engine.wal import DiskLog, frame, to_nquads
from tests.server import TOKEN, running_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def notes(url: str) -> set[str]:
    query = "SELECT ?o WHERE { GRAPH <http://e/notes> { ?s ?p ?o } }"
    return {b["o"]["value"] for b in httpx.get(url + "/sparql", params={"query": query}).json()["results"]["bindings"]}


def test_acknowledged_writes_survive_kill_9(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    with running_server(tmp_path, "--store", str(folder), write_token=TOKEN) as first:
        for n in range(3):
            update = f"INSERT DATA {{ GRAPH <http://e/notes> {{ <http://e/n{n}> <http://e/says> 'note {n}' }} }}"
            assert httpx.post(first.sparql, data={"update": update}, headers=AUTH, timeout=60).status_code == 204
        os.kill(first.process.pid, signal.SIGKILL)
        first.process.wait(10)
    with running_server(tmp_path, "--store", str(folder), write_token=TOKEN) as second:
        assert notes(second.url) == {"note 0", "note 1", "note 2"}
        assert httpx.get(second.url + "/health").json()["triples"] > 5000


def test_an_incomplete_log_record_is_ignored(tmp_path: Path) -> None:
    disk = DiskLog(tmp_path)
    disk.write_base(ox.Store())
    quad = ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/b"), ox.Literal("c"), ox.NamedNode("http://e/g"))
    disk.append(1, b"", to_nquads([quad]))
    with disk.wal.open("ab") as log:
        log.write(frame(2, b"", b'<http://e/x> <http://e/y> "torn" <http://e/g> .\n')[:-10])
    store, version = DiskLog(tmp_path).load()
    assert version == 1 and list(store) == [quad]


def test_blank_nodes_keep_their_identity_through_the_log(tmp_path: Path) -> None:
    disk = DiskLog(tmp_path)
    disk.write_base(ox.Store())
    node = ox.BlankNode("b1")
    quads = [ox.Quad(node, ox.NamedNode("http://e/p"), ox.Literal(str(i)), ox.DefaultGraph()) for i in range(2)]
    disk.append(1, b"", to_nquads(quads))
    disk.append(2, to_nquads(quads[:1]), b"")
    store, _ = disk.load()
    assert list(store) == quads[1:]


def adding(quad: ox.Quad) -> Callable[[ox.Store], None]:
    return lambda store: store.add(quad)


def test_the_repository_folds_a_large_log_into_a_new_base_and_keeps_counting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wal, "COMPACT_AFTER_BYTES", 200)
    disk = DiskLog(tmp_path)
    disk.initialise(ox.Store())
    store, version = disk.load()
    repository = Repository(store, disk, version)
    for n in range(6):
        repository.commit(adding(ox.Quad(ox.NamedNode(f"http://e/n{n}"), ox.NamedNode("http://e/says"), ox.Literal(str(n)))))
    assert disk.base.read_bytes().startswith(b"# kgservice-base ")
    assert disk.wal.stat().st_size < 400  # folded at least once
    store, version = DiskLog(tmp_path).load()
    assert version == repository.version == 6 and len(store) == 6
