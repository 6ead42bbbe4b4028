"""Bring a strategy document in over HTTP: upload and parse it into a draft to review, then commit it.

`POST /api/strategies` (write token, multipart: the file and its metadata) parses the document, nothing
stored, and answers the preview (`ImportedDocument.preview()`) with a draft id; `GET /api/strategies/{draft}`
answers it again; `POST /api/strategies/{draft}/commit` stores the document's rendering and original in the
user data directory's sources/, commits the strategy graph (graph/user/strategies/<slug>) through the
repository (SHACL-validated, logged with --store), writes its file so that it survives a restart, and then
commits the tags the concept tagger suggests and, for a chosen higher strategy, the suggester's candidates
as pending suggestions, each in its own user graph. A refused document is a 400 naming the file and line,
page or row; an upload past the cap a 413; nothing stored changes on any error.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Body, Depends, Request
from fastapi import Path as PathParam
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from kgservice.analysis.coherence.source import normalize
from kgservice.analysis.suggest.after_import import GraphChange, alignment_change, tag_change
from kgservice.config import Settings
from kgservice.engine.base import QueryEngine
from kgservice.engine.repository import GraphRepository
from kgservice.errors import KgServiceError, UnknownStrategyError
from kgservice.interfaces.deps import CatalogueDep, EngineDep, RepositoryDep, SettingsDep, UserFilesDep, require_writer
from kgservice.interfaces.http.drafts import Draft, Drafts
from kgservice.interfaces.http.imports import commit_strategy, follow, strategy_graph
from kgservice.interfaces.http.openapi import errors
from kgservice.interfaces.http.uploads import UploadedForm, read_form
from kgservice.project.importing import DEFAULT_LIMITS, DocumentMeta, ImportedDocument, LevelMap, parse_levels
from kgservice.project.importing.isolated import parse_isolated
from kgservice.project.writeback import UserFiles
from kgservice.rdf.namespaces import ID
from kgservice.sparql.catalogue import Catalogue
from kgservice.translation import N_

router = APIRouter(prefix="/api/strategies", tags=["Strategies"])

FILE_FIELD = "file"
META_FIELDS = ("title", "language", "level", "territory", "issuer", "period", "status", "slug")
FIELDS = frozenset({*META_FIELDS, "levels"})
PARSE_SECONDS = 30.0


async def writer(request: Request, settings: SettingsDep) -> None:
    """Refuse the request (401/403) before its body is read unless it carries the write token."""
    require_writer(request, settings)


async def get_drafts(request: Request) -> Drafts:
    drafts: Drafts = request.app.state.drafts
    return drafts


DraftsDep = Annotated[Drafts, Depends(get_drafts)]
DraftParam = Annotated[str, PathParam(max_length=64, description="the draft id the upload answered")]


# ---------------------------------------------------------------- models (the preview is ImportedDocument.preview())


class PreviewDocument(BaseModel):
    iri: str
    title: str | None
    language: str = Field(description="cs, pl or en: as given, or detected (a warning says so)")


class PreviewSource(BaseModel):
    file: str
    start_line: int = Field(description="first line of the element in the plain-text rendering (1-based)")
    end_line: int
    page: int | None = Field(description="the PDF page; null for other formats")
    row: int | None = Field(description="the spreadsheet row; null for other formats")


class PreviewElement(BaseModel):
    iri: str
    notation: str
    type: str = Field(description="the kgo: class's local name, e.g. Measure")
    label: str = Field(description="as the source words it, in the document's language")
    parent: str = Field(description="the IRI of the element above, or of the document")
    source: PreviewSource


class PreviewWarning(BaseModel):
    line: int | None = Field(description="the rendering's line; null for the document as a whole")
    message: str


class DraftPreview(BaseModel):
    """The document as parsed, to review before committing; nothing is stored yet."""

    draft: str = Field(description="the draft's id, for GET /api/strategies/{draft} and POST .../commit")
    expires_in: int = Field(description="seconds before the draft is dropped")
    document: PreviewDocument
    elements: list[PreviewElement]
    warnings: list[PreviewWarning]


class CommitRequest(BaseModel):
    higher: str | None = Field(
        default=None, max_length=2000, description="a higher strategy to suggest alignments to (IRI or prefixed name)"
    )
    top: int = Field(default=3, ge=1, le=10, description="candidates per element for the suggestions")


class Links(BaseModel):
    strategy: str = Field(description="the strategy's page")
    suggestions: str | None = Field(description="the suggestions page of the pair, to judge the pending ones")
    coherence: str | None = Field(description="the coherence dashboard of the pair")


class ImportChanges(BaseModel):
    """What a new version of a strategy imported before changes, by element IRI (an unchanged notation keeps its IRI)."""

    added: list[str]
    removed: list[str]
    changed: list[str] = Field(description="type, label or parent changed")
    replaced: bool = Field(description="whether a version imported before was replaced")


class Committed(BaseModel):
    """What the commit stored and where to go next."""

    strategy: str
    graph: str
    file: str = Field(description="the strategy's file, relative to the user data directory")
    version: int = Field(description="the graph's version after the last commit")
    elements: int
    changes: ImportChanges
    tags: int = Field(description="tags the concept tagger suggested for the new elements")
    higher: str | None
    suggestions: int | None = Field(description="pending alignment suggestions stored towards `higher`")
    problems: list[str] = Field(description="what could not be added after the strategy was committed (tags, suggestions)")
    links: Links


# ---------------------------------------------------------------- upload and preview


_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": [FILE_FIELD],
                    "properties": {
                        FILE_FIELD: {"type": "string", "format": "binary", "description": ".txt .md .docx .pdf .xlsx .ods .csv"},
                        "title": {"type": "string", "description": "the document's title, as it prints it"},
                        "language": {"type": "string", "enum": ["cs", "pl", "en"], "description": "detected when not given"},
                        "level": {"type": "string", "enum": ["municipal", "regional", "national", "eu"]},
                        "territory": {"type": "string", "description": "terr: names or slugs, comma-separated"},
                        "issuer": {"type": "string", "description": "an orgs: name or slug"},
                        "period": {"type": "string", "description": "2021, 2021-2027 or 2021+"},
                        "status": {"type": "string", "enum": ["draft", "approved"]},
                        "slug": {"type": "string", "description": "the document's IRI is kgd:<slug> (default: from the title)"},
                        "levels": {
                            "type": "string",
                            "description": "level mapping, e.g. StrategicGoal,SpecificGoal,Measure,Activity",
                        },
                    },
                }
            }
        },
    }
}


def _meta(form: UploadedForm) -> tuple[DocumentMeta, LevelMap]:
    text = {name: form.text(name) for name in META_FIELDS if name != "territory"}
    meta = DocumentMeta(territory=form.texts("territory"), **text)
    levels = form.text("levels")
    return meta, parse_levels(levels) if levels else LevelMap()


def _parse(form: UploadedForm, settings: Settings) -> tuple[ImportedDocument, LevelMap]:
    meta, levels = _meta(form)
    limits = dataclasses.replace(DEFAULT_LIMITS, max_bytes=settings.max_upload_bytes, seconds=PARSE_SECONDS)
    # in a child process with no network, a memory limit and a deadline: the readers work on hostile files
    return parse_isolated(form.file_name, form.data, meta, levels, limits), levels


def _preview(drafts: Drafts, draft: Draft) -> DraftPreview:
    return DraftPreview(draft=draft.id, expires_in=drafts.expires_in(draft), **draft.document.preview())


_DRAFT_ERRORS = errors(400, 401, 403, 413, 415, 422, 503, json=True)


@router.post(
    "",
    response_model=DraftPreview,
    status_code=201,
    dependencies=[Depends(writer)],
    responses=_DRAFT_ERRORS,
    openapi_extra=_UPLOAD_BODY,
    summary="Upload a strategy document and parse it into a draft to review (write token)",
)
async def upload(request: Request, settings: SettingsDep, drafts: DraftsDep) -> DraftPreview:
    """Parse the uploaded file (one `file` and the metadata fields) into its outline, nothing stored: the
    document, every element with its notation, kgo: type, label, parent and source lines, and the warnings.
    400 names the file and the line, page or row of what cannot be read; 413 past the upload cap."""
    form = await read_form(request, settings.max_upload_bytes, FILE_FIELD, FIELDS)
    document, levels = await run_in_threadpool(_parse, form, settings)
    return _preview(drafts, drafts.add(document, levels))


@router.get(
    "/{draft}",
    response_model=DraftPreview,
    dependencies=[Depends(writer)],
    responses=errors(401, 403, 404, 422, json=True),
    summary="The preview of an uploaded draft (write token)",
)
async def preview(draft: DraftParam, drafts: DraftsDep) -> DraftPreview:
    """The draft as its upload answered it; 404 once it is committed or expired."""
    return _preview(drafts, drafts.get(draft))


# ---------------------------------------------------------------- commit

_UNKNOWN_HIGHER = N_("higher: %(name)s is not a strategy document of the graph; GET /api/queries/strategies lists them")


def _known_strategy(engine: QueryEngine, catalogue: Catalogue, name: str) -> str:
    iri = normalize(name)
    rows = engine.select(catalogue.get("strategies").bind({}), source="strategies")
    if iri not in {r["strategy"].value for r in rows.records() if "strategy" in r}:
        raise UnknownStrategyError(_UNKNOWN_HIGHER, name=repr(name[:200]))
    return iri


def _links(strategy: str, higher: str | None) -> Links:
    pair = urlencode({"local": strategy, "higher": higher}) if higher else None
    return Links(
        strategy="/id/" + strategy.removeprefix(ID),
        suggestions=f"/suggestions?{pair}" if pair else None,
        coherence=f"/coherence?{pair}" if pair else None,
    )


def _commit_all(
    draft: Draft,
    wish: CommitRequest,
    repository: GraphRepository,
    engine: QueryEngine,
    catalogue: Catalogue,
    user_files: UserFiles,
    lock: AbstractContextManager[object],
) -> Committed:
    document = draft.document
    higher = _known_strategy(engine, catalogue, wish.higher) if wish.higher else None
    with lock:
        version, path, found = commit_strategy(document, repository, user_files)
    problems: list[str] = []
    counts: dict[str, int | None] = {"tags": 0, "suggestions": None}
    steps: dict[str, Callable[[], GraphChange]] = {"tags": lambda: tag_change(engine, catalogue, document.iri)}
    if higher:
        steps["suggestions"] = lambda: alignment_change(engine, catalogue, document.iri, higher, wish.top)
    for name, make in steps.items():
        try:  # the strategy is in: a step that fails is reported, and the planner may run it again later
            change = make()
            version = follow(change, repository, user_files)
            counts[name] = change.count
        except KgServiceError as error:
            problems.append(f"{name}: {error}")
    return Committed(
        strategy=document.iri,
        graph=strategy_graph(document).value,
        file=path.as_posix(),
        version=version,
        elements=len(document.elements),
        changes=ImportChanges(
            added=list(found.added), removed=list(found.removed), changed=list(found.changed), replaced=found.replaced
        ),
        tags=counts["tags"] or 0,
        higher=higher,
        suggestions=counts["suggestions"],
        problems=problems,
        links=_links(document.iri, higher),
    )


@router.post(
    "/{draft}/commit",
    response_model=Committed,
    status_code=201,
    dependencies=[Depends(writer)],
    responses=errors(400, 401, 403, 404, 409, 413, 422, 503, 507, json=True),
    summary="Commit a draft: store the strategy, its suggested tags and pending alignments (write token)",
)
async def commit(
    draft: DraftParam,
    drafts: DraftsDep,
    repository: RepositoryDep,
    engine: EngineDep,
    catalogue: CatalogueDep,
    user_files: UserFilesDep,
    wish: Annotated[CommitRequest | None, Body(description="optional: a higher strategy to suggest alignments to")] = None,
) -> Committed:
    """Validate and commit the draft's strategy graph (422 with the SHACL report when it does not conform,
    409 when its IRI is already a strategy of the graph), keep its file and sources in the user data
    directory, then suggest tags and, with `higher`, store the suggester's candidates as pending. The
    service serves the strategy at once; the links lead to its page and to the pair's pages."""
    found = drafts.get(draft)
    wanted = wish or CommitRequest()
    result = await run_in_threadpool(_commit_all, found, wanted, repository, engine, catalogue, user_files, drafts.committing)
    drafts.discard(found.id)
    return result
