"""The source documents with line numbers: /sources lists the files the graph knows, /sources/<file> shows
one with an anchor per line (#L71), the lines any resource is derived from marked and linked back to it, and
the range asked for (?lines=71-73, or the fragment #L71-L73) highlighted."""

from __future__ import annotations

from collections import defaultdict

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from kgservice.interfaces.web import sources
from kgservice.interfaces.web.data import PageDataDep
from kgservice.interfaces.web.i18n import page_language
from kgservice.interfaces.web.templating import render
from kgservice.project.layout import Layout
from kgservice.rdf.terms import Record

router = APIRouter(tags=["Web pages"])


def layout_of(request: Request) -> Layout:
    """The project tree and user data directory the app was started on (put on app.state by the app factory)."""
    layout: Layout = request.app.state.layout
    return layout


def citations_by_line(rows: list[Record]) -> dict[int, list[Record]]:
    """Each line number -> the resources (rows of source-citations) derived from a range that holds it, each once."""
    lines: dict[int, dict[str, Record]] = defaultdict(dict)
    for row in rows:
        start, end = int(row["start"].value), int(row["end"].value)
        for line in range(start, min(end, start + 10_000) + 1):
            lines[line].setdefault(row["resource"].value, row)
    return {line: list(found.values()) for line, found in lines.items()}


@router.get("/sources", summary="The source documents of the graph (HTML)", response_class=Response)
async def source_index(request: Request, data: PageDataDep) -> Response:
    """Every source file the graph describes, linked to its page."""
    files = await data.rows("source-files")
    return render(request, "sources.html", files=files, name=sources.file_name)


@router.get("/sources/{name}", summary="A source document with line numbers and its cited lines (HTML)", response_class=Response)
async def source_page(request: Request, name: str, data: PageDataDep, lines: str | None = None) -> Response:
    """The lines of one source file the graph knows; 404 for any other name."""
    files = {sources.file_name(row["file"].value): row for row in await data.rows("source-files")}
    path = sources.resolve(name, set(files), layout_of(request))
    text = await run_in_threadpool(sources.read_lines, path)
    row = files[name]
    cited = await data.rows("source-citations", source=row["source"].value, lang=page_language(request))
    return render(
        request,
        "source.html",
        source=row,
        name=name,
        lines=text,
        cited=citations_by_line(cited),
        citations=cited,
        highlight=sources.line_range(lines, len(text)),
    )
