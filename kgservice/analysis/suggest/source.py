"""Read the suggester's corpus through the named query suggestion-input, from any QueryEngine: the
embedded store (CLI, benchmarks), the service's query workers or a remote store (HTTP, pages)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from kgservice.analysis.coherence.source import normalize
from kgservice.analysis.model import Corpus, Triple
from kgservice.analysis.suggest.corpus import build_corpus
from kgservice.engine.base import QueryEngine
from kgservice.errors import UnknownStrategyError
from kgservice.rdf.terms import Table
from kgservice.sparql.catalogue import Catalogue

INPUT_QUERY = "suggestion-input"


def input_queries(catalogue: Catalogue, strategies: Sequence[str]) -> list[str]:
    """The suggestion-input query text for each strategy (full IRIs)."""
    query = catalogue.get(INPUT_QUERY)
    return [query.bind({"strategy": s}) for s in dict.fromkeys(strategies)]


def rows(tables: Iterable[Table]) -> Iterator[Triple]:
    """The (node, property, value, language) rows of suggestion-input answers, each once."""
    seen: set[Triple] = set()
    for table in tables:
        for node, prop, value in table.rows:
            if node is None or prop is None or value is None:
                continue
            row = (node.value, prop.value, value.value, value.lang)
            if row not in seen:
                seen.add(row)
                yield row


def read_corpus(store: QueryEngine, catalogue: Catalogue, strategies: Sequence[str]) -> Corpus:
    """The corpus of `strategies` (IRIs or prefixed names) read from `store`."""
    iris = [normalize(s) for s in strategies]
    tables = store.select_many(input_queries(catalogue, iris), source="suggestion query")
    return checked(build_corpus(rows(tables)), strategies)


def read_every_strategy(store: QueryEngine, catalogue: Catalogue) -> Corpus:
    """The corpus of every strategy of the graph (suggestion-input with no strategy bound)."""
    text = catalogue.get(INPUT_QUERY).bind({})
    return build_corpus(rows([store.select(text, source="suggestion query")]))


def checked(corpus: Corpus, strategies: Sequence[str]) -> Corpus:
    """`corpus`, once every strategy the user named is known to be in it."""
    for name in strategies:
        if normalize(name) not in corpus.strategies:
            raise UnknownStrategyError(
                f"{name!r} is not a strategy document of the graph; the named query 'strategies' "
                "(kgservice query strategies, or /api/queries/strategies) lists them"
            )
    return corpus
