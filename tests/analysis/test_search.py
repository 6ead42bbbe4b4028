"""The search index (kgservice.analysis.search) over the graph's own texts: words are compared by lemma in any
of the three languages, every word must match, a notation is found as written. Expected resources are the
elements derived from the source lines that hold the words."""

from __future__ import annotations

import re

import pytest

from kgservice.analysis.search import MAX_QUERY_CHARS, Hit, SearchIndex, Text, query_keys
from kgservice.engine.embedded import OxigraphStore
from kgservice.sparql.catalogue import Catalogue
from tests.conftest import KALISZ, ROOT, source_lines

ID = "https://w3id.org/kgservice/id/"
PAGES = Catalogue(ROOT / "queries" / "pages")


@pytest.fixture(scope="module")
def index(store: OxigraphStore) -> SearchIndex:
    rows = store.select(PAGES.get("search-texts").bind({})).records()
    return SearchIndex(Text(r["resource"].value, r["field"].value, r["text"].lang or "", r["text"].value) for r in rows)


def derived_from_line(store: OxigraphStore, line: int) -> set[str]:
    """The elements of the Kalisz strategy whose own excerpt holds line `line` of its source."""
    found = store.select(
        f"""PREFIX kgo: <https://w3id.org/kgservice/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT DISTINCT ?e WHERE {{ ?e kgo:inStrategy <{ID}kalisz-strategy-2004> ; prov:wasDerivedFrom ?x .
          ?x oa:hasSource <{ID}source/{KALISZ}> ; kgo:startLine ?s ; kgo:endLine ?t FILTER(?s <= {line} && {line} <= ?t) }}"""
    ).column("e")
    return set(found)


def task_title_lines() -> dict[int, str]:
    """The line after each "Zadanie II-4.n." heading of the Kalisz page that holds the task's title."""
    lines = source_lines(KALISZ)
    titles = {}
    for number, text in enumerate(lines, start=1):
        if re.match(r"\s*Zadanie II-4\.\d\.", text):
            following = next(n for n in range(number + 1, len(lines) + 1) if lines[n - 1].strip())
            titles[following] = re.sub(r"\[image:[^\]]*\]", "", lines[following - 1]).strip()
    return titles


def test_a_word_in_another_case_finds_the_task_that_names_it(index: SearchIndex, store: OxigraphStore) -> None:
    titles = task_title_lines()
    # "bezpieczeństwo" (nominative) against "bezpieczeństwa", "bezpieczeństwem" as the titles write it
    holding = {n for n, title in titles.items() if "bezpiecze" in title.lower()}
    assert len(holding) >= 2
    hits = {h.resource for h in index.search("bezpieczeństwo")}
    for line in holding:
        assert derived_from_line(store, line) & hits, f"no hit for the task titled on line {line}: {titles[line]}"


def test_every_word_must_match(index: SearchIndex, store: OxigraphStore) -> None:
    titles = task_title_lines()
    (line,) = [n for n, title in titles.items() if "pomocy społecznej" in title]
    task = derived_from_line(store, line)
    both = {h.resource for h in index.search("system pomoc społeczna")}
    assert task & both
    assert not {h.resource for h in index.search("system pomoc społeczna xqzvwk")}


def test_a_notation_is_found_as_written(index: SearchIndex) -> None:
    hits = index.search("II-4.2")
    assert hits and hits[0].resource == ID + "kalisz-strategy-2004/II-4.2"


def test_query_words_are_read_in_every_language() -> None:
    (keys,) = query_keys("seniorů")
    assert len(keys) >= 1
    assert query_keys("a i o") == []  # nothing but short words: no content word


def resources(hits: list[Hit]) -> list[str]:
    return [h.resource for h in hits]


def test_a_hostile_or_long_query_is_only_text(index: SearchIndex) -> None:
    # SPARQL punctuation is no word: the search is that of its words alone
    assert resources(index.search('"} UNION { ?s ?p ?o } #')) == resources(index.search("union"))
    long = "sociální služby " * 5000
    assert resources(index.search(long)) == resources(index.search(long[:MAX_QUERY_CHARS]))
