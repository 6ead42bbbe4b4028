"""The API's documentation pages, /docs (Swagger UI) and /redoc (ReDoc), from the service's own static files.

FastAPI's pages load both from a CDN, so they were blank offline. Here they are FastAPI's own pages
(`get_swagger_ui_html`, `get_redoc_html`) pointed at the copies `make vendor` puts in static/vendor/ (npm
packages swagger-ui-dist and redoc, versions locked in web/package-lock.json), with no Google Fonts, no
online validator and no OAuth redirect. Swagger UI starts from one inline script: the pages' policy allows
that script by its hash and no other, so `DOCS_POLICY` allows nothing from other hosts.
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

VENDOR = "/static/vendor"
SWAGGER_JS = f"{VENDOR}/swagger-ui/swagger-ui-bundle.js"
SWAGGER_CSS = f"{VENDOR}/swagger-ui/swagger-ui.css"
FAVICON = f"{VENDOR}/swagger-ui/favicon-32x32.png"
REDOC_JS = f"{VENDOR}/redoc/redoc.standalone.js"
OPENAPI = "/openapi.json"
DOCS_PATHS = ("/docs", "/redoc")
# No online validator badge: it would send the schema's URL to validator.swagger.io.
SWAGGER_PARAMETERS = {"validatorUrl": None}


def swagger_page(title: str) -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=OPENAPI,
        title=f"{title} - Swagger UI",
        swagger_js_url=SWAGGER_JS,
        swagger_css_url=SWAGGER_CSS,
        swagger_favicon_url=FAVICON,
        oauth2_redirect_url=None,  # writes use a bearer token, not OAuth2
        swagger_ui_parameters=SWAGGER_PARAMETERS,
    )


def redoc_page(title: str) -> HTMLResponse:
    return get_redoc_html(
        openapi_url=OPENAPI, title=f"{title} - ReDoc", redoc_js_url=REDOC_JS, redoc_favicon_url=FAVICON, with_google_fonts=False
    )


_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def inline_script_hashes(page: HTMLResponse) -> list[str]:
    """The CSP sources ('sha256-...') that allow the page's inline scripts and nothing else; the title is no
    part of a script, so the hashes hold for any title."""
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(m.group(1)).digest()).decode()}'" for m in _INLINE_SCRIPT.finditer(page.body)
    ]


# Swagger UI and ReDoc set inline styles; ReDoc's search runs in a worker it makes from a blob.
DOCS_POLICY = (
    f"default-src 'self'; script-src 'self' {' '.join(inline_script_hashes(swagger_page('')))}; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI on the OpenAPI schema: every operation, with "Try it out"."""
    return swagger_page(request.app.title)


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    """ReDoc on the OpenAPI schema: the same operations as one long page."""
    return redoc_page(request.app.title)
