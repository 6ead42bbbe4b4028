"""Snapshot folders: in the store folder when there is one, else a temporary folder that goes with its
repository, and the temporary folders of processes that died are removed by the next start."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgservice.engine.repository import Repository
from kgservice.engine.snapshots import PREFIX, remove_orphans, snapshot_folder
from kgservice.engine.wal import DiskLog


def _store() -> ox.Store:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x"), ox.NamedNode("http://e/g")))
    return store


def test_with_a_store_folder_the_snapshots_are_written_there_and_old_ones_cleared(tmp_path: Path) -> None:
    (tmp_path / "snapshots").mkdir()
    (tmp_path / "snapshots" / "v7.nq").write_text("left by an earlier run")
    repository = Repository(_store(), DiskLog(tmp_path))
    path, version = repository.snapshot()
    assert path.parent == tmp_path / "snapshots" and version == 0
    assert sorted(p.name for p in path.parent.iterdir()) == ["v0.nq"]


def test_a_temporary_snapshot_folder_goes_with_its_repository() -> None:
    repository = Repository(_store())
    path, _ = repository.snapshot()
    folder = path.parent
    assert folder.name.startswith(f"{PREFIX}{os.getpid()}-") and path.read_text().count("\n") == 1
    del repository
    gc.collect()
    assert not folder.exists()


def test_the_folders_of_dead_processes_are_removed_and_the_others_kept(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    orphan = tmp_path / f"{PREFIX}{dead.stdout.strip()}-abc"
    alive = tmp_path / f"{PREFIX}{os.getpid()}-def"
    unnamed = tmp_path / f"{PREFIX}xyz"  # an earlier version's: its service may still run
    for folder in (orphan, alive, unnamed):
        folder.mkdir()
        (folder / "v0.nq").write_text("")
    remove_orphans(tmp_path)
    assert not orphan.exists() and alive.exists() and unnamed.exists()


def test_a_new_store_folder_gets_its_snapshot_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        (tmp_path / "snapshots").stat()
    assert snapshot_folder(object(), tmp_path) == tmp_path / "snapshots"
