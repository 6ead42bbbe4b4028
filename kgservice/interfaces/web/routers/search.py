"""The search box: /search?q= finds the resources whose labels, notations or descriptions hold every word of
the search, in any language (kgservice.analysis.search). The index is built from two page queries on first
use and rebuilt when the graph's version changes; the words typed never reach SPARQL."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from kgservice.analysis.search import MAX_QUERY_CHARS, Hit, SearchIndex, Text
from kgservice.interfaces.web.data import PageData, PageDataDep, page_path
from kgservice.interfaces.web.i18n import page_language
from kgservice.interfaces.web.templating import render
from kgservice.rdf.namespaces import KGO, compact

router = APIRouter(tags=["Web pages"])
LIMIT = 100


@dataclass(frozen=True)
class Searchable:
    """The index of one graph version with what a result line shows: kinds and strategy of each resource."""

    version: int
    index: SearchIndex
    kinds: dict[str, list[str]]
    strategy: dict[str, str]


@dataclass(frozen=True)
class Result:
    """One line of the results: where it links, what it is called, what it is and the text that matched."""

    href: str
    label: str
    notation: str
    kinds: list[str]
    strategy: str | None
    strategy_href: str | None
    snippet: str


def href_of(iri: str) -> str | None:
    """The page of a resource: /id/... for ours, /ontology#Term for the ontology's terms, None otherwise."""
    if iri.startswith(KGO):
        return "/ontology#" + iri.removeprefix(KGO)
    return page_path(iri)


async def _build(data: PageData, version: int) -> Searchable:
    texts, kinds = await asyncio.gather(data.rows("search-texts"), data.rows("search-kinds"))
    index = await run_in_threadpool(
        SearchIndex, [Text(r["resource"].value, r["field"].value, r["text"].lang or "", r["text"].value) for r in texts]
    )
    by_kind: dict[str, list[str]] = defaultdict(list)
    strategy: dict[str, str] = {}
    for row in kinds:
        by_kind[row["resource"].value].append(row["kind"].value)
        if "strategy" in row:
            strategy[row["resource"].value] = row["strategy"].value
    return Searchable(version, index, dict(by_kind), strategy)


_lock = asyncio.Lock()


async def searchable(request: Request, data: PageData) -> Searchable:
    """The index of the current graph version (built once per version, one build at a time)."""
    state = request.app.state
    version = getattr(getattr(state, "repository", None), "version", 0)
    async with _lock:
        cached: Searchable | None = getattr(state, "search_index", None)
        if cached is None or cached.version != version:
            cached = state.search_index = await _build(data, version)
    return cached


def _pick(texts: list[Text], fields: tuple[str, ...], lang: str) -> str:
    chosen = [t for t in texts if t.field in fields]
    for wanted in (lang, "en", ""):
        for text in chosen:
            if text.lang == wanted:
                return text.value
    return chosen[0].value if chosen else ""


def result(hit: Hit, found: Searchable, labels: dict[str, str], lang: str) -> Result | None:
    href = href_of(hit.resource)
    if href is None:
        return None
    own = [t for t in found.index.texts if t.resource == hit.resource] if not hit.texts else hit.texts
    strategy = found.strategy.get(hit.resource)
    return Result(
        href=href,
        label=labels.get(hit.resource) or _pick(own, ("label",), lang) or compact(hit.resource),
        notation=_pick(own, ("notation",), lang),
        kinds=[labels.get(k) or compact(k) for k in found.kinds.get(hit.resource, [])],
        strategy=(labels.get(strategy) or compact(strategy)) if strategy else None,
        strategy_href=page_path(strategy) if strategy else None,
        snippet=_pick(hit.texts, ("description", "altLabel"), lang),
    )


def _labels(found: Searchable, iris: set[str], lang: str) -> dict[str, str]:
    """Labels in `lang` (else English, else any) of the given resources, from the index's own texts."""
    texts: dict[str, list[Text]] = defaultdict(list)
    for text in found.index.texts:
        if text.resource in iris and text.field == "label":
            texts[text.resource].append(text)
    return {iri: _pick(found_texts, ("label",), lang) for iri, found_texts in texts.items()}


@router.get("/search", summary="Search labels and descriptions in every language (HTML)", response_class=Response)
async def search(request: Request, data: PageDataDep, q: str = "") -> Response:
    """The resources whose labels, notations or descriptions hold every word of `q` (lemmatised), best first."""
    lang = page_language(request)
    query = q.strip()[:MAX_QUERY_CHARS]
    results: list[Result] = []
    if query:
        found = await searchable(request, data)
        hits = await run_in_threadpool(found.index.search, query, LIMIT)
        shown = {h.resource for h in hits}
        shown |= {k for h in hits for k in found.kinds.get(h.resource, [])} | {found.strategy.get(h.resource, "") for h in hits}
        labels = _labels(found, shown, lang)
        results = [r for r in (result(h, found, labels, lang) for h in hits) if r is not None]
    return render(request, "search.html", q=query, results=results, limit=LIMIT)
