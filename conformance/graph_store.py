"""The Graph Store Protocol suite (graph-store-protocol/manifest-direct.ttl and manifest-indirect.ttl).

Paths start with /gsp: `/gsp?graph=...` and `/gsp?default` go to --store-url with that query
string (indirect identification), `/gsp/person/1.ttl` to --store-url + `/person/1.ttl` (direct
identification: the graph is named by that URL). Each test starts by deleting the graphs it touches,
because its first PUT must answer 201 Created. Returned RDF is compared by graph isomorphism.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import httpx
from rdflib import URIRef

from conformance.compare import compare_graphs
from conformance.endpoints import Endpoints, send, snippet, with_query
from conformance.httptests import ExpectedResponse, HttpRequest, describe_statuses, header_mismatch, read_requests, status_matches
from conformance.manifest import TestCase
from conformance.outcome import Outcome, not_applicable, verdict
from conformance.rdfio import RdfSyntaxError, parse_graph, rdf_format_of_media_type
from conformance.vocab import MF

SUITE = "graph-store"
MANIFESTS = ("graph-store-protocol/manifest-direct.ttl", "graph-store-protocol/manifest-indirect.ttl")
PREFIX = "/gsp"
FEATURES = ("DirectGraphIdentification", "IndirectGraphIdentification", "POSTGraphCreation")


@dataclass(frozen=True)
class GraphStoreOptions:
    """Optional protocol features (mf:requires) the service does not offer; their tests are not applicable."""

    unsupported: frozenset[str] = frozenset()


def run_graph_store_case(case: TestCase, client: httpx.Client, endpoints: Endpoints, options: GraphStoreOptions) -> Outcome:
    """Run one test: clear the graphs it names, then send its requests in order."""
    if MF.GraphStoreProtocolTest not in case.types:
        return not_applicable(SUITE, case, "not an mf:GraphStoreProtocolTest")
    if endpoints.store_url is None:
        return not_applicable(SUITE, case, "no graph store endpoint configured (--store-url)")
    missing = [f for f in _required(case) if f in options.unsupported]
    if missing:
        return not_applicable(SUITE, case, f"requires {', '.join(missing)}, declared unsupported (--gsp-unsupported)")
    requests = read_requests(case)
    failure = _clear(requests, client, endpoints, endpoints.store_url) or _exchange(
        requests, client, endpoints, endpoints.store_url
    )
    return verdict(SUITE, case, failure)


def _required(case: TestCase) -> list[str]:
    return [str(f).removeprefix(str(MF)) for f in case.values(case.iri, MF.requires) if isinstance(f, URIRef)]


def gsp_url(path: str, store_url: str) -> str:
    """The manifest's /gsp path on the graph store: query strings kept, sub-paths appended."""
    if not path.startswith(PREFIX):
        raise ValueError(f"graph store test path {path!r} does not start with {PREFIX}")
    rest = path[len(PREFIX) :]
    if rest.startswith("?"):
        return with_query(store_url, rest[1:])
    return store_url.rstrip("/") + rest if rest else store_url


def _clear(requests: list[HttpRequest], client: httpx.Client, endpoints: Endpoints, store_url: str) -> str | None:
    targets = {gsp_url(r.path, store_url) for r in requests if "$" not in r.path and r.path != PREFIX}
    for url in sorted(targets):
        try:
            send(client, endpoints, "DELETE", url)
        except httpx.HTTPError as error:
            return f"could not clear {url} before the test: {type(error).__name__}: {error}"
    return None


def _exchange(requests: list[HttpRequest], client: httpx.Client, endpoints: Endpoints, store_url: str) -> str | None:
    variables: dict[str, str] = {}
    for number, request in enumerate(requests, start=1):
        url = gsp_url(_fill(request.path, variables, in_url=True), store_url)
        failure = _send_and_check(request, url, variables, client, endpoints)
        if failure is not None:
            return f"request {number} of {len(requests)} ({request.method} {url}): {failure}"
    return None


def _fill(text: str, variables: dict[str, str], in_url: bool) -> str:
    for name, value in variables.items():
        text = text.replace(name, quote(value, safe="") if in_url else value)
    return text


def _send_and_check(
    request: HttpRequest, url: str, variables: dict[str, str], client: httpx.Client, endpoints: Endpoints
) -> str | None:
    body = _fill(request.body, variables, in_url=False).encode(request.encoding) if request.body is not None else None
    try:
        response = send(client, endpoints, request.method, url, headers=dict(request.headers), content=body)
    except httpx.HTTPError as error:
        return f"{type(error).__name__}: {error}"
    return check_response(response, request.expected, url, variables)


def check_response(response: httpx.Response, expected: ExpectedResponse, url: str, variables: dict[str, str]) -> str | None:
    """None when status, Location, headers and body are as expected; records a Location for later requests."""
    if not status_matches(response.status_code, expected.statuses):
        return f"expected HTTP {describe_statuses(expected.statuses)}, got {response.status_code}: {snippet(response)}"
    if expected.location_variable is not None:
        location = response.headers.get("location")
        if location is None:
            return "expected a Location header naming the new graph, got none"
        variables[expected.location_variable] = str(httpx.URL(url).join(location))
    return header_mismatch(response, expected.headers) or _body_mismatch(response, expected, url)


def _body_mismatch(response: httpx.Response, expected: ExpectedResponse, url: str) -> str | None:
    if expected.body is None:
        return None
    wanted_type = dict((k.lower(), v) for k, v in expected.headers).get("content-type", "text/turtle")
    expected_format = rdf_format_of_media_type(wanted_type.split(";", 1)[0].strip())
    actual_format = rdf_format_of_media_type(response.headers.get("content-type", "").split(";", 1)[0].strip())
    if expected_format is None or actual_format is None:
        return f"cannot read the body as RDF (Content-Type {response.headers.get('content-type')!r})"
    try:
        return compare_graphs(parse_graph(expected.body, expected_format, url), parse_graph(response.content, actual_format, url))
    except RdfSyntaxError as error:
        return f"the returned body is not valid RDF: {error}"
