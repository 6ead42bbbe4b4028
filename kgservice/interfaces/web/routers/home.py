"""The index page (the strategies of the graph) and the pages' static files (CSS, scripts, the vendored editor)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.staticfiles import StaticFiles

from kgservice.errors import NotFound
from kgservice.interfaces.web.data import PageDataDep
from kgservice.interfaces.web.i18n import page_language
from kgservice.interfaces.web.templating import STATIC, render
from kgservice.translation import N_

router = APIRouter(tags=["Web pages"])
_static = StaticFiles(directory=STATIC, check_dir=False)


@router.get("/", summary="The strategies of the graph (HTML)", response_class=Response)
async def index(request: Request, data: PageDataDep) -> Response:
    """Each strategy document with its level, territory, issuer, period, status and size, linked to its page."""
    strategies = await data.rows("strategies", lang=page_language(request))
    return render(request, "index.html", strategies=strategies)


@router.get("/static/{path:path}", include_in_schema=False)
async def static(path: str, request: Request) -> Response:
    """A file of kgservice/interfaces/web/static/ (StaticFiles refuses paths that leave the folder)."""
    try:
        response = await _static.get_response(path, request.scope)
    except Exception as error:  # StaticFiles raises HTTPException(404) for missing files
        raise NotFound(N_("no static file %(path)s"), path=repr(path)) from error
    response.headers.setdefault("Cache-Control", "public, max-age=3600")
    return response
