"""Coherence of a local strategy with a higher-level one, and theme comparison of two strategies.

The graph is read by kgservice.analysis.coherence.source.read_scope through the named queries
coherence-graph and coherence-alignments on the query engine, round by round until every strategy a
support chain can reach is read; reading and analysis block, so they run in a thread."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from kgservice.analysis.coherence import analyse, compare
from kgservice.analysis.coherence.report import CoherenceReport, ComparisonReport, Lang, coherence_report, comparison_report
from kgservice.analysis.coherence.source import normalize, read_scope, strategy_iri
from kgservice.interfaces.deps import CatalogueDep, EngineDep
from kgservice.interfaces.http.openapi import errors

router = APIRouter(prefix="/api", tags=["Coherence"])
_ERRORS = errors(400, 404, 422, 503, json=True)
StrategyParam = Annotated[str, Query(description="a strategy document: an IRI or a prefixed name such as kgd:zporr")]
LangParam = Annotated[Lang, Query(description="language of the labels; English where a label is missing")]


@router.get(
    "/coherence", response_model=CoherenceReport, responses=_ERRORS, summary="How a local strategy supports a higher-level one"
)
async def coherence(
    local: StrategyParam,
    higher: StrategyParam,
    catalogue: CatalogueDep,
    engine: EngineDep,
    lang: LangParam = "en",
    all_priorities: bool = False,
) -> CoherenceReport:
    """The alignment matrix (local measures x higher priorities), coverage of every priority (directly or
    through sub-priorities), the gaps, the measures that support nothing, conflicts, the strongest links,
    support chains through intermediate strategies, and a summary whose figures list their elements.
    Only alignments asserted in a document or curated count; suggested ones are listed as ignored."""
    names = [normalize(local), normalize(higher)]
    graph = await run_in_threadpool(read_scope, engine, catalogue, names, names[:1])
    pair = strategy_iri(graph, local), strategy_iri(graph, higher)
    result = await run_in_threadpool(analyse, graph, *pair, columns="all" if all_priorities else "targeted")
    return coherence_report(graph, result, lang)


@router.get(
    "/compare",
    response_model=ComparisonReport,
    responses=_ERRORS,
    summary="Shared and distinct themes and target groups of two strategies",
)
async def comparison(
    a: StrategyParam, b: StrategyParam, catalogue: CatalogueDep, engine: EngineDep, lang: LangParam = "en"
) -> ComparisonReport:
    """Each theme and target group either strategy addresses (narrower concepts count toward broader
    ones), the elements that carry it on each side, and an overlap score: min/max of the two shares of
    elements; overall, the weighted Jaccard index of the shares. Alignments between the two are listed."""
    names = [normalize(a), normalize(b)]
    graph = await run_in_threadpool(read_scope, engine, catalogue, names, names, 1)
    result = compare(graph, strategy_iri(graph, a), strategy_iri(graph, b))
    return comparison_report(graph, result, lang)
