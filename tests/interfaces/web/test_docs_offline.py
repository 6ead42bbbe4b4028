"""The API pages, /docs (Swagger UI) and /redoc (ReDoc), render every operation with nothing but the service:
Debian's headless Chromium, every request to another host refused and counted as a failure, and no
violation of the pages' Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.browser import needs_chromium, snap
from tests.server import Server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

pytestmark = needs_chromium

METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}
RECORD_VIOLATIONS = (
    "window.__csp = []; document.addEventListener('securitypolicyviolation',"
    " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)


class Offline:
    """A browser page that reaches only the service: any other request is aborted and remembered."""

    def __init__(self, browser: Browser, server: Server) -> None:
        self.outside: list[str] = []
        self.context = browser.new_context(viewport={"width": 1366, "height": 800}, base_url=server.url)
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.context.route("**/*", lambda route: self._only_local(route, server.url))
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)

    def _only_local(self, route: Route, local: str) -> None:
        url = route.request.url
        if url.startswith(local + "/"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort("internetdisconnected")

    def violations(self) -> list[str]:
        found: list[str] = self.page.evaluate("window.__csp")
        return found


@pytest.fixture
def offline(browser: Browser, server: Server) -> Iterator[Offline]:
    opened = Offline(browser, server)
    yield opened
    opened.context.close()
    assert not opened.outside, f"the page asked for other hosts: {opened.outside}"


def operations(server: Server) -> list[str]:
    """The operation ids of the service's OpenAPI schema, as the server itself states them."""
    schema = httpx.get(server.url + "/openapi.json", timeout=30).json()
    return [op["operationId"] for ops in schema["paths"].values() for method, op in ops.items() if method in METHODS]


def test_swagger_ui_at_docs_shows_every_operation_offline(offline: Offline, server: Server, shots: Path) -> None:
    expected = operations(server)
    page: Page = offline.page
    page.goto("/docs")
    blocks = page.locator(".swagger-ui .opblock")
    blocks.first.wait_for()
    shown: list[str] = page.evaluate("[...document.querySelectorAll('.swagger-ui .opblock')].map(e => e.id)")
    # Swagger UI names each block operations-<tag>-<operationId>
    assert sorted(next(op for op in expected if block.endswith("-" + op)) for block in shown) == sorted(expected)
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("kgservice")
    # an operation opens and shows its parameters: the UI runs, not only its first paint
    sparql_get = next(block for block in shown if block.endswith("-sparql_get"))
    page.locator(f"#{sparql_get} .opblock-summary").click()
    page.locator(f"#{sparql_get} .parameters").first.wait_for()
    assert offline.violations() == []
    snap(page, shots, "docs-offline", full=False)


def test_redoc_shows_every_operation_offline(offline: Offline, server: Server, shots: Path) -> None:
    expected = operations(server)
    page: Page = offline.page
    page.goto("/redoc")
    sections = page.locator("[data-section-id*='operation/']")
    sections.first.wait_for()
    ids: list[str] = page.evaluate(
        "[...document.querySelectorAll(\"[data-section-id*='operation/']\")].map(e => e.dataset.sectionId)"
    )
    # ReDoc names each operation's section (and its menu entry) [tag/<tag>/]operation/<operationId>
    assert {i.rsplit("operation/", 1)[1] for i in ids} == set(expected)
    assert offline.violations() == []
    snap(page, shots, "redoc-offline", full=False)


def test_the_docs_pages_name_only_files_of_the_service(server: Server) -> None:
    for path in ("/docs", "/redoc"):
        page = httpx.get(server.url + path, timeout=30).text
        assert "https://" not in page and "http://" not in page, path
        for asset in ("/static/vendor/swagger-ui/swagger-ui-bundle.js", "/static/vendor/redoc/redoc.standalone.js"):
            if asset.split("/")[3] in page:
                assert httpx.get(server.url + asset, timeout=30).status_code == 200
