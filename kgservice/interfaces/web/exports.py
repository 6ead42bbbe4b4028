"""The coherence report's tables for spreadsheets: every table as a sheet of one XLSX workbook (openpyxl), and
the CSV with semicolons, which Excel set to Czech (or Polish) expects, since there the comma is the decimal
separator. Both are made from the report's own CSV (kgservice.analysis.coherence.render), so they hold the
same cells as `kgservice coherence --format csv`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from kgservice.analysis.coherence.render import BOM, COHERENCE_TABLES, coherence_csv
from kgservice.analysis.coherence.report import CoherenceReport
from kgservice.translation import N_, translator

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEPARATORS = {"comma": ",", "semicolon": ";"}
WIDEST = 60
SHEETS = {"matrix": N_("matrix"), "coverage": N_("coverage"), "measures": N_("measures"), "chains": N_("chains")}


def table_rows(report: CoherenceReport, table: str) -> list[list[str]]:
    """One table of the report as rows of cells (the header first)."""
    return list(csv.reader(io.StringIO(coherence_csv(report, table).removeprefix(BOM))))


def with_separator(text: str, separator: str) -> str:
    """A CSV (with BOM) rewritten with another field separator; quoting follows the new separator."""
    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator="\r\n").writerows(csv.reader(io.StringIO(text.removeprefix(BOM))))
    return BOM + out.getvalue()


def _cell(value: str) -> str | int:
    # Counts are numbers in a spreadsheet; "+2 implements", notations such as "2.1" and IRIs stay text.
    return int(value) if value.isdigit() and len(value) < 10 else value


def _sheet(rows: Sequence[Sequence[str]], book: Workbook, title: str) -> None:
    sheet = book.create_sheet(title=title)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    sheet.freeze_panes = "B2"
    for index, column in enumerate(zip(*rows, strict=False), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(WIDEST, max(len(v) for v in column) + 2)


def coherence_xlsx(report: CoherenceReport, tables: Iterable[str] = COHERENCE_TABLES) -> bytes:
    """The workbook: one sheet per table (matrix, coverage, measures, chains), named as the table in the
    report's language."""
    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    t = translator(report.lang)
    for table in tables:
        _sheet(table_rows(report, table), book, t.gettext(SHEETS[table]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
