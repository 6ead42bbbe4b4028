"""One call to a query worker made from the event loop: the message sent, the reply read as it arrives.

The pool's slot threads talk to a worker with the blocking `Connection.send` and `recv`. For a query of the
HTTP edge, the event loop talks to an idle worker itself: no thread stands between them, which saves two
wake-ups of a sleeping thread per query. The reply is read without blocking as its bytes arrive, so the
loop never waits while a large answer is written. It comes in the frame `Connection.send` writes: a 4-byte
big-endian signed length (or -1, then an 8-byte length), then the pickled object (tested against
`Connection` itself in tests/engine/test_channel.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import struct
from multiprocessing.connection import Connection

# Bytes asked of one read: a small first read holds a small reply whole. Each read allocates what it asks
# for; asking 1 MiB of every read took 0.2 ms a query in allocation alone.
_FIRST_READ, _MOST_READ = 64 * 1024, 4 * 1024 * 1024
_SHORT, _LONG = struct.Struct("!i"), struct.Struct("!Q")


class Frame:
    """A reply being read: the bytes so far, and the object once they are complete."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._start, self._size = 0, -1

    def wanted(self) -> int:
        """How many bytes to read next: the rest of the frame once its length is known."""
        if self._size < 0:
            return _FIRST_READ
        return max(1, min(_MOST_READ, self._start + self._size - len(self._buffer)))

    def feed(self, data: bytes) -> bool:
        """Add bytes read from the pipe; True once the frame is complete (a worker sends one reply per call)."""
        self._buffer += data
        if self._size < 0 and not self._header():
            return False
        return len(self._buffer) >= self._start + self._size

    def value(self) -> object:
        """The reply the complete frame holds."""
        return pickle.loads(memoryview(self._buffer)[self._start : self._start + self._size])  # noqa: S301 - our worker's reply

    def _header(self) -> bool:
        if len(self._buffer) < _SHORT.size:
            return False
        (size,) = _SHORT.unpack_from(self._buffer)
        if size >= 0:
            self._start, self._size = _SHORT.size, size
            return True
        if len(self._buffer) < _SHORT.size + _LONG.size:
            return False
        (self._size,) = _LONG.unpack_from(self._buffer, _SHORT.size)
        self._start = _SHORT.size + _LONG.size
        return True


def send(conn: Connection, message: object) -> None:
    """`conn.send(message)`, in the same frame, without multiprocessing's pickler: ForkingPickler copies its
    table of reducers on every call (0.03 ms a query), for objects (sockets, connections) a call never holds.
    The worker sends its replies this way too: header and body in one write, where `Connection.send` makes
    two of a reply over 16 KiB, and the loop would wake for the 4-byte header alone."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    size = len(payload)
    header = _SHORT.pack(size) if size <= 0x7FFFFFFF else _SHORT.pack(-1) + _LONG.pack(size)
    view, fd = memoryview(header + payload), conn.fileno()
    while view:
        view = view[os.write(fd, view) :]


async def exchange(conn: Connection, message: object) -> object:
    """Send `message` to the worker and await its reply; EOFError when the worker is gone.

    The message is sent blocking, as a slot thread sends it: an idle worker is waiting to read it, and it is
    at most a request body. A caller cancelled while waiting leaves the reply unread: it must kill the worker."""
    send(conn, message)
    loop = asyncio.get_running_loop()
    reply: asyncio.Future[object] = loop.create_future()
    frame, fd = Frame(), conn.fileno()

    def readable() -> None:
        try:
            data = os.read(fd, frame.wanted())
        except BlockingIOError:
            return
        except OSError as error:
            data, reason = b"", str(error)
        else:
            reason = "the query worker closed its pipe"
        if reply.done():
            return
        if not data:
            reply.set_exception(EOFError(reason))
        elif frame.feed(data):
            reply.set_result(frame.value())

    os.set_blocking(fd, False)
    loop.add_reader(fd, readable)
    try:
        return await reply
    finally:
        loop.remove_reader(fd)
        with contextlib.suppress(OSError):  # a pipe already closed: its worker is being discarded
            os.set_blocking(fd, True)
