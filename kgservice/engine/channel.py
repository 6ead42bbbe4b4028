"""One call to a query worker made from the event loop: the message sent, the reply read as it arrives.

The pool's slot threads talk to a worker with the blocking `Connection.send` and `recv`. For a query of the
HTTP edge, the event loop talks to an idle worker itself: no thread stands between them, which saves two
wake-ups of a sleeping thread per query. The reply is read without blocking as its bytes arrive, so the
loop never waits while a large answer is written. It comes in the frame `Connection.send` writes: a 4-byte
big-endian signed length (or -1, then an 8-byte length), then the pickled object (tested against
`Connection` itself in tests/engine/test_lending.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import struct
from multiprocessing.connection import Connection

# Bytes asked of the first read, before the reply's size is known: it holds a small reply whole. It allocates
# what it asks for (asking 1 MiB took 0.2 ms a query in allocation alone); the later reads go into the
# payload's own buffer.
_FIRST_READ = 64 * 1024
_SHORT, _LONG = struct.Struct("!i"), struct.Struct("!Q")


class Frame:
    """A reply being read: its header, then its payload read into one buffer of the payload's size.

    The payload is not gathered by growing a buffer, nor read as new bytes objects to be copied in: a large
    answer's bytes were allocated four or five times between the pipe and the unpickled reply, and each new
    allocation of that size is memory fresh from the system, whose every page faults on first touch."""

    def __init__(self) -> None:
        self._head = bytearray()
        self._payload: bytearray | None = None
        self._filled = 0

    def read_from(self, fd: int) -> bool:
        """Read what the pipe holds, into the payload's buffer once its size is known; True once the frame is
        complete. EOFError when the pipe is closed."""
        if self._payload is None:
            data = os.read(fd, _FIRST_READ)
            if not data:
                raise EOFError("the query worker closed its pipe")
            return self.feed(data)
        count = os.readv(fd, [memoryview(self._payload)[self._filled :]])
        if not count:
            raise EOFError("the query worker closed its pipe")
        self._filled += count
        return self._filled == len(self._payload)

    def feed(self, data: bytes) -> bool:
        """Add bytes read from the pipe; True once the frame is complete (a worker sends one reply per call)."""
        chunk: bytes | bytearray = data
        if self._payload is None:
            self._head += data
            start = self._header()
            if start is None:
                return False
            chunk = self._head[start:]
        return self._fill(chunk)

    def _fill(self, chunk: bytes | bytearray) -> bool:
        payload = self._payload
        assert payload is not None  # the header was read
        take = min(len(chunk), len(payload) - self._filled)
        payload[self._filled : self._filled + take] = chunk[:take]
        self._filled += take
        return self._filled == len(payload)

    def value(self) -> object:
        """The reply the complete frame holds."""
        assert self._payload is not None and self._filled == len(self._payload)
        return pickle.loads(self._payload)  # noqa: S301 - our worker's reply

    def _header(self) -> int | None:
        """Where the payload starts once the header is complete (its buffer then allocated), else None."""
        if len(self._head) < _SHORT.size:
            return None
        (size,) = _SHORT.unpack_from(self._head)
        start = _SHORT.size
        if size < 0:
            if len(self._head) < _SHORT.size + _LONG.size:
                return None
            (size,) = _LONG.unpack_from(self._head, _SHORT.size)
            start += _LONG.size
        self._payload = bytearray(size)
        return start


def send(conn: Connection, message: object) -> None:
    """`conn.send(message)`, in the same frame, without multiprocessing's pickler: ForkingPickler copies its
    table of reducers on every call (0.03 ms a query), for objects (sockets, connections) a call never holds.
    The worker sends its replies this way too: header and body in one write, where `Connection.send` makes
    two of a reply over 16 KiB, and the loop would wake for the 4-byte header alone."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    size = len(payload)
    header = _SHORT.pack(size) if size <= 0x7FFFFFFF else _SHORT.pack(-1) + _LONG.pack(size)
    head, body, fd = memoryview(header), memoryview(payload), conn.fileno()
    while head or body:  # header and payload gathered by the kernel, not joined into a copy of the payload here
        written = os.writev(fd, [head, body])
        head, body = head[written:], body[max(0, written - len(head)) :]


async def exchange(conn: Connection, message: object) -> object:
    """Send `message` to the worker and await its reply; EOFError when the worker is gone.

    The message is sent blocking, as a slot thread sends it: an idle worker is waiting to read it, and it is
    at most a request body. A caller cancelled while waiting leaves the reply unread: it must kill the worker."""
    send(conn, message)
    loop = asyncio.get_running_loop()
    reply: asyncio.Future[object] = loop.create_future()
    frame, fd = Frame(), conn.fileno()

    def readable() -> None:
        if reply.done():
            return
        try:
            complete = frame.read_from(fd)
        except BlockingIOError:
            return
        except (OSError, EOFError) as error:
            reply.set_exception(error if isinstance(error, EOFError) else EOFError(str(error)))
            return
        if complete:
            reply.set_result(frame.value())

    os.set_blocking(fd, False)
    loop.add_reader(fd, readable)
    try:
        return await reply
    finally:
        loop.remove_reader(fd)
        with contextlib.suppress(OSError):  # a pipe already closed: its worker is being discarded
            os.set_blocking(fd, True)
