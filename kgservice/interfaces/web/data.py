"""Run the pages' queries in the service's worker pool and read the answers as rows.

A page query is a named query of queries/pages/ (or of queries/), with its parameters bound through
the catalogue's VALUES slots: user input (an IRI taken from the URL, a language) never becomes SPARQL
text. The workers answer with SPARQL JSON results, read here into rows of `Term`s.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request, Response

from kgservice.config import Settings
from kgservice.engine.pool import QueryBackend
from kgservice.interfaces.http.execution import answer_query
from kgservice.rdf.namespaces import ID
from kgservice.rdf.terms import Term
from kgservice.sparql.catalogue import Catalogue, NamedQuery

SPARQL_JSON = "application/sparql-results+json"
Row = dict[str, Term]
_CHUNKS = re.compile(r"(\d+)")


def term(binding: Mapping[str, str]) -> Term:
    """A result term from its SPARQL 1.1 JSON form."""
    kind = "literal" if binding["type"] == "typed-literal" else binding["type"]
    return Term(kind, binding["value"], binding.get("datatype"), binding.get("xml:lang"))  # type: ignore[arg-type]


def rows_from_json(body: bytes) -> list[Row]:
    """The solutions of a SPARQL JSON results document, each as a dict of its bound variables."""
    parsed: dict[str, Any] = json.loads(body)
    return [{name: term(value) for name, value in binding.items()} for binding in parsed["results"]["bindings"]]


def natural_key(notation: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts 2.1.2 before 2.1.10 and II-4 before II-4.1."""
    return tuple((0, int(c)) if c.isdigit() else (1, c) for c in _CHUNKS.split(notation) if c)


def page_path(iri: str) -> str | None:
    """The service path that shows an IRI of our namespace (/id/...), or None for any other IRI."""
    return "/id/" + iri[len(ID) :] if iri.startswith(ID) and len(iri) > len(ID) else None


@dataclass
class PageData:
    """The page queries (queries/pages/), the named queries, and the pool that answers them."""

    pages: Catalogue
    named: Catalogue
    pool: QueryBackend
    settings: Settings

    def query(self, name: str) -> NamedQuery:
        """A page query by name, else a named query of queries/."""
        return self.pages.queries[name] if name in self.pages.queries else self.named.get(name)

    async def run(self, name: str, accept: str = SPARQL_JSON, **params: str) -> Response:
        """The query's answer as the service would send it (any query form, any accepted format)."""
        return await answer_query(self.pool, self.settings, self.query(name).bind(params), accept)

    async def rows(self, name: str, **params: str) -> list[Row]:
        """The rows of a SELECT page query."""
        return rows_from_json(bytes((await self.run(name, **params)).body))

    async def strategy_choices(self, lang: str) -> tuple[list[Row], list[Row]]:
        """For the pages that compare two strategies: every strategy (named query `strategies`) and the
        pairs that already have alignments (`alignment-pairs`), labels in `lang`."""
        strategies, pairs = await asyncio.gather(self.rows("strategies", lang=lang), self.rows("alignment-pairs", lang=lang))
        return strategies, pairs

    async def ask(self, name: str, **params: str) -> bool:
        """The answer of an ASK page query."""
        answer: bool = json.loads(bytes((await self.run(name, **params)).body))["boolean"]
        return answer


def with_elements(strategies: list[Row]) -> list[Row]:
    """The strategies (rows of `strategies`) that have elements, the only ones worth choosing in a form."""
    return [s for s in strategies if int(s["elements"].value) > 0]


def get_page_data(request: Request) -> PageData:
    """The page queries of this app, read once from the catalogue's folder and kept on app.state."""
    state = request.app.state
    if getattr(state, "page_queries", None) is None:
        named: Catalogue = state.catalogue
        state.page_queries = Catalogue(named.folder / "pages")
    return PageData(state.page_queries, state.catalogue, state.pool, state.settings)


PageDataDep = Annotated[PageData, Depends(get_page_data)]
