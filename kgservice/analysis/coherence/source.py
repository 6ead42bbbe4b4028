"""Where the coherence graph comes from: the named queries coherence-graph (a strategy's elements as
triples) and coherence-alignments (the alignments that start in a strategy), run on any QueryEngine:
the embedded store (CLI, benchmarks), the service's query workers or a remote store (HTTP, pages).

A pair needs both strategies whole and, for support chains, every strategy reachable from the local one
through alignments, up to MAX_HOPS: `Scope` plans those queries round by round from what came back.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence

import pyoxigraph as ox

from kgservice.analysis.coherence.chains import MAX_HOPS
from kgservice.analysis.coherence.graph import StrategyGraph, build_graph
from kgservice.analysis.model import Triple
from kgservice.engine.base import QueryEngine
from kgservice.engine.embedded import OxigraphStore
from kgservice.errors import UnknownStrategyError
from kgservice.rdf.namespaces import KGO, RDF_TYPE, expand
from kgservice.rdf.terms import Table
from kgservice.sparql.catalogue import Catalogue
from kgservice.translation import N_

GRAPH_QUERY = "coherence-graph"
ALIGNMENTS_QUERY = "coherence-alignments"
_ALIGNMENT_COLUMNS = {
    "subject": "subjectElement",
    "object": "objectElement",
    "relation": "relation",
    "status": "alignmentStatus",
    "strength": "strength",
    "evidence": "evidence",
}


class Scope:
    """Plans the queries for some strategies and the alignments reachable from others, round by round."""

    def __init__(self, catalogue: Catalogue, strategies: Sequence[str], starts: Sequence[str], hops: int = MAX_HOPS) -> None:
        self.graph_query, self.alignments_query = catalogue.get(GRAPH_QUERY), catalogue.get(ALIGNMENTS_QUERY)
        self.read: set[str] = set()
        self.followed: set[str] = set()
        self.hops = hops
        self.depth = 0
        self.pending = self._texts(strategies, starts)

    def _texts(self, strategies: Iterable[str], starts: Iterable[str]) -> list[str]:
        fresh = [s for s in dict.fromkeys(strategies) if s not in self.read]
        follow = [s for s in dict.fromkeys(starts) if s not in self.followed]
        self.read.update(fresh)
        self.followed.update(follow)
        return [self.graph_query.bind({"strategy": s}) for s in fresh] + [
            self.alignments_query.bind({"strategy": s}) for s in follow
        ]

    def next_round(self, answers: Sequence[Table]) -> list[str]:
        """The queries still needed after `answers` (the answers to the last round); empty when done."""
        self.depth += 1
        reached = [s for table in answers if "objectStrategy" in table.columns for s in table.column("objectStrategy") if s]
        return self._texts(reached, reached if self.depth < self.hops else ())


def triples(tables: Iterable[Table]) -> Iterator[Triple]:
    """The rows of coherence-graph as they are and those of coherence-alignments as triples."""
    for table in tables:
        if "alignment" in table.columns:
            yield from _alignment_triples(table)
            continue
        for node, prop, value in table.rows:
            if node is not None and prop is not None and value is not None:
                yield node.value, prop.value, value.value, value.lang


def _alignment_triples(table: Table) -> Iterator[Triple]:
    for record in table.records():
        alignment = record["alignment"].value
        yield alignment, RDF_TYPE, KGO + "Alignment", None
        for column, prop in _ALIGNMENT_COLUMNS.items():
            if column in record:
                yield alignment, KGO + prop, record[column].value, record[column].lang
        for end in ("subject", "object"):
            if end + "Strategy" in record:
                yield record[end].value, KGO + "inStrategy", record[end + "Strategy"].value, None


def _engine_triples(engine: ox.Store, text: str) -> Iterator[Triple]:
    """The rows of coherence-graph straight from pyoxigraph, without building result terms (the whole graph is large)."""
    for row in engine.query(text, use_default_graph_as_union=True):  # type: ignore[union-attr]
        value = row[2]
        yield row[0].value, row[1].value, value.value, value.language if isinstance(value, ox.Literal) else None


def read_scope(
    store: QueryEngine, catalogue: Catalogue, strategies: Sequence[str], starts: Sequence[str], hops: int = MAX_HOPS
) -> StrategyGraph:
    """The graph of `strategies` and of the alignments reachable from `starts` in `hops`, read from `store`;
    the queries of each round run side by side where the engine can (select_many)."""
    scope = Scope(catalogue, strategies, starts, hops)
    tables: list[Table] = []
    texts = scope.pending
    while texts:
        answers = store.select_many(texts, source="coherence query")
        tables += answers
        texts = scope.next_round(answers)
    return build_graph(triples(tables))


def read_all(store: QueryEngine, catalogue: Catalogue) -> StrategyGraph:
    """The whole graph: every strategy and every alignment that starts in one."""
    graph_text, alignments_text = catalogue.get(GRAPH_QUERY).bind({}), catalogue.get(ALIGNMENTS_QUERY).bind({})
    alignments = triples([store.select(alignments_text, source="coherence query")])
    if isinstance(store, OxigraphStore):
        return build_graph(itertools.chain(_engine_triples(store.engine, graph_text), alignments))
    return build_graph(itertools.chain(triples([store.select(graph_text, source="coherence query")]), alignments))


def normalize(name: str) -> str:
    """A strategy given as an IRI (with or without angle brackets) or a prefixed name, as a full IRI."""
    return expand(name.strip().removeprefix("<").removesuffix(">"))


def strategy_iri(graph: StrategyGraph, name: str) -> str:
    """The full IRI of a strategy given by IRI or prefixed name, or an error that says where to find one."""
    iri = normalize(name)
    node = graph.nodes.get(iri)
    if node is None or node.kind != "StrategyDocument":
        raise UnknownStrategyError(
            N_(
                "%(name)s is not a strategy document of the graph; the named query 'strategies' "
                "(kgservice query strategies, or /api/queries/strategies) lists them"
            ),
            name=repr(name),
        )
    return iri
