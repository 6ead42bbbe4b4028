"""Shared and distinct themes and target groups of two strategies of any level and language.

An element carries a concept when it is tagged with it or with a narrower one (skos:broader*), as in the
named query shared-themes. The share of a concept in a strategy is the number of its elements carrying
it over the number of its elements; the overlap of a concept is min(share A, share B) / max(share A,
share B) (1 when both give it the same weight, 0 when one side lacks it), so a short document and a long
one compare by emphasis rather than by size. The overall overlap is the weighted Jaccard index of the
shares: the sum of the minima over the sum of the maxima.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kgservice.analysis.coherence.analysis import in_order
from kgservice.analysis.coherence.graph import StrategyGraph
from kgservice.analysis.model import LEVELS_SCHEME, Alignment


@dataclass(frozen=True)
class ThemeOverlap:
    """One concept, the elements of each side that carry it, and the shares."""

    concept: str
    scheme: str
    elements_a: tuple[str, ...]
    elements_b: tuple[str, ...]
    share_a: float
    share_b: float

    @property
    def side(self) -> str:
        return "both" if self.elements_a and self.elements_b else "only A" if self.elements_a else "only B"

    @property
    def overlap(self) -> float:
        high = max(self.share_a, self.share_b)
        return min(self.share_a, self.share_b) / high if high else 0.0


@dataclass(frozen=True)
class Comparison:
    a: str
    b: str
    size_a: int
    size_b: int
    themes: tuple[ThemeOverlap, ...]
    links: tuple[Alignment, ...]

    @property
    def overlap(self) -> float:
        high = sum(max(t.share_a, t.share_b) for t in self.themes)
        return sum(min(t.share_a, t.share_b) for t in self.themes) / high if high else 0.0


def carriers(graph: StrategyGraph, strategy: str) -> dict[str, set[str]]:
    """Each concept of a shared scheme -> the elements of `strategy` tagged with it or a narrower concept."""
    found: dict[str, set[str]] = defaultdict(set)
    for iri in graph.elements.get(strategy, ()):
        node = graph.corpus.elements[iri]
        for tag in node.themes | node.target_groups:
            for concept in graph.concept_ancestors(tag):
                known = graph.concepts.get(concept)
                if known is not None and known.scheme != LEVELS_SCHEME:
                    found[concept].add(iri)
    return found


def compare(graph: StrategyGraph, a: str, b: str) -> Comparison:
    """The themes and target groups of `a` and `b`, both sides first, then by overlap and weight."""
    side_a, side_b = carriers(graph, a), carriers(graph, b)
    size_a, size_b = len(graph.elements.get(a, ())), len(graph.elements.get(b, ()))
    themes = [
        ThemeOverlap(
            c,
            graph.concepts[c].scheme,
            in_order(graph, side_a.get(c, ())),
            in_order(graph, side_b.get(c, ())),
            len(side_a.get(c, ())) / size_a if size_a else 0.0,
            len(side_b.get(c, ())) / size_b if size_b else 0.0,
        )
        for c in set(side_a) | set(side_b)
    ]
    themes.sort(
        key=lambda t: (t.side != "both", -t.overlap, -(len(t.elements_a) + len(t.elements_b)), graph.label(t.concept, "en"))
    )
    between = {(a, b), (b, a)}
    links = tuple(al for key in between for al in graph.between.get(key, ()))
    return Comparison(a, b, size_a, size_b, tuple(themes), links)
