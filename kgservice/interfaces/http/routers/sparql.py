"""The SPARQL 1.1 endpoint: queries (GET, POST form, POST direct), updates (POST, with the write token),
and the service description (GET with no query)."""

from __future__ import annotations

import functools

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import URL

from kgservice.config import Settings
from kgservice.engine.base import QueryEngine
from kgservice.engine.commit import data_operations
from kgservice.engine.embedded import query_syntax_error
from kgservice.engine.repository import GraphRepository, commit_evaluated
from kgservice.engine.sandbox import run_update
from kgservice.errors import MalformedRequest, NotAcceptable, StoreError, UpdateConflict
from kgservice.interfaces.deps import FORMAT_DESCRIPTION, read_body, require_writer, service
from kgservice.interfaces.http.execution import answer, query_request, screened
from kgservice.interfaces.http.openapi import RESULTS_OR_GRAPH, Responses, errors
from kgservice.interfaces.http.protocol import DescriptionRequest, QueryOperation, UpdateOperation, read_request
from kgservice.interfaces.http.service_description import describe
from kgservice.rdf.media import GRAPH_FORMATS, choose, requested
from kgservice.sparql.diagnosis import UPDATE_SOURCE, clarified
from kgservice.sparql.lexer import add_using
from kgservice.sparql.limits import check_nesting
from kgservice.sparql.screening import check_update
from kgservice.translation import N_

router = APIRouter(tags=["SPARQL"])
PREFIXES = {
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "void": "http://rdfs.org/ns/void#",
    "formats": "http://www.w3.org/ns/formats/",
}


def _endpoint(request: Request) -> str:
    """The endpoint's own URL, the base IRI of queries and updates (SPARQL 1.1 Protocol 2.1.4, 2.2.4)."""
    scope = request.scope
    server = scope.get("server")  # [host, port] or (host, port) in ASGI
    host = request.headers.get("host")
    parts = (scope.get("scheme", "http"), tuple(server) if server else None, host, scope.get("root_path", ""), scope["path"])
    # a Host header no name is as long as is made each time: 256 of them, up to 64 KiB each, would stay in the cache
    return _url(*parts) if host is None or len(host) <= _HOST_CHARS else _url.__wrapped__(*parts)


_HOST_CHARS = 263  # a DNS name (253) with a port


@functools.lru_cache(maxsize=256)
def _url(scheme: str, server: tuple[str, int | None] | None, host: str | None, root_path: str, path: str) -> str:
    """The URL Starlette makes of these parts of a request (the Host header checked as it checks it), made once:
    building it took 0.03-0.05 ms of every query, for the few values one endpoint is reached by."""
    headers = [(b"host", host.encode("latin-1"))] if host is not None else []
    scope = {"type": "http", "scheme": scheme, "server": server, "headers": headers, "root_path": root_path, "path": path}
    return str(URL(scope=scope))


_DESCRIPTION_FORMATS = [m for m in GRAPH_FORMATS if m not in ("application/n-quads", "application/trig")]


def _wants_page(accept: str | None) -> bool:
    """A browser (text/html preferred to every RDF format; a tie goes to RDF) asks for the query editor."""
    return choose(accept, [*_DESCRIPTION_FORMATS, "text/html"]) == "text/html"


def service_description(request: Request, repository: GraphRepository, settings: Settings, accept: str | None) -> Response:
    media = choose(accept, _DESCRIPTION_FORMATS)
    if media is None:
        raise NotAcceptable(N_("the service description is available as: %(formats)s"), formats=", ".join(GRAPH_FORMATS))
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
    except ValueError as error:  # pyoxigraph's reason the IRI is not one
        raise MalformedRequest(str(error)) from None
    return add_using(operation.update, using, using_named)  # MalformedRequest for an update with its own USING


def _apply_update(repository: GraphRepository, engine: QueryEngine, operation: UpdateOperation, base_iri: str) -> dict[str, int]:
    # Both checks run here, off the event loop: they are linear but read up to a whole body.
    check_nesting(operation.update, "update")  # before any parser: updates are parsed in this process
    text = _with_using(operation)
    check_update(text)
    if data_operations(text) is None:  # a WHERE, CLEAR, DROP...: evaluated in a query worker, as a delta
        evaluated = commit_evaluated(repository, lambda: engine.update_delta(text, base_iri))
        if evaluated is not None:
            return {"version": evaluated.version, "removed": evaluated.removed, "added": evaluated.added}

    def change(staging: ox.Store) -> None:
        try:
            run_update(staging, text, base_iri)  # in a thread with no network: LOAD cannot fetch anything
        except SyntaxError as error:
            raise clarified(query_syntax_error(error, UPDATE_SOURCE), text) from None
        except OSError as error:
            raise StoreError(str(error)) from error
        except RuntimeError as error:
            # pyoxigraph's evaluation errors (CREATE of an existing graph, DROP of a missing one) are
            # about the request against the graph's state, not a fault of the service.
            raise UpdateConflict(N_("the update cannot be applied: %(error)s"), error=error) from None

    result = repository.commit(change)
    return {"version": result.version, "removed": result.removed, "added": result.added}


_GRAPH_LIST = {"type": "array", "items": {"type": "string"}}
# Read by the protocol module with the operation, as a POST form may carry them too; documented here, since
# the endpoint declares no parameters of its own (FastAPI's solving of two cost every query 0.14 ms).
_FORMAT_PARAMETERS = [
    {"name": "format", "in": "query", "schema": {"type": "string"}, "description": FORMAT_DESCRIPTION},
    {
        "name": "output",
        "in": "query",
        "schema": {"type": "string"},
        "description": "the same as format, as some SPARQL clients name it",
    },
]
_QUERY_PARAMETERS = [
    *_FORMAT_PARAMETERS,
    {
        "name": "query",
        "in": "query",
        "schema": {"type": "string"},
        "description": "a SPARQL query; none: the service description",
    },
    {"name": "default-graph-uri", "in": "query", "schema": _GRAPH_LIST, "description": "graphs merged into the default graph"},
    {"name": "named-graph-uri", "in": "query", "schema": _GRAPH_LIST, "description": "the named graphs of the dataset"},
]
_FORM = {
    "type": "object",
    "properties": {
        "query": {"type": "string"},
        "update": {"type": "string"},
        "default-graph-uri": _GRAPH_LIST,
        "named-graph-uri": _GRAPH_LIST,
        "using-graph-uri": _GRAPH_LIST,
        "using-named-graph-uri": _GRAPH_LIST,
    },
}
_POST_BODY = {
    "parameters": _FORMAT_PARAMETERS,
    "requestBody": {
        "required": True,
        "content": {
            "application/sparql-query": {"schema": {"type": "string"}},
            "application/sparql-update": {"schema": {"type": "string"}},
            "application/x-www-form-urlencoded": {"schema": _FORM},
        },
    },
}
_READ: Responses = {
    200: {"description": "the query's answer, or the service description", "content": RESULTS_OR_GRAPH},
    303: {"description": "a browser (text/html preferred) is sent to the query editor"},
    **errors(400, 403, 406, 413, 422, 503, json=False),
}
_POST: Responses = {
    200: {"description": "the query's answer", "content": RESULTS_OR_GRAPH},
    204: {"description": "the update was applied; X-Graph-Version is the graph's new version"},
    **errors(400, 401, 403, 406, 409, 413, 415, 422, 503, 507, json=False),
}
ALLOW = "GET, HEAD, POST"


# Requests of these three methods are answered by `interfaces.http.sparql_path`, ahead of the router, with this
# same function; the routes declare them for the API description and `url_for`.
@router.get(
    "/sparql",
    operation_id="sparql_get",
    response_class=Response,
    summary="SPARQL query by GET",
    responses=_READ,
    openapi_extra={"parameters": _QUERY_PARAMETERS},
)
@router.head(
    "/sparql",
    operation_id="sparql_head",
    response_class=Response,
    summary="SPARQL query by HEAD",
    responses=_READ,
    openapi_extra={"parameters": _QUERY_PARAMETERS},
)
@router.post(
    "/sparql",
    operation_id="sparql_post",
    response_class=Response,
    summary="SPARQL query or update by POST",
    responses=_POST,
    openapi_extra=_POST_BODY,
)
async def sparql(request: Request) -> Response:
    """Answer a query or an update as the SPARQL 1.1 Protocol says; with no query, describe the service."""
    # read from app.state here, not as three dependencies: FastAPI's solving of each costs every query
    repository, engine, settings = service(request)
    # The operation itself (query, update, the graph IRIs, `format`) is read by the protocol module: the
    # protocol refuses a repeated query or update, and a POST form holds them in its body.
    body = await read_body(request, settings.max_request_bytes)
    operation = read_request(request.method, request.scope["query_string"], request.headers.get("content-type"), body)
    if isinstance(operation, DescriptionRequest):
        accept = requested(operation.format, request.headers.get("accept"))
        if request.method == "GET" and _wants_page(accept):
            return RedirectResponse(request.url_for("editor_page"), status_code=303, headers={"Vary": "Accept"})
        return service_description(request, repository, settings, accept)
    if isinstance(operation, QueryOperation):
        graphs = operation.default_graphs, operation.named_graphs
        accept = requested(operation.format, request.headers.get("accept"))
        # a long query is screened in a thread: a 1 MB query takes the screen a fraction of a second
        screen = functools.partial(
            query_request, settings, operation.query, accept, *graphs, base_iri=_endpoint(request), format_param=operation.format
        )
        query = await screened(operation.query, screen)
        return await answer(engine, query, request)
    require_writer(request, settings)
    summary = await run_in_threadpool(_apply_update, repository, engine, operation, _endpoint(request))
    return Response(status_code=204, headers={"X-Graph-Version": str(summary["version"])})


@router.api_route("/sparql", methods=["PUT", "DELETE", "PATCH", "OPTIONS"], include_in_schema=False)
async def sparql_other_methods() -> Response:
    """One route per method keeps the schema's operation ids unique; this one answers the other methods
    with 405 and the Allow header, as one route with all three methods did."""
    raise HTTPException(405, headers={"Allow": ALLOW})
