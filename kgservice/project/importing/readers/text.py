"""Plain text and Markdown: the file is its own rendering (UTF-8; a BOM is dropped). Lines are split as
`str.splitlines` splits them, as the excerpt check reads the stored rendering."""

from __future__ import annotations

from kgservice.errors import ImportRefused
from kgservice.project.importing.rendering import Rendering

# What a user reads, in one place (named arguments, so that the texts can be translated).
TEXT = {
    "binary": "not a text file (it holds NUL bytes): unreadable as .txt or .md",
    "not_utf8": "not UTF-8 (byte %(byte)s): save the text as UTF-8",
}


def read_text(file: str, data: bytes) -> Rendering:
    if b"\x00" in data[:65536]:
        raise ImportRefused(file, TEXT["binary"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRefused(file, TEXT["not_utf8"], line=line, byte=error.start) from None
    return Rendering(tuple(text.splitlines()))
