"""The web pages in a real browser: Debian's headless Chromium driven by Playwright against a live
`kgservice serve`. Each test saves a screenshot (under $KGSERVICE_SCREENSHOTS, else a temporary folder)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from kgservice.engine.embedded import OxigraphStore
from tests.browser import needs_chromium, snap
from tests.server import Server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ID = "https://w3id.org/kgservice/id/"
KGO = "https://w3id.org/kgservice/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
LOCAL, HIGHER = ID + "liberec-strategy-2021", ID + "liberecky-kraj-social-2026"

pytestmark = needs_chromium


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    """A fresh page (own cookies and storage) on a laptop-sized screen that only talks to the server."""
    context = browser.new_context(viewport={"width": 1366, "height": 800}, base_url=server.url, locale="en-GB")
    outside: list[str] = []
    context.on("request", lambda request: None if request.url.startswith((server.url, "data:")) else outside.append(request.url))
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    yield opened
    context.close()
    assert not outside, f"the page reached outside the service: {outside}"


def count(store: OxigraphStore, query: str) -> int:
    return int(store.select(query).column("n")[0])


def test_the_editor_runs_a_named_query_and_shows_its_rows(page: Page, server: Server, shots: Path) -> None:
    expected = len(httpx.get(server.url + "/api/queries/strategies").json()["results"]["bindings"])
    page.goto("/sparql")  # a browser asking the endpoint itself gets the editor
    assert page.url.endswith("/editor")
    page.click("button.example[data-name='strategies']")
    page.click(".tabPanel.active .yasqe_queryButton")
    rows = page.locator(".tabPanel.active .yasr table.dataTable tbody tr")
    rows.first.wait_for()
    assert rows.count() == expected
    assert page.locator(".tabPanel.active .yasr").get_by_text("liberec-strategy-2021", exact=False).count() >= 1
    snap(page, shots, "editor", full=False)


def test_an_entity_page_shows_its_breadcrumbs_and_alignments(page: Page, store: OxigraphStore, shots: Path) -> None:
    activity = ID + "liberec-strategy-2021/2.1.3.5"
    above = count(store, f"SELECT (COUNT(?a) AS ?n) WHERE {{ <{activity}> <{KGO}partOf>+ ?a }}")
    targets = store.select(f"SELECT ?o WHERE {{ ?a <{KGO}subjectElement> <{activity}> ; <{KGO}objectElement> ?o }}").column("o")
    page.goto("/id/liberec-strategy-2021/2.1.3.5?lang=en")
    crumbs = page.locator("nav.breadcrumbs li")
    assert crumbs.count() == above + 1
    out = page.locator("#alignments-out")
    for target in targets:
        assert out.locator(f"a[href^='/id/{target.removeprefix(ID)}?']").count() == 1
    assert page.locator("#sources blockquote").count() >= 1
    snap(page, shots, "entity")
    crumbs.nth(above - 1).locator("a").click()  # up to the measure
    assert page.url.split("?")[0].endswith("/id/liberec-strategy-2021/2.1.3")
    assert page.locator("h1").inner_text().startswith("2.1.3")


def test_the_dashboard_draws_the_matrix_for_liberec_city_and_region(page: Page, store: OxigraphStore, shots: Path) -> None:
    measures = count(store, f"SELECT (COUNT(?m) AS ?n) WHERE {{ ?m <{KGO}inStrategy> <{LOCAL}> ; a <{KGO}Measure> }}")
    targeted = count(
        store,
        f"""PREFIX kgo: <{KGO}> SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{
        VALUES ?status {{ kgo:AssertedInDocument kgo:Curated }}
        VALUES ?relation {{ kgo:contributesTo kgo:implements kgo:consistentWith kgo:conflictsWith }}
        ?a kgo:alignmentStatus ?status ; kgo:relation ?relation ;
           kgo:subjectElement/kgo:inStrategy <{LOCAL}> ; kgo:objectElement ?o . ?o kgo:inStrategy <{HIGHER}> }}""",
    )
    page.goto("/coherence?lang=en")
    page.select_option("#local", LOCAL)
    page.select_option("#higher", HIGHER)
    page.click("form.pair button[type=submit]")
    heatmap = page.locator("#heatmap")
    assert heatmap.locator("tbody tr").count() == measures
    assert heatmap.locator("thead th[scope=col]").count() == targeted
    assert heatmap.locator("tbody td a").count() > 0
    assert page.locator("#network svg line").count() > 0
    snap(page, shots, "dashboard")
    page.emulate_media(media="print")
    assert page.locator("form.pair").is_hidden()
    snap(page, shots, "dashboard-print")


def test_the_language_switch_changes_the_labels(page: Page, store: OxigraphStore, shots: Path) -> None:
    measure = ID + "liberec-strategy-2021/2.1.3"
    names = {
        row[0].lang: row[0].value
        for row in store.select(f"SELECT ?l WHERE {{ <{measure}> <{SKOS}prefLabel> ?l }}").rows
        if row[0] is not None
    }
    page.goto("/id/liberec-strategy-2021/2.1.3?lang=en")
    assert page.locator("h1").inner_text() == f"2.1.3 {names['en']}"
    page.click("nav.languages a[hreflang=cs]")
    assert page.locator("h1").inner_text() == f"2.1.3 {names['cs']}"
    assert page.locator("header nav a").first.inner_text() == "Strategie"
    snap(page, shots, "entity-cs", full=False)
    page.click("nav.breadcrumbs li >> nth=0 >> a")  # the language goes along with the links
    assert "lang=cs" in page.url
    page.click("nav.languages a[hreflang=pl]")  # no Polish label: English
    document = {
        row[0].lang: row[0].value
        for row in store.select(f"SELECT ?l WHERE {{ <{LOCAL}> <{SKOS}prefLabel> ?l }}").rows
        if row[0] is not None
    }
    assert "pl" not in document and page.locator("h1").inner_text() == document["en"]
    assert page.locator("header nav a").first.inner_text() == "Strategie" and page.locator("html").get_attribute("lang") == "pl"
