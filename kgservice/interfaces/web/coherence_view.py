"""What the coherence dashboard shows of one analysis (kgservice.analysis.coherence): the matrix as heat-map cells,
coverage bars per higher-level priority, the gaps, and a two-column layout of the alignment network (drawn
as inline SVG, no script)."""

from __future__ import annotations

from dataclasses import dataclass

from kgservice.analysis.coherence.analysis import Cell, Coherence, in_order
from kgservice.analysis.coherence.graph import StrategyGraph
from kgservice.analysis.coherence.words import ROUTES, relation, word
from kgservice.analysis.model import Alignment
from kgservice.interfaces.web.coherence_filters import Filters, keeps_row, narrow_cell

ROW_HEIGHT = 22
NODE_WIDTH = 390  # room for a notation and a short label left of the left column, and right of the right one
WIDTH = 1160
LABEL_CHARS = 48


@dataclass(frozen=True)
class ElementLink:
    """An element as the dashboard names it and links to it."""

    iri: str
    notation: str
    label: str

    @property
    def short(self) -> str:
        return self.label if len(self.label) <= LABEL_CHARS else self.label[: LABEL_CHARS - 1] + "…"


@dataclass(frozen=True)
class HeatCell:
    """One cell of the matrix: its shade class, the figure shown, a tooltip and the alignment it links to."""

    css: str
    text: str
    title: str
    alignment: str | None


@dataclass(frozen=True)
class Bar:
    """Coverage of the priorities below one higher-level priority."""

    element: ElementLink
    depth: int
    covered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.covered / self.total) if self.total else 0


@dataclass(frozen=True)
class Node:
    element: ElementLink
    x: float
    y: float


@dataclass(frozen=True)
class Edge:
    x1: float
    y1: float
    x2: float
    y2: float
    css: str
    title: str


@dataclass(frozen=True)
class Network:
    """A two-column drawing: local elements left, higher-level elements right, one line per alignment."""

    width: int
    height: int
    left: list[Node]
    right: list[Node]
    edges: list[Edge]


def element(graph: StrategyGraph, iri: str, lang: str) -> ElementLink:
    node = graph.nodes.get(iri)
    return ElementLink(iri, node.notation if node else "", graph.label(iri, lang))


def strength_class(value: int | None, supports: bool) -> str:
    """The shade of a strength: c3..c0 for support (ungraded support as c1), cn1..cn3 for conflict."""
    if value is None:
        return "c1" if supports else "c0"
    return f"c{value}" if value >= 0 else f"cn{-value}"


def _cell_title(cell: Cell, graph: StrategyGraph, lang: str) -> str:
    lines = []
    for link in cell.links:
        a = link.alignment
        strength = "" if a.strength is None else f" {a.strength:+d}"
        routes = (link.local_route, link.higher_route)
        route = "" if routes == ("direct", "direct") else f" ({word(ROUTES, routes[0], lang)}; {word(ROUTES, routes[1], lang)})"
        what = relation(a.relation, lang)
        lines.append(f"{graph.label(a.subject, lang)} → {graph.label(a.object, lang)}: {what}{strength}{route}")
    return "\n".join(lines)


def heat_cell(cell: Cell | None, graph: StrategyGraph, lang: str) -> HeatCell:
    """The shade and figure of a cell: the strongest support, or the worst conflict, or nothing."""
    if cell is None:
        return HeatCell("", "", "", None)
    best = cell.conflict or cell.support or max(cell.links, key=lambda link: link.rank())
    value = cell.conflict_strength if cell.conflict else cell.support_strength if cell.support else best.alignment.strength
    text = "✓" if value is None else f"{value:+d}" if value else "0"
    css = strength_class(value, best.supports)
    if (best.local_route, best.higher_route) != ("direct", "direct"):
        css += " inherited"
    return HeatCell(css, text, _cell_title(cell, graph, lang), best.alignment.iri)


def matrix(
    result: Coherence, graph: StrategyGraph, lang: str, filters: Filters | None = None
) -> list[tuple[ElementLink, bool, list[HeatCell]]]:
    """One row per local measure the filters keep: the measure, whether it supports nothing, and one cell per column
    (with only the links the filters keep)."""
    unsupported, keep = set(result.unsupported), filters or Filters()
    return [
        (
            element(graph, m, lang),
            m in unsupported,
            [heat_cell(narrow_cell(result.cells.get((m, p)), keep), graph, lang) for p in result.columns],
        )
        for m in result.measures
        if keeps_row(graph, m, keep)
    ]


def _depth(graph: StrategyGraph, iri: str) -> int:
    return sum(1 for _ in graph.ancestors(iri))


def coverage_bars(result: Coherence, graph: StrategyGraph, lang: str) -> list[Bar]:
    """For every higher-level priority that has priorities below it: how many of those are covered."""
    checked = set(result.priorities)
    bars = []
    for priority in result.priorities:
        below = [d for d in graph.descendants(priority) if d in checked]
        if below:
            covered = sum(1 for d in below if result.coverage[d].covered)
            bars.append(Bar(element(graph, priority, lang), _depth(graph, priority), covered, len(below)))
    return bars


def counted_alignments(result: Coherence, graph: StrategyGraph) -> list[Alignment]:
    """The alignments from the local to the higher strategy that count (asserted or curated)."""
    return [a for a in graph.between.get((result.local, result.higher), ()) if a.counts]


def _ordered(graph: StrategyGraph, iris: set[str]) -> list[str]:
    return list(in_order(graph, iris))


def network(result: Coherence, graph: StrategyGraph, lang: str) -> Network:
    """Left column in notation order; right column ordered by the mean row of its partners (fewer crossings)."""
    alignments = counted_alignments(result, graph)
    left = _ordered(graph, {a.subject for a in alignments})
    row = {iri: i for i, iri in enumerate(left)}
    partners: dict[str, list[int]] = {}
    for a in alignments:
        partners.setdefault(a.object, []).append(row[a.subject])
    notation_order = {iri: i for i, iri in enumerate(_ordered(graph, set(partners)))}
    right = sorted(partners, key=lambda iri: (sum(partners[iri]) / len(partners[iri]), notation_order[iri]))
    rows = max(len(left), len(right), 1)
    height = 40 + rows * ROW_HEIGHT

    def column(iris: list[str], x: float) -> list[Node]:
        step = (height - 40) / max(len(iris), 1)
        return [Node(element(graph, iri, lang), x, 30 + step * (i + 0.5)) for i, iri in enumerate(iris)]

    left_nodes, right_nodes = column(left, NODE_WIDTH), column(right, WIDTH - NODE_WIDTH)
    at = {n.element.iri: n for n in (*left_nodes, *right_nodes)}
    edges = [
        Edge(
            at[a.subject].x + 6,
            at[a.subject].y,
            at[a.object].x - 6,
            at[a.object].y,
            strength_class(a.strength, a.supports),
            f"{graph.label(a.subject, lang)} → {graph.label(a.object, lang)}: {relation(a.relation, lang)}"
            + ("" if a.strength is None else f" {a.strength:+d}"),
        )
        for a in alignments
    ]
    return Network(WIDTH, height, left_nodes, right_nodes, edges)
