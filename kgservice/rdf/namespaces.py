"""Namespace IRIs of the project and of the vocabularies it uses, each written once here, and the prefix
table used to read and print compact IRIs."""

from __future__ import annotations

BASE = "https://w3id.org/kgservice/"
KGO = BASE + "ontology#"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
SHAPES = BASE + "shapes#"  # kgs: in validation reports only; the data never uses it

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
CV = "http://data.europa.eu/m8g/"
FOAF = "http://xmlns.com/foaf/0.1/"
OA = "http://www.w3.org/ns/oa#"
SEMAPV = "https://w3id.org/semapv/vocab/"

RDF_TYPE = RDF + "type"

PREFIXES: dict[str, str] = {
    "kgo": KGO,
    "kgd": ID,
    "src": ID + "source/",
    "terr": ID + "territory/",
    "orgs": ID + "org/",
    "tg": ID + "target-group/",
    "th": ID + "theme/",
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "prov": PROV,
    "org": ORG,
    "cv": CV,
    "foaf": FOAF,
    "oa": OA,
    "semapv": SEMAPV,
}


def expand(name: str) -> str:
    """Expand `prefix:local` with a known prefix; return anything else unchanged."""
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return name


def compact(iri: str) -> str:
    """Shorten an IRI with the longest matching known prefix, for display."""
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    name = next(p for p, ns in PREFIXES.items() if ns == best)
    return f"{name}:{iri[len(best) :]}"
