"""The Jinja2 environment of the pages (autoescaped, with gettext from kgservice.translation) and the one way
a router renders a page: in the page language, with links that keep it, and the language remembered in a cookie."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kgservice import __version__
from kgservice.checks.validation import shorten
from kgservice.interfaces.web.data import page_path
from kgservice.interfaces.web.i18n import COOKIE, LANGUAGES, Words, page_language
from kgservice.interfaces.web.sources import source_href
from kgservice.rdf.namespaces import compact
from kgservice.rdf.terms import Term
from kgservice.translation import install

WEB = Path(__file__).resolve().parent
TEMPLATES = WEB / "templates"
STATIC = WEB / "static"


def _environment() -> Environment:
    # Undefined (not strict): a query row holds only its bound variables, and an unbound one renders empty.
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "svg"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["compact"] = compact
    env.filters["shorten"] = shorten  # knows the shapes' prefix (kgs:) too
    env.filters["page"] = lambda iri: page_path(str(iri))
    env.filters["value"] = lambda t: t.value if isinstance(t, Term) else ("" if t is None else str(t))
    env.globals["version"] = __version__
    env.globals["source_href"] = source_href  # an excerpt's lines on /sources/<file>
    install(env)  # _(), ngettext and {% trans %} in the `lang` of each page
    return env


templates = Jinja2Templates(env=_environment())


def href(path: str, lang: str, **params: str | None) -> str:
    """A link to a page of the service that keeps the page language."""
    query = {k: v for k, v in params.items() if v is not None} | {"lang": lang}
    return f"{path}?{urlencode(query)}"


def _switch_links(request: Request) -> dict[str, str]:
    params = {k: v for k, v in request.query_params.items() if k != "lang"}
    return {code: f"{request.url.path}?{urlencode(params | {'lang': code})}" for code in LANGUAGES}


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page in the request's language; a language chosen with ?lang= is remembered in a cookie."""
    lang = page_language(request)
    context |= {
        "lang": lang,
        "w": Words(lang),
        "languages": _switch_links(request),
        "url": lambda path, **params: href(path, lang, **params),
    }
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    response.headers["Vary"] = "Accept, Cookie, Accept-Language"
    chosen = request.query_params.get("lang", "").lower()
    if chosen in LANGUAGES and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(COOKIE, chosen, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response
