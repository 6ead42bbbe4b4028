"""/compare as a page (the analysis of `kgservice compare`), the coherence dashboard's filters, and its exports:
the XLSX workbook and the semicolon CSV hold the cells of the report's CSV."""

from __future__ import annotations

import csv
import io
import re

import httpx
from openpyxl import load_workbook

from kgservice.engine.embedded import OxigraphStore
from tests.server import Server

ID = "https://w3id.org/kgservice/id/"
KGO = "https://w3id.org/kgservice/ontology#"
PAIR = {"local": "kgd:liberec-strategy-2021", "higher": "kgd:liberecky-kraj-social-2026"}


def figure(html: str, name: str) -> str:
    match = re.search(rf'<b id="{name}">([^<]+)</b>', html)
    assert match, f"no figure {name}"
    return match.group(1)


def test_the_compare_page_shows_what_the_api_computes(server: Server) -> None:
    pair = {"a": "kgd:liberec-strategy-2021", "b": "kgd:kalisz-strategy-2004"}
    report = httpx.get(server.url + "/api/compare", params=pair).json()
    html = httpx.get(server.url + "/compare", params={**pair, "lang": "en"}).text
    assert figure(html, "shared") == str(report["shared"]) and figure(html, "only-a") == str(report["only_a"])
    assert figure(html, "overlap") == f"{report['overlap']:.2f}"
    rows = re.findall(r'<tr class="side-[^"]+">\s*<td><a href="(/id/[^"?]+)', html)
    assert rows == ["/id/" + t["concept"].removeprefix(ID) for t in report["themes"]]


def test_a_strategy_that_is_not_one_is_a_400_page(server: Server) -> None:
    response = httpx.get(server.url + "/compare", params={"a": "kgd:no-such-strategy", "b": "kgd:kalisz-strategy-2004"})
    assert response.status_code == 400 and 'class="warning"' in response.text


def matrix_rows(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/id/([^"?]+)', html)


def test_the_goal_filter_keeps_the_measures_under_the_goal(server: Server, store: OxigraphStore) -> None:
    goal = ID + "liberec-strategy-2021/2.1"
    below = set(store.select(f"SELECT ?m WHERE {{ ?m a <{KGO}Measure> ; <{KGO}partOf>+ <{goal}> }}").column("m"))
    everything = set(
        store.select(f"SELECT ?m WHERE {{ ?m a <{KGO}Measure> ; <{KGO}inStrategy> <{ID}liberec-strategy-2021> }}").column("m")
    )
    assert below and below < everything
    html = httpx.get(server.url + "/coherence", params={**PAIR, "goal": goal}).text
    assert set(matrix_rows(html)) == {m.removeprefix(ID) for m in below}
    assert 'id="filtered"' in html


def test_the_strength_and_status_filters_narrow_the_cells(server: Server, store: OxigraphStore) -> None:
    full = httpx.get(server.url + "/coherence", params=PAIR).text
    strong = httpx.get(server.url + "/coherence", params={**PAIR, "strength": "2"}).text
    cells = re.compile(r'<td class="([^"]*)"[^>]*><a href="/id/alignment/')
    assert all(c.split()[0] in ("c2", "c3") for c in cells.findall(strong))
    assert len(cells.findall(strong)) < len(cells.findall(full))
    curated = httpx.get(server.url + "/coherence", params={**PAIR, "status": "Curated"}).text
    assert len(cells.findall(curated)) <= len(cells.findall(full))
    bad = httpx.get(server.url + "/coherence", params={**PAIR, "strength": "7"})
    assert bad.status_code == 400 and "strength" in bad.text


def csv_rows(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=delimiter))


def test_the_xlsx_holds_every_table_of_the_csv(server: Server) -> None:
    response = httpx.get(server.url + "/coherence.xlsx", params=PAIR)
    assert response.status_code == 200 and "spreadsheetml" in response.headers["content-type"]
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["matrix", "coverage", "measures", "chains"]
    for table in book.sheetnames:
        expected = csv_rows(httpx.get(server.url + "/coherence.csv", params={**PAIR, "table": table}).text)
        sheet = [["" if v is None else str(v) for v in row] for row in book[table].iter_rows(values_only=True)]
        assert sheet == expected, table


def test_the_semicolon_csv_has_the_same_cells(server: Server) -> None:
    comma = csv_rows(httpx.get(server.url + "/coherence.csv", params={**PAIR, "table": "coverage"}).text)
    response = httpx.get(server.url + "/coherence.csv", params={**PAIR, "table": "coverage", "sep": "semicolon"})
    assert response.text.startswith("\ufeff") and ";" in response.text.splitlines()[0]
    assert csv_rows(response.text, ";") == comma
    assert httpx.get(server.url + "/coherence.csv", params={**PAIR, "sep": "tab"}).status_code == 400


def selected(html: str, select: str) -> list[str]:
    block = re.search(rf'<select name="{select}" id="{select}">(.*?)</select>', html, re.S)
    assert block, select
    return re.findall(r'<option value="([^"]+)" selected>', block.group(1))


def test_a_pair_named_with_prefixes_stays_chosen_in_the_form(server: Server) -> None:
    # The filters submit the form: it must resubmit the pair shown, not the first strategies of the lists.
    html = httpx.get(server.url + "/coherence", params={**PAIR, "strength": "1"}).text
    assert selected(html, "local") == [ID + "liberec-strategy-2021"]
    assert selected(html, "higher") == [ID + "liberecky-kraj-social-2026"]
    compared = httpx.get(server.url + "/compare", params={"a": "kgd:kalisz-strategy-2004", "b": "kgd:liberec-strategy-2021"}).text
    assert selected(compared, "a") == [ID + "kalisz-strategy-2004"] and selected(compared, "b") == [ID + "liberec-strategy-2021"]
