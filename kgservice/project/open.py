"""Open the graph the HTTP service serves: its repository (writes, dumps, sizes) and its query engine,
embedded (a store folder or the bundled data, answered by worker processes) or in a remote store."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from kgservice.config import Settings
from kgservice.engine.base import QueryEngine
from kgservice.engine.derived import derive
from kgservice.engine.federation import Federating
from kgservice.engine.pool import Patch, WorkerPool
from kgservice.engine.remote import RemoteRepository, RemoteStore, remote_endpoints
from kgservice.engine.repository import GraphRepository, Repository
from kgservice.engine.snapshots import Snapshots, link_base, snapshot_folder
from kgservice.engine.wal import DiskLog, to_nquads
from kgservice.errors import StoreError
from kgservice.project.layout import Layout
from kgservice.project.loading import open_store


def bundled_store(layout: Layout) -> ox.Store:
    """The ontology and data files of `layout`, one named graph per file, with the derived facts."""
    return open_store(layout).engine


def initial_store(settings: Settings, layout: Layout) -> ox.Store:
    """What a new graph starts from: the bundled data, or nothing if the settings say so."""
    return bundled_store(layout) if settings.load_bundled_data else ox.Store()


def open_graph(settings: Settings, layout: Layout) -> tuple[GraphRepository, QueryEngine]:
    """The service's graph as its settings say: in a remote store if one is configured, else embedded."""
    return open_remote(settings, layout) if settings.remote_query_url else open_embedded(settings, layout)


def open_remote(settings: Settings, layout: Layout) -> tuple[RemoteRepository, RemoteStore]:
    """The remote store and its query engine; an empty remote is filled with the bundled data."""
    repository = RemoteRepository(remote_endpoints(settings))
    repository.open()
    if settings.load_bundled_data and repository.is_empty():
        repository.upload(bundled_store(layout))
    return repository, repository.engine(settings.query_timeout)


def open_embedded(settings: Settings, layout: Layout) -> tuple[Repository, WorkerPool | Federating]:
    """The embedded graph and the query workers that answer on it (each commit is published to them): all
    without network, plus one that has it when SERVICE endpoints are allow-listed.

    From a store folder the workers start on its base at once, while this process reads the base and the log;
    they are then sent the commits logged since. At 1M triples that saves writing a snapshot of the loaded
    graph and the workers' reading it after the base was read: a third of the time to the first answer."""
    if settings.store_path is None:
        repository = Repository(initial_store(settings, layout))
    else:
        disk = open_disk(settings, layout)
        snapshots = first_snapshot(disk, settings.store_path)
        if snapshots.first is not None:
            return _open_beside_the_workers(settings, disk, snapshots, snapshots.first)
        repository, _ = load_folder(disk, snapshots)  # a log of the first format, or a disk without hard links
    return repository, _published(_query_engine(settings, repository.snapshot), repository, [])


def _open_beside_the_workers(
    settings: Settings, disk: DiskLog, snapshots: Snapshots, base: tuple[Path, int]
) -> tuple[Repository, WorkerPool | Federating]:
    """The store folder's graph, loaded while the first worker loads its base; the worker then gets the
    commits logged since."""
    starting = StartingSnapshot(base)
    engine = _query_engine(settings, starting)
    try:
        repository, patches = load_folder(disk, snapshots)
    except BaseException:
        starting.opened(None)
        engine.close()
        raise
    starting.opened(repository)
    return repository, _published(engine, repository, patches)


class StartingSnapshot:
    """What a query worker starts from: the first one, the store folder's base, at once; the others, and any
    later start, the repository's snapshot once the repository is open. The first worker's load then has a
    core of its own beside this process's (two loads, not three, on two cores): the first answer comes sooner."""

    def __init__(self, base: tuple[Path, int]) -> None:
        self.base: tuple[Path, int] | None = base
        self.repository: Repository | None = None
        self._lock, self._open = threading.Lock(), threading.Event()

    def __call__(self) -> tuple[Path, int]:
        with self._lock:
            base, self.base = self.base, None
        if base is not None:
            return base
        self._open.wait()
        if self.repository is None:
            raise StoreError("the graph could not be loaded")
        return self.repository.snapshot()

    def opened(self, repository: Repository | None) -> None:
        """The repository is open (None: it could not be); the starts that wait for it go on."""
        self.repository = repository
        self._open.set()


def first_snapshot(disk: DiskLog, folder: Path) -> Snapshots:
    """The snapshot folder, holding the base as the first snapshot where the workers can start from it."""
    start = disk.start_version()
    snapshots = Snapshots(snapshot_folder(disk, folder))
    return snapshots if start is None else link_base(disk.base, snapshots.folder, start)


def _published(engine: WorkerPool | Federating, repository: Repository, patches: list[Patch]) -> WorkerPool | Federating:
    """The engine, sent `patches` and every later commit of the repository."""
    for patch in patches:
        engine.publish(patch)
    repository.on_commit = engine.publish
    return engine


def _query_engine(settings: Settings, snapshot: Callable[[], tuple[Path, int]]) -> WorkerPool | Federating:
    pool = WorkerPool(snapshot, settings.workers, settings.query_timeout, settings.query_queue, settings.worker_memory_mb)
    engine: WorkerPool | Federating = pool
    if settings.service_allowlist:
        networked = WorkerPool(snapshot, 1, settings.query_timeout, settings.query_queue, settings.worker_memory_mb, network=True)
        engine = Federating(pool, networked)
    return engine


def open_repository(settings: Settings, layout: Layout) -> Repository:
    """The graph: from the store folder if it has one, else the bundled data (or nothing). A new folder
    starts from that data; a folder with a log but no base, or held by another process, refuses to open."""
    if settings.store_path is None:
        return Repository(initial_store(settings, layout))
    return load_folder(open_disk(settings, layout), None)[0]


def open_disk(settings: Settings, layout: Layout) -> DiskLog:
    """The store folder, locked for this process; a new one starts from the bundled data (or nothing)."""
    assert settings.store_path is not None
    disk = DiskLog(settings.store_path)
    disk.lock()
    if not disk.exists():
        disk.initialise(initial_store(settings, layout))
    return disk


def load_folder(disk: DiskLog, snapshots: Snapshots | None) -> tuple[Repository, list[Patch]]:
    """The graph of the store folder, with its derived facts, and the commits since the first snapshot's
    version. Derived facts the base lacked (a base written by other means) are logged as one more commit,
    which the workers started on the base are sent like the others."""
    store, version = disk.load()
    first = snapshots.first if snapshots is not None else None
    patches = [Patch(*record) for record in disk.records_after(first[1])] if first is not None else []
    removed, added = derive(store)
    if removed or added:
        version += 1
        patches.append(Patch(version, to_nquads(removed), to_nquads(added)))
        disk.append(version, patches[-1].removed, patches[-1].added)
    return Repository(store, disk, version, snapshots), patches
