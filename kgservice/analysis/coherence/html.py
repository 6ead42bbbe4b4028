"""Self-contained HTML pages of the reports: inline CSS, no external assets, the matrix as a heat map
whose cells also carry their value as text, so the page stays readable printed in black and white."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from kgservice.analysis.coherence.render import chain_text, hop_text, name
from kgservice.analysis.coherence.report import CellOut, CoherenceReport, ComparisonReport

_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:80em}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #bbb;padding:.25em .45em;vertical-align:top}
th{background:#f2f2f2;text-align:left}td.c{text-align:center;white-space:nowrap;min-width:3em}
.s3{background:#1b5e20;color:#fff}.s2{background:#43a047;color:#fff}.s1{background:#a5d6a7}.su{background:#c8e6c9}
.s0{background:#e0e0e0}.n1{background:#f8bbd0}.n2{background:#e57373}.n3{background:#b71c1c;color:#fff}.mx{background:#ffb74d}
.gap{color:#b71c1c;font-weight:600}.small{font-size:.85em;color:#555}.legend td{min-width:6em}
@media print{body{margin:0;font-size:10pt}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
table{page-break-inside:auto}tr{page-break-inside:avoid}h2{page-break-after:avoid}}
"""
_LEGEND = [
    ("s3", "+3 indivisible"),
    ("s2", "+2 reinforcing"),
    ("s1", "+1 enabling"),
    ("su", "support, ungraded"),
    ("s0", "0 consistent"),
    ("n1", "-1 constraining"),
    ("n2", "-2 counteracting"),
    ("n3", "-3 cancelling"),
    ("mx", "support and conflict"),
]


def heat_class(cell: CellOut) -> str:
    """The CSS class of a cell: strength of its support, or of its conflict, or both."""
    has_support = any(r in ("contributesTo", "implements") for r in cell.relations)
    has_conflict = "conflictsWith" in cell.relations
    if has_support and has_conflict:
        return "mx"
    if has_support:
        return f"s{min(cell.support_strength, 3)}" if cell.support_strength is not None and cell.support_strength > 0 else "su"
    if has_conflict:
        return f"n{min(-(cell.conflict_strength or -1), 3)}"
    return "s0"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], attrs: str = "") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table{attrs}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _page(title: str, lang: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{_CSS}</style></head><body><h1>{escape(title)}</h1>{body}</body></html>\n"
    )


def _heat_map(r: CoherenceReport) -> str:
    cells = {(c.measure, c.priority): c for c in r.matrix.cells}
    head = "".join(f'<th title="{escape(c.label)}">{escape(c.notation or c.label)}</th>' for c in r.matrix.columns)
    rows = []
    for m in r.matrix.rows:
        tds = []
        for col in r.matrix.columns:
            cell = cells.get((m.iri, col.iri))
            tds.append(
                f'<td class="c {heat_class(cell)}" title="{escape(cell.display)}">{escape(cell.display)}</td>'
                if cell
                else '<td class="c"></td>'
            )
        rows.append(f"<tr><th>{escape(name(m))}</th>{''.join(tds)}</tr>")
    legend = "".join(f'<td class="{css}">{escape(text)}</td>' for css, text in _LEGEND)
    return (
        f'<table id="matrix"><thead><tr><th>measure \\ priority</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
        f'<table class="legend"><tr>{legend}</tr></table>'
        f'<p class="small">Columns: {escape(r.matrix.columns_rule)}. '
        + "; ".join(f"{escape(c.notation)} = {escape(c.label)}" for c in r.matrix.columns)
        + "</p>"
    )


def _list(items: Iterable[str], empty: str = "None.") -> str:
    entries = "".join(f"<li>{escape(i)}</li>" for i in items)
    return f"<ul>{entries}</ul>" if entries else f"<p>{escape(empty)}</p>"


def coherence_html(r: CoherenceReport) -> str:
    figures = _table(
        ["figure", "count", "of", "share", "elements"],
        [
            [
                f.name,
                str(f.count),
                "" if f.total is None else str(f.total),
                "" if f.share is None else f"{100 * f.share:.0f} %",
                ", ".join(f.elements),
            ]
            for f in r.summary.figures
        ],
    )
    coverage = _table(
        ["priority", "status", "supported by"],
        [[name(c.priority), c.status, ", ".join(name(s) for s in c.supporters)] for c in r.coverage],
        ' id="coverage"',
    )
    body = "".join(
        [
            "".join(f"<p>{escape(t)}</p>" for t in r.summary.text),
            "".join(f"<p><em>{escape(n)}</em></p>" for n in r.notes),
            "<h2>Alignment matrix</h2>",
            _heat_map(r),
            "<h2>Figures</h2>",
            figures,
            "<h2>Coverage of the priorities</h2>",
            coverage,
            "<h2>Coverage by top-level priority</h2>",
            _table(
                ["priority", "priorities", "uncovered", "uncovered priorities"],
                [
                    [name(b.root), str(b.priorities), str(len(b.uncovered)), ", ".join(name(u) for u in b.uncovered)]
                    for b in r.branches
                ],
                ' id="branches"',
            ),
            "<h2>Biggest gaps</h2>",
            _list(f"{name(g.root)}: {g.size} uncovered ({', '.join(name(u) for u in g.uncovered)})" for g in r.gaps),
            "<h2>Measures that support nothing in the higher strategy</h2>",
            _list(name(m) for m in r.unsupported_measures),
            "<h2>Conflicts</h2>",
            _list(f"{hop_text(a)}: {a.evidence}" for a in r.conflicts),
            "<h2>Strongest links</h2>",
            _list(f"{hop_text(a)}: {a.evidence}" for a in r.strongest),
            "<h2>Support chains through intermediate strategies</h2>",
            _list(chain_text(c) for c in r.chains),
        ]
    )
    return _page(f"Coherence: {r.local.label} → {r.higher.label}", r.lang, body)


def comparison_html(r: ComparisonReport) -> str:
    rows = [
        [
            t.label,
            t.scheme.rsplit("/", 1)[-1],
            t.side,
            str(t.count_a),
            str(t.count_b),
            f"{t.overlap:.2f}",
            ", ".join(name(e) for e in t.elements_a),
            ", ".join(name(e) for e in t.elements_b),
        ]
        for t in r.themes
    ]
    body = (
        f"<p>{r.shared} concepts shared, {r.only_a} only in A ({r.elements_a} elements), {r.only_b} only in B "
        f"({r.elements_b} elements); overall overlap {r.overlap:.2f} (weighted Jaccard of the shares).</p>"
        + _table(["concept", "scheme", "side", "A", "B", "overlap", "carried in A by", "carried in B by"], rows, ' id="themes"')
        + "<h2>Alignments between them</h2>"
        + _list(f"{hop_text(a)}: {a.evidence}" for a in r.links)
    )
    return _page(f"Themes and target groups: {r.a.label} / {r.b.label}", r.lang, body)
