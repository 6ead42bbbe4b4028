"""The SPARQL endpoint's own requests (GET, HEAD and POST of `/sparql`), answered ahead of FastAPI's router.

Every query an analyst's tool sends comes this way, so each request's cost over the engine counts. FastAPI's
route machinery (the route's inclusion context, two exit stacks, its exception wrapper) cost 0.1-0.2 ms a
query, for an endpoint that reads its own request and declares no parameters. This middleware calls the
same endpoint function with the request and answers its domain errors with the app's one error mapping;
any other error goes on to the app's handler of unexpected errors, as from a route. The route itself stays
declared in the router, which is where the API description (`/openapi.json`) and `url_for` find it, and the
other methods (405 with Allow) are still answered there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from kgservice.errors import KgServiceError

Endpoint = Callable[[Request], Awaitable[Response]]
ErrorResponse = Callable[[Request, KgServiceError], Response]
PATH = "/sparql"


class SparqlPath:
    """An ASGI middleware: `endpoint` answers the SPARQL endpoint's requests of `methods`, `on_error` its
    domain errors."""

    def __init__(self, app: ASGIApp, endpoint: Endpoint, on_error: ErrorResponse, methods: frozenset[str]) -> None:
        self.app, self.endpoint, self.on_error, self.methods = app, endpoint, on_error, methods

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # behind a root path, the router's own matching applies (the service sets none)
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] not in self.methods or scope.get("root_path"):
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive, send)
        try:
            response = await self.endpoint(request)
        except KgServiceError as error:
            response = self.on_error(request, error)
        await response(scope, receive, send)
