"""The HTTP edge of a query: screen it, negotiate its media types, let the query engine answer in them.

Content negotiation happens here and nowhere below: the engine is told which media type to write for a
results-form query (SELECT, ASK) and which for a graph-form one (CONSTRUCT, DESCRIBE), since only it
knows the form; where the client accepts neither, it answers 406 with the types it has.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from kgservice.config import Settings
from kgservice.engine.base import Dataset, QueryEngine, QueryRequest, Serialized
from kgservice.errors import QuerySyntaxError
from kgservice.rdf.media import GRAPH_FORMATS, RESULT_FORMATS, choose
from kgservice.sparql.diagnosis import QUERY_SOURCE, clarified
from kgservice.sparql.lexer import has_dataset_clause
from kgservice.sparql.limits import check_nesting
from kgservice.sparql.screening import check_outbound

# A `format` short name that means a results format for SELECT and ASK means its RDF counterpart for CONSTRUCT
# and DESCRIBE: SPARQLWrapper asks for a graph in XML with format=xml (and Accept application/rdf+xml), in
# JSON with format=json (and Accept */*).
GRAPH_SHORT_NAMES = {"xml": "application/rdf+xml", "json": "application/ld+json"}


def query_request(
    settings: Settings,
    query: str,
    accept: str | None,
    default_graphs: tuple[str, ...] = (),
    named_graphs: tuple[str, ...] = (),
    base_iri: str | None = None,
    format_param: str | None = None,
) -> QueryRequest:
    """A screened query with the client's media types chosen for either query form: `accept` is the
    effective Accept (the header, or what a `format` parameter said instead), `format_param` that parameter."""
    check_nesting(query)  # first: a query nested thousands deep overflows the stack of any parser
    calls = check_outbound(query, settings.service_allowlist)
    graph_accept = GRAPH_SHORT_NAMES.get((format_param or "").strip().lower(), accept)
    return QueryRequest(
        query,
        results_media=choose(accept, list(RESULT_FORMATS)),
        graph_media=choose(graph_accept, list(GRAPH_FORMATS)),
        dataset=Dataset(default_graphs, named_graphs, union_default_graph=not has_dataset_clause(query)),
        base_iri=base_iri,
        max_bytes=settings.max_result_bytes,
        source=QUERY_SOURCE,
        outbound=bool(calls),
    )


# Queries up to this many characters are screened on the event loop: the screen is linear, and at this size
# it takes 0.01-0.05 ms for the named queries and at most 0.6 ms for the slowest input (codepoint escapes).
INLINE_SCREEN = 4096


async def screened(query: str, screen: Callable[[], QueryRequest]) -> QueryRequest:
    """`screen()` (a `query_request` of `query`), in a thread for a long query: a 1 MB query takes the screen a
    fraction of a second the event loop must not wait."""
    return screen() if len(query) <= INLINE_SCREEN else await run_in_threadpool(screen)


# How often a waiting request looks whether its client is still there.
DISCONNECT_POLL = 0.25


async def answer(engine: QueryEngine, request: QueryRequest, client: Request | None = None) -> Response:
    """The engine's serialized answer as a response; awaiting the engine holds no thread while the query
    waits for a worker, so a burst of slow queries cannot starve the service's other requests. When the
    `client` hangs up, the query is cancelled: dropped if it waits, its worker stopped if it runs."""
    try:
        serialized = await _unless_hung_up(engine.answer(request), client)
    except QuerySyntaxError as error:
        raise clarified(error, request.query) from None
    if serialized is None:
        return Response(status_code=499)  # "client closed request": nobody reads it
    return Response(serialized.body, media_type=serialized.media_type, headers={"Vary": "Accept"})


async def _unless_hung_up(answering: Coroutine[object, object, Serialized], client: Request | None) -> Serialized | None:
    """The engine's answer, awaited in the request's own task; None as soon as the client has disconnected.

    A query answered within DISCONNECT_POLL costs a timer and nothing else (a task of its own and a wait for
    it cost 0.02 ms a query). Past that, a watcher looks at the client every DISCONNECT_POLL and cancels this
    task when it has gone; that cancellation, and only that one, becomes None."""
    if client is None:
        return await answering
    task, watching = asyncio.current_task(), _Watch(client)
    assert task is not None  # a request is always answered in a task
    timer = asyncio.get_running_loop().call_later(DISCONNECT_POLL, watching.start, task)
    try:
        return await answering
    except asyncio.CancelledError:
        if not watching.hung_up or task.uncancel() > 0:
            raise  # cancelled by someone else as well (the server stopping): not ours to swallow
        return None
    finally:
        timer.cancel()
        watching.stop()


class _Watch:
    """Looks whether the client is still there, every DISCONNECT_POLL, and cancels the request's task once not."""

    def __init__(self, client: Request) -> None:
        self.client, self.hung_up = client, False
        self._task: asyncio.Task[None] | None = None

    def start(self, request_task: asyncio.Task[object]) -> None:
        self._task = asyncio.ensure_future(self._watch(request_task))

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _watch(self, request_task: asyncio.Task[object]) -> None:
        while not await self.client.is_disconnected():
            await asyncio.sleep(DISCONNECT_POLL)
        self.hung_up = True
        request_task.cancel()
