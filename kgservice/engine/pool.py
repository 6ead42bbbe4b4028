"""The worker pool: the QueryEngine of the embedded service, answering in worker processes with a
deadline per query and real cancellation.

Each worker slot has a manager thread that hands calls from a shared queue to its process and waits
for the answer until the deadline. A worker that misses its deadline is killed (its CPU is freed at
once) and replaced; the other slots keep answering meanwhile. Changes committed to the graph are sent
to every worker as N-Quads patches before its next call, so each worker answers on the latest state.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TypeVar, cast

from kgservice.engine.base import Failure, QueryEngine, QueryRequest, Serialized, Triple
from kgservice.engine.worker import Call, Method, serve
from kgservice.errors import QueryTimeout, StoreError
from kgservice.rdf.terms import Table

log = logging.getLogger(__name__)
_CONTEXT = mp.get_context("spawn")
T = TypeVar("T")


@dataclass(frozen=True)
class Patch:
    """One committed change, numbered in commit order."""

    version: int
    removed: bytes
    added: bytes


class _Worker:
    """One worker process and the version of the graph it holds."""

    def __init__(self, snapshot: Path, version: int) -> None:
        self.conn, child = _CONTEXT.Pipe()
        self.process: BaseProcess = _CONTEXT.Process(target=serve, args=(child, str(snapshot)), daemon=True)
        self.process.start()
        child.close()
        self.version = version
        self.conn.recv()  # ("ready", size)

    def call(self, message: tuple[object, ...], timeout: float | None) -> tuple[object, ...]:
        self.conn.send(message)
        if timeout is not None and not self.conn.poll(timeout):
            raise QueryTimeout
        reply: tuple[object, ...] = self.conn.recv()
        return reply

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool(QueryEngine):
    """Run queries in `size` worker processes; `snapshot()` gives the current graph as an N-Quads file."""

    def __init__(self, snapshot: Callable[[], tuple[Path, int]], size: int, timeout: float) -> None:
        self._snapshot, self.timeout = snapshot, timeout
        self._jobs: queue.Queue[tuple[Call, Future[object]] | None] = queue.Queue()
        self._patches: list[Patch] = []
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run_slot, name=f"query-worker-{i}", daemon=True) for i in range(size)]
        self.restarts = 0
        for thread in self._threads:
            thread.start()

    def call(self, method: Method, *args: object) -> Future[object]:
        """Queue a call; the future holds its result, or raises its error (QueryTimeout at the deadline)."""
        future: Future[object] = Future()
        self._jobs.put((Call(method, args), future))
        return future

    def select(self, query: str, source: str = "query") -> Table:
        return _expect(self.call("select", query, source), Table)

    def ask(self, query: str, source: str = "query") -> bool:
        return _expect(self.call("ask", query, source), bool)

    def construct(self, query: str, source: str = "query") -> list[Triple]:
        return cast(list[Triple], _expect(self.call("construct", query, source), list))

    def serialize(self, request: QueryRequest) -> Serialized:
        return _expect(self.call("serialize", request), Serialized)

    def submit(self, request: QueryRequest) -> Future[Serialized]:
        """The call's own future: no thread waits while the query is queued (a worker answers serialize
        with Serialized, or the future raises the error)."""
        return cast(Future[Serialized], self.call("serialize", request))

    def select_many(self, queries: Sequence[str], source: str = "query") -> list[Table]:
        """All queries are queued at once, so the free workers answer them side by side."""
        futures = [self.call("select", query, source) for query in queries]
        return [_expect(future, Table) for future in futures]

    def publish(self, patch: Patch) -> None:
        """Make a committed change known to every worker (applied before its next call)."""
        with self._lock:
            self._patches.append(patch)
            self._patches = self._patches[-1000:]

    def close(self) -> None:
        for _ in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join(10)

    def _start_worker(self) -> _Worker:
        path, version = self._snapshot()
        return _Worker(path, version)

    def _catch_up(self, worker: _Worker) -> _Worker:
        with self._lock:
            pending = [p for p in self._patches if p.version > worker.version]
            oldest = self._patches[0].version if self._patches else None
        if pending and oldest is not None and pending[0].version != worker.version + 1:
            worker.kill()
            return self._start_worker()
        for patch in pending:
            worker.call(("patch", patch.removed, patch.added), None)
            worker.version = patch.version
        return worker

    def _run_slot(self) -> None:
        worker = self._start_worker()
        while True:
            item = self._jobs.get()
            if item is None:
                self._stop(worker)
                return
            call, future = item
            if not future.set_running_or_notify_cancel():
                continue
            worker = self._catch_up(worker)
            worker = self._answer(worker, call, future)

    @staticmethod
    def _stop(worker: _Worker) -> None:
        """Ask the worker to exit (it sends no reply), then make sure it has."""
        with contextlib.suppress(OSError):
            worker.conn.send(("stop",))
        worker.process.join(2)
        worker.kill()

    def _answer(self, worker: _Worker, call: Call, future: Future[object]) -> _Worker:
        started = time.monotonic()
        try:
            status, value = worker.call(("call", call), self.timeout)
            settle(future, status, value)
            return worker
        except QueryTimeout:
            worker.kill()
            self.restarts += 1
            log.warning("query stopped after %.1f s; worker restarted", time.monotonic() - started)
            future.set_exception(QueryTimeout(f"the query was stopped after {self.timeout:g} s, this service's time limit"))
        except (EOFError, OSError, BrokenPipeError) as error:
            worker.kill()
            self.restarts += 1
            future.set_exception(StoreError(f"the query worker failed: {error}"))
        return self._start_worker()


def settle(future: Future[object], status: object, value: object) -> None:
    """Give the future the worker's result, or the error its Failure stands for."""
    if status == "failed" and isinstance(value, Failure):
        future.set_exception(value.error())
    else:
        future.set_result(value)


def _expect(future: Future[object], kind: type[T]) -> T:
    """The future's result, checked to be of the type its call returns (raises the call's error)."""
    value = future.result()
    if not isinstance(value, kind):
        raise StoreError(f"the query worker answered {type(value).__name__}, not {kind.__name__}")
    return value
