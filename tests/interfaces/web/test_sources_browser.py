"""A source page in Chromium: a fragment naming a range of lines (#L71-L73) highlights them, as ?lines= does,
and a link to one line (#L17) lands on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.browser import needs_chromium
from tests.conftest import KALISZ, source_lines
from tests.server import Server

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = needs_chromium


def test_a_fragment_range_highlights_its_lines(browser: Browser, server: Server) -> None:
    total = len(source_lines(KALISZ))
    context = browser.new_context(viewport={"width": 1200, "height": 800}, base_url=server.url)
    page = context.new_page()
    page.goto(f"/sources/{KALISZ}.txt#L71-L73")
    marked = page.eval_on_selector_all("#source-lines tr.highlight", "rows => rows.map(r => r.id)")
    assert marked == ["L71", "L72", "L73"]
    assert page.locator("#source-lines tr").count() == total
    page.goto(f"/sources/{KALISZ}.txt?lines=12-14#L12")
    assert page.eval_on_selector_all("#source-lines tr.highlight", "rows => rows.map(r => r.id)") == ["L12", "L13", "L14"]
    assert page.evaluate("document.getElementById('L12').getBoundingClientRect().top") < 800  # scrolled to it
    context.close()
