"""The HTTP edge of a query: it screens the query and negotiates the media type of either query form
before the engine sees it, so the engine never parses an Accept header."""

from __future__ import annotations

import asyncio
import time
from typing import cast

import pytest
from fastapi import Request, Response

from kgservice.config import Settings
from kgservice.engine.base import QueryRequest, Serialized
from kgservice.engine.embedded import OxigraphStore
from kgservice.errors import ForbiddenOperation, NotAcceptable, QuerySyntaxError
from kgservice.interfaces.http.execution import DISCONNECT_POLL, answer, query_request

SETTINGS = Settings(max_result_bytes=1234)
ASK = "ASK { ?s ?p ?o }"


@pytest.mark.parametrize(
    ("accept", "results", "graph"),
    [
        (None, "application/sparql-results+json", "text/turtle"),
        ("text/csv", "text/csv", None),
        ("application/n-triples", None, "application/n-triples"),
        ("text/plain", None, "text/plain"),
        ("image/png", None, None),
        ("text/*;q=0.5, application/sparql-results+xml", "application/sparql-results+xml", "text/turtle"),
    ],
)
def test_the_edge_chooses_a_media_type_for_each_query_form(accept: str | None, results: str | None, graph: str | None) -> None:
    request = query_request(SETTINGS, ASK, accept)
    assert (request.results_media, request.graph_media) == (results, graph)
    assert request.max_bytes == 1234


def test_a_dataset_given_in_the_query_or_the_request_turns_the_union_off() -> None:
    assert query_request(SETTINGS, ASK, None).dataset.union_default_graph
    assert not query_request(SETTINGS, "ASK FROM <http://e/g> { ?s ?p ?o }", None).dataset.union_default_graph
    named = query_request(SETTINGS, ASK, None, ("http://e/g",), ("http://e/h",))
    assert (named.dataset.default_graphs, named.dataset.named_graphs) == (("http://e/g",), ("http://e/h",))


def test_the_edge_screens_before_anything_runs() -> None:
    with pytest.raises(ForbiddenOperation, match="not on this service's allow-list"):
        query_request(SETTINGS, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", None)


def test_the_engine_answers_the_edges_request_or_says_why_not() -> None:
    engine = OxigraphStore()
    assert engine.serialize(query_request(SETTINGS, ASK, "text/csv")).body.strip() == b"false"
    with pytest.raises(NotAcceptable, match="available: text/turtle"):
        engine.serialize(query_request(SETTINGS, "CONSTRUCT WHERE { ?s ?p ?o }", "text/csv"))
    with pytest.raises(QuerySyntaxError, match=r"^query syntax error:2:7: "):
        engine.serialize(query_request(SETTINGS, "SELECT * WHERE { ?s ?p ?o }\nLIMIT x", None))


class SlowEngine(OxigraphStore):
    """Answers after `seconds`, and records whether its answer was cancelled."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds, self.cancelled = seconds, False

    async def answer(self, request: QueryRequest) -> Serialized:
        try:
            await asyncio.sleep(self.seconds)
        except asyncio.CancelledError:
            self.cancelled = True
            raise
        return Serialized(b"true", "text/plain")


class Client:
    """A request's client that hangs up `after` seconds (never, if None)."""

    def __init__(self, after: float | None) -> None:
        self.gone_at = None if after is None else time.monotonic() + after
        self.asked = 0

    async def is_disconnected(self) -> bool:
        self.asked += 1
        return self.gone_at is not None and time.monotonic() >= self.gone_at


def answered(engine: SlowEngine, client: Client) -> Response:
    return asyncio.run(answer(engine, query_request(SETTINGS, ASK, None), cast(Request, client)))


def test_a_query_slower_than_the_poll_is_answered_while_its_client_stays() -> None:
    engine, client = SlowEngine(3 * DISCONNECT_POLL), Client(None)
    response = answered(engine, client)
    assert (response.status_code, response.body) == (200, b"true")
    assert client.asked >= 2 and not engine.cancelled  # it was watched, and left alone


def test_a_quick_query_never_asks_after_its_client() -> None:
    client = Client(0)  # even one that has gone: the answer is there before the first look
    assert answered(SlowEngine(0), client).status_code == 200
    assert client.asked == 0


def test_a_client_that_hangs_up_cancels_its_query() -> None:
    engine, started = SlowEngine(30), time.monotonic()
    response = answered(engine, Client(DISCONNECT_POLL / 2))
    assert response.status_code == 499 and engine.cancelled
    assert time.monotonic() - started < 10 * DISCONNECT_POLL  # at the next look, not at the engine's answer


def test_a_cancel_from_outside_is_not_taken_for_a_hang_up() -> None:
    engine = SlowEngine(30)

    async def stopped_server() -> None:
        task = asyncio.ensure_future(answer(engine, query_request(SETTINGS, ASK, None), cast(Request, Client(None))))
        await asyncio.sleep(2 * DISCONNECT_POLL)  # watched by now
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(stopped_server())
    assert engine.cancelled
