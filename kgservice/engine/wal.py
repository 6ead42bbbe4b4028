"""Keep the graph on disk as a base snapshot plus a write-ahead log, so that no acknowledged write is lost.

`DIR/base.nq` holds the graph as N-Quads; `DIR/wal.log` holds one record per committed change:

    @commit 7
    - <s> <p> <o> <g> .
    + <s> <p> <o> <g> .
    @end 7

A change is acknowledged only after its record, end marker included, is written and fsynced, so a
kill -9 at any moment leaves either the whole record or an incomplete tail that replay ignores.
The log is folded into a new base (written beside it, fsynced, then renamed) when it grows large.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

COMPACT_AFTER_BYTES = 32 * 1024 * 1024


def to_nquads(quads: Iterable[ox.Quad]) -> bytes:
    """Serialize quads as N-Quads, one per line, blank node labels kept."""
    return b"".join(f"{quad} .\n".encode() for quad in quads)


def parse_nquads(data: bytes) -> list[ox.Quad]:
    return list(ox.parse(data, format=ox.RdfFormat.N_QUADS))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class DiskLog:
    """The base snapshot and the write-ahead log of one store directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.base, self.wal = directory / "base.nq", directory / "wal.log"
        directory.mkdir(parents=True, exist_ok=True)

    def exists(self) -> bool:
        return self.base.is_file()

    def write_base(self, store: ox.Store) -> None:
        """Replace the base with the store's content, atomically, and empty the log."""
        temporary = self.directory / "base.nq.tmp"
        with temporary.open("wb") as out:
            store.dump(out, format=ox.RdfFormat.N_QUADS)
            out.flush()
            os.fsync(out.fileno())
        temporary.replace(self.base)
        with self.wal.open("wb") as log:
            os.fsync(log.fileno())
        _fsync_dir(self.directory)

    def append(self, version: int, removed: bytes, added: bytes) -> None:
        """Write one commit record and fsync it before returning."""
        lines = [f"@commit {version}\n".encode()]
        lines += [b"- " + line + b"\n" for line in removed.splitlines() if line.strip()]
        lines += [b"+ " + line + b"\n" for line in added.splitlines() if line.strip()]
        lines.append(f"@end {version}\n".encode())
        with self.wal.open("ab") as log:
            log.write(b"".join(lines))
            log.flush()
            os.fsync(log.fileno())

    def load(self) -> tuple[ox.Store, int]:
        """The store as of the last complete commit, and the number of that commit."""
        store = ox.Store()
        with self.base.open("rb") as data:
            store.extend(ox.parse(data, format=ox.RdfFormat.N_QUADS))
        version = 0
        for number, removed, added in self._records():
            for quad in parse_nquads(removed):
                store.remove(quad)
            store.extend(parse_nquads(added))
            version = number
        return store, version

    def needs_compaction(self) -> bool:
        return self.wal.is_file() and self.wal.stat().st_size > COMPACT_AFTER_BYTES

    def _records(self) -> Iterable[tuple[int, bytes, bytes]]:
        if not self.wal.is_file():
            return
        number, removed, added = None, bytearray(), bytearray()
        for line in self.wal.read_bytes().splitlines():
            if line.startswith(b"@commit "):
                number, removed, added = int(line.split()[1]), bytearray(), bytearray()
            elif line.startswith(b"@end ") and number is not None and int(line.split()[1]) == number:
                yield number, bytes(removed), bytes(added)
                number = None
            elif line.startswith(b"- ") and number is not None:
                removed += line[2:] + b"\n"
            elif line.startswith(b"+ ") and number is not None:
                added += line[2:] + b"\n"
