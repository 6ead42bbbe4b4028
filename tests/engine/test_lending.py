"""Queries of the HTTP edge on a worker the event loop borrows (`WorkerPool.answer`): the same answers and
errors as a queued call, the same deadline and cancellation, and no call lost or stuck when the loop and the
slot threads share one worker."""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import random
import select
import struct
import threading
import time
from collections.abc import Iterator
from multiprocessing import Pipe
from pathlib import Path

import pytest

from kgservice.engine.base import QueryRequest
from kgservice.engine.channel import Frame, send
from kgservice.engine.pool import Patch, WorkerPool
from kgservice.errors import QuerySyntaxError, QueryTimeout
from tests.engine.test_engine import EX, LABELS, RUNAWAY, kill_and_wait, worker_pids, write_snapshot

JSON = "application/sparql-results+json"


def request(query: str) -> QueryRequest:
    return QueryRequest(query, JSON, "text/turtle")


@pytest.fixture
def single(tmp_path: Path) -> Iterator[WorkerPool]:
    """A pool of one worker, so that the loop and the slot thread must take turns with it."""
    snapshot = write_snapshot(tmp_path / "graph.nq")
    pool = WorkerPool(lambda: (snapshot, 0), size=1, timeout=2)
    pool.ask("ASK { ?s ?p ?o }")  # the worker is up
    yield pool
    pool.close()


def test_the_loop_gets_the_answer_a_queued_call_gets(single: WorkerPool) -> None:
    async def both() -> tuple[bytes, bytes]:
        lent = await single.answer(request(LABELS))
        queued = await asyncio.wrap_future(single.submit(request(LABELS)))
        return lent.body, queued.body

    lent, queued = asyncio.run(both())
    assert lent == queued and b"Liberec" in lent


def test_an_error_keeps_its_kind_and_place(single: WorkerPool) -> None:
    with pytest.raises(QuerySyntaxError) as error:
        asyncio.run(single.answer(request("SELECT * WHERE {\n  ?s ?p }")))
    assert error.value.line == 2
    assert single.ask("ASK { ?s ?p ?o }")


def test_a_runaway_on_a_lent_worker_stops_at_the_deadline_and_the_pool_recovers(single: WorkerPool) -> None:
    restarts, started = single.restarts, time.monotonic()
    with pytest.raises(QueryTimeout, match="stopped after 2 s"):
        asyncio.run(single.answer(request(RUNAWAY)))
    assert time.monotonic() - started < 4
    assert single.restarts == restarts + 1
    assert asyncio.run(single.answer(request("ASK { ?s ?p ?o }"))).body.find(b"true") >= 0


def test_cancelling_a_lent_query_kills_its_worker_long_before_the_deadline(tmp_path: Path) -> None:
    snapshot = write_snapshot(tmp_path / "graph.nq")
    pool = WorkerPool(lambda: (snapshot, 0), size=1, timeout=30)
    try:
        pool.ask("ASK { ?s ?p ?o }")
        restarts = pool.restarts

        async def hang_up() -> None:
            running = asyncio.ensure_future(pool.answer(request(RUNAWAY)))
            await asyncio.sleep(0.3)
            running.cancel()
            with pytest.raises(asyncio.CancelledError):
                await running

        started = time.monotonic()
        asyncio.run(hang_up())
        assert pool.restarts == restarts + 1
        assert pool.ask("ASK { ?s ?p ?o }")  # a new worker, started by the slot thread
        assert time.monotonic() - started < 15
    finally:
        pool.close()


def test_a_worker_that_died_idle_is_replaced_without_failing_the_query(single: WorkerPool) -> None:
    kill_and_wait(worker_pids())
    assert b"true" in asyncio.run(single.answer(request("ASK { ?s ?p ?o }"))).body


def test_a_published_change_is_seen_by_the_next_lent_query(single: WorkerPool) -> None:
    single.publish(Patch(1, b"", f'<{EX}c> <{EX}label> "new" <{EX}g3> .\n'.encode()))
    answer = asyncio.run(single.answer(request(f'ASK {{ <{EX}c> <{EX}label> "new" }}')))
    assert b"true" in answer.body


def test_loop_queries_and_thread_calls_on_one_worker_all_get_answered(single: WorkerPool) -> None:
    """Eight queries on the loop at once (one can borrow, the rest queue) while threads call the same worker."""

    async def many() -> list[bytes]:
        answers = asyncio.gather(*(single.answer(request(LABELS)) for _ in range(8)))
        threads = asyncio.gather(*(asyncio.to_thread(single.select, LABELS) for _ in range(4)))
        lent, selected = await asyncio.wait_for(asyncio.gather(answers, threads), 20)
        assert all(len(table.rows) == 3 for table in selected)
        return [answer.body for answer in lent]

    bodies = asyncio.run(many())
    assert len(set(bodies)) == 1 and b"Kalisz" in bodies[0]


@pytest.mark.parametrize("size", [0, 1, 5000, 300_000])
def test_a_frame_reads_what_a_connection_sent_in_any_pieces(size: int) -> None:
    sender, receiver = Pipe()
    message = ("ok", os.urandom(size))
    writing = threading.Thread(target=sender.send, args=(message,))  # a large one fills the pipe's buffer
    writing.start()
    frame, rng, complete = Frame(), random.Random(size), False
    while not complete:
        complete = frame.feed(os.read(receiver.fileno(), rng.randint(1, 70_000)))
    writing.join()
    assert frame.value() == message


@pytest.mark.parametrize("size", [0, 1, 5000, 300_000])
def test_a_connection_receives_what_the_loop_sent(size: int) -> None:
    """The loop's `send` writes the frame `Connection.recv` reads (the worker's side), whole even when the
    message is larger than the pipe's buffer."""
    sender, receiver = Pipe()
    message = ("call", os.urandom(size), request("ASK {}"))
    received: list[object] = []
    reading = threading.Thread(target=lambda: received.append(receiver.recv()))
    reading.start()
    send(sender, message)
    reading.join()
    assert received == [message]


def _read_whole(fd: int, frame: Frame) -> None:
    """Read into the frame as the loop does: when the pipe is readable, until the frame is complete."""
    os.set_blocking(fd, False)
    while True:
        select.select([fd], [], [], 5)
        with contextlib.suppress(BlockingIOError):
            if frame.read_from(fd):
                return


@pytest.mark.parametrize("size", [0, 70_000, 3_000_000])
def test_a_frame_reads_into_its_buffer_what_a_worker_sent(size: int) -> None:
    """What the worker's `send` writes (header and payload gathered in one write, larger than the pipe's
    buffer) arrives whole through `read_from`, in as many reads as the pipe's buffer makes it take."""
    sender, receiver = Pipe()
    message = ("ok", os.urandom(size))
    writing = threading.Thread(target=send, args=(sender, message))
    writing.start()
    frame = Frame()
    _read_whole(receiver.fileno(), frame)
    writing.join()
    assert frame.value() == message


@pytest.mark.parametrize("cut", [2, 4, 100])
def test_a_pipe_closed_before_the_frame_is_complete_is_an_eof(cut: int) -> None:
    """A worker that dies while it writes: the header or the payload cut short is EOFError, not a hang."""
    sender, receiver = Pipe()
    payload = pickle.dumps(("ok", b"x" * 1000))
    os.write(sender.fileno(), (struct.pack("!i", len(payload)) + payload)[:cut])
    sender.close()
    with pytest.raises(EOFError):
        _read_whole(receiver.fileno(), Frame())


def test_a_frame_reads_the_long_header_of_a_message_over_two_gigabytes() -> None:
    """Connection writes -1 and an 8-byte length past 0x7fffffff bytes; the layout, tried with a small body."""
    payload = pickle.dumps(("ok", b"x" * 10))
    frame = Frame()
    assert not frame.feed(struct.pack("!i", -1) + struct.pack("!Q", len(payload))[:3])
    assert frame.feed(struct.pack("!Q", len(payload))[3:] + payload)
    assert frame.value() == ("ok", b"x" * 10)
