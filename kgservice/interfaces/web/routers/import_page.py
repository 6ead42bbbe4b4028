"""The import page: upload a strategy document with its metadata, review its outline as parsed with each
warning beside its line, change the level mapping and read it again, then commit it and go on to the
pair's suggestions and coherence. static/js/import.js does the uploading and committing through the API's
write routes (POST /api/strategies, POST /api/strategies/{draft}/commit) with the writer's token; the page
itself only offers the choices: the levels, the planning levels, the strategies to align to."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request, Response

from kgservice.interfaces.web.data import PageDataDep, with_elements
from kgservice.interfaces.web.forms import PageRoute
from kgservice.interfaces.web.i18n import page_language
from kgservice.interfaces.web.templating import render
from kgservice.project.importing import FORMATS, LevelMap
from kgservice.project.importing.levels import TYPES
from kgservice.rdf.namespaces import KGO

router = APIRouter(tags=["Web pages"], route_class=PageRoute)
PLANNING_LEVELS = {
    "municipal": "MunicipalLevel",
    "regional": "RegionalLevel",
    "national": "NationalLevel",
    "eu": "EUProgrammeLevel",
}
STATUSES = {"draft": "Draft", "approved": "Approved"}


@router.get("/import", summary="Import a strategy document: upload, review, commit (HTML)", response_class=Response)
async def import_page(request: Request, data: PageDataDep) -> Response:
    """The upload form, the level mapping (the documented defaults preselected), and the strategies a new
    one may be aligned to; the outline and the commit appear once a file is read (JavaScript)."""
    lang = page_language(request)
    strategies, kinds, terms = await asyncio.gather(
        data.rows("strategies", lang=lang), data.rows("kind-labels", lang=lang), data.rows("import-choices", lang=lang)
    )
    labels = {r["kind"].value.removeprefix(KGO): r["label"].value for r in kinds if "label" in r}
    labels |= {r["term"].value.removeprefix(KGO): r["label"].value for r in terms if "label" in r}
    defaults = LevelMap()
    return render(
        request,
        "import.html",
        strategies=with_elements(strategies),
        types=[(name, labels.get(name, name)) for name in TYPES],
        depths=list(defaults.depths),
        unnumbered=defaults.unnumbered,
        planning_levels={key: labels.get(local, key) for key, local in PLANNING_LEVELS.items()},
        statuses={key: labels.get(local, key) for key, local in STATUSES.items()},
        accept=",".join(f".{f}" for f in FORMATS),
    )
