"""Run a query in the worker pool and turn its outcome into an HTTP response."""

from __future__ import annotations

import asyncio

from fastapi import Response

from kgservice.config import Settings
from kgservice.engine.pool import QueryBackend
from kgservice.engine.worker import Job
from kgservice.errors import KgServiceError, MalformedRequest, NotAcceptable, ResultTooLarge
from kgservice.sparql.lexer import has_dataset_clause
from kgservice.sparql.screening import check_outbound

_OUTCOME_ERRORS: dict[int, type[KgServiceError]] = {400: MalformedRequest, 406: NotAcceptable, 413: ResultTooLarge}


async def answer_query(
    pool: QueryBackend,
    settings: Settings,
    query: str,
    accept: str | None,
    default_graphs: tuple[str, ...] = (),
    named_graphs: tuple[str, ...] = (),
    base_iri: str | None = None,
) -> Response:
    """Screen the query, run it with the deadline, and return the serialized result or the error."""
    check_outbound(query, settings.service_allowlist)
    job = Job(
        query,
        accept,
        default_graphs,
        named_graphs,
        base_iri=base_iri,
        max_bytes=settings.max_result_bytes,
        union_default_graph=not has_dataset_clause(query),
    )
    outcome = await asyncio.wrap_future(pool.submit(job))
    if outcome.status != 200:
        raise _OUTCOME_ERRORS.get(outcome.status, KgServiceError)(outcome.message)
    return Response(outcome.body, media_type=outcome.media_type, headers={"Vary": "Accept"})
