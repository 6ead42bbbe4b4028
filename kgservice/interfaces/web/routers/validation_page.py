"""The SHACL validation report of the current graph, grouped by shape, with links to the focus nodes.

Validation takes seconds, so the report is computed on demand and kept on app.state for the graph
version it describes; a commit makes a new version and the next visit computes a new report.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

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


async def current_report(request: Request) -> CachedReport:
    """The report of the current graph version: the cached one, or a new one (one computation at a time)."""
    state = request.app.state
    if getattr(state, "validation_lock", None) is None:
        state.validation_lock = asyncio.Lock()
    repository: GraphRepository = state.repository
    async with state.validation_lock:
        cached: CachedReport | None = getattr(state, "validation_report", None)
        if cached is None or cached.version != repository.version:
            layout = Layout(state.catalogue.folder.parent)
            version, report, seconds = await run_in_threadpool(validate_repository, repository, layout)
            cached = state.validation_report = CachedReport(version, report, seconds)
        return cached


@router.get("/validation", summary="SHACL validation report of the current graph (HTML)", response_class=Response)
async def validation(request: Request) -> Response:
    """Every validation result grouped by the shape it breaks, each focus node linked to its page."""
    cached = await current_report(request)
    return render(request, "validation.html", cached=cached, groups=cached.report.by_shape())
