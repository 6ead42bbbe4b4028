"""Render the coherence and comparison reports as Markdown, CSV (one table per file, UTF-8 with BOM,
so a spreadsheet opens it cleanly) or JSON; HTML is in kgservice.analysis.coherence.html."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from kgservice.analysis.coherence.report import AlignmentOut, ChainOut, CoherenceReport, ComparisonReport, Element, Figure

FORMATS = ("md", "csv", "json", "html")
COHERENCE_TABLES = ("matrix", "coverage", "measures", "chains")
BOM = "\ufeff"


def name(e: Element) -> str:
    return f"{e.notation} {e.label}".strip() if e.kind != "StrategyDocument" else e.label


def hop_text(a: AlignmentOut) -> str:
    strength = f" {a.strength:+d}" if a.strength is not None else ""
    return f"{name(a.subject)} —{a.relation}{strength} ({a.status})→ {name(a.object)}"


def chain_text(chain: ChainOut) -> str:
    parts = []
    for hop in chain.hops:
        climb = "".join(f" ⊂ {name(e)}" for e in hop.climb)
        parts.append((climb + " · " if climb else "") + hop_text(hop.alignment))
    return " ⇒ ".join(parts)


# ---------------------------------------------------------------- csv


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return BOM + out.getvalue()


def _matrix_csv(r: CoherenceReport) -> str:
    cells = {(c.measure, c.priority): c.display for c in r.matrix.cells}
    header = ["measure", "notation", "label", *(name(c) for c in r.matrix.columns)]
    rows = [[m.id, m.notation, m.label, *(cells.get((m.iri, c.iri), "") for c in r.matrix.columns)] for m in r.matrix.rows]
    return _csv(header, rows)


def _coverage_csv(r: CoherenceReport) -> str:
    header = ["priority", "notation", "label", "kind", "status", "supporting local elements", "alignments"]
    rows = [
        [
            c.priority.id,
            c.priority.notation,
            c.priority.label,
            c.priority.kind,
            c.status,
            "; ".join(name(s) for s in c.supporters),
            len(c.alignments),
        ]
        for c in r.coverage
    ]
    return _csv(header, rows)


def _measures_csv(r: CoherenceReport) -> str:
    supported: dict[str, list[str]] = {m.iri: [] for m in r.matrix.rows}
    for cell in r.matrix.cells:
        if cell.support_strength is not None or any(rel in ("contributesTo", "implements") for rel in cell.relations):
            supported[cell.measure].append(cell.priority)
    labels = {c.iri: c.notation or c.label for c in r.matrix.columns}
    rows = [
        [
            m.id,
            m.notation,
            m.label,
            "supports" if supported[m.iri] else "supports nothing",
            "; ".join(labels[p] for p in supported[m.iri]),
        ]
        for m in r.matrix.rows
    ]
    return _csv(["measure", "notation", "label", "status", "supported priorities (matrix columns)"], rows)


def _chains_csv(r: CoherenceReport) -> str:
    rows = [
        [
            c.start.id,
            name(c.start),
            c.end.id,
            name(c.end),
            len(c.hops),
            " > ".join(c.strategies),
            c.weakest,
            chain_text(c),
            " | ".join(h.alignment.evidence for h in c.hops),
        ]
        for c in r.chains
    ]
    return _csv(["start", "start label", "end", "end label", "hops", "strategies", "weakest strength", "chain", "evidence"], rows)


def coherence_csv(r: CoherenceReport, table: str = "matrix") -> str:
    """One table of the report: matrix, coverage, measures or chains."""
    tables: dict[str, Callable[[CoherenceReport], str]] = {
        "matrix": _matrix_csv,
        "coverage": _coverage_csv,
        "measures": _measures_csv,
        "chains": _chains_csv,
    }
    if table not in tables:
        raise ValueError(f"no table {table!r}; choose one of {', '.join(COHERENCE_TABLES)}")
    return tables[table](r)


def comparison_csv(r: ComparisonReport) -> str:
    header = [
        "concept",
        "label",
        "scheme",
        "side",
        "elements A",
        "elements B",
        "share A",
        "share B",
        "overlap",
        "carried in A by",
        "carried in B by",
    ]
    rows = [
        [
            t.concept,
            t.label,
            t.scheme.rsplit("/", 1)[-1],
            t.side,
            t.count_a,
            t.count_b,
            t.share_a,
            t.share_b,
            t.overlap,
            "; ".join(name(e) for e in t.elements_a),
            "; ".join(name(e) for e in t.elements_b),
        ]
        for t in r.themes
    ]
    return _csv(header, rows)


# ---------------------------------------------------------------- markdown


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(_md_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_cell("" if v is None else str(v)) for v in row) + " |" for row in rows]
    return [*lines, ""]


def _figure_row(f: Figure) -> list[object]:
    share = f"{100 * f.share:.0f} %" if f.share is not None else ""
    return [f.name, f.count, f.total if f.total is not None else "", share, ", ".join(f.elements)]


def coherence_markdown(r: CoherenceReport) -> str:
    lines = [f"# Coherence: {r.local.label} → {r.higher.label}", "", *r.summary.text, ""]
    lines += [f"> {note}" for note in r.notes] + ([""] if r.notes else [])
    lines += [
        "## Figures",
        "",
        *_md_table(["figure", "count", "of", "share", "elements"], [_figure_row(f) for f in r.summary.figures]),
    ]
    cells = {(c.measure, c.priority): c.display for c in r.matrix.cells}
    lines += ["## Alignment matrix", "", f"Columns: {r.matrix.columns_rule}.", ""]
    lines += _md_table(
        ["measure", *(c.notation or c.label for c in r.matrix.columns)],
        [[name(m), *(cells.get((m.iri, c.iri), "") for c in r.matrix.columns)] for m in r.matrix.rows],
    )
    lines += ["Columns: " + "; ".join(f"{c.notation} = {c.label}" for c in r.matrix.columns), ""]
    lines += [
        "## Coverage of the priorities",
        "",
        *_md_table(
            ["priority", "status", "supported by"],
            [[name(c.priority), c.status, ", ".join(name(s) for s in c.supporters)] for c in r.coverage],
        ),
    ]
    lines += [
        "## Coverage by top-level priority",
        "",
        *_md_table(
            ["priority", "priorities", "uncovered", "uncovered priorities"],
            [[name(b.root), b.priorities, len(b.uncovered), ", ".join(name(u) for u in b.uncovered)] for b in r.branches],
        ),
    ]
    lines += [
        "## Biggest gaps",
        "",
        *(
            f"- {name(g.root)}: {g.size} uncovered ({', '.join(name(u) for u in g.uncovered)})"
            + (f"; reached by {g.reached_by_chains} chain(s) through other strategies" if g.reached_by_chains else "")
            for g in r.gaps
        ),
        "" if r.gaps else "None.",
        "",
    ]
    lines += [
        "## Measures that support nothing in the higher strategy",
        "",
        *(f"- {name(m)}" for m in r.unsupported_measures),
        "" if r.unsupported_measures else "None.",
        "",
    ]
    lines += ["## Conflicts", "", *(f"- {hop_text(a)}: {a.evidence}" for a in r.conflicts), "" if r.conflicts else "None.", ""]
    lines += ["## Strongest links", "", *(f"- {hop_text(a)}: {a.evidence}" for a in r.strongest), ""]
    lines += [
        "## Support chains through intermediate strategies",
        "",
        *(f"- {chain_text(c)}" for c in r.chains),
        "" if r.chains else "None.",
        "",
    ]
    if r.ignored_suggested:
        lines += ["## Suggested alignments (not counted)", "", *(f"- {hop_text(a)}" for a in r.ignored_suggested), ""]
    return "\n".join(lines)


def comparison_markdown(r: ComparisonReport) -> str:
    lines = [
        f"# Themes and target groups: {r.a.label} / {r.b.label}",
        "",
        f"{r.shared} concepts shared, {r.only_a} only in A ({r.elements_a} elements), {r.only_b} only in B "
        f"({r.elements_b} elements); overall overlap {r.overlap:.2f} (weighted Jaccard of the shares).",
        "",
    ]
    lines += _md_table(
        ["concept", "scheme", "side", "A", "B", "overlap", "carried in A by", "carried in B by"],
        [
            [
                t.label,
                t.scheme.rsplit("/", 1)[-1],
                t.side,
                t.count_a,
                t.count_b,
                f"{t.overlap:.2f}",
                ", ".join(name(e) for e in t.elements_a),
                ", ".join(name(e) for e in t.elements_b),
            ]
            for t in r.themes
        ],
    )
    if r.links:
        lines += ["## Alignments between them", "", *(f"- {hop_text(a)}: {a.evidence}" for a in r.links), ""]
    return "\n".join(lines)
