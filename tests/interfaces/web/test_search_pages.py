"""/search and the index pages of the shared schemes (/themes, /target-groups), over HTTP."""

from __future__ import annotations

import re

import httpx
import pytest

from kgservice.engine.embedded import OxigraphStore
from tests.conftest import KALISZ, source_lines
from tests.server import Server

ID = "https://w3id.org/kgservice/id/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
KGO = "https://w3id.org/kgservice/ontology#"
# The first search builds the index and loads the lemmatiser's dictionaries (seconds on a loaded machine).
SLOW = 90


def result_links(html: str) -> list[str]:
    block = re.search(r'<ol class="results" id="results">(.*?)</ol>', html, re.S)
    return re.findall(r'<li>\s*<a href="([^"?#]+)', block.group(1)) if block else []


def test_search_finds_a_task_by_the_words_of_its_title_in_another_case(server: Server) -> None:
    (title,) = [line for line in source_lines(KALISZ) if "systemu pomocy społecznej" in line]
    assert "Budowa" in title
    html = httpx.get(server.url + "/search", params={"q": "system pomoc społeczna", "lang": "pl"}, timeout=SLOW).text
    assert "/id/kalisz-strategy-2004/II-4.2" in result_links(html)


def test_search_crosses_languages_through_shared_stems(server: Server, store: OxigraphStore) -> None:
    # The Czech strategy writes "senioři"/"seniorů"; a Polish reader types "seniorzy".
    czech = store.select(
        f"""SELECT DISTINCT ?e WHERE {{ ?e <{KGO}inStrategy> <{ID}liberec-strategy-2021> ; <{SKOS}prefLabel> ?l
        FILTER(CONTAINS(LCASE(STR(?l)), "senior")) }}"""
    ).column("e")
    assert czech
    links = set(result_links(httpx.get(server.url + "/search", params={"q": "seniorzy"}, timeout=SLOW).text))
    assert {"/id/" + e.removeprefix(ID) for e in czech} <= links


def test_an_empty_or_hostile_search_is_a_page_not_an_error(server: Server) -> None:
    assert result_links(httpx.get(server.url + "/search", timeout=SLOW).text) == []
    response = httpx.get(server.url + "/search", params={"q": '"} } UNION { ?s ?p ?o } <script>x</script>' * 50}, timeout=SLOW)
    assert response.status_code == 200 and "<script>x" not in response.text


@pytest.mark.parametrize(("path", "scheme"), [("/themes", "theme"), ("/target-groups", "target-group")])
def test_an_index_page_lists_every_concept_of_its_scheme(server: Server, store: OxigraphStore, path: str, scheme: str) -> None:
    concepts = set(store.select(f"SELECT ?c WHERE {{ ?c <{SKOS}inScheme> <{ID}{scheme}> }}").column("c"))
    html = httpx.get(server.url + path, params={"lang": "cs"}).text
    listed = set(re.findall(r'<li id="[^"]+">\s*<a href="(/id/' + scheme + r'/[^"?]+)', html))
    assert listed == {"/id/" + c.removeprefix(ID) for c in concepts}


def test_an_index_lists_the_elements_tagged_with_a_concept(server: Server, store: OxigraphStore) -> None:
    tagged = store.select(f"SELECT ?e ?c WHERE {{ ?e <{KGO}targetGroup> ?c . ?c <{SKOS}inScheme> <{ID}target-group> }}").records()
    assert tagged
    html = httpx.get(server.url + "/target-groups").text
    for row in tagged:
        concept = row["c"].value.rsplit("/", 1)[-1]
        item = re.search(rf'<li id="{re.escape(concept)}">(.*?)</details>', html, re.S)
        assert item and f'href="/id/{row["e"].value.removeprefix(ID)}?' in item.group(1)


def test_every_page_has_a_search_box_that_keeps_the_language(server: Server) -> None:
    for path in ("/", "/coherence", "/ontology", f"/sources/{KALISZ}.txt"):
        html = httpx.get(server.url + path, params={"lang": "pl"}, headers={"Accept": "text/html"}, timeout=60).text
        form = re.search(r'<form class="site-search[^"]*" method="get" action="/search"[^>]*>(.*?)</form>', html, re.S)
        assert form and 'name="q"' in form.group(1) and 'name="lang" value="pl"' in form.group(1), path
