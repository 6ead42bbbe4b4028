"""The HTML reports rendered from their templates: text from the graph is escaped, the page needs nothing
outside itself, and each matrix cell is coloured by its links."""

from __future__ import annotations

from html.parser import HTMLParser

from kgservice.analysis.coherence import analyse, compare, html, render
from kgservice.analysis.coherence.report import CellOut, CoherenceReport, coherence_report, comparison_report
from kgservice.analysis.coherence.source import read_scope
from kgservice.engine.embedded import OxigraphStore
from kgservice.sparql.catalogue import Catalogue
from kgservice.translation import translator

ID = "https://w3id.org/kgservice/id/"
KALISZ, WIELKOPOLSKA, LIBEREC = ID + "kalisz-strategy-2004", ID + "wielkopolska-strategy", ID + "liberec-strategy-2021"
HOSTILE = '<script>alert("x")</script> & <b>co</b>'


class Page(HTMLParser):
    """The start tags of a page, with their attributes, and the text of its title."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def parsed(text: str) -> Page:
    page = Page()
    page.feed(text)
    return page


def test_graph_text_is_escaped_and_the_page_is_self_contained(store: OxigraphStore, catalogue: Catalogue) -> None:
    graph = read_scope(store, catalogue, [KALISZ, WIELKOPOLSKA], [KALISZ])
    report = coherence_report(graph, analyse(graph, KALISZ, WIELKOPOLSKA), "en")
    hostile = report.model_copy(update={"local": report.local.model_copy(update={"label": HOSTILE})})
    page = parsed(html.coherence_html(hostile))
    assert page.title == f"Coherence: {HOSTILE} → {report.higher.label}"
    assert [tag for tag, _ in page.tags if tag in ("script", "b", "link", "img")] == []
    assert page.tags[0] == ("html", {"lang": "en"})


def test_each_matrix_cell_is_coloured_by_its_links(store: OxigraphStore, catalogue: Catalogue) -> None:
    graph = read_scope(store, catalogue, [KALISZ, WIELKOPOLSKA], [KALISZ])
    report = coherence_report(graph, analyse(graph, KALISZ, WIELKOPOLSKA), "pl")
    cells = [attrs for tag, attrs in parsed(html.coherence_html(report)).tags if tag == "td" and "title" in attrs]
    assert [a["class"] for a in cells] == [f"c {html.heat_class(c)}" for c in sorted_cells(report)]
    assert [a["title"] for a in cells] == [render.cell_text(c, "pl") for c in sorted_cells(report)]


def sorted_cells(report: CoherenceReport) -> list[CellOut]:
    """The report's cells in the order the matrix shows them: row by row, left to right."""
    at = {(c.measure, c.priority): c for c in report.matrix.cells}
    return [at[(m.iri, p.iri)] for m in report.matrix.rows for p in report.matrix.columns if (m.iri, p.iri) in at]


def test_the_comparison_page_is_escaped_too(store: OxigraphStore, catalogue: Catalogue) -> None:
    graph = read_scope(store, catalogue, [LIBEREC, KALISZ], [LIBEREC, KALISZ], hops=1)
    report = comparison_report(graph, compare(graph, LIBEREC, KALISZ), "cs")
    hostile = report.model_copy(update={"b": report.b.model_copy(update={"label": HOSTILE})})
    page = parsed(html.comparison_html(hostile))
    assert page.title == translator("cs").gettext("Themes and target groups: %(a)s / %(b)s", a=report.a.label, b=HOSTILE)
    assert ("table", {"id": "themes"}) in page.tags and not any(tag == "script" for tag, _ in page.tags)
