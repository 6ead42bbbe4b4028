"""The review page of alignment suggestions: two strategies chosen, the higher elements ranked on the fly for
each local element with the signals and words behind each score (as GET /api/suggestions ranks them), and the
pair's stored suggestions, which static/js/suggestions.js accepts or rejects through the API's write routes."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Any, cast

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from kgservice.analysis.coherence.source import normalize
from kgservice.analysis.suggest.records import STATUS_NAMES
from kgservice.analysis.suggest.report import ElementSuggestions, Lang, SuggestionReport
from kgservice.analysis.suggest.review import ranked_report
from kgservice.analysis.suggest.service import read_inputs
from kgservice.errors import InputError, ParameterError
from kgservice.interfaces.web.data import PageData, PageDataDep, natural_key, with_elements
from kgservice.interfaces.web.forms import Flag, FormProblem, PageRoute, expecting
from kgservice.interfaces.web.i18n import page_language
from kgservice.interfaces.web.templating import render
from kgservice.rdf.namespaces import KGO, expand
from kgservice.rdf.terms import Record
from kgservice.translation import N_

router = APIRouter(tags=["Web pages"], route_class=PageRoute)
TOP_CHOICES = range(1, 11)
STRENGTHS = range(3, -4, -1)
_STATUS_OF_IRI = {expand(iri): name for name, iri in STATUS_NAMES.items()}

StrategyParam = Annotated[str | None, Query(description="a strategy document: an IRI or a prefixed name such as kgd:zporr")]
TopParam = Annotated[
    int,
    Field(ge=TOP_CHOICES[0], le=TOP_CHOICES[-1]),
    expecting(f"a whole number from {TOP_CHOICES[0]} to {TOP_CHOICES[-1]}"),
    Query(description="candidates per local element"),
]
AllLevelsParam = Annotated[Flag, Query(description="offer every higher element, not only the most specific ones")]


@dataclass(frozen=True)
class Stored:
    """A stored suggestion (a row of the named query `suggestions`) and its status: pending, accepted or rejected."""

    status: str
    row: Record


def strategy_param(name: str, value: str, known: set[str]) -> str:
    """The full IRI of the strategy a parameter names (IRI or prefixed name), if the graph holds it."""
    iri = normalize(value)
    if iri not in known:
        raise ParameterError(
            N_(
                "%(name)s: %(value)s is not a strategy document of the graph; choose one of the list "
                "(the named query 'strategies' lists them too)"
            ),
            name=name,
            value=repr(value),
        )
    return iri


def stored_rows(rows: list[Record]) -> list[Stored]:
    """The stored suggestions with their status by name (an unknown status keeps its local name)."""
    return [Stored(_STATUS_OF_IRI.get(r["status"].value, r["status"].value.rsplit("#", 1)[-1]), r) for r in rows]


def in_outline_order(report: SuggestionReport) -> list[ElementSuggestions]:
    """The report's elements by notation (2.1.2 before 2.1.10), as the strategy lists them."""
    return sorted(report.elements, key=lambda e: natural_key(e.notation))


async def review(data: PageData, local: str, higher: str, top: int, all_levels: bool, lang: str) -> dict[str, Any]:
    """The ranked candidates of the pair and its stored suggestions, as the template shows them."""
    inputs, rows, kinds = await asyncio.gather(
        run_in_threadpool(read_inputs, data.engine, data.named, local, higher),
        data.rows("suggestions", local=local, higher=higher, lang=lang),
        data.rows("kind-labels", lang=lang),
    )
    report = await run_in_threadpool(ranked_report, inputs, cast(Lang, lang), top, None, all_levels)
    stored = stored_rows(rows)
    return {
        "report": report,
        "elements": in_outline_order(report),
        "stored": stored,
        "status_of": {s.row["alignment"].value: s.status for s in stored},
        "counts": Counter(s.status for s in stored),
        "kind_labels": {r["kind"].value.removeprefix(KGO): r["label"].value for r in kinds if "label" in r},
    }


def form(
    strategies: list[Record], pairs: list[Record], local: str | None, higher: str | None, top: int, all_levels: bool
) -> dict[str, Any]:
    """The form's choices and, until the planner picks, the first pair that has alignments (as the dashboard does)."""
    first = pairs[0] if pairs else {}
    return {
        "strategies": with_elements(strategies),
        "pairs": pairs,
        "local": local or (first["local"].value if first else None),
        "higher": higher or (first["higher"].value if first else None),
        "top": top,
        "all_levels": all_levels,
        "top_choices": TOP_CHOICES,
        "strengths": STRENGTHS,
        "error": None,
        "report": None,
    }


@router.get("/suggestions", summary="Alignment suggestions of two strategies, to review (HTML)", response_class=Response)
async def suggestions_page(
    request: Request,
    data: PageDataDep,
    problem: FormProblem,
    local: StrategyParam = None,
    higher: StrategyParam = None,
    top: TopParam = 3,
    all_levels: AllLevelsParam = False,
) -> Response:
    """For each element of `local`, the best `top` elements of `higher` with score, signals and explanation,
    and the pair's stored suggestions with their status; nothing is ranked until both strategies are chosen.
    A parameter FastAPI cannot parse comes as `problem`, with the form at its defaults (forms.PageRoute)."""
    lang = page_language(request)
    strategies, pairs = await data.strategy_choices(lang)
    context = form(strategies, pairs, local, higher, top, all_levels)
    try:
        if problem is not None:
            raise problem
        if local and higher:
            known = {s["strategy"].value for s in strategies}
            context["local"], context["higher"] = strategy_param("local", local, known), strategy_param("higher", higher, known)
            context |= await review(data, context["local"], context["higher"], context["top"], context["all_levels"], lang)
    except InputError as error:
        context["error"] = error.localized(lang)
        return render(request, "suggestions.html", status_code=400, **context)
    return render(request, "suggestions.html", **context)
