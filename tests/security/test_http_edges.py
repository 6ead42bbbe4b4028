"""The HTTP edges of issue 12, against a real server process: update errors are 4xx with their reason,
request headers are bounded, a URL that is not UTF-8 is refused, and every response carries the browser
protections."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx
import pytest

from kgservice.interfaces.app import create_app
from tests.browser import needs_chromium
from tests.server import TOKEN, Server, running_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("edges"), write_token=TOKEN, workers="1") as running:
        yield running


def update(server: Server, text: str) -> httpx.Response:
    return httpx.post(server.sparql, data={"update": text}, headers=AUTH, timeout=60)


def test_creating_an_existing_graph_is_409_with_the_reason(server: Server) -> None:
    # A graph exists while it holds a triple (an empty one is not kept by the commit).
    assert update(server, "INSERT DATA { GRAPH <http://e/created> { <http://e/a> <http://e/b> 1 } }").status_code == 204
    again = update(server, "CREATE GRAPH <http://e/created>")
    assert again.status_code == 409 and "already exists" in again.text, again.text
    assert "internal error" not in again.text


def test_dropping_a_missing_graph_is_409_and_silent_drop_is_not_an_error(server: Server) -> None:
    missing = update(server, "DROP GRAPH <http://e/never-there>")
    assert missing.status_code == 409 and "does not exist" in missing.text, missing.text
    assert update(server, "DROP SILENT GRAPH <http://e/never-there>").status_code == 204


def test_an_8_mb_header_is_refused_before_the_app_and_the_service_goes_on(server: Server) -> None:
    try:
        status: int | None = httpx.get(server.url + "/health", headers={"X-Filler": "a" * 8_000_000}, timeout=30).status_code
    except httpx.TransportError:
        status = None  # the server may close the connection while the client still writes
    assert status in (400, 431, None)
    assert httpx.get(server.url + "/health", headers={"X-Filler": "a" * 16_000}).status_code == 200


def test_invalid_utf8_in_a_get_query_string_is_400_naming_the_parameter_and_byte(server: Server) -> None:
    response = httpx.get(server.sparql + "?query=ASK%7B%3Fs%20%3Fp%20%27%FF%27%7D")
    assert response.status_code == 400, response.text
    assert "'query'" in response.text and "0xff" in response.text
    form = httpx.post(server.sparql, content=b"query=ASK%7B%7D%FE", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 400 and "0xfe" in form.text


@pytest.mark.parametrize("path", ["/", "/sparql", "/api/queries", "/health", "/no-such-page"])
def test_every_response_carries_csp_framing_sniffing_and_referrer_headers(server: Server, path: str) -> None:
    response = httpx.get(server.url + path, headers={"Accept": "text/html"}, follow_redirects=True)
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_the_api_docs_page_gets_a_policy_that_lets_swagger_load(server: Server) -> None:
    response = httpx.get(server.url + "/docs")
    policy = response.headers["content-security-policy"]
    # Swagger UI's one inline script is allowed by its hash; nothing comes from another host
    scripts = next(d for d in policy.split("; ") if d.startswith("script-src"))
    assert response.status_code == 200 and scripts.startswith("script-src 'self' 'sha256-") and "unsafe-inline" not in scripts
    assert "http" not in policy
    assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(("path", "allow"), [("/sparql", "GET, HEAD, POST"), ("/rdf-graphs", "DELETE, GET, HEAD, POST, PUT")])
def test_a_method_a_resource_does_not_answer_is_405_with_allow(server: Server, path: str, allow: str) -> None:
    for method in ("PATCH", "PUT") if path == "/sparql" else ("PATCH",):
        response = httpx.request(method, server.url + path, headers=AUTH)
        assert response.status_code == 405 and response.headers["allow"] == allow


def test_the_openapi_schema_has_unique_operation_ids_and_describes_bodies_and_errors() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # FastAPI warns of a duplicate operation id
        schema = create_app().openapi()
    ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    post = schema["paths"]["/sparql"]["post"]
    assert set(post["requestBody"]["content"]) == {
        "application/sparql-query",
        "application/sparql-update",
        "application/x-www-form-urlencoded",
    }
    assert {"400", "401", "403", "409", "413", "415", "422", "503"} <= set(post["responses"])
    put = schema["paths"]["/rdf-graphs"]["put"]
    assert {"text/turtle", "application/ld+json", "application/rdf+xml", "multipart/form-data"} <= set(
        put["requestBody"]["content"]
    )
    assert {"201", "204", "401", "413", "415", "422"} <= set(put["responses"])


PAGES = [
    "/",
    "/editor",
    "/coherence?lang=en",
    "/id/liberec-strategy-2021/2.1.3?lang=en",
    "/suggestions?local=https://w3id.org/kgservice/id/liberec-strategy-2021"
    "&higher=https://w3id.org/kgservice/id/liberecky-kraj-social-2026&lang=en&top=1",
    "/docs",
    "/redoc",
]
# Collects what the browser refused under the page's policy, whether or not it logs it to the console.
RECORD_VIOLATIONS = (
    "window.__csp = []; document.addEventListener('securitypolicyviolation',"
    " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)


@needs_chromium
def test_the_pages_work_under_their_policy_and_the_browser_reports_no_violation(browser: Browser, server: Server) -> None:
    context = browser.new_context(base_url=server.url)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(30_000)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text) if "Content Security Policy" in message.text else None)
    violations: list[str] = []
    for path in PAGES:
        page.goto(path, wait_until="networkidle")
        violations += [f"{path}: {v}" for v in page.evaluate("window.__csp")]
    page.goto("/editor")
    page.click("button.example[data-name='strategies']")
    page.click(".tabPanel.active .yasqe_queryButton")
    page.locator(".tabPanel.active .yasr table.dataTable tbody tr").first.wait_for()
    violations += [f"/editor after a query: {v}" for v in page.evaluate("window.__csp")]
    context.close()
    assert not violations and not console, violations + console
