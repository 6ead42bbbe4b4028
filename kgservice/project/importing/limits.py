"""Bounds on what an import reads, so that no document (a zip bomb in a .docx, a PDF of ten thousand pages,
a text of a million lines) can hold the machine: size, unpacked size, pages, lines, elements and time."""

from __future__ import annotations

import time
from dataclasses import dataclass

from kgservice.errors import ImportRefused


@dataclass(frozen=True)
class Limits:
    """The caps of one import; `seconds` bounds the whole reading."""

    max_bytes: int = 20 * 1024 * 1024
    max_unpacked_bytes: int = 100 * 1024 * 1024
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
            raise ImportRefused(self.file, f"reading took longer than {self.seconds:.0f} s{suffix}: the document is too large")


def check_size(file: str, data: bytes, limits: Limits) -> None:
    if len(data) > limits.max_bytes:
        raise ImportRefused(file, f"the file has {len(data)} bytes, over the cap of {limits.max_bytes} bytes")


def check_lines(file: str, lines: list[str], limits: Limits) -> None:
    if len(lines) > limits.max_lines:
        raise ImportRefused(file, f"the rendering has {len(lines)} lines, over the cap of {limits.max_lines}")
    for number, line in enumerate(lines, 1):
        if len(line) > limits.max_line_chars:
            raise ImportRefused(file, f"a line of {len(line)} characters, over the cap of {limits.max_line_chars}", line=number)
