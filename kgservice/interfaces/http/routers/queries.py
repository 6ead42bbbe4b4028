"""The named queries of queries/ as an HTTP API: list them, run one with its parameters."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from kgservice.interfaces.deps import CatalogueDep, EngineDep, FormatParam, SettingsDep
from kgservice.interfaces.http.execution import answer, query_request
from kgservice.interfaces.http.openapi import errors, media_content
from kgservice.rdf.media import RESULT_FORMATS, requested

router = APIRouter(prefix="/api/queries", tags=["Named queries"])


@router.get("", summary="List the named queries")
def list_queries(catalogue: CatalogueDep) -> list[dict[str, Any]]:
    """Each named query with its title, the question it answers and its parameters."""
    return [
        {
            "name": q.name,
            "title": q.title,
            "question": q.question,
            "parameters": [
                {"name": p.name, "type": p.type, "required": p.required, "default": p.default, "description": p.description}
                for p in q.parameters
            ],
        }
        for q in catalogue.queries.values()
    ]


@router.get(
    "/{name}",
    summary="Run a named query",
    response_class=Response,
    responses={
        200: {"description": "the query's results", "content": media_content(list(RESULT_FORMATS))},
        **errors(400, 403, 404, 406, 413, 422, 503, json=True),
    },
)
async def run_query(
    name: str, request: Request, catalogue: CatalogueDep, engine: EngineDep, settings: SettingsDep, format_: FormatParam = None
) -> Response:
    """Run the query with the parameters given in the URL (for example ?priority=kgd:zporr/2.1&lang=pl).

    Results are SPARQL JSON by default, or CSV, TSV or XML by Accept header or `format`."""
    # The query declares its parameters in its .rq file, so they cannot be typed here: the catalogue checks them.
    params = {k: v for k, v in request.query_params.items() if k not in ("format", "output")}
    text = catalogue.get(name).bind(params)
    accept = requested(format_, request.headers.get("accept"))
    return await answer(engine, query_request(settings, text, accept, format_param=format_), request)
