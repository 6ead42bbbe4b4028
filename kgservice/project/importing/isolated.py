"""Read an uploaded document in a short-lived child process that may die without taking the service along.

Word, spreadsheet and PDF readers are large libraries working on hostile input; the caps of `limits` bound
what they are given, and here the whole reading also runs in a spawned process with no network, an
address-space limit and a deadline. The service gets the parsed document back, or the refusal the
reader raised (its file, place and message), or a refusal saying the reader stopped.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
from multiprocessing.connection import Connection

from kgservice.engine.sandbox import isolate_process
from kgservice.errors import ImportRefused
from kgservice.project.importing.levels import LevelMap
from kgservice.project.importing.limits import DEFAULT_LIMITS, Limits
from kgservice.project.importing.model import DocumentMeta, ImportedDocument
from kgservice.project.importing.parse import parse_document

_CONTEXT = mp.get_context("spawn")
MEMORY_BYTES = 4 << 30  # the child's address space: readers of a 20 MB file need far less
_GRACE = 30.0  # the reader's own deadline comes first; past it plus this, the child is killed

TEXT = {
    "stopped": "the reader stopped on this file (exit status %(status)s): it may be damaged or too large",
    "killed": "reading took longer than %(seconds)s s: the document is too large",
}


def _child(
    conn: Connection, file_name: str, data: bytes, meta: DocumentMeta, levels: LevelMap | None, limits: Limits, memory: int
) -> None:
    isolate_process()
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        document = parse_document(file_name, data, meta, levels, limits)
        document.graph()  # the metadata (level, status, territory, period) are checked when the graph is built
        conn.send(("ok", document))
    except ImportRefused as refused:
        place = {"line": refused.line, "page": refused.page, "row": refused.row}
        conn.send(("refused", (refused.source, refused.message, place, refused.message_args)))


def parse_isolated(
    file_name: str,
    data: bytes,
    meta: DocumentMeta,
    levels: LevelMap | None = None,
    limits: Limits = DEFAULT_LIMITS,
    memory_bytes: int = MEMORY_BYTES,
) -> ImportedDocument:
    """`parse_document` (and the graph's metadata checks) in a child process; raises its ImportRefused, or one
    saying the reader stopped or ran past the deadline."""
    parent, child = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(target=_child, args=(child, file_name, data, meta, levels, limits, memory_bytes), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(limits.seconds + _GRACE):
            raise ImportRefused(file_name, TEXT["killed"], seconds=f"{limits.seconds:.0f}")
        status, value = parent.recv()
    except EOFError:
        process.join(5)
        raise ImportRefused(file_name, TEXT["stopped"], status=process.exitcode) from None
    finally:
        process.kill()
        process.join(5)
        parent.close()
    if status == "refused":
        source, message, place, args = value
        raise ImportRefused(source, message, **place, **args)
    assert isinstance(value, ImportedDocument)
    return value
