"""The servers of the overhead breakdown (benchmarks.overhead): `python -m benchmarks.overhead_servers LAYER PORT`.

Each runs on uvicorn as `kgservice serve` runs the service (the same bounded httptools transport, uvloop, no
access log), on the bundled data in memory, with an empty user data folder:
- `uvicorn`: no service at all, an ASGI function that reads the request and answers a fixed 26-byte result;
- `no-evaluation`: the whole service, whose query engine answers that fixed result without evaluating;
- `in-process`: the whole service, whose queries the embedded engine evaluates on the event loop, in the
  server's own process: no worker, hence no deadline and no stop for a runaway query. It exists only to be
  measured beside the next one;
- `service`: the service as it is shipped, its queries answered by the worker pool.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from kgservice.config import Settings
from kgservice.engine.base import QueryEngine, QueryRequest, Serialized
from kgservice.engine.embedded import OxigraphStore
from kgservice.engine.worker import load_snapshot
from kgservice.interfaces.app import create_app
from kgservice.interfaces.cli.main import MAX_HEADER_BYTES
from kgservice.interfaces.http.transport import bounded_protocol

FIXED = Serialized(b'{"head":{},"boolean":true}', "application/sparql-results+json")


class Substitute:
    """The service's query engine for the HTTP edge replaced; everything else (closing, health) is the pool's."""

    def __init__(self, pool: QueryEngine) -> None:
        self.pool = pool

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pool, name)


class NoEvaluation(Substitute):
    async def answer(self, request: QueryRequest) -> Serialized:
        return FIXED


class InProcess(Substitute):
    def __init__(self, pool: QueryEngine, snapshot: Path) -> None:
        super().__init__(pool)
        self.store = OxigraphStore(engine=load_snapshot(snapshot))

    async def answer(self, request: QueryRequest) -> Serialized:
        return self.store.serialize(request)


async def fixed_answer(scope: Scope, receive: Receive, send: Send) -> None:
    """The `uvicorn` layer: read the request, answer the fixed result (and start and stop when told)."""
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    while (await receive()).get("more_body"):
        pass
    headers = [(b"content-type", FIXED.media_type.encode()), (b"content-length", str(len(FIXED.body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": FIXED.body})


def with_engine(app: FastAPI, substitute: Callable[[Any], object]) -> FastAPI:
    """The app, its query engine replaced by `substitute(app.state)` once the service has started."""
    started = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(running: Any) -> AsyncIterator[None]:
        async with started(running):
            running.state.engine = substitute(running.state)
            yield

    app.router.lifespan_context = lifespan
    return app


def layer_app(layer: str, user_data: Path) -> ASGIApp:
    if layer == "uvicorn":
        return fixed_answer
    app = create_app(Settings(user_data=user_data))
    if layer == "no-evaluation":
        return with_engine(app, lambda state: NoEvaluation(state.engine))
    if layer == "in-process":
        return with_engine(app, lambda state: InProcess(state.engine, state.repository.snapshot()[0]))
    if layer == "service":
        return app
    raise SystemExit(f"unknown layer {layer!r}: uvicorn, no-evaluation, in-process or service")


def main(argv: list[str]) -> None:
    layer, port = argv[0], int(argv[1])
    with tempfile.TemporaryDirectory(prefix="kgservice-overhead-") as user_data:
        app = layer_app(layer, Path(user_data))
        uvicorn.run(app, host="127.0.0.1", port=port, log_level="info", access_log=False, http=bounded_protocol(MAX_HEADER_BYTES))


if __name__ == "__main__":  # the worker processes are spawned: they import this module without running it
    main(sys.argv[1:])
