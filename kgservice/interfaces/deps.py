"""Dependencies the routers share: the repository, the query engine, settings, the writer check."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from kgservice.config import Settings
from kgservice.engine.base import QueryEngine
from kgservice.engine.repository import GraphRepository
from kgservice.errors import AccessDenied, PayloadTooLarge, Unauthenticated
from kgservice.project.writeback import UserFiles
from kgservice.sparql.catalogue import Catalogue
from kgservice.translation import N_

TOO_LARGE = N_("the request body is larger than this service's limit of %(limit)s bytes")


def _state(name: str) -> Callable[[Request], Awaitable[Any]]:
    """A dependency that reads one object the app factory put on app.state. It is `async def` so that
    FastAPI calls it on the event loop: a plain `def` dependency costs a thread pool hop per request."""

    async def get(request: Request) -> Any:
        return getattr(request.app.state, name)

    return get


def service(request: Request) -> tuple[GraphRepository, QueryEngine, Settings]:
    """The repository, query engine and settings at once, for the SPARQL endpoint, which every query passes:
    three dependencies cost it 0.1 ms of FastAPI's solving per request."""
    state = request.app.state
    return state.repository, state.engine, state.settings


SettingsDep = Annotated[Settings, Depends(_state("settings"))]
RepositoryDep = Annotated[GraphRepository, Depends(_state("repository"))]
EngineDep = Annotated[QueryEngine, Depends(_state("engine"))]
CatalogueDep = Annotated[Catalogue, Depends(_state("catalogue"))]
UserFilesDep = Annotated[UserFiles, Depends(_state("user_files"))]
FORMAT_DESCRIPTION = (
    "the answer's format, overriding the Accept header: a media type or a short name "
    "(json, xml, csv, tsv, turtle, nt, nq, trig, jsonld, rdfxml); anything else is ignored"
)
FormatParam = Annotated[str | None, Query(alias="format", description=FORMAT_DESCRIPTION)]


def require_writer(request: Request, settings: Settings) -> None:
    """Refuse a write unless writes are on and the request carries the bearer token."""
    if settings.write_token is None:
        raise AccessDenied(N_("writes are disabled on this service (no write token is configured)"))
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated(N_("writes need an 'Authorization: Bearer <token>' header"))
    if not hmac.compare_digest(token.strip().encode(), settings.write_token.get_secret_value().encode()):
        raise AccessDenied(N_("the bearer token is not valid for writes"))


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(TOO_LARGE, limit=limit)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise PayloadTooLarge(TOO_LARGE, limit=limit)
    return bytes(body)
