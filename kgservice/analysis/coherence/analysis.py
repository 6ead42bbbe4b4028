"""Coherence of a local strategy with a higher-level one, read from the typed graph.

Rows of the matrix are the local strategy's measures; a measure is linked to a priority through itself,
through its parent goals ("through parent") or through an activity or project below it ("through activity",
"through project").
A priority receives the links of its sub-priorities ("through sub-priority"). Cells hold support
(contributesTo, implements), stated consistency and conflicts; coverage and gaps count support only;
only alignments asserted in a document or curated count, suggested ones are reported as ignored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from kgservice.analysis.coherence.chains import MAX_HOPS, Chain, support_chains
from kgservice.analysis.coherence.graph import StrategyGraph
from kgservice.analysis.model import DOCUMENT, SUPPORT, Alignment
from kgservice.translation import N_

MATRIX_RELATIONS = SUPPORT | {"consistentWith", "conflictsWith"}
CONFLICT = "conflictsWith"
UNGRADED_RANK = 1  # ungraded support ranks as +1 ("enabling", the least a stated contribution means)
_RELATION_RANK = {"implements": 2, "contributesTo": 1}
Columns = Literal["targeted", "all"]


@dataclass(frozen=True)
class Link:
    """An alignment as it reaches one cell: how the measure and the priority take part in it."""

    alignment: Alignment
    local_route: str
    higher_route: str

    @property
    def supports(self) -> bool:
        return self.alignment.relation in SUPPORT

    @property
    def conflicts(self) -> bool:
        return self.alignment.relation == CONFLICT

    def rank(self) -> tuple[int, int, int, int]:
        """Strength first (ungraded support as +1), then implements over contributesTo, then direct routes."""
        a = self.alignment
        strength = a.strength if a.strength is not None else (UNGRADED_RANK if self.supports else 0)
        return strength, _RELATION_RANK.get(a.relation, 0), self.local_route == "direct", self.higher_route == "direct"


@dataclass(frozen=True)
class Cell:
    """All links between one local measure and one higher priority."""

    measure: str
    priority: str
    links: tuple[Link, ...]

    @property
    def relations(self) -> frozenset[str]:
        return frozenset(link.alignment.relation for link in self.links)

    @property
    def support(self) -> Link | None:
        """The strongest supporting link."""
        return max((link for link in self.links if link.supports), key=Link.rank, default=None)

    @property
    def conflict(self) -> Link | None:
        """The most negative conflicting link."""
        return min((link for link in self.links if link.conflicts), key=Link.rank, default=None)

    @property
    def support_strength(self) -> int | None:
        graded = [link.alignment.strength for link in self.links if link.supports and link.alignment.strength is not None]
        return max(graded) if graded else None

    @property
    def conflict_strength(self) -> int | None:
        graded = [link.alignment.strength for link in self.links if link.conflicts and link.alignment.strength is not None]
        return min(graded) if graded else None

    @property
    def alignments(self) -> frozenset[str]:
        return frozenset(link.alignment.iri for link in self.links)


@dataclass(frozen=True)
class Coverage:
    """How a priority of the higher strategy is supported by the local strategy."""

    priority: str
    direct: tuple[Alignment, ...]
    through_children: tuple[Alignment, ...]

    @property
    def status(self) -> str:
        return "direct" if self.direct else "through children" if self.through_children else "gap"

    @property
    def covered(self) -> bool:
        return bool(self.direct or self.through_children)

    @property
    def supporters(self) -> tuple[str, ...]:
        """The local elements whose alignments support the priority or one of its sub-priorities."""
        return tuple(dict.fromkeys(a.subject for a in (*self.direct, *self.through_children)))


@dataclass(frozen=True)
class Gap:
    """A largest uncovered part of the higher strategy: a priority and everything below it, none supported."""

    root: str
    uncovered: tuple[str, ...]
    reached_by: tuple[Chain, ...] = ()


@dataclass(frozen=True)
class Branch:
    """A top-level priority of the higher strategy (an area or strategic goal), the priorities in it and those not covered."""

    root: str
    priorities: tuple[str, ...]
    uncovered: tuple[str, ...]


@dataclass(frozen=True)
class Coherence:
    """The whole answer for one (local, higher) pair; every figure keeps the elements behind it."""

    local: str
    higher: str
    measures: tuple[str, ...]
    priorities: tuple[str, ...]
    columns: tuple[str, ...]
    cells: dict[tuple[str, str], Cell]
    coverage: dict[str, Coverage]
    unsupported: tuple[str, ...]
    gaps: tuple[Gap, ...]
    conflicts: tuple[Alignment, ...]
    strongest: tuple[Alignment, ...]
    chains: tuple[Chain, ...]
    ignored: tuple[Alignment, ...]
    notes: tuple[str, ...] = field(default=())  # English texts of the catalogues; the report translates them
    branches: tuple[Branch, ...] = field(default=())

    @property
    def aligned(self) -> tuple[str, ...]:
        """Measures that support at least one priority."""
        supporting = {m for (m, _), cell in self.cells.items() if cell.support is not None}
        return tuple(m for m in self.measures if m in supporting)

    @property
    def covered(self) -> tuple[str, ...]:
        return tuple(p for p in self.priorities if self.coverage[p].covered)

    @property
    def uncovered(self) -> tuple[str, ...]:
        return tuple(p for p in self.priorities if not self.coverage[p].covered)


def in_order(graph: StrategyGraph, iris: Iterable[str]) -> tuple[str, ...]:
    """Elements in the order of their notations (then IRIs)."""
    return tuple(sorted(iris, key=graph.order.__getitem__))


def _local_routes(graph: StrategyGraph, subject: str) -> Iterator[tuple[str, str]]:
    """The measures an alignment's subject speaks for, with the route: itself, below it, or above it."""
    kind = graph.nodes[subject].kind
    if kind == "Measure":
        yield subject, "direct"
    for above in graph.ancestors(subject):
        if graph.nodes[above].kind == "Measure":
            yield above, f"through {kind.lower()}"
    for below in graph.descendants(subject):
        if graph.nodes[below].kind == "Measure":
            yield below, "through parent"


def _higher_routes(graph: StrategyGraph, target: str) -> Iterator[tuple[str, str]]:
    yield target, "direct"
    for above in graph.ancestors(target):
        yield above, "through sub-priority"


def cells(graph: StrategyGraph, local: str, higher: str) -> dict[tuple[str, str], Cell]:
    """The non-empty cells of the matrix, for every priority (ancestors of targets included)."""
    grouped: dict[tuple[str, str], list[Link]] = defaultdict(list)
    for alignment in graph.between.get((local, higher), ()):
        if not alignment.counts or alignment.relation not in MATRIX_RELATIONS:
            continue
        targets = list(_higher_routes(graph, alignment.object))
        for measure, local_route in _local_routes(graph, alignment.subject):
            for priority, route in targets:
                grouped[(measure, priority)].append(Link(alignment, local_route, route))
    return {key: Cell(key[0], key[1], tuple(found)) for key, found in grouped.items()}


def coverage(graph: StrategyGraph, local: str, higher: str, priorities: Iterable[str]) -> dict[str, Coverage]:
    """Coverage of each priority by the local strategy's support, directly and through sub-priorities."""
    direct: dict[str, list[Alignment]] = defaultdict(list)
    inherited: dict[str, list[Alignment]] = defaultdict(list)
    for alignment in graph.between.get((local, higher), ()):
        if alignment.supports:
            direct[alignment.object].append(alignment)
            for above in graph.ancestors(alignment.object):
                inherited[above].append(alignment)
    return {p: Coverage(p, tuple(direct.get(p, ())), tuple(inherited.get(p, ()))) for p in priorities}


def priorities_of(graph: StrategyGraph, strategy: str) -> tuple[str, ...]:
    """The elements of a strategy whose coverage is checked: areas, goals, measures and activities."""
    return tuple(graph.priorities.get(strategy, ()))


def measures_of(graph: StrategyGraph, strategy: str) -> tuple[str, ...]:
    return tuple(graph.measures.get(strategy, ()))


def biggest_gaps(graph: StrategyGraph, covered: dict[str, Coverage], chains: Iterable[Chain]) -> tuple[Gap, ...]:
    """Uncovered priorities whose parent is covered (or is the document), each with its uncovered subtree,
    largest first, and the chains that reach into it."""
    reaching: dict[str, list[Chain]] = defaultdict(list)
    for chain in chains:
        for element in (chain.end, *graph.ancestors(chain.end)):
            reaching[element].append(chain)
    gaps = []
    for priority, entry in covered.items():
        parent = graph.parent.get(priority)
        if entry.covered or (parent in covered and not covered[parent].covered):
            continue
        subtree = (priority, *(d for d in graph.descendants(priority) if d in covered))
        gaps.append(Gap(priority, in_order(graph, subtree), tuple(reaching.get(priority, ()))))
    return tuple(sorted(gaps, key=lambda g: (-len(g.uncovered), graph.order[g.root])))


def branches(graph: StrategyGraph, higher: str, covered: dict[str, Coverage]) -> tuple[Branch, ...]:
    """Each top-level priority with the priorities below it, the least covered first."""
    found = []
    for top in graph.children.get(higher, ()):
        if top in covered:
            inside = in_order(graph, (top, *(d for d in graph.descendants(top) if d in covered)))
            found.append(Branch(top, inside, tuple(p for p in inside if not covered[p].covered)))
    return tuple(sorted(found, key=lambda b: (-len(b.uncovered), graph.order[b.root])))


def alignment_rank(alignment: Alignment) -> tuple[int, int]:
    """Strength (ungraded support as +1), then implements over contributesTo."""
    graded = alignment.strength if alignment.strength is not None else UNGRADED_RANK
    return graded, _RELATION_RANK.get(alignment.relation, 0)


def _strongest(counted: Iterable[Alignment], limit: int) -> tuple[Alignment, ...]:
    ranked = sorted((a for a in counted if a.relation in SUPPORT), key=lambda a: (alignment_rank(a), a.iri), reverse=True)
    return tuple(ranked[:limit])


def _notes(graph: StrategyGraph, local: str, higher: str) -> tuple[str, ...]:
    low, high = graph.corpus.strategies[local].level, graph.corpus.strategies[higher].level
    if low is not None and high is not None and high <= low:
        return (
            N_(
                "the second strategy is not of a higher planning level than the first; support between them is "
                "still reported, but the named query unsupported-local-measures only counts support of higher levels"
            ),
        )
    return ()


def analyse(
    graph: StrategyGraph, local: str, higher: str, *, columns: Columns = "targeted", max_hops: int = MAX_HOPS, top: int = 5
) -> Coherence:
    """Matrix, coverage, gaps, unsupported measures, conflicts, strongest links and chains for one pair."""
    if graph.nodes[local].kind != DOCUMENT or graph.nodes[higher].kind != DOCUMENT:
        raise ValueError("local and higher must be strategy documents")
    measures, priorities = measures_of(graph, local), priorities_of(graph, higher)
    matrix = cells(graph, local, higher)
    covered = coverage(graph, local, higher, priorities)
    counted = [a for a in graph.between.get((local, higher), ()) if a.counts]
    targeted = {a.object for a in counted if a.relation in MATRIX_RELATIONS}
    shown = targeted if columns == "targeted" else set(graph.elements.get(higher, ()))
    supporting = {m for (m, _), cell in matrix.items() if cell.support is not None}
    chains = tuple(support_chains(graph, local, higher, max_hops=max_hops))
    return Coherence(
        local,
        higher,
        measures,
        priorities,
        in_order(graph, shown),
        matrix,
        covered,
        tuple(m for m in measures if m not in supporting),
        biggest_gaps(graph, covered, chains),
        tuple(sorted((a for a in counted if a.relation == CONFLICT), key=lambda a: (a.strength or 0, a.iri))),
        _strongest(counted, top),
        chains,
        tuple(a for a in graph.between.get((local, higher), ()) if not a.counts),
        _notes(graph, local, higher),
        branches(graph, higher, covered),
    )
