"""PDF with a text layer: one line per extracted line, each with its page. A PDF without text (a scan) is
refused, saying so."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from kgservice.errors import ImportRefused
from kgservice.project.importing.limits import Deadline, Limits
from kgservice.project.importing.rendering import Rendering, one_line


def _reader(file: str, data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ImportRefused(file, "the PDF is encrypted: export it without a password")
        return reader
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise ImportRefused(file, f"unreadable PDF: {error}") from None


def read_pdf(file: str, data: bytes, limits: Limits, deadline: Deadline) -> Rendering:
    reader = _reader(file, data)
    if len(reader.pages) > limits.max_pages:
        raise ImportRefused(file, f"{len(reader.pages)} pages, over the cap of {limits.max_pages}")
    lines: list[str] = []
    pages: dict[int, int] = {}
    for number, page in enumerate(reader.pages, 1):
        deadline.check(f"page {number}")
        try:
            text = page.extract_text() or ""
        except (PdfReadError, ValueError, KeyError, TypeError) as error:
            raise ImportRefused(file, f"the text of the page cannot be read: {error}", page=number) from None
        for line in text.splitlines():
            lines.append(one_line(line))
            pages[len(lines)] = number
        if len(lines) > limits.max_lines:
            raise ImportRefused(file, f"over {limits.max_lines} lines of text", page=number)
    if not any(line.strip() for line in lines):
        raise ImportRefused(file, "the PDF has no text layer (scanned?): run OCR on it, or import the text")
    return Rendering(tuple(lines), pages=pages)
