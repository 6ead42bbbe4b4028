"""Coherence and comparison: facts from the source documents, agreement of the Python analysis with the
named queries, support chains and conflicts on a small synthetic graph, the CLI formats parsed back, and
the HTTP endpoints on a live service."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from kgservice.analysis.coherence import StrategyGraph, analyse, compare, support_chains
from kgservice.analysis.coherence.analysis import Coherence
from kgservice.analysis.coherence.report import CoherenceReport, ComparisonReport, coherence_report
from kgservice.analysis.coherence.source import read_all, read_scope
from kgservice.engine.derived import derive
from kgservice.engine.embedded import OxigraphStore, load_files
from kgservice.interfaces.cli import main as cli
from kgservice.project.layout import Layout
from kgservice.rdf.terms import Table
from kgservice.sparql.catalogue import Catalogue
from tests import source_facts as facts
from tests.conftest import ROOT
from tests.server import Server

ID = "https://w3id.org/kgservice/id/"
KGO = "https://w3id.org/kgservice/ontology#"
KALISZ, WIELKOPOLSKA, ZPORR = ID + "kalisz-strategy-2004", ID + "wielkopolska-strategy", ID + "zporr"
LIBEREC, REGION = ID + "liberec-strategy-2021", ID + "liberecky-kraj-social-2026"
CURATION = ROOT / "data" / "alignments" / "liberec-city-region.ttl"
PAIRS = [(KALISZ, WIELKOPOLSKA), (KALISZ, ZPORR), (LIBEREC, REGION)]


@pytest.fixture(scope="module")
def graph(store: OxigraphStore, catalogue: Catalogue) -> StrategyGraph:
    return read_all(store, catalogue)


def notations(graph: StrategyGraph, iris: Iterator[str] | tuple[str, ...] | list[str]) -> list[str]:
    return sorted(graph.nodes[i].notation for i in iris)


def run(store: OxigraphStore, catalogue: Catalogue, name: str, **params: str) -> list[dict[str, str]]:
    table: Table = store.select(catalogue.get(name).bind(params))
    return [{k: v.value for k, v in r.items()} for r in table.records()]


# ---------------------------------------------------------------- facts from the Kalisz page


def test_kalisz_covers_the_four_listed_wielkopolska_priorities_through_programme_ii4(graph: StrategyGraph) -> None:
    result = analyse(graph, KALISZ, WIELKOPOLSKA)
    listed = facts.kalisz_convergence_leaves()["Strategią Rozwoju Województwa Wielkopolskiego"]
    status = {graph.nodes[p].notation: c.status for p, c in result.coverage.items()}
    assert status == {"1": "through children", **dict.fromkeys(listed, "direct")}
    assert notations(graph, result.columns) == listed
    for entry in result.coverage.values():
        assert notations(graph, entry.supporters) == ["II-4"]
    assert result.gaps == () and result.uncovered == ()


def test_every_kalisz_task_supports_through_its_programme(graph: StrategyGraph) -> None:
    result = analyse(graph, KALISZ, WIELKOPOLSKA)
    assert notations(graph, result.measures) == facts.kalisz_tasks()
    assert notations(graph, result.aligned) == facts.kalisz_tasks() and result.unsupported == ()
    for cell in result.cells.values():
        assert cell.support is not None and cell.support.local_route == "through parent"
        assert graph.nodes[cell.support.alignment.subject].notation == "II-4"
    assert len(result.cells) == len(facts.kalisz_tasks()) * 5  # four priorities and goal 1 above them


def test_kalisz_covers_the_five_listed_zporr_leaves(graph: StrategyGraph) -> None:
    result = analyse(graph, KALISZ, ZPORR)
    listed = facts.kalisz_convergence_leaves()["Zintegrowanym Planem Operacyjnym Rozwoju Regionalnego"]
    direct = [p for p, c in result.coverage.items() if c.status == "direct"]
    assert notations(graph, direct) == sorted(listed) and len(listed) == 5
    assert notations(graph, result.covered) == sorted(["2", "3", *listed])
    assert notations(graph, result.columns) == sorted(listed)


def test_summary_figures_list_the_elements_they_count(graph: StrategyGraph) -> None:
    report = coherence_report(graph, analyse(graph, KALISZ, ZPORR), "en")
    figures = {f.name: f for f in report.summary.figures}
    aligned = figures["measures that support the higher strategy"]
    assert (aligned.count, aligned.total, aligned.share) == (4, 4, 1.0)
    assert sorted(aligned.elements) == [f"kgd:kalisz-strategy-2004/{n}" for n in facts.kalisz_tasks()]
    for figure in report.summary.figures:
        assert figure.count == len(figure.elements)
    assert "4 measures support" in report.summary.text[0] and "(of 4, 100 %)" in report.summary.text[0]


def test_labels_follow_the_language_and_fall_back_to_english(graph: StrategyGraph) -> None:
    task = ID + "kalisz-strategy-2004/II-4.1"
    assert graph.label(task, "pl") == "Podniesienie stanu bezpieczeństwa w mieście"
    assert graph.label(task, "cs") == graph.label(task, "en") == "Raising the level of security in the city"


# ---------------------------------------------------------------- Python and the named queries agree


def _query_cells(rows: list[dict[str, str]]) -> dict[tuple[str, str], tuple[frozenset[str], str, str, str]]:
    return {
        (r["measure"], r["priority"]): (
            frozenset(r["relations"].split()),
            r.get("supportStrength", ""),
            r.get("conflictStrength", ""),
            r["alignments"],
        )
        for r in rows
    }


def _python_cells(result: Coherence) -> dict[tuple[str, str], tuple[frozenset[str], str, str, str]]:
    def text(value: int | None) -> str:
        return "" if value is None else str(value)

    return {
        key: (c.relations, text(c.support_strength), text(c.conflict_strength), str(len(c.alignments)))
        for key, c in result.cells.items()
    }


@pytest.mark.parametrize(("local", "higher"), PAIRS)
def test_matrix_cells_agree_with_the_coherence_matrix_query(
    graph: StrategyGraph, store: OxigraphStore, catalogue: Catalogue, local: str, higher: str
) -> None:
    rows = run(store, catalogue, "coherence-matrix", local=local, higher=higher)
    result = analyse(graph, local, higher, columns="all")
    assert _python_cells(result) == _query_cells(rows)
    assert rows


@pytest.mark.parametrize(("local", "higher"), PAIRS)
def test_gaps_unsupported_measures_and_coverage_agree_with_the_queries(
    graph: StrategyGraph, store: OxigraphStore, catalogue: Catalogue, local: str, higher: str
) -> None:
    result = analyse(graph, local, higher)
    gaps = {r["priority"] for r in run(store, catalogue, "priority-gaps", local=local, higher=higher)}
    assert set(result.uncovered) == gaps
    unsupported = [r["measure"] for r in run(store, catalogue, "unsupported-local-measures", local=local, higher=higher)]
    assert sorted(result.unsupported) == sorted(unsupported)
    coverage = {r["priority"]: r["coverage"] for r in run(store, catalogue, "coherence-coverage", local=local, higher=higher)}
    assert {p: c.status for p, c in result.coverage.items()} == coverage
    supporters = {
        (r["priority"], r["supporter"])
        for r in run(store, catalogue, "coherence-coverage", local=local, higher=higher)
        if "supporter" in r
    }
    assert {(p, s) for p, c in result.coverage.items() for s in c.supporters} == supporters


@pytest.mark.parametrize(("a", "b"), [(LIBEREC, KALISZ), (KALISZ, REGION), (LIBEREC, REGION)])
def test_shared_themes_and_their_carriers_agree_with_the_queries(
    graph: StrategyGraph, store: OxigraphStore, catalogue: Catalogue, a: str, b: str
) -> None:
    result = compare(graph, a, b)
    counts = {(r["concept"], int(r["countA"]), int(r["countB"])) for r in run(store, catalogue, "shared-themes", a=a, b=b)}
    assert {(t.concept, len(t.elements_a), len(t.elements_b)) for t in result.themes} == counts
    carriers = {(r["concept"], r["side"], r["element"]) for r in run(store, catalogue, "coherence-themes", a=a, b=b)}
    mine = {(t.concept, "A", e) for t in result.themes for e in t.elements_a} | {
        (t.concept, "B", e) for t in result.themes for e in t.elements_b
    }
    assert mine == carriers


def test_overlap_scores_compare_emphasis_not_size(graph: StrategyGraph) -> None:
    result = compare(graph, LIBEREC, KALISZ)
    safety = next(t for t in result.themes if t.concept == ID + "theme/public-safety")
    assert safety.side == "both"
    assert safety.share_b == len(safety.elements_b) / len(graph.elements[KALISZ])
    assert safety.overlap == pytest.approx(min(safety.share_a, safety.share_b) / max(safety.share_a, safety.share_b))
    assert 0 < result.overlap < 1
    only = [t for t in result.themes if t.side != "both"]
    assert only and all(t.overlap == 0 for t in only)


# ---------------------------------------------------------------- a small synthetic graph: chains and conflicts

SMALL = """
@prefix kgo: <https://w3id.org/kgservice/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix x: <https://w3id.org/kgservice/id/> .
x:city a kgo:StrategyDocument ; kgo:planningLevel kgo:MunicipalLevel ; skos:prefLabel "City"@en .
x:region a kgo:StrategyDocument ; kgo:planningLevel kgo:RegionalLevel ; skos:prefLabel "Region"@en .
x:nation a kgo:StrategyDocument ; kgo:planningLevel kgo:NationalLevel ; skos:prefLabel "Nation"@en .
x:city\\/C1 a kgo:StrategicGoal ; kgo:partOf x:city ; skos:notation "C1" ; skos:prefLabel "Goal"@en .
x:city\\/C1.1 a kgo:Measure ; kgo:partOf x:city\\/C1 ; skos:notation "C1.1" ; skos:prefLabel "Housing"@en , "Bydlení"@cs .
x:city\\/C1.2 a kgo:Measure ; kgo:partOf x:city\\/C1 ; skos:notation "C1.2" ; skos:prefLabel "Roads"@en .
x:city\\/C1.2.1 a kgo:Activity ; kgo:partOf x:city\\/C1.2 ; skos:notation "C1.2.1" ; skos:prefLabel "Cycle paths"@en .
x:city\\/C1.3 a kgo:Measure ; kgo:partOf x:city\\/C1 ; skos:notation "C1.3" ; skos:prefLabel "Parks"@en .
x:region\\/R1 a kgo:StrategicArea ; kgo:partOf x:region ; skos:notation "R1" ; skos:prefLabel "Liveable towns"@en .
x:region\\/R1.1 a kgo:Activity ; kgo:partOf x:region\\/R1 ; skos:notation "R1.1" ; skos:prefLabel "Affordable housing"@en .
x:region\\/R1.2 a kgo:Activity ; kgo:partOf x:region\\/R1 ; skos:notation "R1.2" ; skos:prefLabel "Mobility"@en .
x:region\\/R2 a kgo:StrategicArea ; kgo:partOf x:region ; skos:notation "R2" ; skos:prefLabel "Tourism"@en .
x:nation\\/N1 a kgo:StrategicGoal ; kgo:partOf x:nation ; skos:notation "N1" ; skos:prefLabel "Cohesion"@en .
x:nation\\/N1.1 a kgo:SpecificGoal ; kgo:partOf x:nation\\/N1 ; skos:notation "N1.1" ; skos:prefLabel "Towns"@en .
x:a1 a kgo:Alignment ; kgo:subjectElement x:city\\/C1.1 ; kgo:objectElement x:region\\/R1.1 ; kgo:relation kgo:contributesTo ;
  kgo:alignmentStatus kgo:Curated ; kgo:strength 2 ; kgo:evidence "both name affordable housing"@en .
x:a2 a kgo:Alignment ; kgo:subjectElement x:city\\/C1.2.1 ; kgo:objectElement x:region\\/R1.2 ; kgo:relation kgo:implements ;
  kgo:alignmentStatus kgo:AssertedInDocument ; kgo:evidence "the city plan says so"@en .
x:a3 a kgo:Alignment ; kgo:subjectElement x:region\\/R1 ; kgo:objectElement x:nation\\/N1.1 ; kgo:relation kgo:contributesTo ;
  kgo:alignmentStatus kgo:Curated ; kgo:strength 1 ; kgo:evidence "the area serves towns"@en .
x:a4 a kgo:Alignment ; kgo:subjectElement x:city\\/C1.2 ; kgo:objectElement x:region\\/R1.1 ; kgo:relation kgo:conflictsWith ;
  kgo:alignmentStatus kgo:Curated ; kgo:strength -2 ; kgo:evidence "roads take the land for housing"@en .
x:a5 a kgo:Alignment ; kgo:subjectElement x:city\\/C1.3 ; kgo:objectElement x:region\\/R2 ; kgo:relation kgo:contributesTo ;
  kgo:alignmentStatus kgo:Suggested ; kgo:evidence "software thinks parks attract tourists"@en .
"""
CITY, REGION_S, NATION = ID + "city", ID + "region", ID + "nation"


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    folder = tmp_path_factory.mktemp("small")
    (folder / "small.ttl").write_text(SMALL, encoding="utf-8")
    store = OxigraphStore()
    files = [(f, Layout(ROOT).graph_name(f)) for f in sorted((ROOT / "ontology").glob("*.ttl"))]
    load_files(store, files, ROOT)
    store.load_turtle((folder / "small.ttl").read_bytes(), "https://w3id.org/kgservice/graph/test/small", "small.ttl")
    derive(store.engine)
    return store


@pytest.fixture(scope="module")
def small(small_store: OxigraphStore, catalogue: Catalogue) -> StrategyGraph:
    return read_all(small_store, catalogue)


def test_a_city_measure_reaches_a_national_priority_through_the_region(small: StrategyGraph) -> None:
    chains = support_chains(small, CITY, NATION)
    routes = sorted((c.start, tuple(h.alignment.iri for h in c.hops)) for c in chains)
    assert routes == [(ID + "city/C1.1", (ID + "a1", ID + "a3")), (ID + "city/C1.2.1", (ID + "a2", ID + "a3"))]
    for chain in chains:
        assert chain.strategies(small) == (CITY, REGION_S, NATION)
        assert all(hop.alignment.evidence["en"] for hop in chain.hops)
        assert chain.hops[1].climb == (ID + "region/R1",)  # the region's activity is part of the area that supports N1.1
    assert {c.weakest for c in chains} == {1}


def test_a_chain_is_not_support_of_the_national_strategy(small: StrategyGraph) -> None:
    result = analyse(small, CITY, NATION)
    assert result.cells == {} and result.covered == ()
    assert notations(small, result.unsupported) == ["C1.1", "C1.2", "C1.3"]
    assert len(result.chains) == 2
    assert [small.nodes[g.root].notation for g in result.gaps] == ["N1"] and len(result.gaps[0].reached_by) == 2


def test_conflicts_and_suggested_alignments(small: StrategyGraph) -> None:
    result = analyse(small, CITY, REGION_S)
    assert [a.iri for a in result.conflicts] == [ID + "a4"]
    roads_area = result.cells[(ID + "city/C1.2", ID + "region/R1")]
    assert roads_area.relations == {"implements", "conflictsWith"}
    assert roads_area.support is not None and roads_area.support.local_route == "through activity"
    assert roads_area.conflict_strength == -2
    assert [a.iri for a in result.ignored] == [ID + "a5"]
    assert ID + "city/C1.3" in result.unsupported and ID + "region/R2" in result.uncovered
    assert [small.nodes[a.object].notation for a in result.strongest] == ["R1.1", "R1.2"]


def test_chains_agree_with_the_coherence_chains_query(
    small: StrategyGraph, small_store: OxigraphStore, catalogue: Catalogue
) -> None:
    for higher in (REGION_S, NATION):
        rows = run(small_store, catalogue, "coherence-chains", local=CITY, higher=higher)
        expected = {tuple(r[f"alignment{i}"] for i in (1, 2, 3) if f"alignment{i}" in r) for r in rows}
        mine = {tuple(h.alignment.iri for h in c.hops) for c in support_chains(small, CITY, higher, min_hops=1)}
        assert mine == expected and mine


def test_small_matrix_agrees_with_the_query(small: StrategyGraph, small_store: OxigraphStore, catalogue: Catalogue) -> None:
    rows = run(small_store, catalogue, "coherence-matrix", local=CITY, higher=REGION_S)
    assert _python_cells(analyse(small, CITY, REGION_S)) == _query_cells(rows)


# ---------------------------------------------------------------- command line


def kgservice(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


class Tables(HTMLParser):
    """The cells of each table of a page, by table id."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current: list[list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.current = self.tables.setdefault(dict(attrs).get("id") or f"t{len(self.tables)}", [])
        elif tag == "tr" and self.current is not None:
            self.current.append([])
        elif tag in ("td", "th") and self.current is not None:
            self.current[-1].append("")

    def handle_data(self, data: str) -> None:
        if self.current and self.current[-1]:
            self.current[-1][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.current = None


def test_cli_formats_parse_back(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, graph: StrategyGraph
) -> None:
    pair = ("coherence", "kgd:kalisz-strategy-2004", "kgd:zporr")
    code, out, _ = kgservice(capsys, monkeypatch, *pair, "--format", "json", "--lang", "pl")
    report = CoherenceReport.model_validate(json.loads(out))
    assert code == 0 and report.lang == "pl" and len(report.matrix.rows) == 4
    listed = facts.kalisz_convergence_leaves()["Zintegrowanym Planem Operacyjnym Rozwoju Regionalnego"]

    assert kgservice(capsys, monkeypatch, *pair, "--format", "csv", "--out", str(tmp_path / "m.csv"))[0] == 0
    raw = (tmp_path / "m.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["measure", "notation", "label"] and len(rows[0]) == 3 + len(listed)
    assert sorted(r[1] for r in rows[1:]) == facts.kalisz_tasks()
    assert all(cell == "contributes to" for r in rows[1:] for cell in r[3:])  # the relation's label (ontology)

    assert (
        kgservice(capsys, monkeypatch, *pair, "--format", "csv", "--table", "coverage", "--out", str(tmp_path / "c.csv"))[0] == 0
    )
    coverage = list(csv.DictReader(io.StringIO((tmp_path / "c.csv").read_text(encoding="utf-8-sig"))))
    assert {r["notation"]: r["status"] for r in coverage} == {
        "2": "through children",
        "3": "through children",
        **dict.fromkeys(listed, "direct"),
    }

    assert kgservice(capsys, monkeypatch, *pair, "--format", "html", "--out", str(tmp_path / "p.html"))[0] == 0
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    parser = Tables()
    parser.feed(page)
    matrix = parser.tables["matrix"]
    assert len(matrix) == 1 + 4 and all(len(row) == 1 + len(listed) for row in matrix)
    assert "<link" not in page and "<script" not in page and "http://" not in page.split("<body>")[0]

    code, out, _ = kgservice(capsys, monkeypatch, *pair, "--format", "md")
    assert code == 0 and "| measure | 2.1 | 2.2 | 2.4 | 2.5 | 3.5 |" in out


def test_cli_compare_and_errors(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = kgservice(
        capsys, monkeypatch, "compare", "kgd:liberec-strategy-2021", "kgd:kalisz-strategy-2004", "--format", "json"
    )
    report = ComparisonReport.model_validate(json.loads(out))
    assert code == 0 and report.shared == sum(t.side == "both" for t in report.themes) > 0
    code, out, _ = kgservice(
        capsys, monkeypatch, "compare", "kgd:liberec-strategy-2021", "kgd:kalisz-strategy-2004", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert code == 0 and len(rows) == len(report.themes)
    code, _, err = kgservice(capsys, monkeypatch, "coherence", "kgd:no-such-strategy", "kgd:zporr")
    assert code == 2 and "not a strategy document" in err and "Traceback" not in err


# ---------------------------------------------------------------- HTTP, on a live service


def test_coherence_endpoint_on_a_live_service(server: Server) -> None:
    response = httpx.get(
        server.url + "/api/coherence",
        params={"local": "kgd:kalisz-strategy-2004", "higher": "kgd:wielkopolska-strategy", "lang": "pl"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    report = CoherenceReport.model_validate(response.json())
    listed = facts.kalisz_convergence_leaves()["Strategią Rozwoju Województwa Wielkopolskiego"]
    assert {c.priority.notation: c.status for c in report.coverage} == {
        "1": "through children",
        **dict.fromkeys(listed, "direct"),
    }
    assert sorted(m.notation for m in report.matrix.rows) == facts.kalisz_tasks() and report.unsupported_measures == []
    assert report.higher.label == "Strategia Rozwoju Województwa Wielkopolskiego"


def test_compare_endpoint_and_errors_on_a_live_service(server: Server) -> None:
    response = httpx.get(
        server.url + "/api/compare", params={"a": "kgd:liberec-strategy-2021", "b": "kgd:kalisz-strategy-2004"}, timeout=60
    )
    assert response.status_code == 200, response.text
    assert ComparisonReport.model_validate(response.json()).shared > 0
    missing = httpx.get(server.url + "/api/coherence", params={"local": "kgd:nothing", "higher": "kgd:zporr"}, timeout=60)
    assert missing.status_code == 400 and "not a strategy document" in missing.json()["error"]
    schemas = httpx.get(server.url + "/openapi.json").json()["components"]["schemas"]
    assert {"CoherenceReport", "ComparisonReport", "CellOut"} <= set(schemas)


# ---------------------------------------------------------------- Liberec city -> Liberec Region (curated)


def unlinked_in_curation() -> list[str]:
    """The city measures the curator lists as left unlinked, from the comment of the curation file."""
    lines = CURATION.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "left unlinked" in line)
    found = []
    for line in lines[start + 1 :]:
        if not line.startswith("#"):
            break
        if m := re.match(r"^# - (\d\.\d\.\d+) ", line):
            found.append(m.group(1))
    return found


@pytest.mark.skipif(not CURATION.exists(), reason="the curated Liberec city -> region alignments are not there yet")
def test_liberec_measures_left_unlinked_support_nothing_regional(
    graph: StrategyGraph, store: OxigraphStore, catalogue: Catalogue
) -> None:
    result = analyse(graph, LIBEREC, REGION)
    unsupported = notations(graph, result.unsupported)
    assert {"2.3.3", "2.3.4", "2.3.5"} <= set(unsupported)  # camera system, army garrison, fire rescue
    assert unsupported == sorted(unlinked_in_curation())
    assert len(result.aligned) + len(result.unsupported) == len(facts.liberec_measures_and_bullets())
    assert not any(a.relation == "conflictsWith" for a in result.conflicts)
    areas = [b.root for b in result.branches]
    assert len(areas) == len(facts.region_activities_per_area())  # the three areas of the workshop record
    assert (
        sum(len(b.priorities) for b in result.branches)
        == len(result.priorities)
        == len(areas) + sum(facts.region_activities_per_area().values())
    )
    assert sum(len(b.uncovered) for b in result.branches) == len(result.uncovered)


@pytest.mark.skipif(not CURATION.exists(), reason="the curated Liberec city -> region alignments are not there yet")
def test_the_scoped_read_gives_the_same_answer_as_the_whole_graph(
    graph: StrategyGraph, store: OxigraphStore, catalogue: Catalogue
) -> None:
    scoped = read_scope(store, catalogue, [LIBEREC, REGION], [LIBEREC])
    whole, part = analyse(graph, LIBEREC, REGION), analyse(scoped, LIBEREC, REGION)
    assert _python_cells(whole) == _python_cells(part)
    assert whole.uncovered == part.uncovered and whole.unsupported == part.unsupported
