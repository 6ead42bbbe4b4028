"""The pages on a phone (390 px wide) and on paper, in headless Chromium: no page type scrolls sideways (wide
tables and YASGUI's results scroll inside their own box), and print shows every priority title whole."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.browser import needs_chromium, snap
from tests.conftest import KALISZ
from tests.server import Server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

pytestmark = needs_chromium
PHONE: ViewportSize = {"width": 390, "height": 844}
PAIR = "local=kgd:liberec-strategy-2021&higher=kgd:liberecky-kraj-social-2026"
PAGE_TYPES = {
    "index": "/?lang=cs",
    "strategy": "/id/liberec-strategy-2021?lang=cs",
    "measure": "/id/liberec-strategy-2021/2.1.3?lang=cs",
    "task": "/id/kalisz-strategy-2004/II-4.2?lang=pl",
    "alignment": "/id/alignment/kalisz-strategy-2004/II-4--wielkopolska-strategy/1.1?lang=pl",
    "concept": "/id/theme/social-services?lang=cs",
    "organisation": "/id/org/miasto-kalisz?lang=pl",
    "source-file": f"/id/source/{KALISZ}?lang=pl",
    "coherence": f"/coherence?{PAIR}&lang=cs",
    "coherence-filtered": f"/coherence?{PAIR}&strength=1&lang=cs",
    "suggestions": f"/suggestions?{PAIR}&lang=cs",
    "validation": "/validation?lang=cs",
    "editor": "/editor?lang=cs",
    "sources": "/sources?lang=cs",
    "source": f"/sources/{KALISZ}.txt?lines=71-73&lang=pl",
    "ontology": "/ontology?lang=cs",
    "search": "/search?q=senioři&lang=cs",
    "themes": "/themes?lang=cs",
    "target-groups": "/target-groups?lang=pl",
    "compare": "/compare?a=kgd:liberec-strategy-2021&b=kgd:kalisz-strategy-2004&lang=cs",
    "import": "/import?lang=cs",
    "not-found": "/id/nothing-is-here?lang=cs",
}


@pytest.fixture
def phone(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, base_url=server.url, locale="cs-CZ", is_mobile=True, has_touch=True)
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    yield opened
    context.close()


def overflow(page: Page) -> int:
    """How many pixels the page is wider than the screen."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_page_scrolls_sideways_on_a_phone(phone: Page, server: Server, shots: Path, name: str) -> None:
    path = PAGE_TYPES[name]
    status = httpx.get(server.url + path, headers={"Accept": "text/html"}, timeout=90).status_code
    if name == "import" and status == 404:
        pytest.skip("this service has no /import page")
    assert status == (404 if name == "not-found" else 200), f"{path}: {status}"
    phone.goto(path, wait_until="networkidle", timeout=90_000)
    assert phone.evaluate("document.documentElement.clientWidth") == PHONE["width"]
    assert overflow(phone) <= 0, f"{path} is {overflow(phone)} px wider than a 390 px screen"
    snap(phone, shots, f"phone-{name}")


def test_yasgui_results_scroll_in_their_box_not_the_page(phone: Page, server: Server, shots: Path) -> None:
    expected = len(httpx.get(server.url + "/api/queries/strategies").json()["results"]["bindings"])
    phone.goto("/editor?lang=cs")
    phone.click("button.example[data-name='strategies']")
    phone.click(".tabPanel.active .yasqe_queryButton")
    rows = phone.locator(".tabPanel.active .yasr table.dataTable tbody tr")
    rows.first.wait_for()
    assert rows.count() == expected
    assert overflow(phone) <= 0
    table_width = phone.locator(".tabPanel.active .yasr table.dataTable").evaluate("t => t.scrollWidth")
    assert table_width > PHONE["width"]  # the results are wider than the screen, and scroll inside their box
    snap(phone, shots, "phone-editor-results")


def test_print_shows_every_priority_title_whole(browser: Browser, server: Server) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 1200}, base_url=server.url)
    page = context.new_page()
    page.goto(f"/coherence?{PAIR}&lang=cs")
    page.emulate_media(media="print")
    # Rows, coverage and gaps name each element whole; a column shows its notation and the key under the matrix its title.
    shown = page.evaluate(
        """() => [...document.querySelectorAll('#heatmap tbody a[title], #coverage a[title], #gaps a[title]')]
             .map(a => [a.getAttribute('title'), a.innerText])"""
    )
    columns = page.evaluate("() => [...document.querySelectorAll('#heatmap th.column')].map(th => th.getAttribute('title'))")
    key = page.evaluate("() => [...document.querySelectorAll('#column-key li')].map(li => li.innerText)")
    # The network names its nodes by notation on paper: no shortened label is printed.
    network = page.evaluate(
        """() => [...document.querySelectorAll('svg.network .short-label')]
             .map(s => getComputedStyle(s).display !== 'none')"""
    )
    context.close()
    assert shown and columns
    cut = [(title, text) for title, text in shown if title not in " ".join(text.split())]
    assert not cut, f"titles cut in print: {cut[:3]}"
    assert [" ".join(k.split()) for k in key] == [" ".join(c.split()) for c in columns]
    assert network and not any(network)
