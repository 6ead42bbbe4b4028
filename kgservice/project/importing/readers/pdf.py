"""PDF with a text layer: one line per extracted line, each with its page. A PDF without text (a scan) is
refused, saying so."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError

from kgservice.errors import ImportRefused
from kgservice.project.importing.limits import Deadline, Limits
from kgservice.project.importing.rendering import Rendering, one_line

# What a user reads, in one place (named arguments, so that the texts can be translated).
TEXT = {
    "encrypted": "the PDF is encrypted: export it without a password",
    "unreadable": "unreadable PDF: %(error)s",
    "pages": "%(count)s pages, over the cap of %(cap)s",
    "page_text": "the text of the page cannot be read: %(error)s",
    "lines": "over %(cap)s lines of text",
    "scanned": "the PDF has no text layer (scanned?): run OCR on it, or import the text",
}


# pypdf's own errors (a stream that inflates past its limits is LimitReachedError), a missing optional codec,
# and what its parser raises on malformed objects.
_FAILURES = (PyPdfError, DependencyError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError)


def _reader(file: str, data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ImportRefused(file, TEXT["encrypted"])
        return reader
    except _FAILURES as error:
        raise ImportRefused(file, TEXT["unreadable"], error=str(error)) from None


def _page_count(file: str, reader: PdfReader, limits: Limits) -> int:
    try:
        count = len(reader.pages)
    except _FAILURES as error:
        raise ImportRefused(file, TEXT["unreadable"], error=str(error)) from None
    if count > limits.max_pages:
        raise ImportRefused(file, TEXT["pages"], count=count, cap=limits.max_pages)
    return count


def _page_text(file: str, reader: PdfReader, number: int) -> str:
    try:
        return reader.pages[number - 1].extract_text() or ""
    except _FAILURES as error:
        raise ImportRefused(file, TEXT["page_text"], page=number, error=str(error)) from None


def read_pdf(file: str, data: bytes, limits: Limits, deadline: Deadline) -> Rendering:
    reader = _reader(file, data)
    lines: list[str] = []
    pages: dict[int, int] = {}
    for number in range(1, _page_count(file, reader, limits) + 1):
        deadline.check(f"page {number}")
        for line in _page_text(file, reader, number).splitlines():
            lines.append(one_line(line))
            pages[len(lines)] = number
        if len(lines) > limits.max_lines:
            raise ImportRefused(file, TEXT["lines"], page=number, cap=limits.max_lines)
    if not any(line.strip() for line in lines):
        raise ImportRefused(file, TEXT["scanned"])
    return Rendering(tuple(lines), pages=pages)
