"""HEAD answered as GET without its body (RFC 9110 9.3.2) on every route that answers GET only.

FastAPI, unlike Starlette, gives a GET route no HEAD, so link checkers and `curl -I` met 405 on every page.
Routes that answer HEAD themselves (the SPARQL endpoint, the Graph Store) are left to do so.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """An ASGI middleware: a HEAD request that no route answers as HEAD but one answers as GET runs as that
    GET, and the response keeps its status and headers (Content-Length included) without its body."""

    def __init__(self, app: ASGIApp, routes: list[BaseRoute]) -> None:
        self.app, self.routes = app, routes

    def _answers(self, scope: Scope) -> bool:
        return any(route.matches(scope)[0] == Match.FULL for route in self.routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD" or self._answers(scope):
            await self.app(scope, receive, send)
            return
        as_get = {**scope, "method": "GET"}
        if not self._answers(as_get):
            await self.app(scope, receive, send)  # 404 or 405 as before
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(as_get, receive, without_body)
