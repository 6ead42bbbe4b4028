"""Render a result table as an aligned text table, CSV or SPARQL 1.1 JSON results."""

from __future__ import annotations

import csv
import io
import json

from kgservice.rdf.terms import Table, table_to_json

FORMATS = ("table", "csv", "json")
_MAX_WIDTH = 60


def _cell(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def as_text_table(table: Table) -> str:
    """Aligned columns with compact IRIs, long cells cut, and a row count."""
    cells = [[t.display() if t is not None else "" for t in row] for row in table.rows]
    widths = [min(_MAX_WIDTH, max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(table.columns)]
    lines = ["  ".join(_cell(c, w).ljust(w) for c, w in zip(table.columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_cell(v, w).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.append(f"({len(table.rows)} row{'s' if len(table.rows) != 1 else ''})")
    return "\n".join(lines)


def as_csv(table: Table) -> str:
    """CSV as the SPARQL 1.1 CSV results format writes it: full IRIs, plain values, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([t.value if t is not None else "" for t in row])
    return out.getvalue()


def as_json(table: Table) -> str:
    """The SPARQL 1.1 Query Results JSON format."""
    return json.dumps(table_to_json(table), ensure_ascii=False, indent=1)


def render(table: Table, fmt: str) -> str:
    """Render in one of FORMATS."""
    return {"table": as_text_table, "csv": as_csv, "json": as_json}[fmt](table)
