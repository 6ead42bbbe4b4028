"""The typed directed graph the coherence analysis walks, indexed over the shared read model.

Nodes are strategy documents and their elements (`kgservice.analysis.model`); edges run element -> parent
(type "partOf") and subject -> object (type "alignment", keyed by the alignment IRI, with relation,
status, strength and evidence). Suggested alignments are kept but flagged `counts=False`; only
alignments asserted in a document or curated count as support.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

import networkx as nx

from kgservice.analysis.model import DOCUMENT, Alignment, Corpus, Document, Element, Triple, build_model, notation_key, pick_label

PRIORITY_KINDS = frozenset({"StrategicArea", "StrategicGoal", "SpecificGoal", "Measure", "Activity"})

# What the graph holds at a node: a strategy document or one of its elements.
Node = Document | Element


class StrategyGraph:
    """The typed graph (`graph`, a networkx MultiDiGraph) with the lookups the analysis repeats.

    Built once from a `Corpus` and then only read: every index is derived from the same model as the graph."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        self.nodes: dict[str, Node] = {**corpus.strategies, **corpus.elements}
        self.concepts = corpus.concepts
        for node in self.nodes.values():
            self.graph.add_node(
                node.iri, kind=node.kind, notation=node.notation, labels=dict(node.labels), strategy=node.strategy
            )
        self._index_parts(self.nodes.values())
        self._index_order()
        self._index_alignments(corpus.alignments)

    def _index_parts(self, nodes: Iterable[Node]) -> None:
        self.parent = {n.iri: n.parent for n in nodes if n.parent is not None and n.parent in self.nodes}
        for child, parent in self.parent.items():
            self.graph.add_edge(child, parent, key="partOf", type="partOf")
        self.children: dict[str, list[str]] = defaultdict(list)
        for child, parent in self.parent.items():
            self.children[parent].append(child)

    def _index_order(self) -> None:
        # One sort by notation for the whole graph; every ordered list below keeps that order.
        ranked = sorted(self.nodes.values(), key=lambda n: (notation_key(n.notation), n.iri))
        self.order = {node.iri: rank for rank, node in enumerate(ranked)}
        self.elements: dict[str, list[str]] = defaultdict(list)
        self.priorities: dict[str, list[str]] = defaultdict(list)
        self.measures: dict[str, list[str]] = defaultdict(list)
        for node in ranked:
            if node.kind != DOCUMENT and node.strategy:
                self.elements[node.strategy].append(node.iri)
                if node.kind in PRIORITY_KINDS:
                    self.priorities[node.strategy].append(node.iri)
                if node.kind == "Measure":
                    self.measures[node.strategy].append(node.iri)

    def _index_alignments(self, alignments: Iterable[Alignment]) -> None:
        self.alignments = [a for a in alignments if a.subject in self.nodes and a.object in self.nodes]
        for a in self.alignments:
            self.graph.add_edge(a.subject, a.object, key=a.iri, **_edge(a))
        self.outgoing: dict[str, list[Alignment]] = defaultdict(list)
        self.between: dict[tuple[str, str], list[Alignment]] = defaultdict(list)
        for a in self.alignments:
            self.outgoing[a.subject].append(a)
            self.between[(self.nodes[a.subject].strategy, self.nodes[a.object].strategy)].append(a)

    def strategy_of(self, iri: str) -> str:
        return self.nodes[iri].strategy

    def ancestors(self, iri: str) -> Iterator[str]:
        """The elements above `iri`, nearest first, the document excluded."""
        current = self.parent.get(iri)
        while current is not None and self.nodes[current].kind != DOCUMENT:
            yield current
            current = self.parent.get(current)

    def descendants(self, iri: str) -> Iterator[str]:
        """The elements below `iri`, depth first."""
        stack = list(self.children.get(iri, ()))
        while stack:
            current = stack.pop()
            yield current
            stack.extend(self.children.get(current, ()))

    def label(self, iri: str, lang: str) -> str:
        node = self.nodes.get(iri)
        if node is not None:
            return pick_label(node.labels, lang, node.notation or iri)
        concept = self.concepts.get(iri)
        return pick_label(concept.labels, lang, iri) if concept else iri

    def concept_ancestors(self, iri: str) -> set[str]:
        """The concept and every concept broader than it (skos:broader*)."""
        seen, stack = {iri}, [iri]
        while stack:
            concept = self.concepts.get(stack.pop())
            for broader in concept.broader if concept else ():
                if broader not in seen:
                    seen.add(broader)
                    stack.append(broader)
        return seen


def _edge(a: Alignment) -> dict[str, object]:
    return {
        "type": "alignment",
        "iri": a.iri,
        "relation": a.relation,
        "status": a.status,
        "strength": a.strength,
        "evidence": dict(a.evidence),
        "counts": a.counts,
    }


def build_graph(rows: Iterable[Triple]) -> StrategyGraph:
    """The typed graph from the rows of the coherence-graph and coherence-alignments queries (any mix)."""
    return StrategyGraph(build_model(rows))
