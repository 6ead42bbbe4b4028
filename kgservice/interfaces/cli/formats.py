"""Render a result table as an aligned text table, CSV or SPARQL 1.1 JSON results."""

from __future__ import annotations

import csv
import io
import json

from kgservice.rdf.terms import Table, Term, table_to_json

FORMATS = ("table", "csv", "json")
_MAX_WIDTH = 60


def _cell(term: Term | None) -> tuple[str, bool]:
    """A cell's text and whether it may be cut: an IRI never is, since two cut alike would look the same."""
    if term is None:
        return "", True
    return term.display(), term.kind != "uri"


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _width(header: str, column: list[tuple[str, bool]]) -> int:
    """As wide as the widest cell up to _MAX_WIDTH, and as wide as the widest IRI whatever its length."""
    cut = max([len(header)] + [len(text) for text, may_cut in column if may_cut])
    whole = max([0] + [len(text) for text, may_cut in column if not may_cut])
    return max(min(_MAX_WIDTH, cut), whole)


def as_text_table(table: Table) -> str:
    """Aligned columns with compact IRIs written whole, long literals cut, and a row count."""
    cells = [[_cell(t) for t in row] for row in table.rows]
    widths = [_width(c, [r[i] for r in cells]) for i, c in enumerate(table.columns)]
    lines = ["  ".join(_fit(c, w).ljust(w) for c, w in zip(table.columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_fit(v, w).ljust(w) for (v, _), w in zip(row, widths, strict=True)).rstrip() for row in cells]
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
