"""Open the graph the HTTP service serves: its repository (writes, dumps, sizes) and its query engine,
embedded (a store folder or the bundled data, answered by worker processes) or in a remote store."""

from __future__ import annotations

import pyoxigraph as ox

from kgservice.config import Settings
from kgservice.engine.base import QueryEngine
from kgservice.engine.derived import derive
from kgservice.engine.federation import Federating
from kgservice.engine.pool import WorkerPool
from kgservice.engine.remote import RemoteRepository, RemoteStore, remote_endpoints
from kgservice.engine.repository import GraphRepository, Repository
from kgservice.engine.wal import DiskLog
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
    without network, plus one that has it when SERVICE endpoints are allow-listed."""
    repository = open_repository(settings, layout)
    pool = WorkerPool(
        repository.snapshot, settings.workers, settings.query_timeout, settings.query_queue, settings.worker_memory_mb
    )
    engine: WorkerPool | Federating = pool
    if settings.service_allowlist:
        networked = WorkerPool(
            repository.snapshot, 1, settings.query_timeout, settings.query_queue, settings.worker_memory_mb, network=True
        )
        engine = Federating(pool, networked)
    repository.on_commit = engine.publish
    return repository, engine


def open_repository(settings: Settings, layout: Layout) -> Repository:
    """The graph: from the store folder if it has one, else the bundled data (or nothing). A new folder
    starts from that data; a folder with a log but no base, or held by another process, refuses to open."""
    if settings.store_path is None:
        return Repository(initial_store(settings, layout))
    disk = DiskLog(settings.store_path)
    disk.lock()
    if not disk.exists():
        disk.initialise(initial_store(settings, layout))
    store, version = disk.load()
    derive(store)
    return Repository(store, disk, version)
