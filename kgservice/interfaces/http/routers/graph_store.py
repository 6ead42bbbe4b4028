"""The SPARQL 1.1 Graph Store HTTP Protocol at /rdf-graphs: read graphs freely, change them with the token.

Indirect identification: /rdf-graphs?graph=IRI or /rdf-graphs?default. Direct identification: the
request URL /rdf-graphs/<path> is the graph's IRI. Writes are validated and committed whole, like
updates; a body that does not parse is refused with its line and column and changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from email.parser import BytesParser
from email.policy import HTTP
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from kgservice.engine.repository import GraphRepository
from kgservice.errors import MalformedRequest, NotAcceptable, NotFound, UnsupportedMediaType
from kgservice.interfaces.deps import RepositoryDep, SettingsDep, read_body, require_writer
from kgservice.interfaces.http.openapi import GRAPHS, Responses, errors
from kgservice.rdf.isolated import parse_isolated
from kgservice.rdf.media import GRAPH_FORMATS, choose, requested
from kgservice.translation import N_

router = APIRouter(prefix="/rdf-graphs", tags=["Graph Store"])
DEFAULT = ox.DefaultGraph()
Target = ox.NamedNode | ox.DefaultGraph
_TRIPLE_FORMATS = [m for m in GRAPH_FORMATS if m not in ("application/n-quads", "application/trig")]
_SENDABLE = [*_TRIPLE_FORMATS, "multipart/form-data"]


class GraphQuery(BaseModel):
    """The query string of a Graph Store request: which graph (indirect identification), which format."""

    graph: str | None = Field(default=None, description="the IRI of the graph (indirect identification)")
    default: str | None = Field(default=None, description="present, with no value (?default): the default graph")
    format: str | None = Field(
        default=None, description="the answer's format, a media type or a short name (turtle, nt, jsonld, rdfxml, nq, trig)"
    )


GraphQueryParams = Annotated[GraphQuery, Query()]


def _target(request: Request, path: str | None, query: GraphQuery) -> Target | None:
    if path:
        try:
            return ox.NamedNode(str(request.url.replace(query="")))
        except ValueError as error:
            raise MalformedRequest(N_("this URL is not an IRI a graph can have: %(error)s"), error=error) from None
    graph, has_default = query.graph, query.default is not None
    if graph and has_default:
        raise MalformedRequest(N_("give either ?graph=IRI or ?default, not both"))
    if graph:
        try:
            return ox.NamedNode(graph)
        except ValueError as error:
            raise MalformedRequest(N_("the graph parameter is not an absolute IRI: %(error)s"), error=error) from None
    return DEFAULT if has_default else None


def _rdf_format(media: str, filename: str | None = None) -> ox.RdfFormat:
    rdf_format = ox.RdfFormat.from_media_type(media) if media else None
    if rdf_format is None and filename and "." in filename:
        rdf_format = ox.RdfFormat.from_extension(filename.rsplit(".", 1)[1])
    if rdf_format is None:
        raise UnsupportedMediaType(
            N_("unsupported Content-Type %(media)r; send one of: %(types)s"), media=media, types=", ".join(_SENDABLE)
        )
    return rdf_format


def _parse_rdf(body: bytes, rdf_format: ox.RdfFormat, graph: Target, source: str) -> list[ox.Quad]:
    """The body's triples in `graph`, parsed in a child process (a parser that dies takes only it along)."""
    triples = parse_isolated(body, rdf_format, graph.value if isinstance(graph, ox.NamedNode) else None, source)
    return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]


def _multipart(body: bytes, content_type: str, graph: Target) -> list[ox.Quad]:
    """Each part of a multipart/form-data upload, parsed by its own Content-Type or file extension."""
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    if not message.is_multipart():
        raise MalformedRequest(N_("the multipart/form-data body has no parts (check the boundary)"))
    quads: list[ox.Quad] = []
    for number, part in enumerate(message.iter_parts(), start=1):
        payload = part.get_payload(decode=True)
        media = part.get_content_type() if part.get("Content-Type") else ""
        quads += _parse_rdf(
            payload if isinstance(payload, bytes) else b"", _rdf_format(media, part.get_filename()), graph, f"part {number}"
        )
    return quads


def _parse_body(body: bytes, content_type: str | None, graph: Target) -> list[ox.Quad]:
    media = (content_type or "").split(";")[0].strip().lower()
    if media == "multipart/form-data":
        return _multipart(body, content_type or "", graph)
    return _parse_rdf(body, _rdf_format(media), graph, N_("request body"))  # a place, in the language of the answer


def _read(request: Request, repository: GraphRepository, graph: Target | None, head: bool, fmt: str | None) -> Response:
    if graph is None:
        media = choose(
            requested(fmt, request.headers.get("accept")),
            ["application/n-quads", "application/trig"],
        )
        if media is None:
            raise NotAcceptable(N_("the whole dataset is available as application/n-quads or application/trig"))
        body = b"" if head else repository.dump(GRAPH_FORMATS[media], None)
        return Response(body, media_type=media, headers={"Vary": "Accept"})
    if not repository.has_graph(graph):
        raise NotFound(N_("no graph %(graph)s"), graph=graph)
    media = choose(requested(fmt, request.headers.get("accept")), _TRIPLE_FORMATS)
    if media is None:
        raise NotAcceptable(N_("graphs are available as: %(formats)s"), formats=", ".join(_TRIPLE_FORMATS))
    body = b"" if head else repository.dump(GRAPH_FORMATS[media], graph)
    return Response(body, media_type=media, headers={"Vary": "Accept"})


def _write(repository: GraphRepository, method: str, graph: Target, quads: list[ox.Quad]) -> int:
    existed = repository.has_graph(graph)
    if method == "DELETE" and not existed:
        raise NotFound(N_("no graph %(graph)s"), graph=graph)

    def change(staging: ox.Store) -> None:
        if method in ("PUT", "DELETE"):
            if isinstance(graph, ox.DefaultGraph):
                staging.clear_graph(graph)
            elif staging.contains_named_graph(graph):
                staging.remove_graph(graph)
        if method in ("PUT", "POST"):
            staging.extend(quads)
            if isinstance(graph, ox.NamedNode) and not staging.contains_named_graph(graph):
                staging.add_graph(graph)

    repository.commit(change)
    return 201 if method in ("PUT", "POST") and not existed else 204


async def _handle(
    request: Request, repository: GraphRepository, settings: SettingsDep, path: str | None, query: GraphQuery
) -> Response:
    graph = _target(request, path, query)
    if request.method in ("GET", "HEAD"):
        return _read(request, repository, graph, request.method == "HEAD", query.format)
    require_writer(request, settings)
    body = await read_body(request, settings.max_upload_bytes)
    location = None
    if graph is None:
        if request.method != "POST":
            raise MalformedRequest(N_("name the graph with ?graph=IRI or ?default"))
        location = str(request.url.replace(query="")).rstrip("/") + "/" + uuid.uuid4().hex
        graph = ox.NamedNode(location)
    # Parsing waits for a child process: in a thread, so /health and the queries go on meanwhile.
    content_type = request.headers.get("content-type")
    quads = await run_in_threadpool(_parse_body, body, content_type, graph) if request.method != "DELETE" else []
    status = await run_in_threadpool(_write, repository, request.method, graph, quads)
    return Response(status_code=status, headers={"Location": location} if location else None)


_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            **{m: {"schema": {"type": "string"}} for m in _TRIPLE_FORMATS},
            "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
        },
    }
}
_RESPONSES: dict[str, Responses] = {
    "GET": {200: {"description": "the graph, or the whole dataset", "content": GRAPHS}, **errors(400, 404, 406, 422, json=False)},
    "PUT": {
        201: {"description": "the graph was created"},
        204: {"description": "the graph was replaced"},
        **errors(400, 401, 403, 413, 415, 422, 503, 507, json=False),
    },
    "POST": {
        201: {"description": "the graph was created (its IRI in Location, when none was named)"},
        204: {"description": "the triples were added to the graph"},
        **errors(400, 401, 403, 413, 415, 422, 503, 507, json=False),
    },
    "DELETE": {204: {"description": "the graph was deleted"}, **errors(400, 401, 403, 404, 422, 503, 507, json=False)},
}
_RESPONSES["HEAD"] = _RESPONSES["GET"]
ALLOW = "DELETE, GET, HEAD, POST, PUT"


def _other_methods() -> None:
    """One route per method keeps the schema's operation ids unique; the other methods get 405 and the
    Allow header, as one route with all five methods gave them."""
    raise HTTPException(405, headers={"Allow": ALLOW})


async def graph_store(request: Request, repository: RepositoryDep, settings: SettingsDep, query: GraphQueryParams) -> Response:
    """Read or change the graph named by ?graph=IRI, the default graph (?default), or the whole dataset."""
    return await _handle(request, repository, settings, None, query)


async def graph_store_direct(
    path: str, request: Request, repository: RepositoryDep, settings: SettingsDep, query: GraphQueryParams
) -> Response:
    """Read or change the graph whose IRI is this request's URL."""
    return await _handle(request, repository, settings, path, query)


def _register(path: str, endpoint: Callable[..., Awaitable[Response]], name: str, how: str) -> None:
    for method, responses in _RESPONSES.items():
        router.add_api_route(
            path,
            endpoint,
            methods=[method],
            name=name,
            status_code={"PUT": 201, "POST": 201, "DELETE": 204}.get(method, 200),
            response_class=Response,
            operation_id=f"{name}_{method.lower()}",
            summary=f"Graph store {method}, {how} graph identification",
            responses=responses,
            openapi_extra=_BODY if method in ("PUT", "POST") else None,
        )
    router.add_api_route(path, _other_methods, methods=["PATCH", "OPTIONS"], include_in_schema=False)


_register("", graph_store, "graph_store", "indirect")
_register("/{path:path}", graph_store_direct, "graph_store_direct", "direct")
