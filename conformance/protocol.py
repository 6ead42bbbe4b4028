"""The SPARQL 1.1 Protocol suite (protocol/manifest.ttl): HTTP requests to the query and update endpoints.

Every request path starts with /sparql/; query operations go to --query-url and update operations
to --update-url, each with the request's own query string. Tests that name graphs
(http://kasei.us/2009/09/sparql/data/dataN.rdf) get those graphs loaded first from protocol/dataN.nt
through the graph store protocol, because a service need not fetch remote IRIs; with preloading off
they are not applicable. Expected statuses such as hts:StatusCode2xx are classes of codes: "2xx or
3xx" means success, "4xx" a client error for a malformed request.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
from rdflib import RDFS

from conformance.answers import AnswerError, answer_kind, read_response
from conformance.endpoints import Endpoints, put_graph, send, snippet, with_query
from conformance.httptests import ExpectedResponse, HttpRequest, describe_statuses, read_requests, status_matches
from conformance.manifest import TestCase, TestSource
from conformance.outcome import Outcome, not_applicable, verdict
from conformance.rdfio import file_as_ntriples
from conformance.vocab import MF, UT

SUITE = "protocol"
MANIFEST = "protocol/manifest.ttl"
PREFIX = "/sparql/"
_UPDATE_PARAMS = frozenset({"update", "using-graph-uri", "using-named-graph-uri"})
_FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class ProtocolOptions:
    """Choices for the protocol suite: preload the graphs tests name, or mark those tests not applicable."""

    preload: bool = True


@dataclass(frozen=True)
class GraphData:
    """A graph a test needs in the store: its name and the file holding it."""

    name: str
    file_iri: str


def run_protocol_case(
    case: TestCase, source: TestSource, client: httpx.Client, endpoints: Endpoints, options: ProtocolOptions
) -> Outcome:
    """Run one protocol test: preload its graphs, then send its requests in order."""
    if MF.ProtocolTest not in case.types:
        return not_applicable(SUITE, case, "not an mf:ProtocolTest")
    graphs = graph_data(case)
    if graphs and not options.preload:
        names = ", ".join(g.name for g in graphs)
        return not_applicable(SUITE, case, f"needs graphs {names} in the store; preloading is off (--protocol-data skip)")
    if graphs and endpoints.store_url is None:
        return not_applicable(SUITE, case, "needs graphs preloaded through the graph store and no --store-url is configured")
    if endpoints.update_url is None and any(is_update(r, case) for r in read_requests(case)):
        return not_applicable(SUITE, case, "sends an update and no --update-url is configured")
    failure = _preload(graphs, source, client, endpoints) or _exchange(case, client, endpoints)
    return verdict(SUITE, case, failure)


def graph_data(case: TestCase) -> list[GraphData]:
    """The graphs (ut:graphData [ut:graph <file>; rdfs:label "name"]) a test expects in the store."""
    found = []
    for node in case.values(case.iri, UT.graphData):
        file_iri, name = case.value(node, UT.graph), case.value(node, RDFS.label)
        if file_iri is not None:
            found.append(GraphData(str(name or file_iri), str(file_iri)))
    return found


def _preload(graphs: list[GraphData], source: TestSource, client: httpx.Client, endpoints: Endpoints) -> str | None:
    for graph in graphs:
        path = source.path(graph.file_iri)
        problem = put_graph(client, endpoints, graph.name, file_as_ntriples(path, graph.file_iri))
        if problem is not None:
            return f"could not preload {graph.name}: {problem}"
    return None


def _exchange(case: TestCase, client: httpx.Client, endpoints: Endpoints) -> str | None:
    requests = read_requests(case)
    for number, request in enumerate(requests, start=1):
        failure = _send_and_check(request, is_update(request, case), client, endpoints)
        if failure is not None:
            where = f"request {number} of {len(requests)} ({request.method})" if len(requests) > 1 else request.method
            return f"{where}: {failure}"
    return None


def _send_and_check(request: HttpRequest, update: bool, client: httpx.Client, endpoints: Endpoints) -> str | None:
    url = target_url(request.path, endpoints, update)
    headers = dict(request.headers)
    try:
        response = send(
            client, endpoints, request.method, url, headers=headers, content=request.encoded_body(), follow_redirects=True
        )
    except httpx.HTTPError as error:
        return f"{url}: {type(error).__name__}: {error}"
    return check_response(response, request.expected, url)


def is_update(request: HttpRequest, case: TestCase) -> bool:
    """Whether a request is an update operation: by media type, by parameter name, else by the test's name."""
    content_type = (request.header("content-type") or "").split(";", 1)[0].strip().lower()
    if content_type in ("application/sparql-update", "application/sparql-query"):
        return content_type == "application/sparql-update"
    params = set(parse_qs(urlsplit(request.path).query, keep_blank_values=True))
    if request.body is not None and content_type in ("", _FORM):
        params |= set(parse_qs(request.body, keep_blank_values=True))
    if params & _UPDATE_PARAMS or "query" in params:
        return bool(params & _UPDATE_PARAMS)
    # e.g. bad_update_wrong_media_type: a text/plain body that only the test's name calls an update.
    return "update" in str(case.iri).rsplit("#", 1)[-1]


def target_url(path: str, endpoints: Endpoints, update: bool) -> str:
    """The manifest's /sparql/?... path on the query or update endpoint, query string kept."""
    if not path.startswith(PREFIX.rstrip("/")):
        raise ValueError(f"protocol test path {path!r} does not start with {PREFIX}")
    endpoint = endpoints.update_url if update and endpoints.update_url else endpoints.query_url
    return with_query(endpoint, urlsplit(path).query)


def check_response(response: httpx.Response, expected: ExpectedResponse, url: str) -> str | None:
    """None when the response has an expected status, format and boolean, else what differs."""
    if not status_matches(response.status_code, expected.statuses):
        wanted = describe_statuses(expected.statuses)
        return f"expected HTTP {wanted}, got {response.status_code}: {snippet(response)}"
    if expected.format is None and expected.boolean is None:
        return None
    try:
        answer = read_response(response, url)
    except AnswerError as error:
        return str(error)
    if expected.format is not None and answer_kind(answer) != expected.format:
        return f"expected a {expected.format} answer, got {answer_kind(answer)} ({response.headers.get('content-type')})"
    if expected.boolean is not None and answer != expected.boolean:
        return f"expected {str(expected.boolean).lower()}, got {answer}"
    return None
