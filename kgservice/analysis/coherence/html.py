"""Self-contained HTML pages of the reports, rendered from the Jinja2 templates in templates/ (autoescaped).

They sit here, beside the reports, and not in kgservice.interfaces.web: the command line writes them too,
and the command line may not import the web pages. This module only prepares what a template cannot
easily compute (the sparse matrix as a grid, the colour class of a cell)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from kgservice.analysis.coherence.render import cell_text, chain_text, comparison_sentence, figure_share, gap_text, hop_text, name
from kgservice.analysis.coherence.report import CellOut, CoherenceReport, ComparisonReport, Element
from kgservice.analysis.coherence.words import COVERAGE, SIDES, scheme, word
from kgservice.translation import install

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _environment() -> Environment:
    # StrictUndefined: the templates read typed reports, so an unknown name is a typo to fail on, not a blank.
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(name=name, hop=hop_text, chain=chain_text, heat=heat_class, cell=cell_text)
    env.filters["coverage"] = lambda code, lang: word(COVERAGE, code, lang)
    env.filters["side"] = lambda code, lang: word(SIDES, code, lang)
    env.filters["scheme"] = scheme
    env.globals.update(figure_share=figure_share, gap_text=gap_text, comparison_sentence=comparison_sentence)
    install(env)  # _() and {% trans %} in the `lang` of each render: the report's language
    return env


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


def _grid(r: CoherenceReport) -> list[tuple[Element, list[CellOut | None]]]:
    """Each measure with its cell under every column, None where the sparse matrix has none."""
    cells = {(c.measure, c.priority): c for c in r.matrix.cells}
    return [(m, [cells.get((m.iri, col.iri)) for col in r.matrix.columns]) for m in r.matrix.rows]


_env = _environment()


def coherence_html(r: CoherenceReport) -> str:
    return _env.get_template("coherence.html").render(report=r, grid=_grid(r), lang=r.lang)


def comparison_html(r: ComparisonReport) -> str:
    return _env.get_template("comparison.html").render(report=r, lang=r.lang)
