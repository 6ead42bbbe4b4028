"""Alignment suggestions over HTTP: rank candidates on the fly, store them as pending, list, accept, reject.

The suggester's inputs are read by `kgservice.analysis.suggest.service.read_inputs()` on the query engine, in a
thread like the ranking, which runs after the Czech and
Polish lemmatizer dictionaries have been loaded once (lazily, by the first ranking request). Writes need
the bearer token, like the graph store, and go through `repository.commit`: the whole graph is validated
and a change that does not conform is refused (422) and changes nothing.

Each commit that changes a suggestions graph of the user data directory (graph/user/suggestions/...) also
rewrites that graph's file there, so the judgments outlive a restart without --store; the service itself
serves them at once, from the committed graph.

Judging a suggestion answers 404 when the IRI is not an alignment of the graph, 409 when the alignment is
not pending (already accepted or rejected, or asserted in a document), and 400 when the reviewer is blank
or the IRI malformed; the JSON body's `error` says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from kgservice.analysis.coherence.source import normalize
from kgservice.analysis.suggest import records
from kgservice.analysis.suggest.ranker import Candidate
from kgservice.analysis.suggest.records import STATUS_NAMES, SUGGESTIONS_HEADER, now, replace_pending, suggestions_graph
from kgservice.analysis.suggest.report import Lang, SuggestionReport
from kgservice.analysis.suggest.review import ranked_report
from kgservice.analysis.suggest.service import Inputs, read_inputs
from kgservice.analysis.suggest.text import warm
from kgservice.errors import MalformedRequest
from kgservice.interfaces.deps import CatalogueDep, EngineDep, RepositoryDep, SettingsDep, UserFilesDep, require_writer
from kgservice.interfaces.http.openapi import errors
from kgservice.rdf.namespaces import expand
from kgservice.rdf.terms import Table, Term
from kgservice.translation import N_, Detected, note_language

router = APIRouter(prefix="/api/suggestions", tags=["Suggestions"])
_JUDGING = errors(400, 401, 403, 404, 409, 422, 503, 507, json=True)
_STATUS_OF_IRI = {expand(iri): name for name, iri in STATUS_NAMES.items()}

StrategyParam = Annotated[str, Query(description="a strategy document: an IRI or a prefixed name such as kgd:zporr")]
LangParam = Annotated[Lang, Query(description="language of the labels; the element's own language where it is missing")]
TopParam = Annotated[int, Query(ge=1, le=50, description="candidates per local element")]
AllLevelsParam = Annotated[bool, Query(description="offer every higher element, not only the most specific ones")]


async def writer(request: Request, settings: SettingsDep) -> None:
    """Refuse the request (401/403) before its body is read unless it carries the write token."""
    require_writer(request, settings)


# ---------------------------------------------------------------- models


class StoredResult(BaseModel):
    """What storing the fresh candidates of a pair as pending suggestions did."""

    graph: str = Field(description="the pair's suggestions graph")
    stored: int = Field(description="pending suggestions now in the graph from this run (earlier pending ones are replaced)")
    version: int = Field(description="the graph's version after the commit")


class StoredSuggestion(BaseModel):
    """A stored suggestion (row of the named query `suggestions`)."""

    alignment: str
    status: str = Field(description="pending (kgo:Suggested), accepted (kgo:Curated) or rejected (kgo:Rejected)")
    confidence: float = Field(description="the suggester's score, 0..1")
    strength: int | None = Field(default=None, description="-3..+3, given when a planner accepted it")
    subject: str
    subjectNotation: str | None = None
    subjectLabel: str | None = None
    object: str
    objectNotation: str | None = None
    objectLabel: str | None = None
    creator: str = Field(description="the suggester while pending, else the planner who judged it")
    created: str = Field(description="when it was suggested, or when it was judged (xsd:dateTime)")
    evidence: str | None = Field(default=None, description="the suggester's English explanation")


NOTE_LANG = "the language of the note or reason; default: detected from its letters and words, else en"


class AcceptRequest(BaseModel):
    alignment: str = Field(description="the suggestion's IRI or prefixed name (kgd:alignment/...)")
    reviewer: str = Field(description="who accepts it (recorded as dcterms:creator)")
    strength: int = Field(ge=-3, le=3, description="Nilsson et al. score, -3..+3 (e.g. 2 reinforcing, 1 enabling)")
    note: str | None = Field(default=None, description="a sentence of evidence to add, in Czech, Polish or English")
    lang: Lang | None = Field(default=None, description=NOTE_LANG)


class RejectRequest(BaseModel):
    alignment: str = Field(description="the suggestion's IRI or prefixed name (kgd:alignment/...)")
    reviewer: str = Field(description="who rejects it (recorded as dcterms:creator)")
    reason: str | None = Field(default=None, description="why, in Czech, Polish or English (recorded as rdfs:comment)")
    lang: Lang | None = Field(default=None, description=NOTE_LANG)


class Judgement(BaseModel):
    """The suggestion's new status after a planner's judgment."""

    alignment: str
    status: Literal["accepted", "rejected"]
    reviewer: str
    version: int = Field(description="the graph's version after the commit")
    note_lang: str | None = Field(default=None, description="the language tag the note or reason was stored with")
    note_lang_sure: bool | None = Field(
        default=None, description="false when the language was neither given nor clear from the text (then en)"
    )


# ---------------------------------------------------------------- reading and ranking


def _rank(inputs: Inputs, top: int, subjects: Sequence[str] | None, all_levels: bool) -> dict[str, list[Candidate]]:
    warm()  # loads the lemmatizer dictionaries on the first call (a few seconds), a lookup afterwards
    return inputs.suggester(all_levels=all_levels).rank(top, subjects)


@router.get(
    "",
    response_model=SuggestionReport,
    responses=errors(400, 422, 503, json=True),
    summary="Rank the higher-level elements each local element may support",
)
async def suggest(
    local: StrategyParam,
    higher: StrategyParam,
    catalogue: CatalogueDep,
    engine: EngineDep,
    top: TopParam = 3,
    lang: LangParam = "en",
    all_levels: AllLevelsParam = False,
    element: Annotated[list[str] | None, Query(description="only this local element (repeatable)")] = None,
) -> SuggestionReport:
    """For each element of `local` (or each `element` given), the best `top` elements of `higher`, scored
    from shared words (lemmatized), shared scheme concepts and words shared by the elements' parents, with
    the words and concepts behind each score. Computed on the fly; nothing is stored. `recorded` marks
    pairs that already have an alignment of any status. An element that is not in `local` is a 400."""
    inputs = await run_in_threadpool(read_inputs, engine, catalogue, local, higher)
    subjects = inputs.subjects(element)
    return await run_in_threadpool(ranked_report, inputs, lang, top, subjects, all_levels)


@router.post(
    "",
    response_model=StoredResult,
    status_code=201,
    dependencies=[Depends(writer)],
    responses=errors(400, 401, 403, 413, 422, 503, 507, json=True),
    summary="Store the candidates not yet recorded as pending suggestions (write token)",
)
async def store_suggestions(
    local: StrategyParam,
    higher: StrategyParam,
    catalogue: CatalogueDep,
    engine: EngineDep,
    repository: RepositoryDep,
    user_files: UserFilesDep,
    top: TopParam = 3,
    all_levels: AllLevelsParam = False,
) -> StoredResult:
    """Rank every element of `local` as GET does, and replace the pair's pending suggestions with the
    candidates above the minimum score that have no alignment yet (accepted and rejected suggestions are
    kept and not suggested again). Needs `Authorization: Bearer <token>`; the change is validated whole."""
    inputs = await run_in_threadpool(read_inputs, engine, catalogue, local, higher)
    ranked = await run_in_threadpool(_rank, inputs, top, None, all_levels)
    fresh = inputs.fresh(ranked)
    graph = suggestions_graph(inputs.local, inputs.higher)
    quads, stored = inputs.quads(fresh, now()), list[int]()
    result = await run_in_threadpool(repository.commit, lambda store: stored.append(replace_pending(store, graph, quads)))
    await run_in_threadpool(user_files.save, repository, [graph], SUGGESTIONS_HEADER)
    return StoredResult(graph=graph.value, stored=sum(stored), version=result.version)


# ---------------------------------------------------------------- stored suggestions


def _value(record: dict[str, Term], name: str) -> str | None:
    term = record.get(name)
    return None if term is None else term.value


def _stored(table: Table) -> list[StoredSuggestion]:
    found = []
    for r in table.records():
        status = r["status"].value
        strength = _value(r, "strength")
        found.append(
            StoredSuggestion(
                alignment=r["alignment"].value,
                status=_STATUS_OF_IRI.get(status, status.rsplit("#", 1)[-1]),
                confidence=float(r["confidence"].value),
                strength=int(strength) if strength is not None else None,
                subject=r["subject"].value,
                subjectNotation=_value(r, "subjectNotation"),
                subjectLabel=_value(r, "subjectLabel"),
                object=r["object"].value,
                objectNotation=_value(r, "objectNotation"),
                objectLabel=_value(r, "objectLabel"),
                creator=r["creator"].value,
                created=r["created"].value,
                evidence=_value(r, "evidence"),
            )
        )
    return found


@router.get(
    "/stored",
    response_model=list[StoredSuggestion],
    responses=errors(400, 422, 503, json=True),
    summary="The stored suggestions and how they were judged",
)
async def stored(
    catalogue: CatalogueDep,
    engine: EngineDep,
    local: Annotated[str | None, Query(description="only suggestions from this strategy")] = None,
    higher: Annotated[str | None, Query(description="only suggestions to this strategy")] = None,
    status: Annotated[Literal["pending", "accepted", "rejected", "all"], Query(description="which suggestions")] = "pending",
    lang: LangParam = "en",
) -> list[StoredSuggestion]:
    """The rows of the named query `suggestions`: each stored suggestion with its status, the suggester's
    confidence, the strength a planner gave when accepting it, both elements and who suggested or judged it
    and when; ordered by strategies, local element and confidence (best first)."""
    params: dict[str, str] = {"lang": lang}
    params.update({k: v for k, v in (("local", local), ("higher", higher)) if v})
    if status != "all":
        params["status"] = STATUS_NAMES[status]
    table = await run_in_threadpool(engine.select, catalogue.get("suggestions").bind(params), "suggestions")
    return _stored(table)


# ---------------------------------------------------------------- judging


def _alignment_node(alignment: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(normalize(alignment))
    except ValueError as error:
        raise MalformedRequest(
            N_("the alignment is not an absolute IRI or known prefixed name: %(error)s"), error=error
        ) from None


_WRITER = [Depends(writer)]


def _noted(text: str | None, lang: Detected) -> dict[str, Any]:
    """The language a note was stored in, for the answer (nothing when there was no note)."""
    return {"note_lang": lang.lang, "note_lang_sure": lang.sure} if text else {}


@router.post(
    "/accept",
    response_model=Judgement,
    dependencies=_WRITER,
    responses=_JUDGING,
    summary="Accept a pending suggestion (write token)",
)
async def accept_suggestion(body: AcceptRequest, repository: RepositoryDep, user_files: UserFilesDep) -> Judgement:
    """Make a pending suggestion a curated alignment (kgo:Curated) with the reviewer's strength, name and
    time; from then on the coherence analysis counts it. 404: no such alignment; 409: not pending; 400: blank
    reviewer. Nothing changes on an error."""
    node, reviewer = _alignment_node(body.alignment), body.reviewer.strip()
    judged: list[ox.NamedNode] = []
    lang = note_language(body.note or "", body.lang)
    change = records.accept(node.value, reviewer, body.strength, now(), body.note, judged, lang=lang.lang)
    result = await run_in_threadpool(repository.commit, change)
    await run_in_threadpool(user_files.save, repository, judged, SUGGESTIONS_HEADER)
    noted = _noted(body.note, lang)
    return Judgement(alignment=node.value, status="accepted", reviewer=reviewer, version=result.version, **noted)


@router.post(
    "/reject",
    response_model=Judgement,
    dependencies=_WRITER,
    responses=_JUDGING,
    summary="Reject a pending suggestion (write token)",
)
async def reject_suggestion(body: RejectRequest, repository: RepositoryDep, user_files: UserFilesDep) -> Judgement:
    """Make a pending suggestion kgo:Rejected with the reviewer's name, time and reason; it is not suggested
    again for the pair. 404: no such alignment; 409: not pending; 400: blank reviewer. Nothing changes on an
    error."""
    node, reviewer = _alignment_node(body.alignment), body.reviewer.strip()
    judged: list[ox.NamedNode] = []
    lang = note_language(body.reason or "", body.lang)
    change = records.reject(node.value, reviewer, now(), body.reason, judged, lang=lang.lang)
    result = await run_in_threadpool(repository.commit, change)
    await run_in_threadpool(user_files.save, repository, judged, SUGGESTIONS_HEADER)
    noted = _noted(body.reason, lang)
    return Judgement(alignment=node.value, status="rejected", reviewer=reviewer, version=result.version, **noted)
