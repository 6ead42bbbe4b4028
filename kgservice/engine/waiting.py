"""The calls waiting for a query worker, and which slot's worker is free to take one.

A slot's worker is used by at most one party at a time: its slot thread (a queued call, a patch, a restart)
or the event loop, which borrows an idle worker that is caught up for one query of the HTTP edge
(`WorkerPool.answer`). Both the queue and the slots' state live under one lock, so that a slot thread
waits for "a call, and my worker back" in one condition.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from kgservice.engine.worker import Call

W = TypeVar("W")


@dataclass(eq=False)  # jobs are told apart by identity
class Job:
    """A queued call: its future stays pending while it runs, so that a caller can still cancel it."""

    call: Call
    future: Future[object]
    deadline: float = field(default=0.0)


@dataclass(eq=False)
class Slot(Generic[W]):
    """One worker place: its worker (None while it has to be started), and who is using it."""

    worker: W | None = None
    busy: bool = False  # its thread runs a call, a patch or a start
    borrowed: bool = False  # the event loop runs a query on it
    discarded: W | None = None  # a worker the loop killed, for the slot thread to reap


# What a slot thread is woken for besides a call: its worker is missing, behind, or to be reaped.
ATTENTION = object()


class Queue(Generic[W]):
    """At most `capacity` calls, taken in arrival order (cancelled ones skipped), and the slots' state."""

    def __init__(self, capacity: int, slots: int) -> None:
        self.capacity, self.closed = capacity, False
        self.slots: list[Slot[W]] = [Slot() for _ in range(slots)]
        self._jobs: deque[Job] = deque()
        # Two conditions on one lock: a new job wakes one slot thread, not every slot and every caller waiting
        # for room (each needless wake-up is a context switch and a GIL hand-off on the request's path).
        self._lock = threading.Lock()
        self._ready, self._room = threading.Condition(self._lock), threading.Condition(self._lock)

    def put(self, job: Job, wait: bool) -> bool:
        """Queue the job; False when full (after waiting for room until its deadline, if `wait`)."""
        with self._ready:
            if wait:
                self._room.wait_for(lambda: len(self._jobs) < self.capacity, max(0.0, job.deadline - time.monotonic()))
            if len(self._jobs) >= self.capacity:
                return False
            self._jobs.append(job)
            if any(slot.borrowed for slot in self.slots):
                self._ready.notify_all()  # the one woken may be a slot whose worker is lent: wake the others too
            else:
                self._ready.notify()
            return True

    def take(self, index: int, attention: Callable[[Slot[W]], bool]) -> Job | object | None:
        """For slot `index` (blocks): the oldest job its caller still waits for, once the slot's worker is not
        lent; ATTENTION when `attention(slot)` says its worker needs the thread; None once closed. The slot
        is busy from then on, until `release`."""
        slot = self.slots[index]
        with self._ready:
            while True:
                while self._jobs and self._jobs[0].future.cancelled():
                    self._jobs.popleft()
                if self.closed:
                    return None
                if not slot.borrowed and attention(slot):
                    slot.busy = True
                    return ATTENTION
                if self._jobs and not slot.borrowed:
                    job = self._jobs.popleft()
                    slot.busy = True
                    self._room.notify()
                    if self._jobs:
                        self._ready.notify()  # another job waits: hand it to the next idle slot
                    return job
                self._ready.wait()

    def release(self, index: int, worker: W | None) -> None:
        """The slot thread is done with its worker (None: it has none now)."""
        with self._lock:
            slot = self.slots[index]
            slot.worker, slot.busy = worker, False

    def borrow(self, usable: Callable[[W], bool]) -> int | None:
        """A slot whose worker is idle and `usable`, lent to the caller; None when none is or calls wait."""
        with self._lock:
            if self._jobs or self.closed:
                return None  # those who queued first go first
            for index, slot in enumerate(self.slots):
                if slot.worker is not None and not slot.busy and not slot.borrowed and usable(slot.worker):
                    slot.borrowed = True
                    return index
            return None

    def give_back(self, index: int, killed: bool) -> None:
        """The loop is done with the slot's worker; a `killed` one is left for the slot thread to reap and replace."""
        with self._ready:
            slot = self.slots[index]
            slot.borrowed = False
            if killed:
                slot.discarded, slot.worker = slot.worker, None
            if killed or self._jobs:
                # its thread may wait for it, to replace it or for a job; not woken otherwise (every wake-up
                # of a thread costs the loop a GIL hand-off)
                self._ready.notify_all()

    def wake(self) -> None:
        """Let every slot thread look at its worker again (a change was published)."""
        with self._ready:
            self._ready.notify_all()

    def remove(self, expired: Callable[[Job], bool]) -> list[Job]:
        """Take out (and return) the waiting jobs that are cancelled or `expired`."""
        with self._ready:
            gone = [job for job in self._jobs if job.future.cancelled() or expired(job)]
            kept = [job for job in self._jobs if job not in gone]
            if gone:
                self._jobs = deque(kept)
                self._room.notify_all()
            return [job for job in gone if not job.future.cancelled()]

    def close(self) -> list[Job]:
        """Stop handing out jobs; the ones still waiting, to be failed."""
        with self._ready:
            self.closed, left = True, list(self._jobs)
            self._jobs.clear()
            self._ready.notify_all()
            self._room.notify_all()
            return left
