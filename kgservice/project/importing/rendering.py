"""The plain-text rendering of a document: the lines every excerpt cites, and where each line came from.

A .txt or .md file is its own rendering. A Word document, a PDF or a spreadsheet is rendered to lines by
its reader (`readers`); the rendering keeps, for each line, the PDF page or the spreadsheet sheet and row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kgservice.project.importing.model import SourceRef


@dataclass(frozen=True)
class Cell:
    """The spreadsheet row a rendered line comes from (rows count from 1, the header included)."""

    sheet: str
    row: int


@dataclass(frozen=True)
class Rendering:
    """The lines of a rendering, with optional maps line -> page, line -> (sheet, row) and line -> heading
    level (Word's heading styles), each indexed by the 1-based line number."""

    lines: tuple[str, ...]
    pages: dict[int, int] = field(default_factory=dict)
    cells: dict[int, Cell] = field(default_factory=dict)
    heading_ranks: dict[int, int] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def ref(self, file: str, start: int, end: int) -> SourceRef:
        """Where lines `start`..`end` are: the file, the lines, and the page or sheet and row of the first."""
        cell = self.cells.get(start)
        return SourceRef(
            file,
            start,
            end,
            page=self.pages.get(start),
            row=cell.row if cell else None,
            sheet=cell.sheet if cell else None,
        )


_BREAKS = dict.fromkeys(map(ord, "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), " ")


def one_line(text: str) -> str:
    """`text` with every character `str.splitlines` breaks at turned into a space, so it stays one line."""
    return text.translate(_BREAKS)
