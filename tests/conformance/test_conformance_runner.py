"""The conformance runner against a real `oxigraph serve`, and its parsing and comparison on known cases.

Suites run against oxigraph may fail only where conformance/known-failures/oxigraph.txt says oxigraph
deviates; deliberately wrong expectations must be reported as failures.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import BNode, Graph, Literal, URIRef

from conformance.answers import Bindings, parse_csv, read_response
from conformance.compare import compare, compare_bindings, compare_graphs
from conformance.endpoints import Endpoints, send
from conformance.graph_store import gsp_url
from conformance.httptests import ExpectedResponse
from conformance.manifest import TestCase, TestSource, load_manifest
from conformance.ordering import Ordering, ordering
from conformance.outcome import Outcome, Status
from conformance.protocol import ProtocolOptions, check_response
from conformance.query_eval import Context, QueryOptions, run_query_case
from conformance.report import markdown, read_known_failures
from conformance.run import main
from conformance.runner import DEFAULT_TESTS_DIR, RunConfig, run_cases, run_suites
from conformance.servers import OxigraphServer, oxigraph_binary, oxigraph_server
from conformance.vocab import HTS

KNOWN_OXIGRAPH_FAILURES = Path(__file__).resolve().parents[2] / "conformance" / "known-failures" / "oxigraph.txt"
EX = "http://example.org/"

needs_w3c_tests = pytest.mark.skipif(not DEFAULT_TESTS_DIR.is_dir(), reason=f"W3C tests not found at {DEFAULT_TESTS_DIR}")


@pytest.fixture(scope="module")
def server() -> Iterator[OxigraphServer]:
    if oxigraph_binary() is None:
        pytest.skip("the `oxigraph` command is not installed (pip install oxigraph): no reference server to run against")
    with oxigraph_server() as running:
        yield running


def endpoints_of(server: OxigraphServer, token: str | None = None) -> Endpoints:
    return Endpoints(server.query_url, server.update_url, server.store_url, token)


def by_status(outcomes: list[Outcome], status: Status) -> set[str]:
    return {o.iri for o in outcomes if o.status is status}


# --- whole suites against oxigraph ------------------------------------------------------------------


@needs_w3c_tests
@pytest.mark.parametrize(("suite", "minimum_passed"), [("protocol", 30), ("graph-store", 9), ("service-description", 3)])
def test_suite_fails_only_where_oxigraph_is_known_to_deviate(server: OxigraphServer, suite: str, minimum_passed: int) -> None:
    outcomes = run_suites(RunConfig(endpoints_of(server), suites=(suite,)))
    failed = by_status(outcomes, Status.FAILED)
    assert failed <= read_known_failures(KNOWN_OXIGRAPH_FAILURES), [o for o in outcomes if o.iri in failed]
    assert len(by_status(outcomes, Status.PASSED)) >= minimum_passed


@needs_w3c_tests
def test_query_suite_slice(server: OxigraphServer) -> None:
    # Aggregates (numeric lexical forms), bindings, construct (graph results), subqueries, a bnode test, syntax.
    only = r"/(aggregates|bindings|construct|subquery)/|#bnode01$|syntax-query/manifest#test_(1|2|3|4|5)$"
    outcomes = run_suites(RunConfig(endpoints_of(server), suites=("query",), only=only))
    failed = by_status(outcomes, Status.FAILED)
    assert failed <= read_known_failures(KNOWN_OXIGRAPH_FAILURES), [o for o in outcomes if o.iri in failed]
    assert len(by_status(outcomes, Status.PASSED)) >= 70
    assert "#bnode01" in " ".join(failed), "BNODE(str) sharing one blank node across solutions must be caught"


@needs_w3c_tests
def test_protocol_tests_needing_remote_graphs_are_not_applicable_without_preloading(server: OxigraphServer) -> None:
    config = RunConfig(endpoints_of(server), suites=("protocol",), only="query_dataset", protocol=ProtocolOptions(preload=False))
    outcomes = run_suites(config)
    assert outcomes and all(o.status is Status.NOT_APPLICABLE for o in outcomes)
    assert "http://kasei.us/2009/09/sparql/data/data1.rdf" in outcomes[0].reason


# --- deliberately wrong expectations are failures ---------------------------------------------------

MANIFEST = """
@prefix mf: <http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#> .
@prefix qt: <http://www.w3.org/2001/sw/DataAccess/tests/test-query#> .
<> a mf:Manifest ; mf:entries ( <#right> <#wrong> <#wrong-order> <#ties> <#graph> <#bad-syntax> ) .
<#right> a mf:QueryEvaluationTest ; mf:name "right" ;
    mf:action [ qt:query <select.rq> ; qt:data <data.ttl> ] ; mf:result <right.srj> .
<#wrong> a mf:QueryEvaluationTest ; mf:name "wrong value" ;
    mf:action [ qt:query <select.rq> ; qt:data <data.ttl> ] ; mf:result <wrong.srj> .
<#wrong-order> a mf:QueryEvaluationTest ; mf:name "wrong order" ;
    mf:action [ qt:query <ordered.rq> ; qt:data <data.ttl> ] ; mf:result <wrong-order.srj> .
<#ties> a mf:QueryEvaluationTest ; mf:name "rows tied on the ORDER BY key in another order" ;
    mf:action [ qt:query <ties.rq> ; qt:data <data.ttl> ] ; mf:result <ties.srj> .
<#graph> a mf:QueryEvaluationTest ; mf:name "CONSTRUCT with blank nodes labelled differently" ;
    mf:action [ qt:query <construct.rq> ; qt:data <data.ttl> ] ; mf:result <construct.ttl> .
<#bad-syntax> a mf:NegativeSyntaxTest11 ; mf:name "not a query" ; mf:action <bad.rq> .
"""


XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def srj(variables: list[str], *rows: dict[str, str]) -> str:
    """SPARQL JSON results; values starting with http: are IRIs, others xsd:integer literals."""

    def term(value: str) -> dict[str, str]:
        if value.startswith("http:"):
            return {"type": "uri", "value": value}
        return {"type": "literal", "value": value, "datatype": XSD_INTEGER}

    bindings = [{name: term(value) for name, value in row.items()} for row in rows]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}})


@pytest.fixture
def tiny_suite(tmp_path: Path) -> Path:
    files = {
        "manifest.ttl": MANIFEST,
        "data.ttl": f"<{EX}a> <{EX}n> 1 , 02 . <{EX}b> <{EX}n> 1 . <{EX}a> <{EX}knows> [ <{EX}name> 'x' ] .",
        "select.rq": f"SELECT ?n {{ <{EX}a> <{EX}n> ?n }}",
        "right.srj": srj(["n"], {"n": "2"}, {"n": "1"}),  # the data says 02: equal by value, in any order
        "wrong.srj": srj(["n"], {"n": "1"}, {"n": "3"}),
        "ordered.rq": f"SELECT ?n {{ <{EX}a> <{EX}n> ?n }} ORDER BY DESC(?n)",
        "wrong-order.srj": srj(["n"], {"n": "1"}, {"n": "2"}),
        "ties.rq": f"SELECT ?s ?n {{ ?s <{EX}n> ?n }} ORDER BY ?n",
        "ties.srj": srj(["s", "n"], {"s": EX + "b", "n": "1"}, {"s": EX + "a", "n": "1"}, {"s": EX + "a", "n": "2"}),
        "construct.rq": f"PREFIX : <{EX}> CONSTRUCT {{ ?s :knows ?o . ?o :name ?n }} WHERE {{ ?s :knows ?o . ?o :name ?n }}",
        "construct.ttl": f"<{EX}a> <{EX}knows> _:someone . _:someone <{EX}name> 'x' .",
        "bad.rq": "SELECT WHERE {",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_wrong_expectations_are_reported_as_failures(server: OxigraphServer, tiny_suite: Path) -> None:
    source = TestSource(tiny_suite)
    with httpx.Client(timeout=10, trust_env=False) as client:
        context = Context(source, client, endpoints_of(server), QueryOptions())
        outcomes = {o.name: o for o in (run_query_case(case, context) for case in load_manifest(source, "manifest.ttl"))}
    assert outcomes["right"].status is Status.PASSED, outcomes["right"].reason
    assert outcomes["wrong value"].status is Status.FAILED
    assert 'missing: {?n="3"^^' in outcomes["wrong value"].reason
    assert outcomes["wrong order"].status is Status.FAILED
    assert "order differs at solution 1" in outcomes["wrong order"].reason
    assert outcomes["rows tied on the ORDER BY key in another order"].status is Status.PASSED
    assert outcomes["CONSTRUCT with blank nodes labelled differently"].status is Status.PASSED
    assert outcomes["not a query"].status is Status.PASSED


def test_protocol_check_reports_a_wrong_boolean_and_a_wrong_status(server: OxigraphServer) -> None:
    headers = {"Content-Type": "application/sparql-query"}
    response = httpx.post(server.query_url, content="ASK {}", headers=headers, trust_env=False)
    success = (HTS.StatusCode2xx, HTS.StatusCode3xx)

    def check(expected: ExpectedResponse) -> str | None:
        return check_response(response, expected, server.query_url)

    assert check(ExpectedResponse(success, "boolean", True)) is None
    assert check(ExpectedResponse(success, "boolean", False)) == "expected false, got True"
    assert "expected a tabular answer" in (check(ExpectedResponse(success, "tabular")) or "")
    assert "expected HTTP 4xx, got 200" in (check(ExpectedResponse((HTS.StatusCode4xx,))) or "")


# --- comparison logic --------------------------------------------------------------------------------


def test_isomorphic_graphs_with_different_blank_nodes_compare_equal() -> None:
    left, right = Graph(), Graph()
    for graph, label in ((left, "b1"), (right, "zz")):
        graph.add((URIRef(EX + "a"), URIRef(EX + "knows"), BNode(label)))
        graph.add((BNode(label), URIRef(EX + "name"), Literal("x")))
    assert compare_graphs(left, right) is None
    right.add((BNode("other"), URIRef(EX + "name"), Literal("x")))
    assert "graphs differ (2 triples expected, 3 returned)" in (compare_graphs(left, right) or "")


def test_tables_equal_up_to_blank_node_renaming_but_not_up_to_sharing() -> None:
    a, b = BNode("a"), BNode("b")
    expected = Bindings(("x", "y"), ({"x": a, "y": a}, {"x": b, "y": Literal("1")}))
    renamed = Bindings(("y", "x"), ({"x": BNode("q"), "y": BNode("q")}, {"x": BNode("r"), "y": Literal("1")}))
    merged = Bindings(("x", "y"), ({"x": a, "y": a}, {"x": a, "y": Literal("1")}))
    assert compare_bindings(expected, renamed, None) is None
    reason = compare_bindings(expected, merged, None) or ""
    assert "which blank nodes are the same: 2 distinct blank nodes expected, 1 returned" in reason


def test_numbers_compare_by_value_within_their_datatype() -> None:
    double = URIRef("http://www.w3.org/2001/XMLSchema#double")
    decimal = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
    as_written = Bindings(("v",), ({"v": Literal("3.0E4", datatype=double, normalize=False)},))
    canonical = Bindings(("v",), ({"v": Literal("30000", datatype=double, normalize=False)},))
    other_type = Bindings(("v",), ({"v": Literal("30000", datatype=decimal, normalize=False)},))
    assert compare(as_written, canonical) is None
    assert compare(as_written, other_type) is not None


def test_order_by_detection_ignores_subqueries_strings_and_comments() -> None:
    assert ordering("SELECT * { ?s ?p ?o } ORDER BY ?s DESC(?o) LIMIT 2") == Ordering(("s", "o"))
    assert ordering("SELECT * { { SELECT ?s { ?s ?p ?o } ORDER BY ?s LIMIT 1 } }") is None
    assert ordering('SELECT * # ORDER BY ?x\n { ?s ?p "ORDER BY ?y" }') is None
    assert ordering("SELECT * { ?s ?p ?o } ORDER BY (?o + 1)") == Ordering(None)


def test_csv_results_keep_blank_nodes_and_leave_unbound_cells_out() -> None:
    table = parse_csv("x,y\r\n_:b0,\r\nhttp://example.org/a,1\r\n")
    assert table.variables == ("x", "y")
    assert table.rows == ({"x": BNode("b0")}, {"x": Literal("http://example.org/a"), "y": Literal("1")})


def test_literal_lexical_forms_survive_parsing() -> None:
    body = srj(["n"], {"n": "02"}).encode()
    response = httpx.Response(200, content=body, headers={"Content-Type": "application/sparql-results+json"})
    answer = read_response(response, EX)
    assert isinstance(answer, Bindings) and str(answer.rows[0]["n"]) == "02"


# --- HTTP details ----------------------------------------------------------------------------------


def test_bearer_token_goes_on_writes_only() -> None:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    client = httpx.Client(transport=httpx.MockTransport(record))
    endpoints = Endpoints("http://127.0.0.1:1/query", "http://127.0.0.1:1/update", "http://127.0.0.1:1/store", "s3cret")
    send(client, endpoints, "GET", endpoints.query_url)
    send(client, endpoints, "POST", endpoints.update_url or "")
    send(client, endpoints, "PUT", "http://127.0.0.1:1/store?default")
    assert [r.headers.get("authorization") for r in seen] == [None, "Bearer s3cret", "Bearer s3cret"]


def test_graph_store_paths_map_onto_the_store_url() -> None:
    store = "http://127.0.0.1:1/store"
    assert gsp_url("/gsp?graph=http%3A%2F%2Fx%2F1", store) == store + "?graph=http%3A%2F%2Fx%2F1"
    assert gsp_url("/gsp?default", store) == store + "?default"
    assert gsp_url("/gsp/person/1.ttl", store) == store + "/person/1.ttl"
    assert gsp_url("/gsp", store) == store


# --- command line and server helper ------------------------------------------------------------------


@needs_w3c_tests
def test_command_line_reports_and_exits_on_regressions_only(server: OxigraphServer, tmp_path: Path) -> None:
    report, empty = tmp_path / "report.md", tmp_path / "none.txt"
    empty.write_text("# nothing is known to fail\n", encoding="utf-8")
    urls = ["--query-url", server.query_url, "--update-url", server.update_url, "--store-url", server.store_url]
    common = [*urls, "--suite", "protocol"]
    assert main([*common, "--report", str(report)]) == 0
    assert "| protocol |" in report.read_text(encoding="utf-8")
    assert main([*common, "--fail-on-regression", str(KNOWN_OXIGRAPH_FAILURES)]) == 0
    assert main([*common, "--only", "bad_update_get", "--fail-on-regression", str(empty)]) == 1


@needs_w3c_tests  # without them the command stops earlier, at the missing test folder
def test_command_line_exits_2_when_the_endpoint_is_unreachable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--query-url", "http://127.0.0.1:9/query", "--timeout", "2"]) == 2
    assert "cannot reach the query endpoint" in capsys.readouterr().err


def test_markdown_report_lists_failures_with_reason() -> None:
    outcomes = [Outcome("query", EX + "t1", "one", Status.FAILED, "a | b"), Outcome("query", EX + "t2", "two", Status.PASSED)]
    text = markdown(outcomes)
    assert "| query | 1 | 1 | 0 | 2 |" in text
    assert f"| `{EX}t1` | one | a \\| b |" in text


def test_a_test_the_runner_breaks_on_is_flagged_and_the_run_goes_on(tiny_suite: Path) -> None:
    cases = load_manifest(TestSource(tiny_suite), "manifest.ttl")[:2]

    def explode(case: TestCase) -> Outcome:
        raise OSError("file vanished")

    outcomes = run_cases("query", cases, explode, None)
    assert [o.runner_error for o in outcomes] == [True, True]
    assert outcomes[0].status is Status.FAILED and outcomes[0].reason == "runner error: OSError: file vanished"


def test_server_helper_stops_the_server() -> None:
    if oxigraph_binary() is None:
        pytest.skip("the `oxigraph` command is not installed (pip install oxigraph)")
    with oxigraph_server() as running:
        assert httpx.get(running.query_url, trust_env=False).status_code == 200
    assert running.process.poll() is not None
    assert not running.location.exists()
