"""The HTTP edge of a query: screen it, negotiate its media types, let the query engine answer in them.

Content negotiation happens here and nowhere below: the engine is told which media type to write for a
results-form query (SELECT, ASK) and which for a graph-form one (CONSTRUCT, DESCRIBE), since only it
knows the form; where the client accepts neither, it answers 406 with the types it has.
"""

from __future__ import annotations

import asyncio

from fastapi import Response

from kgservice.config import Settings
from kgservice.engine.base import Dataset, QueryEngine, QueryRequest
from kgservice.rdf.media import GRAPH_FORMATS, RESULT_FORMATS, choose
from kgservice.sparql.lexer import has_dataset_clause
from kgservice.sparql.screening import check_outbound

# Names the query in a syntax error's message: "query syntax error:2:7: expected ..."
SOURCE = "query syntax error"


def query_request(
    settings: Settings,
    query: str,
    accept: str | None,
    default_graphs: tuple[str, ...] = (),
    named_graphs: tuple[str, ...] = (),
    base_iri: str | None = None,
) -> QueryRequest:
    """A screened query with the client's media types chosen for either query form."""
    check_outbound(query, settings.service_allowlist)
    return QueryRequest(
        query,
        results_media=choose(accept, list(RESULT_FORMATS)),
        graph_media=choose(accept, list(GRAPH_FORMATS)),
        dataset=Dataset(default_graphs, named_graphs, union_default_graph=not has_dataset_clause(query)),
        base_iri=base_iri,
        max_bytes=settings.max_result_bytes,
        source=SOURCE,
    )


async def answer(engine: QueryEngine, request: QueryRequest) -> Response:
    """The engine's serialized answer as a response; awaiting the engine's future holds no thread while
    the query waits for a worker, so a burst of slow queries cannot starve the service's other requests."""
    serialized = await asyncio.wrap_future(engine.submit(request))
    return Response(serialized.body, media_type=serialized.media_type, headers={"Vary": "Accept"})
