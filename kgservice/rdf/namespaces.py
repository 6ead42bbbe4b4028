"""Namespace IRIs and the prefixes used to read and print compact IRIs."""

from __future__ import annotations

BASE = "https://w3id.org/kgservice/"
KGO = BASE + "ontology#"
ID = BASE + "id/"
GRAPH = BASE + "graph/"

PREFIXES: dict[str, str] = {
    "kgo": KGO,
    "kgd": ID,
    "src": ID + "source/",
    "terr": ID + "territory/",
    "orgs": ID + "org/",
    "tg": ID + "target-group/",
    "th": ID + "theme/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "cv": "http://data.europa.eu/m8g/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "oa": "http://www.w3.org/ns/oa#",
    "semapv": "https://w3id.org/semapv/vocab/",
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
