"""The SPARQL query editor (YASGUI, vendored from npm into static/vendor/) with the named queries as examples."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request, Response

from kgservice.errors import ParameterError
from kgservice.interfaces.deps import CatalogueDep
from kgservice.interfaces.web.i18n import page_language
from kgservice.interfaces.web.templating import STATIC, render
from kgservice.sparql.catalogue import NamedQuery
from kgservice.translation import translator

router = APIRouter(tags=["Web pages"])
YASGUI = STATIC / "vendor" / "yasgui"
_EXAMPLE = re.compile(r"e\.g\. (\S+)")


def example_text(query: NamedQuery, lang: str) -> str:
    """The query with the page language bound and each required parameter bound to the example its
    description gives ("e.g. kgd:..."); optional parameters stay open (any value)."""
    values = {}
    for param in query.parameters:
        found = _EXAMPLE.search(param.description)
        if param.name == "lang":
            values["lang"] = lang
        elif param.required and found:
            values[param.name] = found.group(1).rstrip(".,;)")
    try:
        return query.bind(values)
    except ParameterError:
        return query.text


def example(query: NamedQuery, lang: str) -> dict[str, Any]:
    """A named query as the editor offers it: name, title and question in the page language (the catalogues
    hold the queries' headers, babel.cfg), and runnable text."""
    t = translator(lang)
    title, question = t.gettext(query.title), t.gettext(query.question) if query.question else ""
    return {"name": query.name, "title": title, "question": question, "text": example_text(query, lang)}


@router.get("/editor", summary="SPARQL query editor (HTML)", response_class=Response, name="editor_page")
def editor(request: Request, catalogue: CatalogueDep) -> Response:
    """YASGUI on this service's /sparql endpoint, with every named query of queries/ to open in a tab."""
    lang = page_language(request)
    examples = [example(q, lang) for q in catalogue.queries.values()]
    built = (YASGUI / "yasgui.min.js").is_file()
    return render(
        request,
        "editor.html",
        examples=examples,
        built=built,
        config={"endpoint": str(request.url_for("sparql")), "examples": examples},
    )
