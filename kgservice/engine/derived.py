"""Facts the service derives from the curated data and keeps in a named graph of their own.

`kgo:inStrategy` links every element to the document at the top of its `kgo:partOf` chain, an index
that lets queries find an element's strategy by one lookup. It is recomputed whole when the data is
loaded (`derive`) and, in every commit, only for the nodes whose chain the change can alter
(`derive_delta`), so it never disagrees with the partOf chains.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kgservice.rdf.namespaces import GRAPH, KGO

DERIVED_GRAPH = ox.NamedNode(GRAPH + "derived/in-strategy")
IN_STRATEGY = ox.NamedNode(KGO + "inStrategy")
PART_OF = ox.NamedNode(KGO + "partOf")
STRATEGY_DOCUMENT = ox.NamedNode(KGO + "StrategyDocument")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
Node = ox.NamedNode | ox.BlankNode
_ROOTS = f"""
PREFIX kgo: <{KGO}>
SELECT DISTINCT ?element ?strategy WHERE {{ ?element kgo:partOf+ ?strategy . ?strategy a kgo:StrategyDocument }}
"""


def derive(store: ox.Store) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """Recompute the derived graph of `store` in place; the quads it removed and added (none when the graph was
    up to date, as in a base the service wrote)."""
    old, new = set(store.quads_for_pattern(None, None, None, DERIVED_GRAPH)), set(_all_derived(store))
    _replace(store, old, new)
    return old - new, new - old


def _all_derived(store: ox.Store) -> list[ox.Quad]:
    rows = store.query(_ROOTS, use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)
    return [ox.Quad(row["element"], IN_STRATEGY, row["strategy"], DERIVED_GRAPH) for row in rows]


def derive_delta(store: ox.Store, removed: set[ox.Quad], added: set[ox.Quad]) -> None:
    """Bring the derived graph up to date after a change of `removed` and `added` quads, touching only what they reach.

    Only a kgo:partOf or rdf:type quad can move a root, and only for the nodes whose chain passes through
    its subject (its partOf descendants, found in the store after the change). A change that writes the
    derived graph itself is undone by recomputing the whole graph, as at load."""
    changed = removed | added
    if any(quad.graph_name == DERIVED_GRAPH for quad in changed):
        _replace(store, set(store.quads_for_pattern(None, None, None, DERIVED_GRAPH)), set(_all_derived(store)))
        return
    seeds = {quad.subject for quad in changed if quad.predicate in (PART_OF, RDF_TYPE)}
    nodes = descendants(store, (seed for seed in seeds if isinstance(seed, Node)))
    old = {quad for node in nodes for quad in store.quads_for_pattern(node, IN_STRATEGY, None, DERIVED_GRAPH)}
    new = {ox.Quad(node, IN_STRATEGY, root, DERIVED_GRAPH) for node in nodes for root in roots(store, node)}
    _replace(store, old, new)


def _replace(store: ox.Store, old: set[ox.Quad], new: set[ox.Quad]) -> None:
    for quad in old - new:
        store.remove(quad)
    store.extend(new - old)


def descendants(store: ox.Store, seeds: Iterable[Node]) -> set[Node]:
    """The seeds and every node whose kgo:partOf chain reaches one of them (in any graph)."""
    found: set[Node] = set(seeds)
    frontier = list(found)
    while frontier:
        node = frontier.pop()
        for quad in store.quads_for_pattern(None, PART_OF, node, None):
            child = quad.subject
            if isinstance(child, Node) and child not in found:
                found.add(child)
                frontier.append(child)
    return found


def roots(store: ox.Store, node: Node) -> set[Node]:
    """The strategy documents reached from `node` by kgo:partOf+ (what `derive` links it to)."""
    seen: set[Node] = set()
    frontier: list[Node] = [node]
    while frontier:
        for quad in store.quads_for_pattern(frontier.pop(), PART_OF, None, None):
            parent = quad.object
            if isinstance(parent, Node) and parent not in seen:
                seen.add(parent)
                frontier.append(parent)
    return {parent for parent in seen if next(iter(store.quads_for_pattern(parent, RDF_TYPE, STRATEGY_DOCUMENT, None)), None)}
