"""Render the coherence and comparison reports as Markdown, CSV (one table per file, UTF-8 with BOM,
so a spreadsheet opens it cleanly) or JSON; HTML is in kgservice.analysis.coherence.html.

Every heading, column name and sentence is in the report's language (`report.lang`), from the catalogues;
identifiers (prefixed names, notations) stay as they are. A CSV's header row is translated too: read a
column by its position, or parse the JSON for names that never change."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from kgservice.analysis.coherence.report import (
    AlignmentOut,
    CellOut,
    ChainOut,
    CoherenceReport,
    ComparisonReport,
    Element,
    Figure,
    share_text,
)
from kgservice.analysis.coherence.words import COVERAGE, SIDES, relation, scheme, status, word
from kgservice.translation import N_, Translator, translator

FORMATS = ("md", "csv", "json", "html")
COHERENCE_TABLES = ("matrix", "coverage", "measures", "chains")
BOM = "\ufeff"


def name(e: Element) -> str:
    return f"{e.notation} {e.label}".strip() if e.kind != "StrategyDocument" else e.label


def hop_text(a: AlignmentOut, lang: str = "en") -> str:
    strength = f" {a.strength:+d}" if a.strength is not None else ""
    return f"{name(a.subject)} —{relation(a.relation, lang)}{strength} ({status(a.status, lang)})→ {name(a.object)}"


def chain_text(chain: ChainOut, lang: str = "en") -> str:
    parts = []
    for hop in chain.hops:
        climb = "".join(f" ⊂ {name(e)}" for e in hop.climb)
        parts.append((climb + " · " if climb else "") + hop_text(hop.alignment, lang))
    return " ⇒ ".join(parts)


def cell_text(cell: CellOut, lang: str = "en") -> str:
    """A matrix cell as words: '+2 implements', 'contributes to' (ungraded); support and conflict joined by ' / '."""
    links = [link.alignment for link in cell.links]
    chosen = [a for a in (cell.best.alignment if cell.best else None, _worst_conflict(links)) if a is not None]
    parts = dict.fromkeys(_graded(a, lang) for a in chosen)  # one text when the best link is the conflict
    return " / ".join(parts) or relation("consistentWith", lang)


def _worst_conflict(links: list[AlignmentOut]) -> AlignmentOut | None:
    conflicts = [a for a in links if a.relation == "conflictsWith"]
    return min(conflicts, key=lambda a: a.strength if a.strength is not None else 0) if conflicts else None


def _graded(a: AlignmentOut, lang: str) -> str:
    return f"{a.strength:+d} {relation(a.relation, lang)}" if a.strength is not None else relation(a.relation, lang)


# ---------------------------------------------------------------- csv


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return BOM + out.getvalue()


def _matrix_csv(r: CoherenceReport, t: Translator) -> str:
    cells = {(c.measure, c.priority): cell_text(c, r.lang) for c in r.matrix.cells}
    header = [t.gettext("measure"), t.gettext("notation"), t.gettext("label"), *(name(c) for c in r.matrix.columns)]
    rows = [[m.id, m.notation, m.label, *(cells.get((m.iri, c.iri), "") for c in r.matrix.columns)] for m in r.matrix.rows]
    return _csv(header, rows)


def _coverage_csv(r: CoherenceReport, t: Translator) -> str:
    header = [
        t.gettext("priority"),
        t.gettext("notation"),
        t.gettext("label"),
        t.gettext("kind"),
        t.gettext("status"),
        t.gettext("supporting local elements"),
        t.gettext("alignments"),
    ]
    rows = [
        [
            c.priority.id,
            c.priority.notation,
            c.priority.label,
            c.priority.kind,
            word(COVERAGE, c.status, r.lang),
            "; ".join(name(s) for s in c.supporters),
            len(c.alignments),
        ]
        for c in r.coverage
    ]
    return _csv(header, rows)


MEASURES_HEADER = (N_("measure"), N_("notation"), N_("label"), N_("status"), N_("supported priorities (matrix columns)"))
# The two strategies are A and B in every language (the report's title names them).
THEMES_HEADER = (N_("concept"), N_("scheme"), N_("side"), "A", "B", N_("overlap"), N_("carried in A by"), N_("carried in B by"))


def _measures_csv(r: CoherenceReport, t: Translator) -> str:
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
            t.gettext("supports") if supported[m.iri] else t.gettext("supports nothing"),
            "; ".join(labels[p] for p in supported[m.iri]),
        ]
        for m in r.matrix.rows
    ]
    return _csv([t.gettext(h) for h in MEASURES_HEADER], rows)


def _chains_csv(r: CoherenceReport, t: Translator) -> str:
    rows = [
        [
            c.start.id,
            name(c.start),
            c.end.id,
            name(c.end),
            len(c.hops),
            " > ".join(c.strategies),
            c.weakest,
            chain_text(c, r.lang),
            " | ".join(h.alignment.evidence for h in c.hops),
        ]
        for c in r.chains
    ]
    header = [
        t.gettext("start"),
        t.gettext("start label"),
        t.gettext("end"),
        t.gettext("end label"),
        t.gettext("hops"),
        t.gettext("strategies"),
        t.gettext("weakest strength"),
        t.gettext("chain"),
        t.gettext("evidence"),
    ]
    return _csv(header, rows)


def coherence_csv(r: CoherenceReport, table: str = "matrix") -> str:
    """One table of the report: matrix, coverage, measures or chains."""
    tables: dict[str, Callable[[CoherenceReport, Translator], str]] = {
        "matrix": _matrix_csv,
        "coverage": _coverage_csv,
        "measures": _measures_csv,
        "chains": _chains_csv,
    }
    if table not in tables:
        raise ValueError(f"no table {table!r}; choose one of {', '.join(COHERENCE_TABLES)}")
    return tables[table](r, translator(r.lang))


def comparison_csv(r: ComparisonReport) -> str:
    t = translator(r.lang)
    header = [
        t.gettext("concept"),
        t.gettext("label"),
        t.gettext("scheme"),
        t.gettext("side"),
        t.gettext("elements A"),
        t.gettext("elements B"),
        t.gettext("share A"),
        t.gettext("share B"),
        t.gettext("overlap"),
        t.gettext("carried in A by"),
        t.gettext("carried in B by"),
    ]
    rows = [
        [
            th.concept,
            th.label,
            scheme(th.scheme, r.lang),
            word(SIDES, th.side, r.lang),
            th.count_a,
            th.count_b,
            th.share_a,
            th.share_b,
            th.overlap,
            "; ".join(name(e) for e in th.elements_a),
            "; ".join(name(e) for e in th.elements_b),
        ]
        for th in r.themes
    ]
    return _csv(header, rows)


# ---------------------------------------------------------------- markdown


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(_md_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_cell("" if v is None else str(v)) for v in row) + " |" for row in rows]
    return [*lines, ""]


def _md_list(items: Sequence[str], t: Translator) -> list[str]:
    return [*(f"- {item}" for item in items), "" if items else t.gettext("None."), ""]


def figure_share(f: Figure) -> str:
    return share_text(f.count, f.total) if f.total is not None else ""


def _figure_row(f: Figure) -> list[object]:
    return [f.name, f.count, f.total if f.total is not None else "", figure_share(f), ", ".join(f.elements)]


def _md_head(r: CoherenceReport, t: Translator) -> list[str]:
    title = t.gettext("Coherence: %(local)s → %(higher)s", local=r.local.label, higher=r.higher.label)
    lines = [f"# {title}", "", *r.summary.text, ""]
    lines += [f"> {note}" for note in r.notes] + ([""] if r.notes else [])
    header = [t.gettext("figure"), t.gettext("count"), t.gettext("of"), t.gettext("share"), t.gettext("elements")]
    return [*lines, f"## {t.gettext('Figures')}", "", *_md_table(header, [_figure_row(f) for f in r.summary.figures])]


def _md_matrix(r: CoherenceReport, t: Translator) -> list[str]:
    cells = {(c.measure, c.priority): cell_text(c, r.lang) for c in r.matrix.cells}
    lines = [f"## {t.gettext('Alignment matrix')}", "", t.gettext("Columns: %(rule)s.", rule=r.matrix.columns_rule), ""]
    lines += _md_table(
        [t.gettext("measure"), *(c.notation or c.label for c in r.matrix.columns)],
        [[name(m), *(cells.get((m.iri, c.iri), "") for c in r.matrix.columns)] for m in r.matrix.rows],
    )
    legend = "; ".join(f"{c.notation} = {c.label}" for c in r.matrix.columns)
    return [*lines, t.gettext("Columns: %(rule)s.", rule=legend), ""]


def _md_coverage(r: CoherenceReport, t: Translator) -> list[str]:
    lines = [f"## {t.gettext('Coverage of the priorities')}", ""]
    lines += _md_table(
        [t.gettext("priority"), t.gettext("status"), t.gettext("supported by")],
        [[name(c.priority), word(COVERAGE, c.status, r.lang), ", ".join(name(s) for s in c.supporters)] for c in r.coverage],
    )
    lines += [f"## {t.gettext('Coverage by top-level priority')}", ""]
    lines += _md_table(
        [t.gettext("priority"), t.gettext("priorities"), t.gettext("uncovered"), t.gettext("uncovered priorities")],
        [[name(b.root), b.priorities, len(b.uncovered), ", ".join(name(u) for u in b.uncovered)] for b in r.branches],
    )
    return lines


def gap_text(r: CoherenceReport, index: int) -> str:
    g, t = r.gaps[index], translator(r.lang)
    uncovered = ", ".join(name(u) for u in g.uncovered)
    text = t.ngettext(
        "%(root)s: %(count)s uncovered (%(uncovered)s)",
        "%(root)s: %(count)s uncovered (%(uncovered)s)",
        g.size,
        root=name(g.root),
        uncovered=uncovered,
    )
    if g.reached_by_chains:
        text += t.ngettext(
            "; reached by %(count)s chain through other strategies",
            "; reached by %(count)s chains through other strategies",
            g.reached_by_chains,
        )
    return text


def _md_links(r: CoherenceReport, t: Translator) -> list[str]:
    lines = [f"## {t.gettext('Biggest gaps')}", "", *_md_list([gap_text(r, i) for i in range(len(r.gaps))], t)]
    lines += [f"## {t.gettext('Measures that support nothing in the higher strategy')}", ""]
    lines += _md_list([name(m) for m in r.unsupported_measures], t)
    lines += [f"## {t.gettext('Conflicts')}", "", *_md_list([f"{hop_text(a, r.lang)}: {a.evidence}" for a in r.conflicts], t)]
    lines += [
        f"## {t.gettext('Strongest links')}",
        "",
        *_md_list([f"{hop_text(a, r.lang)}: {a.evidence}" for a in r.strongest], t),
    ]
    lines += [f"## {t.gettext('Support chains through intermediate strategies')}", ""]
    lines += _md_list([chain_text(c, r.lang) for c in r.chains], t)
    if r.ignored_suggested:
        lines += [f"## {t.gettext('Suggested alignments (not counted)')}", ""]
        lines += _md_list([hop_text(a, r.lang) for a in r.ignored_suggested], t)
    return lines


def coherence_markdown(r: CoherenceReport) -> str:
    t = translator(r.lang)
    return "\n".join([*_md_head(r, t), *_md_matrix(r, t), *_md_coverage(r, t), *_md_links(r, t)])


def comparison_sentence(r: ComparisonReport) -> str:
    return translator(r.lang).gettext(
        "%(shared)s concepts shared, %(only_a)s only in A (%(elements_a)s elements), %(only_b)s only in B "
        "(%(elements_b)s elements); overall overlap %(overlap).2f (weighted Jaccard of the shares).",
        shared=r.shared,
        only_a=r.only_a,
        only_b=r.only_b,
        elements_a=r.elements_a,
        elements_b=r.elements_b,
        overlap=r.overlap,
    )


def comparison_markdown(r: ComparisonReport) -> str:
    t = translator(r.lang)
    title = t.gettext("Themes and target groups: %(a)s / %(b)s", a=r.a.label, b=r.b.label)
    lines = [f"# {title}", "", comparison_sentence(r), ""]
    lines += _md_table(
        [t.gettext(h) for h in THEMES_HEADER],
        [
            [
                th.label,
                scheme(th.scheme, r.lang),
                word(SIDES, th.side, r.lang),
                th.count_a,
                th.count_b,
                f"{th.overlap:.2f}",
                ", ".join(name(e) for e in th.elements_a),
                ", ".join(name(e) for e in th.elements_b),
            ]
            for th in r.themes
        ],
    )
    if r.links:
        lines += [f"## {t.gettext('Alignments between them')}", ""]
        lines += [*(f"- {hop_text(a, r.lang)}: {a.evidence}" for a in r.links), ""]
    return "\n".join(lines)
