"""The pages in Czech and Polish: no English prose left on any page type (checked against the catalogues),
the language chosen by ?lang=, the cookie or Accept-Language, the alignment headings of an entity page
saying exactly what the links are, and the errors in the request's language."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from kgservice.config import Settings
from kgservice.engine.embedded import OxigraphStore
from kgservice.interfaces.app import create_app
from kgservice.interfaces.web.alignment_sections import heading
from kgservice.translation import translator
from tests.conftest import ROOT
from tests.english_prose import ShownText, leftovers

ID = "https://w3id.org/kgservice/id/"
KGO = "https://w3id.org/kgservice/ontology#"
TASK = ID + "kalisz-strategy-2004/II-4.2"  # reached only by "pursues the same aim as" links of strength 0
PAIR = {"local": ID + "liberec-strategy-2021", "higher": ID + "liberecky-kraj-social-2026"}
PAGES = [
    ("/", {}),
    ("/editor", {}),
    ("/coherence", {}),
    ("/coherence", PAIR),
    ("/coherence", {"local": ID + "kalisz-strategy-2004", "higher": ID + "zporr"}),
    ("/suggestions", PAIR),
    ("/id/kalisz-strategy-2004/II-4.2", {}),
    ("/id/liberec-strategy-2021/2.1.3", {}),
    ("/id/liberec-strategy-2021", {}),
    ("/id/no-such-thing", {}),
    ("/themes", {}),
    ("/target-groups", {}),
    ("/compare", {"a": "kgd:liberec-strategy-2021", "b": "kgd:kalisz-strategy-2004"}),
    ("/search", {"q": "senioři"}),
    ("/sources", {}),
    ("/sources/002_c55900dedce22e06", {}),
    ("/ontology", {}),
    ("/import", {}),
    ("/validation", {}),
]


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(root=ROOT, workers=2))) as running:
        yield running


def shown(client: TestClient, path: str, **params: str) -> list[str]:
    response = client.get(path, params=params, headers={"Accept": "text/html"})
    assert response.status_code in (200, 404), response.text
    return ShownText(response.text).texts


@pytest.mark.parametrize("lang", ["cs", "pl"])
@pytest.mark.parametrize(("path", "params"), PAGES)
def test_a_page_holds_no_english_prose(client: TestClient, path: str, params: dict[str, str], lang: str) -> None:
    assert leftovers(shown(client, path, **params, lang=lang), lang) == []


def test_the_check_finds_english_on_an_english_page(client: TestClient) -> None:
    assert len(leftovers(shown(client, "/coherence", **PAIR, lang="en"), "pl")) > 10


def test_the_language_comes_from_the_query_the_cookie_or_the_browser(client: TestClient) -> None:
    title = translator("pl").gettext("Strategies")
    fresh = TestClient(client.app)
    assert title in ShownText(fresh.get("/", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"}).text).texts
    assert title in ShownText(fresh.get("/", params={"lang": "pl"}).text).texts
    assert fresh.cookies.get("lang") == "pl"  # remembered for the next page, whatever the browser asks
    assert title in ShownText(fresh.get("/", headers={"Accept-Language": "cs"}).text).texts


def _links_to(store: OxigraphStore, element: str) -> set[tuple[str, str, int | None, str]]:
    """(direction, relation, strength, status) of the links that end at `element` or below it, from the graph."""
    table = store.select(
        f"""PREFIX kgo: <{KGO}>
        SELECT ?relation ?strength ?status WHERE {{
          ?via kgo:partOf* <{element}> . ?a kgo:objectElement ?via ; kgo:relation ?relation ; kgo:alignmentStatus ?status .
          OPTIONAL {{ ?a kgo:strength ?strength }} }}"""
    )
    return {
        (
            "in",
            r["relation"].value.removeprefix(KGO),
            int(r["strength"].value) if "strength" in r else None,
            r["status"].value.removeprefix(KGO),
        )
        for r in table.records()
    }


@pytest.mark.parametrize("lang", ["cs", "pl", "en"])
def test_the_headings_of_an_entity_page_say_what_its_links_are(client: TestClient, store: OxigraphStore, lang: str) -> None:
    response = client.get("/id/kalisz-strategy-2004/II-4.2", params={"lang": lang}, headers={"Accept": "text/html"})
    incoming = response.text.split('id="alignments-in"')[1].split("</section>")[0]
    headings = [text.split(" (")[0] for text in ShownText(incoming).texts if " — " in text]
    links = _links_to(store, TASK)
    assert links and {relation for _, relation, _, _ in links} == {"pursuesSameAimAs"}
    assert {strength for _, _, strength, _ in links} == {0}
    t = translator(lang)
    assert sorted(headings) == sorted(heading(key, "", t) for key in links)
    # A same-aim link of strength 0 is no support: no heading of the links in says "contribute" or "implement".
    for support in ("Elements that contribute to this one", "Elements that implement this one"):
        assert t.gettext(support) not in incoming


def test_an_api_error_is_in_the_language_of_the_request(client: TestClient) -> None:
    message = (
        "%(name)s is not a strategy document of the graph; the named query 'strategies' "
        "(kgservice query strategies, or /api/queries/strategies) lists them"
    )
    params = {"local": "kgd:nothing", "higher": "kgd:zporr"}
    client = TestClient(client.app)  # no language cookie from the pages
    for lang, ask in (("pl", {"headers": {"Accept-Language": "pl"}}), ("cs", {"params": {**params, "lang": "cs"}})):
        response = client.get("/api/coherence", **{"params": params, **ask})
        assert response.status_code == 400
        assert response.json()["error"] == translator(lang).gettext(message, name="'kgd:nothing'")
    english = client.get("/api/coherence", params=params)
    assert english.json()["error"] == message % {"name": "'kgd:nothing'"}


def test_a_write_refused_is_said_in_the_language_of_the_request(client: TestClient) -> None:
    response = TestClient(client.app).post(
        "/api/suggestions/reject", params={"lang": "pl"}, json={"alignment": "kgd:x", "reviewer": "J"}
    )
    assert response.status_code == 403
    assert response.json()["error"] == translator("pl").gettext(
        "writes are disabled on this service (no write token is configured)"
    )


def test_the_suggestion_counts_keep_their_plural_form_when_a_judgment_changes_them(client: TestClient) -> None:
    # The page's script replaces a count's words with the form of its new number from this list.
    text = client.get("/suggestions", params={**PAIR, "lang": "pl"}, headers={"Accept": "text/html"}).text
    config = json.loads(text.split('id="suggestions-config">')[1].split("</script>")[0])
    t = translator("pl")
    for status in ("pending", "accepted", "rejected"):
        forms = config["words"]["count_labels"][status]
        assert len(forms) > 5  # every number a judgment or storing the candidates can reach
        assert forms == [t.ngettext(f"suggestion {status}", f"suggestions {status}", n) for n in range(len(forms))]


@pytest.mark.parametrize("lang", ["cs", "pl", "en"])
def test_a_heading_says_when_its_links_do_not_count(lang: str) -> None:
    t = translator(lang)
    counted = heading(("out", "contributesTo", 2, "Curated"), "", t)
    suggested = heading(("out", "contributesTo", 2, "Suggested"), "", t)
    assert counted.startswith(t.gettext("Contributes to")) and t.gettext("+2 reinforcing") in counted
    assert suggested.startswith(counted) and t.gettext("suggested, not counted") in suggested
    assert t.gettext("rejected, not counted") in heading(("in", "implements", None, "Rejected"), "", t)
    unknown = heading(("in", "newRelation", None, "Curated"), "a relation", t)
    assert unknown.startswith("a relation") and t.gettext("to this element") in unknown


@pytest.mark.parametrize("lang", ["cs", "pl"])
def test_the_spreadsheet_export_holds_no_english_prose(client: TestClient, lang: str) -> None:
    response = client.get("/coherence.xlsx", params={**PAIR, "lang": lang})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    cells = [str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert len(cells) > 20
    assert leftovers([*book.sheetnames, *cells], lang) == []
