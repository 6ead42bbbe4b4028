"""The suggestions page over HTTP: the form, the candidates of Liberec city's measures ranked against the
Region's social-services strategy (the same ones GET /api/suggestions ranks), the labels in each page language,
clear 400s for bad parameters, and the stored suggestions with the status the API gave them.

One writable app of its own serves the module (its graph is in memory: nothing reaches the data folder);
the tests that write come last and build on each other, in file order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from kgservice.config import Settings
from kgservice.engine.embedded import OxigraphStore
from kgservice.interfaces.app import create_app
from kgservice.translation import translator
from tests.conftest import LIBEREC_STRATEGY, ROOT, source_lines
from tests.server import TOKEN

ID = "https://w3id.org/kgservice/id/"
KGO = "https://w3id.org/kgservice/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
LOCAL, HIGHER = ID + "liberec-strategy-2021", ID + "liberecky-kraj-social-2026"
PAIR = {"local": "kgd:liberec-strategy-2021", "higher": "kgd:liberecky-kraj-social-2026"}
MEASURE = ID + "liberec-strategy-2021/2.1.4"  # "Řešení problematiky sociálně vyloučených lokalit", line 77 of the source
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


class Page(HTMLParser):
    """What the page shows, by the attributes the template marks it with: the options of each select, each
    ranked element's heading and candidate rows, each stored suggestion's row, the links and the h1."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.options: dict[str, list[str]] = defaultdict(list)
        self.headings: dict[str, str] = {}
        self.candidates: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
        self.stored: dict[str, dict[str, Any]] = {}
        self.hrefs: list[str] = []
        self.h1 = ""
        self._select: str | None = None
        self._element: str | None = None
        self._row: dict[str, Any] | None = None
        self._text: list[str] | None = None
        self._in: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "a" and found.get("href"):
            self.hrefs.append(found["href"])
        if tag == "select":
            self._select = found.get("name") or found.get("class")
        elif tag == "option" and self._select:
            self.options[self._select].append(found.get("value", ""))
        elif tag == "section" and "data-element" in found:
            self._element = found["data-element"]
        elif tag in ("h1", "h3"):
            self._in, self._text = tag, []
        elif tag == "tr" and ("data-element" in found or "data-status" in found):
            self._row = {**found, "cells": [], "judge": False}
        elif tag == "td" and self._row is not None:
            self._text = []
        elif tag == "div" and self._row is not None and "judge" in found.get("class", ""):
            self._row["judge"] = "hidden" in found

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag in ("h1", "h3") and self._text is not None and self._in == tag:
            text = " ".join("".join(self._text).split())
            if tag == "h1":
                self.h1 = text
            elif self._element:
                self.headings[self._element] = text
            self._in, self._text = None, None
        elif tag == "td" and self._row is not None and self._text is not None:
            self._row["cells"].append(" ".join("".join(self._text).split()))
            self._text = None
        elif tag == "tr" and self._row is not None:
            self._end_row(self._row)
            self._row = None

    def _end_row(self, row: dict[str, Any]) -> None:
        if "data-status" in row:
            self.stored[row["data-alignment"]] = row
        elif self._element:
            self.candidates[self._element].append((row["data-element"], row["cells"]))

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    user_data = tmp_path_factory.mktemp("user-data")  # the judgments' files, this module's own
    with TestClient(create_app(Settings(root=ROOT, user_data=user_data, write_token=TOKEN, workers=2))) as running:
        yield running


def review(client: TestClient, **params: str) -> Page:
    response = client.get("/suggestions", params=params, headers={"Accept": BROWSER})
    assert response.status_code == 200, response.text[:2000]
    assert response.headers["content-type"].startswith("text/html")
    return Page(response.text)


def ranked(client: TestClient, lang: str) -> dict[str, Any]:
    """What GET /api/suggestions ranks for measure 2.1.4."""
    response = client.get("/api/suggestions", params={**PAIR, "element": MEASURE, "lang": lang})
    assert response.status_code == 200, response.text
    element: dict[str, Any] = response.json()["elements"][0]
    return element


def stored(client: TestClient, status: str = "all") -> list[dict[str, Any]]:
    response = client.get("/api/suggestions/stored", params={**PAIR, "status": status})
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()
    return rows


def label(store: OxigraphStore, iri: str, lang: str) -> str:
    """The prefLabel of `iri` in `lang`, else in English."""
    labels = {
        row[0].lang: row[0].value
        for row in store.select(f"SELECT ?l WHERE {{ <{iri}> <{SKOS}prefLabel> ?l }}").rows
        if row[0] is not None
    }
    return labels.get(lang) or labels["en"]


# ---------------------------------------------------------------- the form


def test_the_form_offers_every_strategy_that_has_elements_and_ranks_nothing_yet(client: TestClient, store: OxigraphStore) -> None:
    with_elements = set(
        store.select(f"""SELECT DISTINCT ?s WHERE {{ ?s a <{KGO}StrategyDocument> .
        ?e <{KGO}inStrategy> ?s }}""").column("s")
    )
    page = review(client, lang="en")
    assert set(page.options["local"]) == set(page.options["higher"]) == with_elements
    assert page.options["top"] == [str(n) for n in range(1, 11)]
    assert not page.candidates and not page.stored


def test_the_page_is_linked_from_the_navigation_and_the_coherence_dashboard(client: TestClient) -> None:
    assert "/suggestions?lang=pl" in Page(client.get("/", params={"lang": "pl"}).text).hrefs
    dashboard = Page(client.get("/coherence", params={**PAIR, "lang": "en"}).text)
    links = [parse_qs(url.query) for url in map(urlsplit, dashboard.hrefs) if url.path == "/suggestions"]
    assert {"local": [LOCAL], "higher": [HIGHER], "lang": ["en"]} in links


# ---------------------------------------------------------------- the ranking of measure 2.1.4


def test_liberec_measure_2_1_4_shows_the_candidates_the_api_ranks(client: TestClient) -> None:
    page = review(client, **PAIR, lang="en")
    expected = ranked(client, "en")["candidates"]
    shown = page.candidates[MEASURE]
    assert expected and [higher for higher, _ in shown] == [c["element"] for c in expected]
    for (_, cells), candidate in zip(shown, expected, strict=True):
        rank, target, score, lexical, concepts, context, why, _status = cells
        assert rank == str(candidate["rank"]) and target == f"{candidate['notation']} {candidate['label']}"
        assert [score, lexical, concepts, context] == [f"{candidate[k]:.3f}" for k in ("score", "lexical", "concepts", "context")]
        for local_word, higher_word in candidate["shared_words"] + candidate["context_words"]:
            assert local_word in why and higher_word in why  # as written on each side
        assert all(concept["label"] in why for concept in candidate["shared_concepts"])
    # Every element of the city's strategy is ranked, each linked to its page in the page language.
    assert len(page.headings) == len(client.get("/api/suggestions", params={**PAIR, "top": 1}).json()["elements"]) == 72
    assert "/id/liberec-strategy-2021/2.1.4?lang=en" in page.hrefs
    assert all(f"/id/{higher.removeprefix(ID)}?lang=en" in page.hrefs for higher, _ in shown)


def test_the_top_parameter_sets_the_number_of_candidates(client: TestClient) -> None:
    page = review(client, **PAIR, lang="en", top="1")
    assert all(len(rows) <= 1 for rows in page.candidates.values())
    assert [higher for higher, _ in page.candidates[MEASURE]] == [ranked(client, "en")["candidates"][0]["element"]]


@pytest.mark.parametrize("lang", ["cs", "pl", "en"])
def test_words_and_labels_follow_the_page_language(client: TestClient, store: OxigraphStore, lang: str) -> None:
    response = client.get("/suggestions", params={**PAIR, "lang": lang})
    page = Page(response.text)
    t = translator(lang)
    assert f'<html lang="{lang}">' in response.text and page.h1 == t.gettext("Suggestions")
    assert t.gettext("shared words") in response.text and t.gettext("every level of the higher strategy") in response.text
    # The measure's heading: its label in the page language, else in the strategy's own language, Czech, as the
    # source document words it.
    czech = label(store, MEASURE, "cs")
    assert czech in source_lines(LIBEREC_STRATEGY)[76]
    assert page.headings[MEASURE].startswith("2.1.4 " + (label(store, MEASURE, "en") if lang == "en" else czech))
    # The concepts behind each score, labelled in the page language.
    why = " ".join(cells[6] for _, cells in page.candidates[MEASURE])
    concepts = {c["iri"] for c in ranked(client, lang)["candidates"] for c in c["shared_concepts"]}
    assert concepts and all(label(store, concept, lang) in why for concept in concepts)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"local": "kgd:no-such-strategy", "higher": PAIR["higher"]}, "local: 'kgd:no-such-strategy'"),
        ({"local": PAIR["local"], "higher": ID + "theme/ageing"}, f"higher: '{ID}theme/ageing'"),
        ({"local": "a b> } DROP ALL {", "higher": PAIR["higher"]}, "local: 'a b> } DROP ALL {'"),
        ({**PAIR, "top": "0"}, "top: '0' is not a whole number from 1 to 10"),
        ({**PAIR, "all_levels": "maybe"}, "all_levels: 'maybe'"),
    ],
)
def test_a_bad_parameter_is_a_clear_400_that_names_it(client: TestClient, params: dict[str, str], named: str) -> None:
    response = client.get("/suggestions", params={**params, "lang": "en"})
    assert response.status_code == 400 and response.headers["content-type"].startswith("text/html")
    assert str(escape(named)) in response.text
    page = Page(response.text)
    assert page.options["local"] and not page.candidates  # the form stays, to choose again


def test_every_parameter_fastapi_refuses_is_named_and_the_form_keeps_the_others(client: TestClient) -> None:
    response = client.get("/suggestions", params={**PAIR, "top": "x", "all_levels": "maybe", "lang": "en"})
    assert response.status_code == 400
    assert str(escape("top: 'x' is not a whole number from 1 to 10; all_levels: 'maybe'")) in response.text
    page = Page(response.text)
    assert page.options["local"] and not page.candidates
    # An empty value is no, as an unticked box; the page ranks as it does without it.
    assert (
        review(client, **PAIR, lang="en", all_levels="", top="1").candidates
        == review(client, **PAIR, lang="en", top="1").candidates
    )


def test_the_parameters_are_typed_in_the_openapi_schema(client: TestClient) -> None:
    parameters = client.get("/openapi.json").json()["paths"]["/suggestions"]["get"]["parameters"]
    schemas = {p["name"]: p["schema"] for p in parameters}
    top = schemas["top"]
    assert (top["type"], top["minimum"], top["maximum"], top["default"]) == ("integer", 1, 10, 3)
    assert schemas["all_levels"]["type"] == "boolean" and schemas["all_levels"]["default"] is False


# ---------------------------------------------------------------- stored suggestions (these tests write)


def test_stored_suggestions_show_the_status_the_api_gave_them(client: TestClient) -> None:
    assert review(client, **PAIR, lang="en").stored == {}
    assert client.post("/api/suggestions", params=PAIR, headers=AUTH).status_code == 201
    first, second, *_ = (row["alignment"] for row in stored(client, "pending"))
    accepted = client.post(
        "/api/suggestions/accept", json={"alignment": first, "reviewer": "Jana Nováková", "strength": 2}, headers=AUTH
    )
    rejected = client.post("/api/suggestions/reject", json={"alignment": second, "reviewer": "Petr Svoboda"}, headers=AUTH)
    assert accepted.status_code == rejected.status_code == 200

    page = review(client, **PAIR, lang="en")
    rows = stored(client)
    assert {r["alignment"]: r["status"] for r in rows} == {a: row["data-status"] for a, row in page.stored.items()}
    _, _, status, confidence, strength, creator, *_ = page.stored[first]["cells"]
    assert (status, strength, creator) == ("accepted", "+2", "Jana Nováková")
    assert confidence == f"{next(r['confidence'] for r in rows if r['alignment'] == first):.2f}"
    cells = page.stored[second]["cells"]
    assert (cells[2], cells[5]) == ("rejected", "Petr Svoboda")
    # Only pending suggestions get the (hidden until the script runs) accept and reject controls.
    assert all(row["judge"] == (row["data-status"] == "pending") for row in page.stored.values())


def test_the_page_carries_no_token_and_loads_its_script(client: TestClient) -> None:
    text = client.get("/suggestions", params={**PAIR, "lang": "en"}).text
    assert TOKEN not in text and 'type="password" id="write-token"' in text
    assert '<script src="/static/js/suggestions.js"></script>' in text
    script = client.get("/static/js/suggestions.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert client.get("/static/css/suggestions.css").status_code == 200
