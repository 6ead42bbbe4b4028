"""Take the network away from the processes and threads that evaluate SPARQL: in a fresh, empty Linux
network namespace SERVICE and LOAD fail inside pyoxigraph whatever the query text says.

Every query worker isolates itself when it starts (`isolate_worker`). Only when SERVICE endpoints are
allow-listed (KGSERVICE_SERVICE_ALLOWLIST) is there one more worker, which keeps the network and answers
only the queries whose SERVICE calls the screen found and allowed (`engine.federation`): every other
query, and any whose SERVICE the screen could not see, runs where there is no network.
An update with WHERE, CLEAR, DROP... is evaluated by a query worker (`engine.delta`); what still runs in the
server process (the quads of INSERT DATA / DELETE DATA, and updates for a remote store) runs in one offline
thread (`run_update`), always isolated.
"""

from __future__ import annotations

import ctypes
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pyoxigraph as ox

from kgservice.errors import ForbiddenOperation
from kgservice.sparql.screening import OUTBOUND_REFUSED

log = logging.getLogger(__name__)
CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
T = TypeVar("T")


def _unshare(flags: int) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.unshare(flags)) == 0
    except (OSError, AttributeError):
        return False  # not Linux, or no unshare: the caller logs that it runs with the network


def isolate_process() -> bool:
    """Move this process into a new network namespace with no interface up; as root a plain new
    namespace, else inside a new user namespace (which needs a single-threaded process)."""
    return _unshare(CLONE_NEWNET) or _unshare(CLONE_NEWUSER | CLONE_NEWNET)


def isolate_worker(network: bool = False) -> bool:
    """Isolate a query worker unless it is the one that may call allow-listed SERVICE endpoints (`network`);
    True if it has no network."""
    if network:
        return False
    isolated = isolate_process()
    if not isolated:
        log.warning("query worker %d could not leave the network namespace: SERVICE is refused by the screen only", os.getpid())
    return isolated


class OfflineThread:
    """One thread in a network namespace of its own, which runs the calls handed to it: a namespace
    belongs to a thread, so the service's other threads keep theirs, and pyoxigraph evaluates an update
    (with any LOAD or SERVICE in it) in the thread that calls it."""

    def __init__(self) -> None:
        self.isolated = False
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="offline", initializer=self._isolate)

    def _isolate(self) -> None:
        self.isolated = _unshare(CLONE_NEWNET)
        if not self.isolated:
            log.warning("the update thread could not leave the network namespace: LOAD is refused by the screen only")

    def run(self, function: Callable[..., T], *args: object, **kwargs: object) -> T:
        return self._executor.submit(function, *args, **kwargs).result()


_offline: OfflineThread | None = None
_offline_lock = threading.Lock()


def offline() -> OfflineThread:
    """The process's one offline thread, started on first use."""
    global _offline
    with _offline_lock:
        if _offline is None:
            _offline = OfflineThread()
        return _offline


def run_update(store: ox.Store, update: str, base_iri: str | None) -> None:
    """Apply a SPARQL update to `store` in the offline thread; an outbound request it tried fails there
    and is reported with the one fixed message (pyoxigraph's own says which host and port it tried)."""
    try:
        offline().run(store.update, update, base_iri=base_iri)
    except OSError:
        raise ForbiddenOperation(OUTBOUND_REFUSED) from None
