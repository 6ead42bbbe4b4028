"""The comparison of two strategies of any level and language, as `kgservice compare` and GET /api/compare give
it: the themes and target groups both address and those only one does, with the elements behind each
figure and an overlap score (kgservice.analysis.coherence.compare)."""

from __future__ import annotations

from typing import Any, cast

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from kgservice.analysis.coherence import compare
from kgservice.analysis.coherence.report import ComparisonReport, Lang, comparison_report
from kgservice.analysis.coherence.source import normalize, read_scope, strategy_iri
from kgservice.errors import InputError
from kgservice.interfaces.web.data import PageData, PageDataDep, with_elements
from kgservice.interfaces.web.i18n import page_language
from kgservice.interfaces.web.templating import render
from kgservice.rdf.namespaces import expand

router = APIRouter(tags=["Web pages"])


def _report(data: PageData, a: str, b: str, lang: Lang) -> ComparisonReport:
    names = [normalize(a), normalize(b)]
    graph = read_scope(data.engine, data.named, names, names, 1)
    return comparison_report(graph, compare(graph, strategy_iri(graph, a), strategy_iri(graph, b)), lang)


@router.get("/compare", summary="Shared and distinct themes and target groups of two strategies (HTML)", response_class=Response)
async def compare_page(request: Request, data: PageDataDep, a: str | None = None, b: str | None = None) -> Response:
    """Two strategies chosen: their overlap, each concept with its side, counts, shares and elements, and their links."""
    lang = page_language(request)
    everything, _pairs = await data.strategy_choices(lang)
    context: dict[str, Any] = {
        "strategies": with_elements(everything),
        "a": expand(a) if a else None,
        "b": expand(b) if b else None,
        "report": None,
        "error": None,
    }
    if a and b:
        try:
            context["report"] = await run_in_threadpool(_report, data, a, b, cast(Lang, lang))
        except InputError as error:
            context["error"] = error.localized(lang)
            return render(request, "compare.html", status_code=400, **context)
    return render(request, "compare.html", **context)
