"""Spreadsheets (.xlsx, .ods, .csv): the rows of each sheet as text cells, and a rendering with one line
per row (`cell | cell | ...`) whose line maps to the sheet and row."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from kgservice.errors import ImportRefused
from kgservice.project.importing.limits import Deadline, Limits
from kgservice.project.importing.readers.archive import check_zip
from kgservice.project.importing.rendering import Cell, Rendering, one_line

_MAX_COLUMNS = 200

# What a user reads, in one place (named arguments, so that the texts can be translated).
TEXT = {
    "unreadable": "unreadable spreadsheet: %(error)s",
    "not_utf8": "not UTF-8 (byte %(byte)s): save the table as UTF-8 CSV",
    "rows": "over %(cap)s rows",
}


@dataclass(frozen=True)
class Row:
    """One row of a sheet: its place, the line of the rendering it is, and its cells as text."""

    sheet: str
    number: int
    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Sheets:
    rows: tuple[Row, ...]
    rendering: Rendering


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return one_line(str(value)).strip()


def _check_rows(file: str, count: int, limits: Limits) -> None:
    if count > limits.max_lines:
        raise ImportRefused(file, TEXT["rows"], row=count, cap=limits.max_lines)


def _xlsx(file: str, data: bytes, limits: Limits, deadline: Deadline) -> list[tuple[str, list[list[str]]]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError, zipfile.BadZipFile, SyntaxError) as error:
        raise ImportRefused(file, TEXT["unreadable"], error=str(error)) from None
    sheets = []
    for sheet in book.worksheets:
        rows = []
        for values in sheet.iter_rows(values_only=True, max_col=_MAX_COLUMNS):
            deadline.check(f"sheet {sheet.title}")
            rows.append([_text(v) for v in values])
            _check_rows(file, len(rows), limits)
        sheets.append((sheet.title, rows))
    book.close()
    return sheets


def _ods(file: str, data: bytes, limits: Limits, deadline: Deadline) -> list[tuple[str, list[list[str]]]]:
    from odf import opendocument, table, teletype  # type: ignore[import-untyped]

    try:
        document = opendocument.load(io.BytesIO(data))
    except Exception as error:  # odfpy raises whatever its XML and zip layers raise
        raise ImportRefused(file, TEXT["unreadable"], error=str(error)) from None
    sheets = []
    for sheet in document.spreadsheet.getElementsByType(table.Table):
        rows = []
        for row in sheet.getElementsByType(table.TableRow):
            deadline.check(f"sheet {sheet.getAttribute('name')}")
            cells: list[str] = []
            for cell in row.getElementsByType(table.TableCell):
                repeat = min(int(cell.getAttribute("numbercolumnsrepeated") or 1), _MAX_COLUMNS)
                cells.extend([_text(teletype.extractText(cell))] * repeat)
            repeat_rows = min(int(row.getAttribute("numberrowsrepeated") or 1), 1 if not any(cells) else 1000)
            rows.extend([cells[:_MAX_COLUMNS]] * repeat_rows)
            _check_rows(file, len(rows), limits)
        sheets.append((str(sheet.getAttribute("name")), rows))
    return sheets


def _csv(file: str, data: bytes, limits: Limits) -> list[tuple[str, list[list[str]]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(file, TEXT["not_utf8"], byte=error.start) from None
    dialect: type[csv.Dialect] | csv.Dialect
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel()  # one column, or a plain comma file
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            rows.append([_text(c) for c in row[:_MAX_COLUMNS]])
            _check_rows(file, len(rows), limits)
    except csv.Error as error:
        raise ImportRefused(file, TEXT["unreadable"], row=len(rows) + 1, error=str(error)) from None
    return [("csv", rows)]


def read_sheet(file: str, fmt: str, data: bytes, limits: Limits, deadline: Deadline) -> Sheets:
    if fmt in ("xlsx", "ods"):
        check_zip(file, data, limits)
    if fmt == "xlsx":
        sheets = _xlsx(file, data, limits, deadline)
    else:
        sheets = _ods(file, data, limits, deadline) if fmt == "ods" else _csv(file, data, limits)
    lines: list[str] = []
    cells: dict[int, Cell] = {}
    rows: list[Row] = []
    for name, table in sheets:
        while table and not any(table[-1]):
            table.pop()
        for number, values in enumerate(table, 1):
            lines.append(" | ".join(values).rstrip(" |"))
            cells[len(lines)] = Cell(name, number)
            rows.append(Row(name, number, len(lines), tuple(values)))
            if len(lines) > limits.max_lines:
                raise ImportRefused(file, TEXT["rows"], row=number, cap=limits.max_lines)
    return Sheets(tuple(rows), Rendering(tuple(lines), cells=cells))
