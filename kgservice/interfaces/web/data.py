"""Run the pages' queries on the service's query engine and read the answers as rows.

A page query is a named query of queries/pages/ (or of queries/), with its parameters bound through
the catalogue's VALUES slots: user input (an IRI taken from the URL, a language) never becomes SPARQL
text. The engine answers with typed rows of `Term`s; its calls block, so they run in a thread.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from kgservice.config import Settings
from kgservice.engine.base import QueryEngine, QueryRequest, Serialized
from kgservice.rdf.namespaces import ID
from kgservice.rdf.terms import Record
from kgservice.sparql.catalogue import Catalogue, NamedQuery

_CHUNKS = re.compile(r"(\d+)")


def natural_key(notation: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts 2.1.2 before 2.1.10 and II-4 before II-4.1."""
    return tuple((0, int(c)) if c.isdigit() else (1, c) for c in _CHUNKS.split(notation) if c)


def page_path(iri: str) -> str | None:
    """The service path that shows an IRI of our namespace (/id/...), or None for any other IRI."""
    return "/id/" + iri[len(ID) :] if iri.startswith(ID) and len(iri) > len(ID) else None


@dataclass
class PageData:
    """The page queries (queries/pages/), the named queries, and the engine that answers them."""

    pages: Catalogue
    named: Catalogue
    engine: QueryEngine
    settings: Settings

    def query(self, name: str) -> NamedQuery:
        """A page query by name, else a named query of queries/."""
        return self.pages.queries[name] if name in self.pages.queries else self.named.get(name)

    async def rows(self, name: str, **params: str) -> list[Record]:
        """The rows of a SELECT page query, each a dict of its bound variables."""
        table = await run_in_threadpool(self.engine.select, self.query(name).bind(params), name)
        return table.records()

    async def strategy_choices(self, lang: str) -> tuple[list[Record], list[Record]]:
        """For the pages that compare two strategies: every strategy (named query `strategies`) and the
        pairs that already have alignments (`alignment-pairs`), labels in `lang`."""
        strategies, pairs = await asyncio.gather(self.rows("strategies", lang=lang), self.rows("alignment-pairs", lang=lang))
        return strategies, pairs

    async def ask(self, name: str, **params: str) -> bool:
        """The answer of an ASK page query."""
        return await run_in_threadpool(self.engine.ask, self.query(name).bind(params), name)

    async def graph(self, name: str, media: str, **params: str) -> Serialized:
        """A CONSTRUCT or DESCRIBE page query's answer in `media` (an RDF media type the page has negotiated)."""
        request = QueryRequest(self.query(name).bind(params), None, media, max_bytes=self.settings.max_result_bytes, source=name)
        return await run_in_threadpool(self.engine.serialize, request)


def with_elements(strategies: list[Record]) -> list[Record]:
    """The strategies (rows of `strategies`) that have elements, the only ones worth choosing in a form."""
    return [s for s in strategies if int(s["elements"].value) > 0]


def get_page_data(request: Request) -> PageData:
    """The page queries of this app, read once from the catalogue's folder and kept on app.state."""
    state = request.app.state
    if getattr(state, "page_queries", None) is None:
        named: Catalogue = state.catalogue
        state.page_queries = Catalogue(named.folder / "pages")
    return PageData(state.page_queries, state.catalogue, state.engine, state.settings)


PageDataDep = Annotated[PageData, Depends(get_page_data)]
