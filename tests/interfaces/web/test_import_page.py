"""The import page in a real browser (Debian's headless Chromium driven by Playwright): a planner uploads the Kalisz
strategy's text, sees the outline as read with each warning beside its line, commits it with the write token,
and goes on to the strategy's page and the pair's suggestions, which hold the pending ones. Expectations come
from the uploaded text.

A Word document goes through the rest: read again with another level mapping, refused by the shapes (the
page names the nodes), committed, and imported anew as a new version whose changes the page reports.

The module runs a `kgservice serve` of its own (in memory, with a user data directory of its own)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.browser import needs_chromium, snap
from tests.conftest import KALISZ, SOURCES, source_lines
from tests.server import TOKEN, Server, running_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ID = "https://w3id.org/kgservice/id/"
HIGHER = ID + "liberecky-kraj-social-2026"
WRITE_MS = 90_000  # a commit validates, then tags and ranks suggestions (seconds)

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("import-server")
    with running_server(folder, write_token=TOKEN, workers="1", user_data=str(folder / "user-data")) as running:
        yield running


@pytest.fixture
def page(browser: Browser, writable: Server) -> Iterator[Page]:
    requests: list[str] = []
    context = browser.new_context(viewport={"width": 1366, "height": 900}, base_url=writable.url, locale="en-GB")
    context.on("request", lambda request: requests.append(request.url))
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    errors: list[str] = []
    opened.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    yield opened
    context.close()
    assert not [url for url in requests if not url.startswith((writable.url, "data:"))]
    assert not [e for e in errors if "Content Security Policy" in e], errors
    assert not [url for url in requests if TOKEN in url]


def printed_tasks() -> dict[str, str]:
    """Each task the source prints ("Zadanie II-4.1.") and the line number where it stands."""
    found = {}
    for number, line in enumerate(source_lines(KALISZ), 1):
        match = re.match(r"\s*Zadanie (II-4\.\d+)\.", line)
        if match:
            found[match.group(1)] = str(number)
    return found


def fill_metadata(page: Page, slug: str) -> None:
    page.fill("#write-token", TOKEN)
    page.fill("#title", "Strategia Rozwoju Miasta Kalisza na lata 2004-2013")
    page.select_option("#language", "pl")
    page.select_option("#level", "municipal")
    page.fill("#territory", "terr:kalisz")
    page.fill("#issuer", "orgs:miasto-kalisz")
    page.fill("#slug", slug)


def test_a_planner_imports_a_strategy_and_goes_on_to_judge_its_alignments(
    page: Page, writable: Server, tmp_path: Path, shots: Path
) -> None:
    from playwright.sync_api import expect

    document = tmp_path / "kalisz-2004.txt"
    document.write_bytes((SOURCES / f"{KALISZ}.txt").read_bytes())
    page.goto("/import?lang=en")
    expect(page.locator("header nav[aria-label=main] a[href^='/import']")).to_have_text("Import")
    page.set_input_files("#file", str(document))
    fill_metadata(page, "kalisz-browser")
    page.click("#read")
    expect(page.locator("#preview")).to_be_visible(timeout=WRITE_MS)

    tasks = printed_tasks()
    for notation, line in tasks.items():
        row = page.locator(
            "#outline tr.element", has=page.locator("td.notation", has_text=re.compile(f"^{re.escape(notation)}$"))
        )
        expect(row.locator("td.num")).to_have_text(re.compile(f"^{line}"))
        expect(row.locator("td.kind")).to_have_text("Measure")
    warnings = page.locator("#outline tr.warning-row")
    assert warnings.count() >= 1
    first = warnings.first
    warned = int(first.locator("td.num").inner_text())
    assert source_lines(KALISZ)[warned - 1].strip(), "a warning stands beside a line of the text"
    # Beside its line: the rows run in line order, elements and warnings mixed.
    starts = [int(re.match(r"\d+", t).group(0)) for t in page.locator("#outline tbody td.num").all_inner_texts()]  # type: ignore[union-attr]
    assert starts == sorted(starts)
    snap(page, shots, "import-preview", full=False)

    page.select_option("#higher", HIGHER)
    page.click("#commit")
    expect(page.locator("#committed")).to_be_visible(timeout=WRITE_MS)
    expect(page.locator("#committed-summary")).to_contain_text("Pending alignment suggestions")
    snap(page, shots, "import-committed", full=False)
    stored = httpx.get(
        writable.url + "/api/suggestions/stored",
        params={"local": ID + "kalisz-browser", "higher": HIGHER, "status": "pending"},
        timeout=60,
    ).json()
    assert stored, "the commit stored pending suggestions for the pair"

    strategy_page = page.get_attribute("#link-strategy", "href")
    assert strategy_page == "/id/kalisz-browser?lang=en"
    page.click("#link-suggestions")
    expect(page.locator("h1")).to_have_text("Suggestions")
    expect(page.locator("#stored-table")).to_contain_text(stored[0]["subjectNotation"])
    page.goto(strategy_page)
    title = source_lines(KALISZ)[int(tasks["II-4.2"]) + 1].strip()  # the task's title, two lines below "Zadanie II-4.2."
    expect(page.locator("main")).to_contain_text(re.sub(r"\s*\[image:.*?\]\s*", " ", title).strip())


def test_a_word_document_is_read_again_refused_committed_and_imported_anew(page: Page, tmp_path: Path) -> None:
    from docx import Document
    from playwright.sync_api import expect

    word = Document()
    word.add_heading("Strategie rozvoje obce", level=1)
    for text in ("1. Bezpečnost", "1.1 Podpora městské policie", "2. Doprava", "2.1 Oprava chodníků"):
        word.add_paragraph(text)
    path = tmp_path / "obec.docx"
    word.save(str(path))
    page.goto("/import?lang=cs")
    expect(page.locator("h1")).to_have_text("Import strategie")
    page.fill("#write-token", TOKEN)
    page.set_input_files("#file", str(path))
    page.select_option("#language", "cs")
    page.click("#read")
    expect(page.locator("#preview")).to_be_visible(timeout=WRITE_MS)
    notations = page.locator("#outline tr.element td.notation").all_inner_texts()
    assert notations == ["1", "1.1", "2", "2.1"]
    expect(page.locator("#outline tr.element", has_text="Oprava chodníků")).to_be_visible()

    # Another level mapping, read again: the top numbers become areas and those below them measures.
    def kind(name: str) -> str:  # the class as the page names it in its language
        return page.locator(f"#depth-1 option[value={name}]").inner_text()

    top = page.locator("#outline tr.element", has=page.locator("td.notation", has_text=re.compile(r"^2$")))
    below = page.locator("#outline tr.element", has=page.locator("td.notation", has_text=re.compile(r"^2\.1$")))
    expect(top.locator("td.kind")).to_have_text(kind("StrategicGoal"))
    page.select_option("#depth-1", "StrategicArea")
    page.select_option("#depth-2", "Measure")
    page.click("#read")
    expect(top.locator("td.kind")).to_have_text(kind("StrategicArea"), timeout=WRITE_MS)
    expect(below.locator("td.kind")).to_have_text(kind("Measure"))

    # No planning level, and measures under areas: the shapes refuse it, and the page names the nodes and rules.
    page.fill("#territory", "liberec")
    page.fill("#issuer", "statutarni-mesto-liberec")
    page.click("#read")
    expect(top.locator("td.kind")).to_have_text(kind("StrategicArea"), timeout=WRITE_MS)
    page.click("#commit")
    expect(page.locator("#import-message")).to_contain_text("422", timeout=WRITE_MS)
    expect(page.locator("#import-message")).to_contain_text(ID + "obec")

    # With its title, a level, and measures under goals it is committed; then a new version with one measure
    # more: the page says what the new version changed.
    page.fill("#title", "Strategie rozvoje obce")
    page.select_option("#level", "municipal")
    page.select_option("#depth-1", "StrategicGoal")
    page.select_option("#depth-2", "Measure")
    page.fill("#issuer", "statutarni-mesto-liberec")
    page.click("#read")
    expect(top.locator("td.kind")).to_have_text(kind("StrategicGoal"), timeout=WRITE_MS)
    page.click("#commit")
    expect(page.locator("#committed")).to_be_visible(timeout=WRITE_MS)
    word.add_paragraph("2.2 Nové přechody pro chodce")
    word.save(str(path))
    page.set_input_files("#file", str(path))
    page.click("#read")
    expect(page.locator("#outline tr.element", has_text="Nové přechody pro chodce")).to_be_visible(timeout=WRITE_MS)
    page.click("#commit")
    expect(page.locator("#committed-summary")).to_contain_text(
        "Nová verze dříve importované strategie. Přidáno: 1", timeout=WRITE_MS
    )

    twice = tmp_path / "dvakrat.txt"
    twice.write_text("Strategie\n\n1. Bezpečnost\n1.1 Policie\n1.1 Hasiči\n", encoding="utf-8")
    page.set_input_files("#file", str(twice))
    page.click("#read")
    message = page.locator("#import-message")
    expect(message).to_contain_text("400", timeout=WRITE_MS)
    expect(message).to_contain_text("dvakrat.txt, line 5")


def test_the_outline_as_read_fits_a_phone(browser: Browser, writable: Server, shots: Path) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 390, "height": 800}, base_url=writable.url, locale="cs-CZ")
    phone = context.new_page()
    try:
        phone.goto("/import?lang=cs")
        phone.fill("#write-token", TOKEN)
        phone.set_input_files("#file", str(SOURCES / f"{KALISZ}.txt"))
        phone.select_option("#language", "pl")
        phone.click("#read")
        expect(phone.locator("#preview")).to_be_visible(timeout=WRITE_MS)
        assert phone.evaluate("document.documentElement.scrollWidth") == 390  # long titles and IRIs wrap
        snap(phone, shots, "import-phone")
    finally:
        context.close()
