"""What follows the import of a strategy, so that a planner goes from a document to alignments to judge:
the concept tagger's tags for its elements, and the suggester's candidates towards a higher strategy, each
as a change of one graph of the user data directory (graph/user/tags/..., graph/user/suggestions/...).

Both read the new strategy from a query engine that already serves it, and neither changes anything
itself: the caller commits each change through the validated write path and writes its graph's file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgservice.analysis.suggest.concepts import ConceptIndex
from kgservice.analysis.suggest.records import SUGGESTIONS_HEADER, now, replace_pending, suggestions_graph
from kgservice.analysis.suggest.service import read_inputs
from kgservice.analysis.suggest.source import read_corpus
from kgservice.analysis.suggest.tagging import TAGS_HEADER, quads, replace_tags_of, suggest_tags, tags_graph
from kgservice.analysis.suggest.text import warm
from kgservice.engine.base import QueryEngine
from kgservice.sparql.catalogue import Catalogue


@dataclass(frozen=True)
class GraphChange:
    """A change of one graph: what it adds, how many suggestions that makes, and the header of its file.

    `apply` is the change to commit; after it, `stored` holds how many suggestions it left in the graph."""

    graph: ox.NamedNode
    header: bytes
    replace: Callable[[ox.Store], int]
    stored: list[int] = field(default_factory=list)

    def apply(self, store: ox.Store) -> None:
        self.stored.append(self.replace(store))

    @property
    def count(self) -> int:
        return sum(self.stored)


def tag_change(engine: QueryEngine, catalogue: Catalogue, strategy: str) -> GraphChange:
    """The tags the concept tagger suggests for the elements of `strategy`, replacing its user tag graph."""
    warm()
    corpus = read_corpus(engine, catalogue, [strategy])
    found = suggest_tags(corpus, strategy, ConceptIndex(corpus.concepts.values()))
    graph = tags_graph(strategy, user=True)
    content = quads(found, graph)

    def replace(store: ox.Store) -> int:
        replace_tags_of(store, graph, content)
        return len(found)

    return GraphChange(graph, TAGS_HEADER, replace)


def alignment_change(engine: QueryEngine, catalogue: Catalogue, local: str, higher: str, top: int = 3) -> GraphChange:
    """The candidates of `higher` for each element of `local`, as pending suggestions of the pair's user graph."""
    warm()
    inputs = read_inputs(engine, catalogue, local, higher)
    fresh = inputs.fresh(inputs.suggester().rank(top, None))
    graph, content = suggestions_graph(inputs.local, inputs.higher), inputs.quads(fresh, now())
    return GraphChange(graph, SUGGESTIONS_HEADER, lambda store: replace_pending(store, graph, content))
