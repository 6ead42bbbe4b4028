"""The SPARQL 1.1 Service Description of the endpoint, with VoID statistics of its dataset.

https://www.w3.org/TR/sparql11-service-description/ and https://www.w3.org/TR/void/: the endpoint,
languages, result formats, features, the default dataset (the union of all named graphs) and each
named graph with its triple count, and the vocabularies the data uses.
"""

from __future__ import annotations

import pyoxigraph as ox

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "N-Quads",
    "TriG",
    "JSON-LD",
    "RDF_XML",
)
VOCABULARIES = (
    "https://w3id.org/kgservice/ontology#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/terms/",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/ns/oa#",
    "http://www.w3.org/ns/dcat#",
)


def _count(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=XSD_INTEGER)


def describe(size: int, sizes: dict[str, int], endpoint: str, writes_enabled: bool) -> list[ox.Triple]:
    """The service description triples."""
    service, dataset, default = ox.NamedNode(endpoint + "#service"), ox.BlankNode(), ox.BlankNode()

    def sd(p: str) -> ox.NamedNode:
        return ox.NamedNode(SD + p)

    def void(p: str) -> ox.NamedNode:
        return ox.NamedNode(VOID + p)

    triples = [
        ox.Triple(service, RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("feature"), sd("BasicFederatedQuery")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, sd("Graph")),
        ox.Triple(default, RDF_TYPE, void("Dataset")),
        ox.Triple(default, void("triples"), _count(size)),
        ox.Triple(default, void("sparqlEndpoint"), ox.NamedNode(endpoint)),
    ]
    if writes_enabled:
        triples.append(ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    triples += [ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS + f)) for f in RESULT_FORMATS]
    triples += [ox.Triple(default, void("vocabulary"), ox.NamedNode(v)) for v in VOCABULARIES]
    for name, size in sorted(sizes.items()):
        named, graph = ox.BlankNode(), ox.BlankNode()
        triples += [
            ox.Triple(dataset, sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, sd("NamedGraph")),
            ox.Triple(named, sd("name"), ox.NamedNode(name)),
            ox.Triple(named, sd("graph"), graph),
            ox.Triple(graph, RDF_TYPE, sd("Graph")),
            ox.Triple(graph, void("triples"), _count(size)),
        ]
    return triples
