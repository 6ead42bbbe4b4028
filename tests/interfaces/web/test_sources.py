"""/sources/<file>: each source document with line numbers, the cited lines marked, the asked range
highlighted, every excerpt of an entity page linked to its lines, and no path outside the source folders."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from kgservice.config import Settings
from kgservice.engine.embedded import OxigraphStore
from kgservice.interfaces.app import create_app
from kgservice.interfaces.web.sources import MAX_BYTES
from tests.conftest import KALISZ, ROOT, source_lines
from tests.server import Server

ID = "https://w3id.org/kgservice/id/"
ROW = re.compile(r'<tr id="L(\d+)" class="([^"]*)"')


def rows(html: str) -> dict[int, str]:
    """Line number -> the classes of its row."""
    return {int(n): classes for n, classes in ROW.findall(html)}


def cited_lines(store: OxigraphStore, source: str) -> set[int]:
    found = store.select(
        f"""PREFIX kgo: <https://w3id.org/kgservice/ontology#> PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?s ?e WHERE {{ ?x oa:hasSource <{ID}source/{source}> ; kgo:startLine ?s ; kgo:endLine ?e }}"""
    ).records()
    return {n for r in found for n in range(int(r["s"].value), int(r["e"].value) + 1)}


def test_a_source_page_numbers_every_line_and_marks_the_cited_ones(server: Server, store: OxigraphStore) -> None:
    text = source_lines(KALISZ)
    response = httpx.get(f"{server.url}/sources/{KALISZ}.txt", params={"lines": "71-73", "lang": "pl"})
    assert response.status_code == 200
    found = rows(response.text)
    assert sorted(found) == list(range(1, len(text) + 1))
    assert {n for n, classes in found.items() if "highlight" in classes} == {71, 72, 73}
    assert {n for n, classes in found.items() if "cited" in classes} == cited_lines(store, KALISZ)
    shown = [html.unescape(cell) for cell in re.findall(r'<td class="text">(.*?)</td>', response.text, re.S)]
    assert shown == text  # every line as the file has it, in order


def test_a_range_outside_the_file_highlights_nothing(server: Server) -> None:
    response = httpx.get(f"{server.url}/sources/{KALISZ}.txt", params={"lines": "9000-9100"})
    assert response.status_code == 200
    assert not any("highlight" in c for c in rows(response.text).values())


def test_every_excerpt_on_an_entity_page_links_to_its_lines(server: Server, store: OxigraphStore) -> None:
    element = ID + "kalisz-strategy-2004/II-4.2"
    excerpts = store.select(
        f"""PREFIX kgo: <https://w3id.org/kgservice/ontology#> PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT DISTINCT ?s ?e WHERE {{ <{element}> prov:wasDerivedFrom ?x . ?x kgo:startLine ?s ; kgo:endLine ?e }}"""
    ).records()
    html = httpx.get(f"{server.url}/id/kalisz-strategy-2004/II-4.2", params={"lang": "cs"}, headers={"Accept": "text/html"}).text
    section = re.search(r'<section id="sources">(.*?)</section>', html, re.S)
    assert section
    links = [urlsplit(h.replace("&amp;", "&")) for h in re.findall(r'class="cite" href="([^"]+)"', section.group(1))]
    assert links and all(link.path == f"/sources/{KALISZ}.txt" for link in links)
    asked = {parse_qs(link.query)["lines"][0] for link in links}
    expected = {r["s"].value if r["s"].value == r["e"].value else f"{r['s'].value}-{r['e'].value}" for r in excerpts}
    assert asked == expected
    for link in links:  # each link lands on a page whose highlighted rows are the excerpt's lines
        first, _, last = parse_qs(link.query)["lines"][0].partition("-")
        page = httpx.get(f"{server.url}{link.path}?{link.query}").text
        marked = {n for n, c in rows(page).items() if "highlight" in c}
        assert marked == set(range(int(first), int(last or first) + 1))
        assert link.fragment == f"L{first}"


def test_the_index_lists_every_source_file_of_the_graph(server: Server) -> None:
    html = httpx.get(f"{server.url}/sources").text
    on_disk = {p.name for p in (ROOT / "data" / "sources").glob("*.txt")}
    assert set(re.findall(r'href="/sources/([^"?]+)', html)) == on_disk


@pytest.mark.parametrize(
    "name",
    [
        "..%2Fsource-files.ttl",
        "..%2F..%2Fpyproject.toml",
        "%2e%2e%2fsource-files.ttl",
        "%2E%2E",
        "%2E",
        "%2Fetc%2Fpasswd",
        "README.md",  # in data/sources/ but not a source file of the graph
        "source-files.ttl",
        f"{KALISZ}.txt%00",
        f"{KALISZ}.txt%2F..%2F..%2Fsource-files.ttl",
        f"..%5C{KALISZ}.txt",
    ],
)
def test_no_name_reaches_a_file_outside_the_sources(server: Server, name: str) -> None:
    response = httpx.get(f"{server.url}/sources/{name}")
    assert response.status_code == 404
    assert "[project]" not in response.text and "@prefix" not in response.text


@pytest.fixture
def with_user_source(tmp_path: Path) -> Iterator[TestClient]:
    """The service with a user data directory holding one imported source (known to the graph) and one file
    the graph does not name."""
    user = tmp_path / "user"
    (user / "sources").mkdir(parents=True)
    (user / "sources" / "imported.txt").write_text("first line\nsecond line\n", encoding="utf-8")
    (user / "sources" / "stray.txt").write_text("not in the graph\n", encoding="utf-8")
    (user / "sources" / "huge.txt").write_bytes(b"x" * (MAX_BYTES + 1))
    (user / "imported.ttl").write_text(
        """@prefix kgo: <https://w3id.org/kgservice/ontology#> .
        <https://w3id.org/kgservice/id/source/imported> a kgo:SourceFile ; kgo:filePath "sources/imported.txt" .
        <https://w3id.org/kgservice/id/source/huge> a kgo:SourceFile ; kgo:filePath "sources/huge.txt" .""",
        encoding="utf-8",
    )
    with TestClient(create_app(Settings(root=ROOT, user_data=user, workers=1))) as client:
        yield client


def test_an_imported_source_in_the_user_directory_is_served_and_a_stray_file_is_not(with_user_source: TestClient) -> None:
    shown = with_user_source.get("/sources/imported.txt")
    assert shown.status_code == 200 and sorted(rows(shown.text)) == [1, 2]
    assert with_user_source.get("/sources/stray.txt").status_code == 404


def test_the_evidence_of_each_alignment_links_to_its_source_lines(server: Server, store: OxigraphStore) -> None:
    element = ID + "liberec-strategy-2021/2.1.1"
    excerpts = store.select(
        f"""PREFIX kgo: <https://w3id.org/kgservice/ontology#> PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT DISTINCT ?f ?s ?e WHERE {{ ?a kgo:subjectElement <{element}> ; prov:wasDerivedFrom ?x .
          ?x oa:hasSource/kgo:filePath ?f ; kgo:startLine ?s ; kgo:endLine ?e }}"""
    ).records()
    assert excerpts
    page = httpx.get(f"{server.url}/id/liberec-strategy-2021/2.1.1", headers={"Accept": "text/html"}).text
    tables = " ".join(re.findall(r'<table class="data alignments"[^>]*>(.*?)</table>', page, re.S))
    linked = {html.unescape(h) for h in re.findall(r'class="cite" href="([^"]+)"', tables)}
    for row in excerpts:
        start, end = row["s"].value, row["e"].value
        lines = start if start == end else f"{start}-{end}"
        name = row["f"].value.rsplit("/", 1)[-1]
        assert any(h.startswith(f"/sources/{name}?lines={lines}&") for h in linked), (name, lines)


def test_a_source_file_past_the_size_bound_is_refused(with_user_source: TestClient) -> None:
    response = with_user_source.get("/sources/huge.txt")
    assert response.status_code == 413 and "huge.txt" in response.text
