"""Keep the graph on disk as a base snapshot plus a write-ahead log of framed, checksummed records.

`DIR/base.nq` is N-Quads; its first line `# kgservice-base <version>` names the last commit folded into it.
`DIR/wal.log` is the line `kgservice-wal 2`, then one record per later commit, fsynced before it is
acknowledged; the CRC32 (8 hex digits) covers the three numbers of the header with their newline and the payload:

    @record <version> <removed bytes> <added bytes> <crc32>
    <the removed quads as N-Quads><the added quads as N-Quads>

At open, a torn, zeroed or garbage tail (what a crash or a full disk leaves of the one unacknowledged write)
is cut off with a warning that names the file and byte offset; damage followed by a valid record refuses to
start instead. A failed append is cut back to the last good record. A log of the first format (`@commit N`
... `@end N`) is migrated into a new base on open. When the log grows large it is folded into a new base
(written beside it, fsynced, renamed; then a fresh log likewise); records already in a base are skipped.
"""

from __future__ import annotations

import errno
import fcntl
import io
import logging
import os
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from kgservice.errors import StorageFull, StoreError, TermTooLarge
from kgservice.translation import N_

COMPACT_AFTER_BYTES = 32 * 1024 * 1024
FORMAT_LINE = b"kgservice-wal 2\n"
BASE_LINE = "# kgservice-base {version}\n"
CHUNK = 1024 * 1024
# pyoxigraph's N-Quads parser buffers a line in at most 16 MiB: a longer quad could be logged but never read back.
MAX_QUAD_BYTES = 16 * 1024 * 1024 - 4096
# A header is a word and four numbers; reading at most this much keeps a garbage tail from being read as one line.
MAX_HEADER = 96

_BASE = re.compile(rb"# kgservice-base (\d{1,19})\n")
_HEADER = re.compile(rb"@record (\d{1,19}) (\d{1,19}) (\d{1,19}) ([0-9a-f]{8})\n")
_MARKER = b"\n@record "
# The first format's lines; a record's `@commit N` glued to a torn line is where a new record starts.
_COMMIT = re.compile(rb"@commit (\d+)")
_END = re.compile(rb"@end (\d+)")
_GLUED = re.compile(rb"(.+)(@commit \d+)", re.DOTALL)

logger = logging.getLogger(__name__)


def to_nquads(quads: Iterable[ox.Quad]) -> bytes:
    """Serialize quads as N-Quads, one per line, blank node labels kept."""
    return b"".join(f"{quad} .\n".encode() for quad in quads)


def frame(version: int, removed: bytes, added: bytes) -> bytes:
    """One record of the log: its header line, then the removed and the added quads."""
    removed, added = _lines(removed), _lines(added)
    fields = f"{version} {len(removed)} {len(added)}\n".encode()
    checksum = zlib.crc32(added, zlib.crc32(removed, zlib.crc32(fields)))
    return b"@record " + fields[:-1] + f" {checksum:08x}\n".encode() + removed + added


def _longest_line(nquads: bytes) -> int:
    if len(nquads) <= MAX_QUAD_BYTES:
        return len(nquads)  # no need to look for line ends: the whole section is short enough
    longest, start = 0, 0
    while start < len(nquads):
        end = nquads.find(b"\n", start)
        end = len(nquads) if end < 0 else end
        longest, start = max(longest, end - start), end + 1
    return longest


def _lines(nquads: bytes) -> bytes:
    # Each section must end its last line, or the added quads would continue the last removed one.
    return nquads + b"\n" if nquads and not nquads.endswith(b"\n") else nquads


@dataclass(frozen=True)
class Record:
    """Where one checked record lies in the log."""

    version: int
    offset: int
    start: int
    removed: int
    added: int

    @property
    def end(self) -> int:
        return self.start + self.removed + self.added


class _Slice(io.RawIOBase):
    """The next `left` bytes of a file, so that pyoxigraph parses one section of a record as a stream."""

    def __init__(self, file: BinaryIO, left: int) -> None:
        super().__init__()
        self.file, self.left = file, left

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:  # any writable buffer (typeshed's name for it is not importable)
        view = memoryview(buffer)
        data = self.file.read(min(len(view), self.left))
        view[: len(data)] = data
        self.left -= len(data)
        return len(data)


def _quads(file: BinaryIO, length: int) -> ox.QuadParser:
    return ox.parse(io.BufferedReader(_Slice(file, length), 64 * 1024), format=ox.RdfFormat.N_QUADS)


def _read_record(log: BinaryIO, offset: int, size: int) -> Record | str:
    """The checked record at `offset`, or what is wrong there."""
    log.seek(offset)
    line = log.readline(MAX_HEADER)
    match = _HEADER.fullmatch(line)
    if match is None:
        return "a torn record header" if len(line) + offset == size else "bytes that are not a record header"
    version, removed, added = (int(group) for group in match.groups()[:3])
    record = Record(version, offset, offset + len(line), removed, added)
    if record.end > size:
        return "a torn record (the file ends inside it)"
    checksum = zlib.crc32(b" ".join(match.groups()[:3]) + b"\n")
    for left in range(removed + added, 0, -CHUNK):
        checksum = zlib.crc32(log.read(min(left, CHUNK)), checksum)
    return record if checksum == int(match[4], 16) else "a record whose checksum does not match"


def _next_valid_record(log: BinaryIO, offset: int, size: int) -> int | None:
    """The offset of a valid record somewhere after `offset`: damage that is not only a tail."""
    for start in range(offset, size, CHUNK):
        log.seek(start)
        chunk = log.read(CHUNK + len(_MARKER))  # overlapping, so a marker across two chunks is seen
        hit = chunk.find(_MARKER)
        while hit >= 0:
            if isinstance(_read_record(log, start + hit + 1, size), Record):
                return start + hit + 1
            hit = chunk.find(_MARKER, hit + 1)
    return None


def _first_format_records(log: BinaryIO) -> Iterator[tuple[int, bytes, bytes]]:
    """The complete records of a first-format log, read line by line; torn and glued records are dropped."""
    number: int | None = None
    removed, added = bytearray(), bytearray()
    for raw in log:
        line = raw.rstrip(b"\n")
        if (glued := _GLUED.fullmatch(line)) and not _COMMIT.fullmatch(line):
            number, line = None, glued[2]  # a torn line ends where the next append began
        if not raw.endswith(b"\n"):
            return
        if commit := _COMMIT.fullmatch(line):
            number, removed, added = int(commit[1]), bytearray(), bytearray()
        elif (end := _END.fullmatch(line)) and number is not None:
            if int(end[1]) == number:
                yield number, bytes(removed), bytes(added)
            number = None
        elif line.startswith(b"- ") and number is not None:
            removed += line[2:] + b"\n"
        elif line.startswith(b"+ ") and number is not None:
            added += line[2:] + b"\n"
        else:
            number = None  # a line of neither form: the record around it is not trusted


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Undone:
    """What did not happen when a file of the store folder could not be written, in two catalogue texts: one for
    a full disk (%(folder)s, %(reason)s), one for any other failure (%(path)s, %(reason)s); `args` fill in the rest."""

    full: str
    failed: str
    args: tuple[tuple[str, object], ...] = ()


NOT_SAVED = Undone(
    N_("the store folder %(folder)s is full: the write was not saved (%(reason)s)"),
    N_("%(path)s: the write was not saved: %(reason)s"),
)
NO_NEW_BASE = Undone(
    N_("the store folder %(folder)s is full: the new base was not written (%(reason)s)"),
    N_("%(path)s: the new base was not written: %(reason)s"),
)
LOG_NOT_REPLACED = Undone(
    N_("the store folder %(folder)s is full: the log was not replaced (%(reason)s)"),
    N_("%(path)s: the log was not replaced: %(reason)s"),
)


def _tail_not_cut(offset: int) -> Undone:
    return Undone(
        N_("the store folder %(folder)s is full: the damaged tail at byte %(offset)s could not be cut off (%(reason)s)"),
        N_("%(path)s: the damaged tail at byte %(offset)s could not be cut off: %(reason)s"),
        (("offset", offset),),
    )


def _storage_error(path: Path, error: OSError, undone: Undone) -> StoreError:
    """The error a writer reads (507 for a full disk, in the language asked), saying what did not happen."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageFull(undone.full, folder=str(path.parent), reason=error.strerror, **dict(undone.args))
    return StoreError(undone.failed, path=str(path), reason=str(error), **dict(undone.args))


def _write_all(fd: int, offset: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written


def _replace_atomically(path: Path, write: Callable[[BinaryIO], object], undone: Undone) -> None:
    """Write a file beside `path`, fsync it, rename it over `path` and fsync the folder; on failure
    remove the partial file and raise the storage error, saying what was `undone`."""
    temporary = path.with_name(path.name + ".tmp")
    try:
        with temporary.open("wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        temporary.replace(path)
        _fsync_dir(path.parent)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise _storage_error(path, error, undone) from error


class DiskLog:
    """The base snapshot and the write-ahead log of one store directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.base, self.wal = directory / "base.nq", directory / "wal.log"
        directory.mkdir(parents=True, exist_ok=True)
        # The last commit on disk and the end of the last good record; None until the log is read.
        self.version: int | None = None
        self._end: int | None = None
        self._lock: int | None = None

    def lock(self) -> None:
        """Hold the folder for this process: a second writer would cut the first one's records as a torn tail."""
        fd = os.open(self.directory / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreError(f"the store folder {self.directory} is in use by another kgservice process") from None
        self._lock = fd  # held until the process ends; the kernel lets go of it on kill -9 too

    def exists(self) -> bool:
        return self.base.is_file()

    def initialise(self, store: ox.Store) -> None:
        """Write the first base of a new store folder; refuse a folder whose log lost its base."""
        if self.wal.exists():
            raise StoreError(
                f"the store folder {self.directory} has a write-ahead log (wal.log) but no base.nq: refusing to "
                "start rather than lose the writes in the log; restore base.nq, or empty the folder to start afresh"
            )
        self.write_base(store, 0)

    def write_base(self, store: ox.Store, version: int | None = None) -> None:
        """Replace the base with the store's content (as of `version`, by default the last append), atomically,
        and start an empty log."""
        version = (self.version or 0) if version is None else version

        def write(out: BinaryIO) -> None:
            out.write(BASE_LINE.format(version=version).encode())
            store.dump(out, format=ox.RdfFormat.N_QUADS)

        _replace_atomically(self.base, write, NO_NEW_BASE)
        self.version = version
        # The log is replaced only now: a crash before this line leaves records the new base already holds.
        self._replace_log()

    def compact(self, store: ox.Store) -> None:
        """Fold the log into a new base; a failure (a full disk) only leaves the log as it was, with a warning."""
        try:
            self.write_base(store)
        except StoreError as error:
            logger.warning("the log was not folded into a new base: %s", error)

    def append(self, version: int, removed: bytes, added: bytes) -> None:
        """Write one commit record and fsync it before returning; on failure cut it off again and raise."""
        if self.version is not None and version != self.version + 1:
            raise StoreError(f"{self.wal}: commit {version} cannot follow commit {self.version}")
        if (longest := max(_longest_line(removed), _longest_line(added))) > MAX_QUAD_BYTES:
            raise TermTooLarge(
                N_("a quad of %(size)s bytes is more than the store can read back (%(limit)s): the write was not saved"),
                size=longest,
                limit=MAX_QUAD_BYTES,
            )
        start = self._find_end()
        data = (FORMAT_LINE if start == 0 else b"") + frame(version, removed, added)
        try:
            fd = os.open(self.wal, os.O_WRONLY | os.O_CREAT, 0o644)
        except OSError as error:
            raise _storage_error(self.wal, error, NOT_SAVED) from error
        try:
            self._write_at(fd, start, data)
        except OSError as error:
            self._cut_back(fd, start)
            raise _storage_error(self.wal, error, NOT_SAVED) from error
        finally:
            os.close(fd)
        self._end, self.version = start + len(data), version

    def load(self) -> tuple[ox.Store, int]:
        """The store as of the last complete commit, and the number of that commit."""
        store = ox.Store()
        version = self._read_base(store)
        if self._first_format():
            return store, self._migrate(store, version)
        if not self.wal.is_file():
            self._end, self.version = 0, version
            return store, version
        try:
            with self.wal.open("rb") as log:
                version = self._replay(log, store, version)
        except OSError as error:
            raise StoreError(f"{self.wal} cannot be read: {error}") from error
        self.version = version
        return store, version

    def start_version(self) -> int | None:
        """The version of the base as it is now (its first line; 0 without one), which a query worker may load
        while this process loads the base and the log; None when the log is in the first format, whose opening
        writes a new base."""
        if self._first_format():
            return None
        with self.base.open("rb") as data:
            stamp = _BASE.fullmatch(data.readline(MAX_HEADER))
        return int(stamp[1]) if stamp else 0

    def records_after(self, version: int) -> Iterator[tuple[int, bytes, bytes]]:
        """The logged commits after `version`, in order, as (version, removed N-Quads, added N-Quads): what takes
        a copy of the base at `version` to the loaded graph. Read after `load`, which has checked the log."""
        if not self.wal.is_file():
            return
        with self.wal.open("rb") as log:
            for record in self._checked_records(log):
                if record.version > version:
                    log.seek(record.start)
                    yield record.version, log.read(record.removed), log.read(record.added)

    def _replay(self, log: BinaryIO, store: ox.Store, version: int) -> int:
        for record in self._checked_records(log):
            if record.version <= version:
                continue  # already in the base: the log was not yet replaced when the process stopped
            if record.version != version + 1:
                raise StoreError(f"{self.wal}: commit {record.version} at byte {record.offset} follows {version}")
            self._apply(log, record, store)
            version = record.version
        return version

    def needs_compaction(self) -> bool:
        return self.wal.is_file() and self.wal.stat().st_size > COMPACT_AFTER_BYTES

    def _write_at(self, fd: int, start: int, data: bytes) -> None:
        if os.fstat(fd).st_size != start:
            os.ftruncate(fd, start)  # what a failed append could not cut off must not precede this record
        _write_all(fd, start, data)
        os.fsync(fd)
        if start == 0:
            _fsync_dir(self.directory)

    def _cut_back(self, fd: int, start: int) -> None:
        try:
            os.ftruncate(fd, start)
            os.fsync(fd)
        except OSError as error:
            # The next append cuts again before it writes, and the next start cuts the tail.
            logger.error("%s: could not cut the failed write off at byte %d: %s", self.wal, start, error)

    def _replace_log(self) -> None:
        _replace_atomically(self.wal, lambda out: out.write(FORMAT_LINE), LOG_NOT_REPLACED)
        self._end = len(FORMAT_LINE)

    def _read_base(self, store: ox.Store) -> int:
        try:
            with self.base.open("rb") as data:
                stamp = _BASE.fullmatch(data.readline(MAX_HEADER))
                data.seek(0)
                # A base this service wrote (its first line names its version) holds terms it checked when they
                # were written: read leniently, a fifth less time (1 s at 1M). Another file is checked in full.
                store.extend(ox.parse(data, format=ox.RdfFormat.N_QUADS, lenient=stamp is not None))
        except FileNotFoundError:
            raise StoreError(f"the store folder {self.directory} has no base.nq") from None
        except MemoryError as error:  # pyoxigraph: "Reached the buffer maximal size of 16777216"
            raise StoreError(
                f"{self.base} cannot be read: {error}; it holds a line longer than the N-Quads reader's 16 MiB limit, "
                "which no write of this service can store (each term is at most 1 MiB): it was written by other means"
            ) from None
        except (OSError, SyntaxError) as error:
            raise StoreError(f"{self.base} cannot be read: {error}") from error
        return int(stamp[1]) if stamp else 0

    def _first_format(self) -> bool:
        if not self.wal.is_file():
            return False
        with self.wal.open("rb") as log:
            head = log.read(len(b"@commit "))
        return bool(head) and b"@commit ".startswith(head)

    def _migrate(self, store: ox.Store, version: int) -> int:
        count = 0
        with self.wal.open("rb") as log:
            for number, removed, added in _first_format_records(log):
                if number > version:
                    try:
                        for quad in ox.parse(removed, format=ox.RdfFormat.N_QUADS):
                            store.remove(quad)
                        store.extend(ox.parse(added, format=ox.RdfFormat.N_QUADS))
                    except (SyntaxError, MemoryError) as error:
                        # MemoryError: pyoxigraph reads no quad over 16 MiB, which the first format logged.
                        raise StoreError(f"{self.wal} (first format): commit {number} cannot be read: {error}") from error
                    version, count = number, count + 1
        self.write_base(store, version)
        logger.warning("%s: migrated %d records of the first log format into %s", self.wal, count, self.base)
        return version

    def _find_end(self) -> int:
        if self._end is None:
            if self._first_format():
                raise StoreError(f"{self.wal} is in the first log format: load the store to migrate it")
            if self.wal.is_file():
                with self.wal.open("rb") as log:
                    for _ in self._checked_records(log):
                        pass
            else:
                self._end = 0
        assert self._end is not None
        return self._end

    def _checked_records(self, log: BinaryIO) -> Iterator[Record]:
        """The log's valid records; a damaged tail is cut off, other damage refuses to open."""
        size = os.fstat(log.fileno()).st_size
        head = log.read(len(FORMAT_LINE))
        if head != FORMAT_LINE:
            self._damaged_head(head, size)
            return
        offset = len(FORMAT_LINE)
        records: list[Record] = []
        while offset < size:
            found = _read_record(log, offset, size)
            if isinstance(found, str):
                self._cut_tail(log, offset, size, found)
                break
            records.append(found)
            offset = found.end
        self._end = offset
        yield from records  # only after the whole log is checked, so that a refusal comes before any change

    def _damaged_head(self, head: bytes, size: int) -> None:
        if not FORMAT_LINE.startswith(head):
            raise StoreError(f"{self.wal} is not a kgservice write-ahead log (it starts with {head[:16]!r})")
        if size:
            logger.warning("%s: the log's first line is torn at byte %d; starting the log afresh", self.wal, size)
            os.truncate(self.wal, 0)
        self._end = 0

    def _cut_tail(self, log: BinaryIO, offset: int, size: int, reason: str) -> None:
        later = _next_valid_record(log, offset, size)
        if later is not None:
            raise StoreError(
                f"{self.wal}: {reason} at byte {offset}, but a valid record follows at byte {later}: refusing to "
                "start rather than drop acknowledged writes; restore the folder from a backup"
            )
        logger.warning(
            "%s: %s at byte %d; cutting off the %d bytes from there (a write that was never acknowledged)",
            self.wal, reason, offset, size - offset,
        )  # fmt: skip
        try:
            os.truncate(self.wal, offset)
            fd = os.open(self.wal, os.O_WRONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as error:
            raise _storage_error(self.wal, error, _tail_not_cut(offset)) from error

    def _apply(self, log: BinaryIO, record: Record, store: ox.Store) -> None:
        log.seek(record.start)
        try:
            for quad in _quads(log, record.removed):
                store.remove(quad)
            store.extend(_quads(log, record.added))
        except (SyntaxError, MemoryError) as error:
            raise StoreError(f"{self.wal}: commit {record.version} at byte {record.offset}: {error}") from error
