"""Transitive support chains: a local element supports an element of another strategy, which (itself or an
element above it) supports one of a third strategy, and so on up to the strategy asked about.

A chain is a list of hops, each one stated alignment with its own status, strength and evidence; it is
never collapsed into an equivalence (a city measure does not become a national priority). Only support
(contributesTo, implements) asserted in a document or curated is followed, each strategy is visited at
most once, and a hop may start from the previous hop's target or from an element above it (support of a
sub-priority is support of its priority), never from an element below it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kgservice.analysis.coherence.graph import StrategyGraph
from kgservice.analysis.model import Alignment

MAX_HOPS = 3  # municipal -> regional -> national -> EU programme


@dataclass(frozen=True)
class Hop:
    """One alignment of a chain; `climb` lists the elements walked up from the previous target to its subject."""

    alignment: Alignment
    climb: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chain:
    """A sequence of support hops from an element of the local strategy to one of another strategy."""

    hops: tuple[Hop, ...]

    @property
    def start(self) -> str:
        return self.hops[0].alignment.subject

    @property
    def end(self) -> str:
        return self.hops[-1].alignment.object

    @property
    def weakest(self) -> int | None:
        """The lowest graded strength of its hops (a chain is as strong as its weakest link), None if none is graded."""
        graded = [h.alignment.strength for h in self.hops if h.alignment.strength is not None]
        return min(graded) if graded else None

    def strategies(self, graph: StrategyGraph) -> tuple[str, ...]:
        """The strategies the chain passes through, the local one first."""
        return (graph.strategy_of(self.start), *(graph.strategy_of(h.alignment.object) for h in self.hops))


def _next_hops(graph: StrategyGraph, target: str) -> Iterator[Hop]:
    """Support alignments that start at `target` or at an element above it."""
    climb: tuple[str, ...] = ()
    for subject in (target, *graph.ancestors(target)):
        climb = (*climb, subject) if subject != target else climb
        for alignment in graph.outgoing.get(subject, ()):
            if alignment.supports:
                yield Hop(alignment, climb)


def _extend(
    graph: StrategyGraph, chain: tuple[Hop, ...], visited: frozenset[str], higher: str | None, max_hops: int
) -> Iterator[tuple[Hop, ...]]:
    last = chain[-1].alignment.object
    strategy = graph.strategy_of(last)
    if higher is None or strategy == higher:
        yield chain
    if len(chain) >= max_hops or strategy == higher:
        return
    for hop in _next_hops(graph, last):
        following = graph.strategy_of(hop.alignment.object)
        if following not in visited:
            yield from _extend(graph, (*chain, hop), visited | {following}, higher, max_hops)


def support_chains(
    graph: StrategyGraph, local: str, higher: str | None = None, *, min_hops: int = 2, max_hops: int = MAX_HOPS
) -> list[Chain]:
    """Every chain from an element of `local` (to an element of `higher`, when given) of min_hops..max_hops hops."""
    found: list[Chain] = []
    for element in graph.elements.get(local, ()):
        for alignment in graph.outgoing.get(element, ()):
            target = graph.strategy_of(alignment.object)
            if not alignment.supports or target == local:
                continue
            for hops in _extend(graph, (Hop(alignment),), frozenset({local, target}), higher, max_hops):
                if len(hops) >= min_hops:
                    found.append(Chain(hops))
    return found
