"""The worker pool: the QueryEngine of the embedded service, answering in worker processes with a
deadline per query and real cancellation.

Calls wait in a bounded queue (full: ServiceBusy, 503 with Retry-After) and each has a deadline counted
from its arrival, so time spent waiting counts. Each worker slot has a manager thread that hands calls
to its process and waits for the answer until the deadline. A worker that misses its deadline, whose
caller has cancelled the call (the HTTP client hung up), or that dies (its memory limit, a crash) is
killed and replaced; the other slots keep answering meanwhile. A watchdog thread fails queued calls at
their deadline, so nothing waits forever even when no worker can start; `problem()` then says why.
Changes committed to the graph are sent to every worker as N-Quads patches as soon as it is idle (and
before its next call), so each worker answers on the latest state.

A query of the HTTP edge (`answer`, on the event loop) skips the queue and the slot thread when a worker is
idle and caught up: the loop lends itself that worker, sends the call and reads the reply (engine.channel),
with the same deadline and cancellation. Otherwise it queues like any other call.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import multiprocessing as mp
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass, replace
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TypeVar, cast

from kgservice.engine.base import Failure, QueryEngine, QueryRequest, Serialized, Triple
from kgservice.engine.channel import exchange
from kgservice.engine.delta import UpdateDelta
from kgservice.engine.waiting import Job, Queue, Slot
from kgservice.engine.worker import Call, Method, serve
from kgservice.errors import KgServiceError, QueryOutOfMemory, QueryTimeout, ServiceBusy, StoreError
from kgservice.rdf.terms import Table
from kgservice.translation import N_

log = logging.getLogger(__name__)
_CONTEXT = mp.get_context("spawn")
T = TypeVar("T")
_TICK = 0.05  # how often a slot looks whether its running call was cancelled, and the watchdog at the queue
_GRACE = 30.0  # past its deadline, an internal reader stops waiting even if the pool failed to answer


@dataclass(frozen=True)
class Patch:
    """One committed change, numbered in commit order."""

    version: int
    removed: bytes
    added: bytes


def _fail(future: Future[object], error: KgServiceError) -> None:
    """Give the future an error unless it is already done (cancelled by its caller meanwhile)."""
    with contextlib.suppress(InvalidStateError):
        future.set_exception(error)


def settle(future: Future[object], status: object, value: object) -> None:
    """Give the future the worker's result, or the error its Failure stands for."""
    with contextlib.suppress(InvalidStateError):
        if status == "failed" and isinstance(value, Failure):
            future.set_exception(value.error())
        else:
            future.set_result(value)


class _Worker:
    """One worker process and the version of the graph it holds."""

    def __init__(self, snapshot: Path, version: int, memory_mb: int | None, network: bool = False) -> None:
        self.conn, child = _CONTEXT.Pipe()
        self.process: BaseProcess = _CONTEXT.Process(target=serve, args=(child, str(snapshot), memory_mb, network), daemon=True)
        self.process.start()
        child.close()
        self.version = version
        try:
            self.conn.recv()  # ("ready", None)
        except (EOFError, OSError):
            self.kill()
            raise StoreError(f"a query worker could not load the graph (exit code {self.process.exitcode})") from None

    def call(self, message: tuple[object, ...]) -> tuple[object, ...]:
        """Send a message and wait for the reply (patches and loads: no deadline, the worker is ours)."""
        self.conn.send(message)
        reply: tuple[object, ...] = self.conn.recv()
        return reply

    def kill(self) -> int | None:
        """Kill the process (its CPU and memory are freed at once); its exit code."""
        self.process.kill()
        self.process.join(5)
        self.conn.close()
        return self.process.exitcode


class WorkerPool(QueryEngine):
    """Run queries in `size` worker processes; `snapshot()` gives the current graph as an N-Quads file.

    At most `queue_size` calls wait; each has `timeout` seconds from its arrival; each worker may allocate
    `memory_mb` MiB (None: no limit). Workers have no network unless `network` (the pool of allow-listed
    SERVICE calls, `engine.federation`)."""

    def __init__(
        self,
        snapshot: Callable[[], tuple[Path, int]],
        size: int,
        timeout: float,
        queue_size: int = 64,
        memory_mb: int | None = None,
        network: bool = False,
    ) -> None:
        self._snapshot, self.timeout, self.memory_mb, self.network = snapshot, timeout, memory_mb, network
        self._queue: Queue[_Worker] = Queue(queue_size, size)
        self._patches: list[Patch] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._down: dict[int, str] = {}  # slot -> why it has no worker (a start that failed, a thread that died)
        self.restarts = 0
        self._threads = [
            threading.Thread(target=self._run_slot, args=(i,), name=f"query-worker-{i}", daemon=True) for i in range(size)
        ]
        self._watchdog = threading.Thread(target=self._watch, name="query-deadlines", daemon=True)
        for thread in [*self._threads, self._watchdog]:
            thread.start()

    def call(self, method: Method, *args: object, wait: bool = False) -> Future[object]:
        """Queue a call; the future holds its result, or raises its error (QueryTimeout at the deadline).

        Raises ServiceBusy when the queue is full (after waiting for room until the deadline, if `wait`),
        and StoreError when no worker can run."""
        problem = self.problem()
        if problem is not None:
            raise StoreError(problem)
        job = Job(Call(method, args), Future(), time.monotonic() + self.timeout)
        if not self._queue.put(job, wait):
            raise ServiceBusy(
                N_("the queue of queries waiting for a worker is full (%(capacity)s); try again later"),
                retry_after=max(1, math.ceil(self.timeout)),
                capacity=self._queue.capacity,
            )
        return job.future

    def select(self, query: str, source: str = "query") -> Table:
        return self._expect(self.call("select", query, source, wait=True), Table)

    def ask(self, query: str, source: str = "query") -> bool:
        return self._expect(self.call("ask", query, source, wait=True), bool)

    def construct(self, query: str, source: str = "query") -> list[Triple]:
        return cast(list[Triple], self._expect(self.call("construct", query, source, wait=True), list))

    def serialize(self, request: QueryRequest) -> Serialized:
        return self._expect(self.call("serialize", request, wait=True), Serialized)

    def submit(self, request: QueryRequest) -> Future[Serialized]:
        """The call's own future: no thread waits while the query is queued (a worker answers serialize
        with Serialized, or the future raises the error). Cancelling the future drops the query if it
        waits and stops its worker if it runs. Raises ServiceBusy at once when the queue is full."""
        return cast(Future[Serialized], self.call("serialize", request))

    async def answer(self, request: QueryRequest) -> Serialized:
        """`serialize` for the HTTP edge, on the event loop. On an idle worker that holds the latest change, the
        loop sends the call and reads the reply itself; otherwise the call queues (`submit`). Either way the
        deadline counts from now, and cancelling the await stops the query (its worker is killed)."""
        problem = self.problem()
        if problem is not None:
            raise StoreError(problem)
        slot = self._queue.borrow(self._lendable)
        reply = None if slot is None else await self._on_lent(slot, request)
        if reply is None:  # no worker to lend, or the lent one had just died: the call queues
            return await asyncio.wrap_future(self.submit(request))  # cancelling the await cancels the call
        status, value = reply
        if status == "failed" and isinstance(value, Failure):
            raise value.error()
        if not isinstance(value, Serialized):
            raise StoreError(f"the query worker answered {type(value).__name__}, not Serialized")
        return value

    async def _on_lent(self, slot: int, request: QueryRequest) -> tuple[object, object] | None:
        """The reply of the slot's worker, lent to the loop; None when it died before the call reached it."""
        worker = self._queue.slots[slot].worker
        assert worker is not None  # a lent slot keeps its worker until it is given back
        killed = True
        try:
            reply = await self._exchange(worker, request)
            killed = self._closing.is_set()
            return reply
        except BrokenPipeError:
            return None
        finally:
            if killed:
                worker.process.kill()  # at once, which frees its CPU and memory; the slot thread reaps it
            self._queue.give_back(slot, killed)

    def _lendable(self, worker: _Worker) -> bool:
        """Caught up with every change. Whether it still runs is not asked (a waitpid, 0.01 ms a query): a dead
        worker's pipe is closed, so the send fails with BrokenPipeError and the call queues (`_on_lent`)."""
        return self._is_current(worker)

    async def _exchange(self, worker: _Worker, request: QueryRequest) -> tuple[object, object]:
        """The worker's reply to one serialize call, within the deadline; the errors of a thread's call."""
        started = time.monotonic()
        try:
            async with asyncio.timeout(self.timeout):
                status, value = cast(tuple[object, object], await exchange(worker.conn, ("call", Call("serialize", (request,)))))
        except TimeoutError:
            log.warning("query stopped after %.1f s; worker restarted", time.monotonic() - started)
            self.restarts += 1
            raise self._timed_out() from None
        except asyncio.CancelledError:
            log.warning("query cancelled by its caller after %.1f s; worker restarted", time.monotonic() - started)
            self.restarts += 1
            raise
        except EOFError as error:
            self.restarts += 1
            exit_code = await asyncio.to_thread(worker.kill)
            raise self._died(exit_code, error) from None
        return status, value

    def update_delta(self, update: str, base_iri: str | None = None) -> UpdateDelta | None:
        """Evaluated by a worker, caught up with every published change: it has no network and a memory limit,
        and the server process neither runs the update nor compares quad sets. The delta carries the version
        the worker held, so that a commit can tell whether the graph changed meanwhile."""
        return self._expect(self.call("update_delta", update, base_iri, wait=True), UpdateDelta)

    def select_many(self, queries: Sequence[str], source: str = "query") -> list[Table]:
        """All queries are queued at once, so the free workers answer them side by side."""
        futures = [self.call("select", query, source, wait=True) for query in queries]
        return [self._expect(future, Table) for future in futures]

    def publish(self, patch: Patch) -> None:
        """Make a committed change known to every worker (applied before its next call)."""
        with self._lock:
            self._patches.append(patch)
            self._patches = self._patches[-1000:]
        self._queue.wake()  # idle workers catch up now, not on the next query's time

    def problem(self) -> str | None:
        """Why no query can be answered now (no slot has a worker that can run, or its thread died), or None."""
        with self._lock:
            down = dict(self._down)
        down.update({i: f"the thread of query worker {i} stopped" for i, t in enumerate(self._threads) if not t.is_alive()})
        if self._closing.is_set():
            return "the query workers are stopped"
        if len(down) < len(self._threads):
            return None
        return "no query worker can run: " + "; ".join(sorted(set(down.values())))

    def close(self) -> None:
        self._closing.set()
        for job in self._queue.close():
            _fail(job.future, StoreError("the service is stopping"))
        for thread in [*self._threads, self._watchdog]:
            thread.join(10)

    def _expect(self, future: Future[object], kind: type[T]) -> T:
        """The future's result, checked to be of the type its call returns (raises the call's error)."""
        try:
            value = future.result(self.timeout + _GRACE)
        except TimeoutError:
            future.cancel()
            raise self._timed_out() from None
        if not isinstance(value, kind):
            raise StoreError(f"the query worker answered {type(value).__name__}, not {kind.__name__}")
        return value

    def _watch(self) -> None:
        """Fail waiting calls at their deadline, and all of them at once when no worker can run."""
        while not self._closing.wait(_TICK):
            self._expire(self.problem(), time.monotonic())

    def _expire(self, problem: str | None, now: float) -> None:
        for job in self._queue.remove(lambda job: problem is not None or job.deadline <= now):
            _fail(job.future, StoreError(problem) if problem else self._timed_out())

    def _timed_out(self) -> QueryTimeout:
        return QueryTimeout(N_("the query was stopped after %(seconds)g s, this service's time limit"), seconds=self.timeout)

    def _start_worker(self) -> _Worker:
        path, version = self._snapshot()
        return _Worker(path, version, self.memory_mb, self.network)

    def _start_until_up(self, slot: int) -> _Worker | None:
        """A new worker for the slot, retrying with a growing pause while starts fail; None when closing."""
        pause = 0.5
        while not self._closing.is_set():
            try:
                worker = self._start_worker()
            except Exception as error:  # a snapshot that cannot be written or loaded: say so, keep trying
                log.exception("query worker %d could not start", slot)
                with self._lock:
                    self._down[slot] = f"a query worker could not start ({error})"
                self._closing.wait(pause)
                pause = min(pause * 2, 30.0)
                continue
            with self._lock:
                self._down.pop(slot, None)
            return worker
        return None

    def _catch_up(self, worker: _Worker) -> _Worker:
        """The worker with every published patch applied; a fresh one when a patch is missing or fails."""
        with self._lock:
            pending = [p for p in self._patches if p.version > worker.version]
        if pending and pending[0].version != worker.version + 1:
            worker.kill()
            return self._start_worker()
        for patch in pending:
            try:
                status, value = worker.call(("patch", patch.removed, patch.added))
            except (EOFError, OSError):
                status, value = "failed", None
            if status == "failed":
                log.warning("a query worker could not apply change %d (%s); it is replaced", patch.version, value)
                worker.kill()
                return self._start_worker()  # the snapshot holds the change
            worker.version = patch.version
        return worker

    def _run_slot(self, slot: int) -> None:
        """The slot's thread: start its worker, then answer queued calls on it and keep it caught up."""
        worker: _Worker | None = None
        while True:
            if worker is None:
                worker = self._start_until_up(slot)
                if worker is None:
                    return
            self._queue.release(slot, worker)
            job = self._queue.take(slot, self._needs_thread)
            worker = self._queue.slots[slot].worker  # None when the event loop killed it meanwhile
            self._reap(self._queue.slots[slot])
            if job is None:
                if worker is not None and not self._queue.slots[slot].borrowed:  # a lent one: killed when given back
                    self._stop(worker)
                return
            worker = worker if worker is None else self._alive(slot, worker)
            if isinstance(job, Job):
                if worker is None:
                    worker = self._start_until_up(slot)
                    if worker is None:
                        _fail(job.future, StoreError("the query workers are stopped"))
                        return
                worker = self._run(slot, worker, job)
            elif worker is not None:
                worker = self._caught_up(slot, worker)

    def _needs_thread(self, slot: Slot[_Worker]) -> bool:
        """Whether the slot's worker needs its thread when no call does: to be reaped, started, or caught up."""
        if slot.discarded is not None or slot.worker is None:
            return True
        return not self._is_current(slot.worker)

    def _is_current(self, worker: _Worker) -> bool:
        with self._lock:
            return not self._patches or self._patches[-1].version <= worker.version

    def _caught_up(self, slot: int, worker: _Worker) -> _Worker | None:
        """The worker with every published change applied, while no call waits for it."""
        try:
            return self._catch_up(worker)
        except Exception:
            log.exception("query worker %d could not catch up", slot)
            with contextlib.suppress(Exception):
                worker.kill()
            return None

    @staticmethod
    def _reap(slot: Slot[_Worker]) -> None:
        """Wait for a worker the event loop killed (its exit, its pipe closed)."""
        if slot.discarded is not None:
            slot.discarded.kill()
            slot.discarded = None

    def _alive(self, slot: int, worker: _Worker) -> _Worker | None:
        """The worker, or a new one if it died while idle (killed by hand, by the OOM killer)."""
        if worker.process.is_alive():
            return worker
        log.warning("query worker %d had died (exit code %s); it is replaced", slot, worker.kill())
        self.restarts += 1
        return self._start_until_up(slot)

    def _run(self, slot: int, worker: _Worker, job: Job) -> _Worker | None:
        """Answer the job on the worker, caught up; never lets the slot's thread die (the job fails instead)."""
        try:
            return self._answer(self._catch_up(worker), job)
        except Exception as error:
            log.exception("query worker %d failed", slot)
            _fail(job.future, error if isinstance(error, KgServiceError) else StoreError(f"the query worker failed: {error}"))
            with contextlib.suppress(Exception):
                worker.kill()
            return None

    @staticmethod
    def _stop(worker: _Worker) -> None:
        """Ask the worker to exit (it sends no reply), then make sure it has."""
        with contextlib.suppress(OSError):
            worker.conn.send(("stop",))
        worker.process.join(2)
        worker.kill()

    def _answer(self, worker: _Worker, job: Job) -> _Worker | None:
        """Run the job on the worker until its deadline; the worker, or None when it was killed."""
        started = time.monotonic()
        if started >= job.deadline:  # it waited its whole time in the queue
            _fail(job.future, self._timed_out())
            return worker
        try:
            worker.conn.send(("call", job.call))
            while not worker.conn.poll(max(0.0, min(_TICK, job.deadline - time.monotonic()))):
                if job.future.cancelled():
                    log.warning("query cancelled by its caller after %.1f s; worker restarted", time.monotonic() - started)
                    self._replace(worker)
                    return None
                if time.monotonic() >= job.deadline:
                    log.warning("query stopped after %.1f s; worker restarted", time.monotonic() - started)
                    self._replace(worker)  # before the caller hears of it: restarts counts it
                    _fail(job.future, self._timed_out())
                    return None
            status, value = worker.conn.recv()
            if isinstance(value, UpdateDelta):
                value = replace(value, version=worker.version)
        except (EOFError, OSError, BrokenPipeError) as error:
            exit_code = worker.kill()
            self.restarts += 1
            _fail(job.future, self._died(exit_code, error))
            return None
        settle(job.future, status, value)
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker that is still busy; the slot starts a new one before its next job."""
        worker.kill()
        self.restarts += 1

    def _died(self, exit_code: int | None, error: BaseException) -> KgServiceError:
        """The error of a query whose worker died: pyoxigraph aborts the process when an allocation fails."""
        if exit_code == -signal.SIGABRT and self.memory_mb is not None:
            return QueryOutOfMemory(
                N_("the query needed more than %(limit)s MiB, the memory limit of a query worker; it was stopped"),
                limit=self.memory_mb,
            )
        log.error("a query worker died (exit code %s) while answering", exit_code)
        return StoreError(f"the query worker failed (exit code {exit_code}): {error or 'it stopped'}")
