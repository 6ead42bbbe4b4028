"""The SPARQL 1.1 endpoint: queries (GET, POST form, POST direct), updates (POST, with the write token),
and the service description (GET with no query)."""

from __future__ import annotations

from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from kgservice.config import Settings
from kgservice.engine.embedded import query_syntax_error
from kgservice.engine.repository import GraphRepository
from kgservice.errors import MalformedRequest, NotAcceptable, StoreError, UpdateConflict
from kgservice.interfaces.deps import EngineDep, FormatParam, RepositoryDep, SettingsDep, read_body, require_writer
from kgservice.interfaces.http.execution import answer, query_request
from kgservice.interfaces.http.protocol import QueryOperation, UpdateOperation, read_request
from kgservice.interfaces.http.service_description import describe
from kgservice.rdf.media import GRAPH_FORMATS, choose, requested
from kgservice.sparql.lexer import add_using
from kgservice.sparql.screening import check_outbound

router = APIRouter(tags=["SPARQL"])
OutputParam = Annotated[str | None, Query(description="the same as format, as some SPARQL clients name it")]
PREFIXES = {
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "void": "http://rdfs.org/ns/void#",
    "formats": "http://www.w3.org/ns/formats/",
}


def _endpoint(request: Request) -> str:
    """The endpoint's own URL, the base IRI of queries and updates (SPARQL 1.1 Protocol 2.1.4, 2.2.4)."""
    return str(request.url.replace(query=""))


_DESCRIPTION_FORMATS = [m for m in GRAPH_FORMATS if m not in ("application/n-quads", "application/trig")]


def _wants_page(accept: str | None) -> bool:
    """A browser (text/html preferred to every RDF format; a tie goes to RDF) asks for the query editor."""
    return choose(accept, [*_DESCRIPTION_FORMATS, "text/html"]) == "text/html"


def service_description(request: Request, repository: GraphRepository, settings: Settings, accept: str | None) -> Response:
    media = choose(accept, _DESCRIPTION_FORMATS)
    if media is None:
        raise NotAcceptable(f"the service description is available as: {', '.join(GRAPH_FORMATS)}")
    endpoint = _endpoint(request)
    triples = describe(repository.size(), repository.graph_sizes(), endpoint, settings.writes_enabled)
    body = ox.serialize(triples, format=GRAPH_FORMATS[media], prefixes=PREFIXES)
    return Response(body, media_type=media, headers={"Vary": "Accept"})


def _with_using(operation: UpdateOperation) -> str:
    if not operation.using_graphs and not operation.using_named_graphs:
        return operation.update
    try:
        using = tuple(str(ox.NamedNode(g)) for g in operation.using_graphs)
        using_named = tuple(str(ox.NamedNode(g)) for g in operation.using_named_graphs)
        return add_using(operation.update, using, using_named)
    except ValueError as error:
        raise MalformedRequest(str(error)) from None


def _apply_update(repository: GraphRepository, operation: UpdateOperation, base_iri: str) -> dict[str, int]:
    text = _with_using(operation)

    def change(staging: ox.Store) -> None:
        try:
            staging.update(text, base_iri=base_iri)
        except SyntaxError as error:
            raise query_syntax_error(error, "update") from None
        except OSError as error:
            raise StoreError(str(error)) from error
        except RuntimeError as error:
            # pyoxigraph's evaluation errors (CREATE of an existing graph, DROP of a missing one) are
            # about the request against the graph's state, not a fault of the service.
            raise UpdateConflict(f"the update cannot be applied: {error}") from None

    result = repository.commit(change)
    return {"version": result.version, "removed": result.removed, "added": result.added}


@router.api_route("/sparql", methods=["GET", "POST", "HEAD"], summary="SPARQL 1.1 Protocol endpoint")
async def sparql(
    request: Request,
    repository: RepositoryDep,
    engine: EngineDep,
    settings: SettingsDep,
    format_: FormatParam = None,
    output: OutputParam = None,
) -> Response:
    """Answer a query or an update as the SPARQL 1.1 Protocol says; with no query, describe the service."""
    # The operation itself (query, update, the graph IRIs) is read by the protocol module: the protocol
    # refuses a repeated query or update, and a POST form holds them in its body.
    body = await read_body(request, settings.max_request_bytes)
    accept = requested(format_ or output, request.headers.get("accept"))
    operation = read_request(request.method, request.scope["query_string"], request.headers.get("content-type"), body)
    if operation is None and request.method == "GET" and _wants_page(accept):
        return RedirectResponse(request.url_for("editor_page"), status_code=303, headers={"Vary": "Accept"})
    if operation is None:
        return service_description(request, repository, settings, accept)
    if isinstance(operation, QueryOperation):
        graphs = operation.default_graphs, operation.named_graphs
        return await answer(engine, query_request(settings, operation.query, accept, *graphs, base_iri=_endpoint(request)))
    require_writer(request, settings)
    check_outbound(operation.update, settings.service_allowlist)
    summary = await run_in_threadpool(_apply_update, repository, operation, _endpoint(request))
    return Response(status_code=204, headers={"X-Graph-Version": str(summary["version"])})
