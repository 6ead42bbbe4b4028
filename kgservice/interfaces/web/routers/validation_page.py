"""The SHACL validation report of the current graph, grouped by shape, with links to the focus nodes.

Validation takes seconds (7 to 36 on the machines tried), so the report is computed in the background,
one computation at a time, and kept on app.state for the graph version it describes; a commit makes a new
version and the next visit starts a new report. A visit waits for it at most WAIT seconds; after that the
page says the report is being computed and reloads itself until it is there.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import State

from kgservice.checks.validation import ValidationReport, load_shapes, validate_graph
from kgservice.engine.repository import GraphRepository
from kgservice.interfaces.web.templating import render
from kgservice.project.layout import Layout
from kgservice.project.loading import union_graph

router = APIRouter(tags=["Web pages"])


@dataclass(frozen=True)
class CachedReport:
    """A report and the graph version it is of."""

    version: int
    report: ValidationReport
    seconds: float


def validate_repository(repository: GraphRepository, layout: Layout) -> tuple[int, ValidationReport, float]:
    """Validate the whole current graph (all named graphs as one) against the shapes of `layout`."""
    started = time.monotonic()
    version = repository.version
    store = ox.Store()
    store.load(repository.dump(ox.RdfFormat.N_QUADS, None), format=ox.RdfFormat.N_QUADS)
    report = validate_graph(union_graph(store), load_shapes(layout.shapes_dir))
    return version, report, time.monotonic() - started


# Seconds a visit waits for a report being computed before the page says so; then every REFRESH seconds the
# page reloads itself.
WAIT = 1.0
REFRESH = 2


@dataclass
class Validation:
    """The last report computed (None before the first) and the computation under way, if any."""

    cached: CachedReport | None = None
    running: asyncio.Task[CachedReport] | None = None
    started: float = 0.0


async def _compute(repository: GraphRepository, layout: Layout) -> CachedReport:
    return CachedReport(*await run_in_threadpool(validate_repository, repository, layout))


def _validation(state: State) -> Validation:
    if getattr(state, "validation", None) is None:
        state.validation = Validation()
    found: Validation = state.validation
    return found


def _start(validation: Validation, state: State) -> asyncio.Task[CachedReport]:
    """The computation under way, or a new one of the current version; its report is kept when it ends,
    whether or not a visit still waits for it."""
    if validation.running is None or validation.running.done():
        layout = Layout(state.catalogue.folder.parent)
        task = asyncio.create_task(_compute(state.repository, layout))

        def keep(done: asyncio.Task[CachedReport]) -> None:
            if not done.cancelled() and done.exception() is None:
                validation.cached = done.result()

        task.add_done_callback(keep)
        validation.running, validation.started = task, time.monotonic()
    return validation.running


async def current_report(request: Request, wait: float | None = None) -> CachedReport | None:
    """The report of the current graph version: the cached one, or the one being computed if it is ready
    within `wait` seconds (WAIT); None while it is not. A computation that failed raises its error here."""
    state = request.app.state
    validation, version = _validation(state), state.repository.version
    if validation.cached is not None and validation.cached.version == version:
        return validation.cached
    task = _start(validation, state)
    await asyncio.wait({task}, timeout=WAIT if wait is None else wait)
    if not task.done():
        return None
    report = task.result()  # the computation's error, if it failed (the next visit starts a new one)
    return report if report.version == version else await current_report(request, wait)


@router.get("/validation", summary="SHACL validation report of the current graph (HTML)", response_class=Response)
async def validation(request: Request) -> Response:
    """Every validation result grouped by the shape it breaks, each focus node linked to its page; while the
    report is computed, a page that says so and reloads itself."""
    cached = await current_report(request)
    if cached is None:
        running = _validation(request.app.state)
        pending = render(
            request,
            "validation_pending.html",
            version=request.app.state.repository.version,
            seconds=f"{time.monotonic() - running.started:.0f}",
            refresh=REFRESH,
        )
        pending.headers["Cache-Control"] = "no-store"
        return pending
    return render(request, "validation.html", cached=cached, groups=cached.report.by_shape())
