"""Dependencies the routers share: the repository, the query engine, settings, the writer check."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Query, Request

from kgservice.config import Settings
from kgservice.engine.base import QueryEngine
from kgservice.engine.repository import GraphRepository
from kgservice.errors import AccessDenied, PayloadTooLarge, Unauthenticated
from kgservice.sparql.catalogue import Catalogue


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_repository(request: Request) -> GraphRepository:
    repository: GraphRepository = request.app.state.repository
    return repository


def get_engine(request: Request) -> QueryEngine:
    engine: QueryEngine = request.app.state.engine
    return engine


def get_catalogue(request: Request) -> Catalogue:
    catalogue: Catalogue = request.app.state.catalogue
    return catalogue


SettingsDep = Annotated[Settings, Depends(get_settings)]
RepositoryDep = Annotated[GraphRepository, Depends(get_repository)]
EngineDep = Annotated[QueryEngine, Depends(get_engine)]
CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]
FormatParam = Annotated[
    str | None,
    Query(
        alias="format",
        description="the answer's format, overriding the Accept header: a media type or a short name "
        "(json, xml, csv, tsv, turtle, nt, nq, trig, jsonld, rdfxml); anything else is ignored",
    ),
]


def require_writer(request: Request, settings: Settings) -> None:
    """Refuse a write unless writes are on and the request carries the bearer token."""
    if settings.write_token is None:
        raise AccessDenied("writes are disabled on this service (no write token is configured)")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("writes need an 'Authorization: Bearer <token>' header")
    if not hmac.compare_digest(token.strip().encode(), settings.write_token.get_secret_value().encode()):
        raise AccessDenied("the bearer token is not valid for writes")


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"the request body is larger than this service's limit of {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise PayloadTooLarge(f"the request body is larger than this service's limit of {limit} bytes")
    return bytes(body)
