"""Facts the service derives from the curated data and keeps in a named graph of their own.

`kgo:inStrategy` links every element to the document at the top of its `kgo:partOf` chain, an index
that lets queries find an element's strategy by one lookup. It is recomputed whenever the data is
loaded and in every commit's staging copy, so it never disagrees with the partOf chains.
"""

from __future__ import annotations

import pyoxigraph as ox

from kgservice.rdf.namespaces import GRAPH, KGO

DERIVED_GRAPH = ox.NamedNode(GRAPH + "derived/in-strategy")
IN_STRATEGY = ox.NamedNode(KGO + "inStrategy")
_ROOTS = f"""
PREFIX kgo: <{KGO}>
SELECT DISTINCT ?element ?strategy WHERE {{ ?element kgo:partOf+ ?strategy . ?strategy a kgo:StrategyDocument }}
"""


def derive(store: ox.Store) -> None:
    """Recompute the derived graph of `store` in place."""
    rows = store.query(_ROOTS, use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)
    quads = [ox.Quad(row["element"], IN_STRATEGY, row["strategy"], DERIVED_GRAPH) for row in rows]
    store.remove_graph(DERIVED_GRAPH) if store.contains_named_graph(DERIVED_GRAPH) else None
    store.extend(quads)
