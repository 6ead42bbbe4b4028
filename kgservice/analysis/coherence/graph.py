"""The typed directed graph the coherence analysis walks, rebuilt from (node, property, value) rows.

Nodes are strategy documents and their elements (kind, notation, labels per language, strategy, themes,
target groups); edges run element -> parent (type "partOf") and subject -> object (type "alignment",
keyed by the alignment IRI, with relation, status, strength and evidence). Suggested alignments are kept
but flagged `counts=False`; only alignments asserted in a document or curated count as support.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import networkx as nx

from kgservice.rdf.namespaces import KGO

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SUPPORT = frozenset({"contributesTo", "implements"})
COUNTED = frozenset({"AssertedInDocument", "Curated"})
PRIORITY_KINDS = frozenset({"StrategicArea", "StrategicGoal", "SpecificGoal", "Measure", "Activity"})
DOCUMENT = "StrategyDocument"
_CHUNKS = re.compile(r"(\d+)")

# (node IRI, property IRI, value, language tag of the value or None): one row of the coherence queries.
Triple = tuple[str, str, str, str | None]


@dataclass(frozen=True)
class Node:
    """A strategy document or element; `strategy` is the document itself for a document."""

    iri: str
    kind: str
    strategy: str
    notation: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    level: int | None = None
    themes: frozenset[str] = frozenset()
    target_groups: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Alignment:
    """A stated link between two elements; `counts` is False for a suggested one."""

    iri: str
    subject: str
    object: str
    relation: str
    status: str
    strength: int | None
    evidence: Mapping[str, str] = field(default_factory=dict)

    @property
    def counts(self) -> bool:
        return self.status in COUNTED

    @property
    def supports(self) -> bool:
        return self.counts and self.relation in SUPPORT


@dataclass(frozen=True)
class Concept:
    """A concept of a shared scheme (theme, target group) or a planning level."""

    iri: str
    scheme: str
    broader: frozenset[str]
    labels: Mapping[str, str]
    notation: str = ""


def pick_label(labels: Mapping[str, str], lang: str, fallback: str = "") -> str:
    """The label in `lang`, else English, else any label (the same one every time), else `fallback`."""
    for key in (lang, "en"):
        if key in labels:
            return labels[key]
    return labels[min(labels)] if labels else fallback


def notation_key(notation: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that orders 2.1.2 before 2.1.10 and II-4 before II-4.1."""
    return tuple((0, int(c)) if c.isdigit() else (1, c) for c in _CHUNKS.split(notation) if c)


def _local(iri: str) -> str:
    return iri.removeprefix(KGO)


@dataclass
class _Facts:
    """What the rows say about one node, gathered before the node is typed."""

    types: set[str] = field(default_factory=set)
    single: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    many: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


_MANY = frozenset({KGO + "theme", KGO + "targetGroup", SKOS + "broader"})


def _gather(rows: Iterable[Triple]) -> dict[str, _Facts]:
    facts: dict[str, _Facts] = defaultdict(_Facts)
    for node, prop, value, lang in rows:
        found = facts[node]
        if prop == RDF_TYPE:
            found.types.add(value)
        elif prop == SKOS + "prefLabel":
            found.labels.setdefault(lang or "", value)
        elif prop == KGO + "evidence":
            found.evidence.setdefault(lang or "", value)
        elif prop in _MANY:
            found.many[prop].add(value)
        else:
            found.single.setdefault(prop, value)
    return facts


def _kind(types: set[str]) -> str | None:
    kinds = sorted(_local(t) for t in types if t.startswith(KGO) and t != KGO + "PlanningLevel")
    return kinds[0] if kinds else None


def _concept(iri: str, found: _Facts) -> Concept:
    scheme = found.single.get(SKOS + "inScheme", KGO + "PlanningLevelScheme")
    return Concept(iri, scheme, frozenset(found.many[SKOS + "broader"]), found.labels, found.single.get(SKOS + "notation", ""))


def _alignment(iri: str, found: _Facts) -> Alignment | None:
    single = found.single
    needed = (KGO + "subjectElement", KGO + "objectElement", KGO + "relation", KGO + "alignmentStatus")
    if not all(key in single for key in needed):
        return None
    strength = single.get(KGO + "strength")
    return Alignment(
        iri,
        single[needed[0]],
        single[needed[1]],
        _local(single[needed[2]]),
        _local(single[needed[3]]),
        int(strength) if strength is not None else None,
        found.evidence,
    )


def _node(iri: str, kind: str, found: _Facts, levels: Mapping[str, int]) -> Node:
    strategy = iri if kind == DOCUMENT else found.single.get(KGO + "inStrategy", "")
    return Node(
        iri,
        kind,
        strategy,
        found.single.get(SKOS + "notation", ""),
        found.labels,
        levels.get(found.single.get(KGO + "planningLevel", "")),
        frozenset(found.many[KGO + "theme"]),
        frozenset(found.many[KGO + "targetGroup"]),
    )


class StrategyGraph:
    """The typed graph (`graph`, a networkx MultiDiGraph) with the lookups the analysis repeats.

    Built once and then only read: every index is derived from the same rows as the graph."""

    def __init__(
        self, nodes: Iterable[Node], parents: Mapping[str, str], alignments: Iterable[Alignment], concepts: Mapping[str, Concept]
    ) -> None:
        self.graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        self.nodes: dict[str, Node] = {n.iri: n for n in nodes}
        self.concepts = dict(concepts)
        for node in self.nodes.values():
            self.graph.add_node(
                node.iri, kind=node.kind, notation=node.notation, labels=dict(node.labels), strategy=node.strategy
            )
        self.parent = {child: parent for child, parent in parents.items() if child in self.nodes and parent in self.nodes}
        for child, parent in self.parent.items():
            self.graph.add_edge(child, parent, key="partOf", type="partOf")
        self.children: dict[str, list[str]] = defaultdict(list)
        for child, parent in self.parent.items():
            self.children[parent].append(child)
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
    facts = _gather(rows)
    concepts = {
        iri: _concept(iri, f)
        for iri, f in facts.items()
        if SKOS + "Concept" in f.types or KGO + "PlanningLevel" in f.types or SKOS + "inScheme" in f.single
    }
    levels = {iri: int(c.notation) for iri, c in concepts.items() if c.notation.isdigit()}
    nodes, alignments, parents = [], [], {}
    for iri, found in facts.items():
        kind = _kind(found.types)
        if kind is None or iri in concepts:
            continue
        if kind == "Alignment":
            alignment = _alignment(iri, found)
            alignments += [alignment] if alignment else []
            continue
        nodes.append(_node(iri, kind, found, levels))
        if KGO + "partOf" in found.single:
            parents[iri] = found.single[KGO + "partOf"]
    return StrategyGraph(nodes, parents, alignments, concepts)
