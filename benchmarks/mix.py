"""The benchmark's query mix: every named query of queries/, bound to IRIs of the generated graph, plus
queries an analyst typically types (aggregations, label search, joins across alignments, a DESCRIBE-like
CONSTRUCT, an ASK)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from benchmarks.generate import Spec
from kgservice.project.layout import default_layout
from kgservice.sparql.catalogue import Catalogue

PREFIXES = """PREFIX kgo: <https://w3id.org/kgservice/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


@dataclass(frozen=True)
class MixQuery:
    name: str
    text: str
    accept: str


def analyst_queries(element: str | None) -> list[MixQuery]:
    """Queries an analyst types; `element` is the one an element's description is asked for."""
    json = "application/sparql-results+json"
    return [
        MixQuery(
            "analyst: elements per class and strategy",
            PREFIXES
            + """
            SELECT ?strategy ?class (COUNT(?e) AS ?n) WHERE {
              ?e kgo:partOf+ ?strategy ; a ?class . ?strategy a kgo:StrategyDocument }
            GROUP BY ?strategy ?class ORDER BY DESC(?n) LIMIT 100""",
            json,
        ),
        MixQuery(
            "analyst: label search",
            PREFIXES
            + """
            SELECT ?e ?label WHERE {
              ?e a kgo:Measure ; skos:prefLabel ?label FILTER(LANG(?label) = "en" && CONTAINS(LCASE(?label), "social")) }
            LIMIT 50""",
            json,
        ),
        MixQuery(
            "analyst: strong alignments with labels",
            PREFIXES
            + """
            SELECT ?s ?sl ?o ?ol ?strength WHERE {
              ?a a kgo:Alignment ; kgo:subjectElement ?s ; kgo:objectElement ?o ; kgo:strength ?strength FILTER(?strength >= 2)
              ?s skos:prefLabel ?sl FILTER(LANG(?sl) = "en") ?o skos:prefLabel ?ol FILTER(LANG(?ol) = "en") } LIMIT 100""",
            json,
        ),
        MixQuery(
            "analyst: top themes",
            PREFIXES
            + """
            SELECT ?theme (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e kgo:theme ?theme } GROUP BY ?theme ORDER BY DESC(?n) LIMIT 20""",
            json,
        ),
        MixQuery(
            "analyst: describe an element", f"CONSTRUCT {{ <{element}> ?p ?o }} WHERE {{ <{element}> ?p ?o }}", "text/turtle"
        ),
        MixQuery("analyst: ask", PREFIXES + "ASK { ?a a kgo:Alignment ; kgo:alignmentStatus kgo:Curated }", json),
    ]


def _bind(text: str, values: dict[str, str]) -> str:
    for name, iri in values.items():
        text = re.sub(r"VALUES\s+\?" + re.escape(name) + r"\s*\{\s*UNDEF\s*\}", f"VALUES ?{name} {{ <{iri}> }}", text, count=1)
    return text


def named_queries(parameters: dict[str, dict[str, str]]) -> list[MixQuery]:
    """Every named query, with the IRIs of `parameters` (name -> parameter -> IRI) bound, the rest left unbound."""
    catalogue = Catalogue(default_layout().queries_dir)
    return [
        MixQuery(f"named: {q.name}", _bind(q.text, parameters.get(q.name, {})), "application/sparql-results+json")
        for q in catalogue.queries.values()
    ]


def query_mix(spec: Spec) -> list[MixQuery]:
    return named_queries(spec.query_parameters()) + analyst_queries(spec.measure or spec.activity or spec.priority)


def bundled_mix(measure: str) -> list[MixQuery]:
    """The mix on the bundled data: the named queries as the service's pages first run them (no parameter
    given), and the analyst's queries about one of its measures."""
    return named_queries({}) + analyst_queries(measure)
