"""The coherence dashboard: two strategies chosen, the alignment matrix as a heat map, coverage bars,
gaps, the alignment network, and the matrix's links as CSV. The analysis is kgservice.analysis.coherence's,
fed by its named queries run on the query engine (read_scope), in a thread since the engine calls block."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from kgservice.analysis.coherence.analysis import Coherence, analyse
from kgservice.analysis.coherence.graph import StrategyGraph
from kgservice.analysis.coherence.render import COHERENCE_TABLES, coherence_csv
from kgservice.analysis.coherence.report import CoherenceReport, Lang, coherence_report
from kgservice.analysis.coherence.source import read_scope, strategy_iri
from kgservice.analysis.model import COUNTED
from kgservice.errors import InputError, MalformedRequest
from kgservice.interfaces.web import coherence_view as view
from kgservice.interfaces.web.coherence_filters import Filters, concept_choices, goal_choices, read_filters
from kgservice.interfaces.web.data import PageData, PageDataDep, with_elements
from kgservice.interfaces.web.exports import SEPARATORS, XLSX, coherence_xlsx, with_separator
from kgservice.interfaces.web.i18n import page_language
from kgservice.interfaces.web.templating import render
from kgservice.rdf.namespaces import expand
from kgservice.translation import N_

router = APIRouter(tags=["Web pages"])
NO_CHOICE_TABLE = N_("no table %(name)s; choose one of %(choices)s")
NO_CHOICE_SEPARATOR = N_("no separator %(name)s; choose one of %(choices)s")


async def load_analysis(data: PageData, local: str, higher: str) -> tuple[StrategyGraph, Coherence]:
    """Read both strategies and the alignments reachable from the local one, then analyse the pair."""
    graph = await run_in_threadpool(read_scope, data.engine, data.named, [expand(local), expand(higher)], [expand(local)])
    result = await run_in_threadpool(analyse, graph, strategy_iri(graph, local), strategy_iri(graph, higher))
    return graph, result


@router.get("/coherence", summary="Coherence dashboard of two strategies (HTML)", response_class=Response)
async def dashboard(
    request: Request,
    data: PageDataDep,
    local: str | None = None,
    higher: str | None = None,
    goal: str | None = None,
    theme: str | None = None,
    status: str | None = None,
    strength: str | None = None,
) -> Response:
    """Heat map, coverage, gaps and network of the alignments from a local strategy to a higher-level one; the matrix
    narrowed to the measures under a `goal` or carrying a `theme` (or target group), and to the links of a `status`
    (AssertedInDocument, Curated) or of at least a `strength` (-3..3)."""
    lang = page_language(request)
    filters = read_filters(goal, theme, status, strength)
    everything, pairs = await data.strategy_choices(lang)
    strategies = with_elements(everything)
    if (local is None or higher is None) and pairs:
        local, higher = local or pairs[0]["local"].value, higher or pairs[0]["higher"].value
    context: dict[str, Any] = {
        "strategies": strategies,
        "pairs": pairs,
        # The choices are full IRIs: a pair named kgd:... in the URL selects them too, so the form keeps the pair.
        "local": expand(local) if local else None,
        "higher": expand(higher) if higher else None,
        "error": None,
        "result": None,
        "filters": filters,
    }
    if local and higher:
        try:
            graph, result = await load_analysis(data, local, higher)
        except InputError as error:
            context["error"] = error.localized(lang)
            return render(request, "coherence.html", status_code=400, **context)
        context |= _views(graph, result, lang, filters)
    return render(request, "coherence.html", **context)


def _views(graph: StrategyGraph, result: Coherence, lang: str, filters: Filters) -> dict[str, Any]:
    goals, concepts = goal_choices(graph, result), concept_choices(graph, result)
    # A goal or concept of another pair (left in the URL when the pair changed) narrows nothing.
    filters = replace(
        filters,
        goal=filters.goal if filters.goal in goals else None,
        concept=filters.concept if filters.concept in concepts else None,
    )
    return {
        "filters": filters,
        "goals": [view.element(graph, g, lang) for g in goals],
        "concepts": [(c, graph.label(c, lang)) for c in concepts],
        "statuses": sorted(COUNTED),
        "result": result,
        "local_element": view.element(graph, result.local, lang),
        "higher_element": view.element(graph, result.higher, lang),
        "columns": [view.element(graph, p, lang) for p in result.columns],
        "rows": view.matrix(result, graph, lang, filters),
        "bars": view.coverage_bars(result, graph, lang),
        "gaps": [(view.element(graph, g.root, lang), g.uncovered[1:]) for g in result.gaps],
        "unsupported": [view.element(graph, m, lang) for m in result.unsupported],
        "network": view.network(result, graph, lang),
        "ignored": len(result.ignored),
        "tables": COHERENCE_TABLES,
    }


async def _report(request: Request, data: PageData, local: str, higher: str) -> tuple[CoherenceReport, str]:
    graph, result = await load_analysis(data, local, higher)
    report = coherence_report(graph, result, cast(Lang, page_language(request)))
    return report, f"coherence-{result.local.rsplit('/', 1)[-1]}--{result.higher.rsplit('/', 1)[-1]}"


def _attachment(body: str | bytes, media_type: str, name: str) -> Response:
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/coherence.csv", summary="A table of the coherence report as CSV", response_class=Response)
async def dashboard_csv(
    request: Request, data: PageDataDep, local: str, higher: str, table: str = "matrix", sep: str = "comma"
) -> Response:
    """The matrix, coverage, measures or chains table, as the coherence report's CSV (kgservice.analysis.coherence.render);
    `sep=semicolon` separates the fields with ';', as Excel set to Czech or Polish reads them."""
    if table not in COHERENCE_TABLES:
        raise MalformedRequest(NO_CHOICE_TABLE, name=repr(table), choices=", ".join(COHERENCE_TABLES))
    if sep not in SEPARATORS:
        raise MalformedRequest(NO_CHOICE_SEPARATOR, name=repr(sep), choices=", ".join(SEPARATORS))
    report, stem = await _report(request, data, local, higher)
    text = coherence_csv(report, table)
    if sep != "comma":
        text = with_separator(text, SEPARATORS[sep])
    return _attachment(text, "text/csv; charset=utf-8", f"{stem}-{table}.csv")


@router.get("/coherence.xlsx", summary="The tables of the coherence report as an XLSX workbook", response_class=Response)
async def dashboard_xlsx(request: Request, data: PageDataDep, local: str, higher: str) -> Response:
    """One sheet per table of the coherence report: matrix, coverage, measures, chains (the cells of the CSV)."""
    report, stem = await _report(request, data, local, higher)
    body = await run_in_threadpool(coherence_xlsx, report)
    return _attachment(body, XLSX, f"{stem}.xlsx")
