"""Word (.docx): one line per paragraph (and per table cell paragraph), in body order. Word's automatic
numbering, which the paragraph text does not hold, is written into the line as Word shows it (`2.1.1 `,
bullets as `•`, `◦`, `▪` by list level), and heading styles give each heading line its level."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError

from kgservice.errors import ImportRefused
from kgservice.project.importing.limits import Deadline, Limits
from kgservice.project.importing.readers.archive import check_zip
from kgservice.project.importing.rendering import Rendering, one_line

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# What a user reads, in one place (named arguments, so that the texts can be translated).
TEXT = {
    "unreadable": "unreadable Word document: %(error)s",
    "paragraphs": "over %(cap)s paragraphs",
}
_BULLET_MARKS = ("•", "◦", "▪", "‣")
_HEADING_STYLE = re.compile(r"(?:heading|nadpis|nagłówek|titre)\s*(\d)", re.IGNORECASE)
_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _format(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    return str(n)


@dataclass(frozen=True)
class _Level:
    fmt: str
    text: str
    start: int


@dataclass
class Numbering:
    """Word's list definitions (numbering.xml) and the counters of the lists met so far."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId -> ilvl -> level
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, document: Any) -> Numbering:
        numbering = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return numbering
        abstract = {a.get(f"{W}abstractNumId"): cls._levels(a) for a in root.iter(f"{W}abstractNum")}
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                numbering.levels[num.get(f"{W}numId") or ""] = abstract.get(ref.get(f"{W}val"), {})
        return numbering

    @staticmethod
    def _levels(abstract: Any) -> dict[int, _Level]:
        levels = {}
        for lvl in abstract.iter(f"{W}lvl"):
            fmt, text, start = lvl.find(f"{W}numFmt"), lvl.find(f"{W}lvlText"), lvl.find(f"{W}start")
            levels[int(lvl.get(f"{W}ilvl") or 0)] = _Level(
                fmt.get(f"{W}val") if fmt is not None else "decimal",
                text.get(f"{W}val") if text is not None else "",
                int(start.get(f"{W}val")) if start is not None else 1,
            )
        return levels

    def label(self, num_id: str, ilvl: int) -> str | None:
        """The number (or bullet) Word shows for the next paragraph of list `num_id` at level `ilvl`."""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return None
        level = levels[ilvl]
        if level.fmt == "bullet":
            return _BULLET_MARKS[min(ilvl, len(_BULLET_MARKS) - 1)]
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        text = level.text
        for k in range(ilvl + 1):
            value = counters.get(k, levels[k].start if k in levels else 1)
            text = text.replace(f"%{k + 1}", _format(value, levels[k].fmt if k in levels else "decimal"))
        return text.strip() or None


def _num_pr(paragraph: Any) -> tuple[str, int] | None:
    style = getattr(paragraph.style, "element", None)
    for owner in (paragraph._p.pPr, style.pPr if style is not None else None):
        num_pr = owner.find(f"{W}numPr") if owner is not None else None
        if num_pr is not None:
            num_id, ilvl = num_pr.find(f"{W}numId"), num_pr.find(f"{W}ilvl")
            if num_id is not None:
                return num_id.get(f"{W}val") or "", int(ilvl.get(f"{W}val")) if ilvl is not None else 0
    return None


def _rank(paragraph: Any) -> int | None:
    match = _HEADING_STYLE.search(paragraph.style.name if paragraph.style is not None else "")
    return int(match.group(1)) if match else None


def _paragraphs(document: Any) -> Iterator[Any]:
    """The body's paragraphs in order, with the paragraphs of table cells where the tables stand."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in document.element.body.iterchildren():
        if child.tag == f"{W}p":
            yield Paragraph(child, document)
        elif child.tag == f"{W}tbl":
            for row in Table(child, document).rows:
                for cell in row.cells:
                    yield from cell.paragraphs


def read_docx(file: str, data: bytes, limits: Limits, deadline: Deadline) -> Rendering:
    check_zip(file, data, limits)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, SyntaxError) as error:  # lxml's XMLSyntaxError is one
        raise ImportRefused(file, TEXT["unreadable"], error=str(error)) from None
    numbering, lines, ranks = Numbering.of(document), list[str](), dict[int, int]()
    for paragraph in _paragraphs(document):
        deadline.check()
        text = one_line(paragraph.text)
        found = _num_pr(paragraph)
        number = numbering.label(*found) if found and text.strip() else None
        if number and not text.lstrip().startswith(number):
            text = f"{number} {text.lstrip()}"
        lines.append(text)
        rank = _rank(paragraph)
        if rank is not None:
            ranks[len(lines)] = rank
        if len(lines) > limits.max_lines:
            raise ImportRefused(file, TEXT["paragraphs"], line=len(lines), cap=limits.max_lines)
    return Rendering(tuple(lines), heading_ranks=ranks)
