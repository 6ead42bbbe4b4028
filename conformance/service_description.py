"""The Service Description suite (service-description/manifest.ttl), whose three tests exist only as names.

The checks follow https://www.w3.org/TR/sparql11-service-description/ section 2: a GET on the
query endpoint without a query returns RDF (returns-rdf) describing an sd:Service whose sd:endpoint
is that URL (has-endpoint-triple) and which fits the vocabulary, with a supported language and
result formats (conforms-to-schema, checked with shapes/service-description.ttl).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
from pyshacl import validate
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from conformance.endpoints import Endpoints, media_type, send, snippet
from conformance.manifest import TestCase
from conformance.outcome import Outcome, not_applicable, verdict
from conformance.rdfio import RdfSyntaxError, parse_graph, rdf_format_of_media_type
from conformance.vocab import MF, SD

SUITE = "service-description"
MANIFEST = "service-description/manifest.ttl"
SHAPES = Path(__file__).with_name("shapes") / "service-description.ttl"
ACCEPT = "text/turtle, application/rdf+xml;q=0.9, application/n-triples;q=0.8, application/ld+json;q=0.7, */*;q=0.1"

Check = Callable[[Graph, str], str | None]


def fetch_description(client: httpx.Client, endpoints: Endpoints) -> Graph | str:
    """The service description as a graph, or why there is none."""
    url = endpoints.query_url
    try:
        response = send(client, endpoints, "GET", url, headers={"Accept": ACCEPT}, follow_redirects=True)
    except httpx.HTTPError as error:
        return f"GET {url}: {type(error).__name__}: {error}"
    if not response.is_success:
        return f"GET {url} without a query answered HTTP {response.status_code}: {snippet(response)}"
    fmt = rdf_format_of_media_type(media_type(response))
    if fmt is None:
        return f"GET {url} answered {media_type(response) or 'no Content-Type'}, not an RDF format"
    try:
        return parse_graph(response.content, fmt, str(response.url))
    except RdfSyntaxError as error:
        return f"GET {url} returned invalid RDF: {error}"


def run_case(case: TestCase, description: Graph | str, endpoint: str) -> Outcome:
    """Run the check named by a test's IRI on the description (or fail with why there is none)."""
    if MF.ServiceDescriptionTest not in case.types:
        return not_applicable(SUITE, case, "not an mf:ServiceDescriptionTest")
    check = CHECKS.get(str(case.iri).rsplit("#", 1)[-1])
    if check is None:
        return not_applicable(SUITE, case, "no check is implemented for this test")
    if isinstance(description, str):
        return verdict(SUITE, case, description)
    return verdict(SUITE, case, check(description, endpoint))


def returns_rdf(description: Graph, endpoint: str) -> str | None:
    """The description parsed as RDF (fetching did that) and is not empty."""
    return None if len(description) else "the description is an empty graph"


def has_endpoint_triple(description: Graph, endpoint: str) -> str | None:
    """Some resource has sd:endpoint <the URL the description was fetched from>."""
    if (None, SD.endpoint, URIRef(endpoint)) in description:
        return None
    found = sorted(str(o) for o in description.objects(None, SD.endpoint))
    return f"no sd:endpoint <{endpoint}> (found: {', '.join(found) or 'no sd:endpoint at all'})"


def conforms_to_schema(description: Graph, endpoint: str) -> str | None:
    """There is an sd:Service and every service fits shapes/service-description.ttl."""
    if not any(description.subjects(RDF.type, SD.Service)):
        return "no resource of type sd:Service"
    shapes = Graph().parse(SHAPES, format="turtle")
    conforms, results, _ = validate(description, shacl_graph=shapes)
    if conforms:
        return None
    assert isinstance(results, Graph)
    messages = sorted({str(m) for m in results.objects(None, SH.resultMessage)})
    return "the description does not fit the service description vocabulary: " + "; ".join(messages)


CHECKS: dict[str, Check] = {
    "returns-rdf": returns_rdf,
    "has-endpoint-triple": has_endpoint_triple,
    "conforms-to-schema": conforms_to_schema,
}
