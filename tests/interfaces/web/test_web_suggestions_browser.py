"""The suggestions page in a real browser (Debian's headless Chromium driven by Playwright): a planner accepts a
stored suggestion with the write token and a reviewer's name and sees it accepted, and sees the API's refusal
when another planner judged a suggestion first or the token is wrong.

The module runs a `kgservice serve` of its own (graph in memory, so the writes stay in that process and reach
neither the data folder nor the session's shared server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tests.browser import needs_chromium, snap
from tests.server import TOKEN, Server, running_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ID = "https://w3id.org/kgservice/id/"
LOCAL, HIGHER = ID + "liberec-strategy-2021", ID + "liberecky-kraj-social-2026"
PAIR = {"local": "kgd:liberec-strategy-2021", "higher": "kgd:liberecky-kraj-social-2026"}
AUTH = {"Authorization": f"Bearer {TOKEN}"}
WRITE_MS = 60_000  # a write validates the whole graph with the shapes first (seconds)

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A service of this module's own, writes on (token), in memory."""
    folder = tmp_path_factory.mktemp("suggestions-server")  # the judgments' files go to its user-data/
    with running_server(folder, write_token=TOKEN, workers="2", user_data=str(folder / "user-data")) as running:
        yield running


@pytest.fixture
def requests() -> list[str]:
    """Every URL the page asked for."""
    return []


@pytest.fixture
def page(browser: Browser, writable: Server, requests: list[str]) -> Iterator[Page]:
    """A fresh page (own cookies and storage) on a laptop-sized screen that only talks to the server."""
    context = browser.new_context(viewport={"width": 1366, "height": 800}, base_url=writable.url, locale="en-GB")
    context.on("request", lambda request: requests.append(request.url))
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    yield opened
    context.close()
    outside = [url for url in requests if not url.startswith((writable.url, "data:"))]
    assert not outside, f"the page reached outside the service: {outside}"


def api_stored(server: Server, status: str) -> list[dict[str, Any]]:
    response = httpx.get(server.url + "/api/suggestions/stored", params={**PAIR, "status": status}, timeout=60)
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()
    return rows


def test_a_planner_accepts_a_suggestion_and_sees_the_apis_refusals(
    page: Page, writable: Server, requests: list[str], shots: Path
) -> None:
    from playwright.sync_api import expect

    assert httpx.post(writable.url + "/api/suggestions", params=PAIR, headers=AUTH, timeout=120).status_code == 201
    first, second, third, *_ = (row["alignment"] for row in api_stored(writable, "pending"))
    page.goto(f"/suggestions?local={LOCAL}&higher={HIGHER}&lang=en")  # reading needs no token
    expect(page.locator("#review-panel")).to_be_visible()

    page.fill("#write-token", TOKEN)
    page.fill("#reviewer", "Jana Nováková")
    row = page.locator(f'#stored-table tr[data-alignment="{first}"]')
    row.locator("select.strength-choice").select_option("2")
    row.locator("button.accept").click()
    expect(row).to_have_attribute("data-status", "accepted", timeout=WRITE_MS)
    expect(row.locator(".status-cell")).to_have_text("accepted")
    expect(row.locator(".creator")).to_have_text("Jana Nováková")
    assert row.locator(".judge").count() == 0
    accepted = {r["alignment"]: r for r in api_stored(writable, "accepted")}
    assert (accepted[first]["creator"], accepted[first]["strength"]) == ("Jana Nováková", 2)
    snap(page, shots, "suggestions-accepted", full=False)

    # Another planner accepted the second one meanwhile: rejecting it here is refused with the API's 409.
    other = httpx.post(
        writable.url + "/api/suggestions/accept",
        json={"alignment": second, "reviewer": "Petr", "strength": 1},
        headers=AUTH,
        timeout=60,
    )
    assert other.status_code == 200
    late = page.locator(f'#stored-table tr[data-alignment="{second}"]')
    late.locator("button.reject").click()
    expect(late.locator(".row-message")).to_contain_text("409", timeout=WRITE_MS)
    expect(late.locator(".row-message")).to_contain_text("is not a pending suggestion")
    expect(late).to_have_attribute("data-status", "pending")

    # A wrong token: the API's 403, and nothing changes.
    page.fill("#write-token", "x" * 30)
    wrong = page.locator(f'#stored-table tr[data-alignment="{third}"]')
    wrong.locator("select.strength-choice").select_option("1")
    wrong.locator("button.accept").click()
    expect(wrong.locator(".row-message")).to_contain_text("403", timeout=WRITE_MS)
    assert third in {r["alignment"] for r in api_stored(writable, "pending")}

    # The token lived in the page and this tab's storage only: no URL or cookie carried it.
    assert page.evaluate("sessionStorage.getItem('kgservice-write-token')") == "x" * 30
    assert TOKEN not in page.evaluate("document.cookie")
    assert not [url for url in requests if TOKEN in url]
    snap(page, shots, "suggestions-refused", full=False)


def test_the_printed_page_drops_the_controls(page: Page, shots: Path) -> None:
    page.goto(f"/suggestions?local={LOCAL}&higher={HIGHER}&lang=cs&top=1")
    assert page.locator("h1").inner_text() == "Návrhy vazeb"
    assert page.locator("section.element").count() > 10
    page.emulate_media(media="print")
    assert page.locator("form.pair").is_hidden() and page.locator("#review-panel").is_hidden()
    snap(page, shots, "suggestions-print")
