"""The review page of alignment suggestions: two strategies chosen, the higher elements ranked on the fly for
each local element with the signals and words behind each score (as GET /api/suggestions ranks them), and the
pair's stored suggestions, which static/js/suggestions.js accepts or rejects through the API's write routes."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from typing import Any, cast

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from kgservice.analysis.coherence.source import normalize
from kgservice.analysis.suggest.records import STATUS_NAMES
from kgservice.analysis.suggest.report import ElementSuggestions, Lang, SuggestionReport
from kgservice.analysis.suggest.review import ranked_report
from kgservice.analysis.suggest.service import read_inputs
from kgservice.errors import InputError, ParameterError
from kgservice.interfaces.web.data import PageData, PageDataDep, Row, natural_key, with_elements
from kgservice.interfaces.web.i18n import page_language
from kgservice.interfaces.web.templating import render
from kgservice.rdf.namespaces import KGO, expand

router = APIRouter(tags=["Web pages"])
TOP_CHOICES = range(1, 11)
STRENGTHS = range(3, -4, -1)
_STATUS_OF_IRI = {expand(iri): name for name, iri in STATUS_NAMES.items()}
_FLAGS = {"": False, "0": False, "false": False, "off": False, "no": False, "1": True, "true": True, "on": True, "yes": True}


@dataclass(frozen=True)
class Stored:
    """A stored suggestion (a row of the named query `suggestions`) and its status: pending, accepted or rejected."""

    status: str
    row: Row


def parse_top(value: str) -> int:
    """The `top` parameter: how many candidates per local element."""
    if not value.strip().isdigit() or int(value) not in TOP_CHOICES:
        raise ParameterError(f"top: {value!r} is not a whole number from {TOP_CHOICES[0]} to {TOP_CHOICES[-1]}")
    return int(value)


def parse_flag(name: str, value: str) -> bool:
    """A yes/no parameter as a form checkbox sends it (on) or a person types it (true, 1, no...)."""
    flag = _FLAGS.get(value.strip().lower())
    if flag is None:
        raise ParameterError(f"{name}: {value!r} is neither yes (on, true, 1) nor no (off, false, 0)")
    return flag


def strategy_param(name: str, value: str, known: set[str]) -> str:
    """The full IRI of the strategy a parameter names (IRI or prefixed name), if the graph holds it."""
    iri = normalize(value)
    if iri not in known:
        raise ParameterError(
            f"{name}: {value!r} is not a strategy document of the graph; choose one of the list "
            "(the named query 'strategies' lists them too)"
        )
    return iri


def stored_rows(rows: list[Row]) -> list[Stored]:
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


def form(strategies: list[Row], pairs: list[Row], local: str | None, higher: str | None) -> dict[str, Any]:
    """The form's choices and, until the planner picks, the first pair that has alignments (as the dashboard does)."""
    first = pairs[0] if pairs else {}
    return {
        "strategies": with_elements(strategies),
        "pairs": pairs,
        "local": local or (first["local"].value if first else None),
        "higher": higher or (first["higher"].value if first else None),
        "top": 3,
        "all_levels": False,
        "top_choices": TOP_CHOICES,
        "strengths": STRENGTHS,
        "error": None,
        "report": None,
    }


@router.get("/suggestions", summary="Alignment suggestions of two strategies, to review (HTML)", response_class=Response)
async def suggestions_page(
    request: Request,
    data: PageDataDep,
    local: str | None = None,
    higher: str | None = None,
    top: str = "3",
    all_levels: str = "",
) -> Response:
    """For each element of `local`, the best `top` elements of `higher` with score, signals and explanation,
    and the pair's stored suggestions with their status; nothing is ranked until both strategies are chosen."""
    lang = page_language(request)
    strategies, pairs = await data.strategy_choices(lang)
    context = form(strategies, pairs, local, higher)
    try:
        context["top"], context["all_levels"] = parse_top(top), parse_flag("all_levels", all_levels)
        if local and higher:
            known = {s["strategy"].value for s in strategies}
            context["local"], context["higher"] = strategy_param("local", local, known), strategy_param("higher", higher, known)
            context |= await review(data, context["local"], context["higher"], context["top"], context["all_levels"], lang)
    except InputError as error:
        context["error"] = str(error)
        return render(request, "suggestions.html", status_code=400, **context)
    return render(request, "suggestions.html", **context)
