"""The coherence dashboard's filters, read from the query string so they work without JavaScript: the rows of
the matrix narrowed to the measures under one goal of the local strategy or carrying one theme or target
group (themselves or an element below them, a narrower concept counting), and its cells to the links of one
status or of a least strength. Coverage, gaps and the figures stay those of the whole pair."""

from __future__ import annotations

from dataclasses import dataclass

from kgservice.analysis.coherence.analysis import Cell, Coherence, in_order
from kgservice.analysis.coherence.graph import StrategyGraph
from kgservice.analysis.model import COUNTED, LEVELS_SCHEME
from kgservice.errors import ParameterError
from kgservice.rdf.namespaces import KGO, expand
from kgservice.translation import N_

STRENGTHS = range(-3, 4)


@dataclass(frozen=True)
class Filters:
    """What the dashboard is narrowed to; None is no narrowing."""

    goal: str | None = None
    concept: str | None = None
    status: str | None = None
    strength: int | None = None

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.goal, self.concept, self.status, self.strength))

    def params(self) -> dict[str, str | None]:
        """The filters as query parameters (for links that keep them, such as the exports)."""
        return {
            "goal": self.goal,
            "theme": self.concept,
            "status": self.status,
            "strength": None if self.strength is None else str(self.strength),
        }


def _blank(value: str | None) -> str | None:
    return value.strip() or None if value else None


def read_filters(goal: str | None, theme: str | None, status: str | None, strength: str | None) -> Filters:
    """The filters of a request; a status or strength that does not exist is a ParameterError naming it."""
    status = _blank(status)
    if status is not None:
        status = status.removeprefix(KGO).removeprefix("kgo:")
        if status not in COUNTED:
            choices = ", ".join(sorted(COUNTED))
            message = N_("query parameter status: %(value)s is not one of %(choices)s")
            raise ParameterError(message, value=repr(status), choices=choices)
    level: int | None = None
    if _blank(strength) is not None:
        try:
            level = int(str(strength))
        except ValueError:
            level = None
        if level not in STRENGTHS:
            message = N_("query parameter strength: %(value)s is not a whole number from -3 to 3")
            raise ParameterError(message, value=repr(strength))
    goal, theme = _blank(goal), _blank(theme)
    return Filters(expand(goal) if goal else None, expand(theme) if theme else None, status, level)


def goal_choices(graph: StrategyGraph, result: Coherence) -> list[str]:
    """The elements of the local strategy above its measures (areas, strategic and specific goals), in notation order."""
    above = {a for m in result.measures for a in graph.ancestors(m)}
    return list(in_order(graph, above))


def _concepts_of(graph: StrategyGraph, iri: str) -> set[str]:
    node = graph.corpus.elements.get(iri)
    tags = (node.themes | node.target_groups) if node else frozenset()
    return {c for tag in tags for c in graph.concept_ancestors(tag)}


def measure_concepts(graph: StrategyGraph, measure: str) -> set[str]:
    """The concepts a measure carries, itself or an element below it, with every broader concept."""
    found = _concepts_of(graph, measure)
    for below in graph.descendants(measure):
        found |= _concepts_of(graph, below)
    return {c for c in found if (known := graph.concepts.get(c)) is not None and known.scheme != LEVELS_SCHEME}


def concept_choices(graph: StrategyGraph, result: Coherence) -> list[str]:
    """The concepts any local measure carries, by English label."""
    found = {c for m in result.measures for c in measure_concepts(graph, m)}
    return sorted(found, key=lambda c: graph.label(c, "en").casefold())


def keeps_row(graph: StrategyGraph, measure: str, filters: Filters) -> bool:
    if filters.goal is not None and filters.goal != measure and filters.goal not in set(graph.ancestors(measure)):
        return False
    return filters.concept is None or filters.concept in measure_concepts(graph, measure)


def narrow_cell(cell: Cell | None, filters: Filters) -> Cell | None:
    """The cell with only the links of the asked status and at least the asked strength (graded); None if none is left."""
    if cell is None:
        return None
    links = tuple(
        link
        for link in cell.links
        if (filters.status is None or link.alignment.status == filters.status)
        and (filters.strength is None or (link.alignment.strength is not None and link.alignment.strength >= filters.strength))
    )
    return Cell(cell.measure, cell.priority, links) if links else None
