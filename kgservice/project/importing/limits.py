"""Bounds on what an import reads, so that no document (a zip bomb in a .docx, a PDF of ten thousand pages,
a text of a million lines) can hold the machine: size, unpacked size, pages, lines, elements and time."""

from __future__ import annotations

import time
from dataclasses import dataclass

from kgservice.errors import ImportRefused

# What a user reads, in one place (named arguments, so that the texts can be translated).
TEXT = {
    "time": "reading took longer than %(seconds)s s%(where)s: the document is too large",
    "bytes": "the file has %(size)s bytes, over the cap of %(cap)s bytes",
    "lines": "the rendering has %(count)s lines, over the cap of %(cap)s",
    "line_chars": "a line of %(count)s characters, over the cap of %(cap)s",
}


@dataclass(frozen=True)
class Limits:
    """The caps of one import; `seconds` bounds the whole reading."""

    max_bytes: int = 20 * 1024 * 1024
    max_unpacked_bytes: int = 100 * 1024 * 1024
    max_xml_bytes: int = 32 * 1024 * 1024  # the XML parts, which are parsed into trees (images are not)
    max_zip_members: int = 5_000
    max_pages: int = 2_000
    max_lines: int = 200_000
    max_line_chars: int = 100_000
    max_elements: int = 10_000
    seconds: float = 60.0


DEFAULT_LIMITS = Limits()


class Deadline:
    """Raises `ImportRefused` once the import has run longer than its limit."""

    def __init__(self, file: str, seconds: float) -> None:
        self.file, self.seconds, self.end = file, seconds, time.monotonic() + seconds

    def check(self, where: str = "") -> None:
        if time.monotonic() > self.end:
            suffix = f" ({where})" if where else ""
            raise ImportRefused(self.file, TEXT["time"], seconds=f"{self.seconds:.0f}", where=suffix)


def check_size(file: str, data: bytes, limits: Limits) -> None:
    if len(data) > limits.max_bytes:
        raise ImportRefused(file, TEXT["bytes"], size=len(data), cap=limits.max_bytes)


def check_lines(file: str, lines: list[str], limits: Limits) -> None:
    if len(lines) > limits.max_lines:
        raise ImportRefused(file, TEXT["lines"], count=len(lines), cap=limits.max_lines)
    for number, line in enumerate(lines, 1):
        if len(line) > limits.max_line_chars:
            raise ImportRefused(file, TEXT["line_chars"], line=number, count=len(line), cap=limits.max_line_chars)
