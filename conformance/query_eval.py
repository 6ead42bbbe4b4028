"""The SPARQL 1.1 Query suite (manifest-sparql11-query.ttl): evaluation and syntax tests over HTTP.

Evaluation test: DROP ALL through the update endpoint, load qt:data into the default graph and each
qt:graphData into a graph named by its file's IRI through the graph store protocol (PUT, N-Triples),
send the query (with `BASE <its file IRI>` in front, so relative IRIs resolve as the test means), and
compare the answer with mf:result. Syntax tests expect 2xx (positive) or 400 (negative) from the
query endpoint. Entailment, federation (SERVICE) and retired tests are not applicable.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from rdflib import RDFS, URIRef
from rdflib.term import Node

from conformance.answers import AnswerError, read_expected, read_response
from conformance.compare import compare
from conformance.endpoints import Endpoints, put_graph, run_update, send, snippet, with_query
from conformance.manifest import TestCase, TestSource
from conformance.ordering import ordering
from conformance.outcome import Outcome, not_applicable, verdict
from conformance.rdfio import file_as_ntriples
from conformance.vocab import MF, QT, SD, UT

SUITE = "query"
MANIFEST = "manifest-sparql11-query.ttl"
RESULT_MEDIA_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml"}
_GRAPH_MEDIA_TYPES = "application/n-triples;q=0.9, text/turtle;q=0.8"
_BY_EXTENSION = {".csv": "text/csv", ".tsv": "text/tab-separated-values"}
EVALUATION = frozenset({MF.QueryEvaluationTest, MF.CSVResultFormatTest})
POSITIVE_SYNTAX = frozenset({MF.PositiveSyntaxTest11, MF.PositiveSyntaxTest})
NEGATIVE_SYNTAX = frozenset({MF.NegativeSyntaxTest11, MF.NegativeSyntaxTest})
_NOT_APPLICABLE_FOLDERS = {
    "entailment": "entailment regimes are out of scope",
    "service": "federated query (SERVICE) is out of scope",
}


@dataclass(frozen=True)
class QueryOptions:
    """How queries are sent (direct POST, form POST or GET) and which results format is asked for."""

    method: str = "direct"
    results_format: str = "json"
    manifests: tuple[str, ...] = (MANIFEST,)


@dataclass(frozen=True)
class Context:
    """What every query test needs: the files, the HTTP client, the endpoints, the options."""

    source: TestSource
    client: httpx.Client
    endpoints: Endpoints
    options: QueryOptions


def run_query_case(case: TestCase, context: Context) -> Outcome:
    """Run one evaluation or syntax test."""
    reason = _inapplicable(case)
    if reason is not None:
        return not_applicable(SUITE, case, reason)
    if case.types & EVALUATION:
        return _evaluation(case, context)
    if case.types & (POSITIVE_SYNTAX | NEGATIVE_SYNTAX):
        return verdict(SUITE, case, _syntax(case, context))
    return not_applicable(SUITE, case, f"test type {', '.join(sorted(t.n3() for t in case.types))} is not run by this suite")


def _inapplicable(case: TestCase) -> str | None:
    if case.retired:
        return "withdrawn or deprecated by the working group"
    action = case.value(case.iri, MF.action)
    if action is not None and case.value(action, QT.serviceData) is not None:
        return _NOT_APPLICABLE_FOLDERS["service"]
    if action is not None and case.value(action, SD.entailmentRegime) is not None:
        return _NOT_APPLICABLE_FOLDERS["entailment"]
    return next((why for name, why in _NOT_APPLICABLE_FOLDERS.items() if f"/{name}/" in str(case.iri)), None)


def _evaluation(case: TestCase, context: Context) -> Outcome:
    if context.endpoints.update_url is None or context.endpoints.store_url is None:
        return not_applicable(SUITE, case, "needs --update-url (to clear the dataset) and --store-url (to load it)")
    action = case.value(case.iri, MF.action)
    query = case.value(action, QT.query) if action is not None else None
    result = case.value(case.iri, MF.result)
    if action is None or not isinstance(query, URIRef) or not isinstance(result, URIRef):
        return not_applicable(SUITE, case, "the test names no query file or no result file")
    failure = _load_dataset(case, action, context) or _ask_and_compare(str(query), str(result), context)
    return verdict(SUITE, case, failure)


def _load_dataset(case: TestCase, action: Node, context: Context) -> str | None:
    problem = run_update(context.client, context.endpoints, "DROP ALL")
    if problem is not None:
        return f"could not clear the dataset: {problem}"
    default = b"".join(_ntriples(context.source, str(f)) for f in case.values(action, QT.data))
    named = [_named_graph(case, node, context.source) for node in case.values(action, QT.graphData)]
    loads = [(None, default)] if case.values(action, QT.data) else []
    for graph, data in [*loads, *named]:
        problem = put_graph(context.client, context.endpoints, graph, data)
        if problem is not None:
            return problem
    return None


def _ntriples(source: TestSource, iri: str) -> bytes:
    return file_as_ntriples(source.path(iri), iri)


def _named_graph(case: TestCase, node: Node, source: TestSource) -> tuple[str, bytes]:
    """A qt:graphData: a file named by its own IRI, or [ ut:graph <file>; rdfs:label "name" ]."""
    if isinstance(node, URIRef):
        return str(node), _ntriples(source, str(node))
    file_iri = case.value(node, UT.graph) or case.value(node, QT.graph)
    name = case.value(node, RDFS.label) or file_iri
    return str(name), _ntriples(source, str(file_iri))


def _ask_and_compare(query_iri: str, result_iri: str, context: Context) -> str | None:
    query = context.source.path(query_iri).read_text(encoding="utf-8")
    result_path = context.source.path(result_iri)
    expected = read_expected(result_path, result_iri)  # a broken test file is the runner's problem: let it raise
    accept = _BY_EXTENSION.get(result_path.suffix.lower()) or _accept(context.options)
    try:
        response = send_query(context, f"BASE <{query_iri}>\n{query}", accept)
    except httpx.HTTPError as error:
        return f"query request failed: {type(error).__name__}: {error}"
    if not response.is_success:
        return f"query answered HTTP {response.status_code}: {snippet(response)}"
    try:
        actual = read_response(response, context.endpoints.query_url)
    except AnswerError as error:
        return str(error)
    return compare(expected, actual, ordering(query))


def _accept(options: QueryOptions) -> str:
    return f"{RESULT_MEDIA_TYPES[options.results_format]}, {_GRAPH_MEDIA_TYPES}"


def send_query(context: Context, query: str, accept: str) -> httpx.Response:
    """Send a query the configured way: direct POST, form POST or GET."""
    url, client, endpoints = context.endpoints.query_url, context.client, context.endpoints
    headers = {"Accept": accept}
    if context.options.method == "get":
        return send(client, endpoints, "GET", with_query(url, str(httpx.QueryParams({"query": query}))), headers=headers)
    if context.options.method == "form":
        body = str(httpx.QueryParams({"query": query})).encode()
        return send(
            client, endpoints, "POST", url, headers={**headers, "Content-Type": "application/x-www-form-urlencoded"}, content=body
        )
    content_type = "application/sparql-query; charset=utf-8"
    return send(client, endpoints, "POST", url, headers={**headers, "Content-Type": content_type}, content=query.encode("utf-8"))


def _syntax(case: TestCase, context: Context) -> str | None:
    action = case.value(case.iri, MF.action)
    if not isinstance(action, URIRef):
        raise ValueError(f"syntax test {case.iri} names no query file")
    query = context.source.path(str(action)).read_text(encoding="utf-8")
    try:
        response = send_query(context, f"BASE <{action}>\n{query}", _accept(context.options))
    except httpx.HTTPError as error:
        return f"query request failed: {type(error).__name__}: {error}"
    if case.types & POSITIVE_SYNTAX:
        return None if response.is_success else f"valid query refused with HTTP {response.status_code}: {snippet(response)}"
    if response.status_code == 400:
        return None
    return f"malformed query answered HTTP {response.status_code}, the protocol says 400 Bad Request"
