"""The app factory: settings in, a FastAPI app out. It only wires: the graph (repository and query
engine, opened by kgservice.project.open in the lifespan hook) is kept on app.state, one router per
resource, and every domain error is mapped to an HTTP status in one place (`kgservice.errors.http_status`)."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kgservice import __version__
from kgservice.checks.process import validator_process
from kgservice.config import Settings
from kgservice.errors import KgServiceError, ServiceBusy, WriteRejected, http_status
from kgservice.interfaces.http.drafts import Drafts
from kgservice.interfaces.http.head import HeadAsGet
from kgservice.interfaces.http.routers import coherence, graph_store, health, queries, sparql, strategies, suggestions
from kgservice.interfaces.http.sparql_path import SparqlPath
from kgservice.interfaces.web.i18n import page_language
from kgservice.interfaces.web.routers import (
    api_docs,
    compare_page,
    concepts,
    dashboard,
    editor,
    entity,
    home,
    import_page,
    ontology,
    search,
    sources,
    suggestions_page,
    validation_page,
)
from kgservice.interfaces.web.routers.api_docs import DOCS_PATHS, DOCS_POLICY
from kgservice.project.layout import Layout, default_layout, default_user_dir
from kgservice.project.open import open_graph
from kgservice.project.writeback import UserFiles
from kgservice.sparql.catalogue import Catalogue
from kgservice.translation import N_, translator

log = logging.getLogger(__name__)


# The pages load only their own scripts (the JSON data blocks are not run); style attributes in the
# templates and YASGUI's own need 'unsafe-inline' styles. No page may be framed (clickjacking).
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# /docs and /redoc have a policy of their own (api_docs.DOCS_POLICY): Swagger UI's inline start script, by its hash.


class SecurityHeaders:
    """Adds the browser protections (CSP, no framing, no sniffing, no referrer to other sites) to every
    response; a plain ASGI middleware, so it costs no task per request and leaves streaming alone."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_POLICY if str(scope.get("path", "")).startswith(DOCS_PATHS) else PAGE_POLICY
        extra = [
            (b"content-security-policy", policy.encode()),
            (b"x-frame-options", b"DENY"),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
        ]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Service(FastAPI):
    """The FastAPI app with the browser protections outermost: Starlette answers an unexpected error (500) in
    its ServerErrorMiddleware, outside every middleware added to the app, where they would not reach it."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


def _error_response(request: Request, status: int, message: str, **extra: object) -> Response:
    if request.url.path.startswith("/api/") or extra:
        return JSONResponse({"error": message, **extra}, status_code=status)
    return PlainTextResponse(message + "\n", status_code=status)


def domain_error_response(request: Request, error: KgServiceError) -> Response:
    """The one mapping of a domain error to a response, for the routes and for the SPARQL path: its status, its
    message in the request's language (?lang=, the cookie, Accept-Language, else English), and what a client
    needs to act on it (the violations of a rejected write, Retry-After of a full queue)."""
    message = error.localized(page_language(request))
    if isinstance(error, WriteRejected):
        return _error_response(request, http_status(error), message, report=error.report_text, violations=error.violations)
    response = _error_response(request, http_status(error), message)
    if isinstance(error, ServiceBusy):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


# Where a validation problem is, in the words of the error message (pydantic's own text, after it, is English).
_PLACES = {"query": N_("query parameter"), "body": N_("body field"), "path": N_("path parameter"), "header": N_("header")}


def _problem(problem: Mapping[str, Any], lang: str = "en") -> str:
    """One of FastAPI's validation problems as a sentence: where (query parameter, body field) and what."""
    where, *path = [str(part) for part in problem.get("loc", ())] or ["request"]
    place = translator(lang).gettext(_PLACES[where]) if where in _PLACES else where
    return f"{place} {'.'.join(path)}: {problem.get('msg', 'invalid')}".replace("  ", " ")


def _install_error_handlers(app: FastAPI) -> None:
    async def handle(request: Request, error: Exception) -> Response:
        assert isinstance(error, KgServiceError)
        return domain_error_response(request, error)

    async def unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        message = translator(page_language(request)).gettext("internal error; the service log has the details")
        return _error_response(request, 500, message)

    async def invalid(request: Request, error: Exception) -> Response:
        problems = error.errors() if isinstance(error, RequestValidationError) else []
        message = "; ".join(_problem(p, page_language(request)) for p in problems) or str(error)
        return _error_response(request, 422, message, detail=jsonable_encoder(problems))

    app.add_exception_handler(KgServiceError, handle)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(Exception, unexpected)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service; the graph is opened when the app starts and closed when it stops."""
    settings = settings or Settings()
    project = Layout(settings.root) if settings.root else default_layout()
    layout = project.with_user_dir(settings.user_data or default_user_dir())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        repository, engine = await run_in_threadpool(open_graph, settings, layout)
        validator = None
        if settings.validate_writes and settings.writes_enabled:
            # pySHACL in a process of its own: a write's validation never holds this process's GIL
            validator = await run_in_threadpool(validator_process, layout.shapes_dir)
            repository.validator = validator
        app.state.settings, app.state.repository, app.state.engine = settings, repository, engine
        app.state.catalogue = Catalogue(layout.queries_dir)
        app.state.layout = layout  # the source pages and /ontology read files of the tree and the user data directory
        app.state.user_files = UserFiles(layout)  # the user graphs' files, rewritten after each commit that changes one
        app.state.drafts = Drafts()  # strategy uploads waiting for review (POST /api/strategies), bounded
        # What exists now lives as long as the service: out of the collector's sight, a full collection no longer
        # walks it (170,000 objects, 50 ms a collection at 1M, in the middle of a request); back at shutdown.
        gc.collect()
        gc.freeze()
        yield
        gc.unfreeze()
        engine.close()
        if validator is not None:
            validator.close()

    app = Service(
        title="kgservice",
        version=__version__,
        lifespan=lifespan,
        description="SPARQL 1.1 endpoint and named queries over a knowledge graph of public development strategies.",
        docs_url=None,  # served by api_docs from the service's own copies of Swagger UI and ReDoc, not a CDN
        redoc_url=None,
        # FastAPI's OpenTelemetry bridge would trace, measure and log each request to any provider configured in
        # the process (or auto-configured by FASTAPI_OTEL_AUTO_CONFIGURE), an exporter that sends data out; the
        # service sends nothing out, and asking whether a provider is set cost every request 0.03 ms.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    # innermost: the SPARQL endpoint's requests skip the router's per-request machinery (sparql_path)
    app.add_middleware(
        SparqlPath, endpoint=sparql.sparql, on_error=domain_error_response, methods=frozenset(sparql.ALLOW.split(", "))
    )
    app.add_middleware(HeadAsGet, routes=app.router.routes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Accept", "Authorization"],
        )
    for module in (
        sparql,
        graph_store,
        queries,
        health,
        coherence,
        suggestions,
        strategies,
        home,
        entity,
        editor,
        dashboard,
        suggestions_page,
        import_page,
        validation_page,
        sources,
        ontology,
        search,
        concepts,
        compare_page,
        api_docs,
    ):
        app.include_router(module.router)
    _install_error_handlers(app)
    return app
