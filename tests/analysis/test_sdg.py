"""The UN Sustainable Development Goals, the themes' mapping to them, and the named query elements-for-sdg.

The facts are counted from the Turtle files with rdflib, independently of the store and the query: the 17
goals are the only number taken as given (it is the UN's).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from kgservice.engine.embedded import OxigraphStore
from kgservice.rdf.terms import Table
from kgservice.sparql.catalogue import Catalogue

ROOT = Path(__file__).resolve().parents[2]
VOCABULARIES = ROOT / "data" / "vocabularies"
SDG_SCHEME = URIRef("http://metadata.un.org/sdg")
THEME_SCHEME = URIRef("https://w3id.org/kgservice/id/theme")
THEME = "https://w3id.org/kgservice/id/theme/"
KGO = "https://w3id.org/kgservice/ontology#"
GOALS = [URIRef(f"http://metadata.un.org/sdg/{n}") for n in range(1, 18)]
LANGUAGES = {"cs", "pl", "en"}
MATCHES = {"close": SKOS.closeMatch, "broad": SKOS.broadMatch}

Mapping = dict[URIRef, set[tuple[URIRef, str]]]  # goal -> {(theme that states the mapping, "close" | "broad")}


@pytest.fixture(scope="module")
def sdg() -> Graph:
    return Graph().parse(VOCABULARIES / "sdg.ttl", format="turtle")


@pytest.fixture(scope="module")
def themes() -> Graph:
    return Graph().parse(VOCABULARIES / "themes.ttl", format="turtle")


@pytest.fixture(scope="module")
def bundled() -> Graph:
    """The ontology and every Turtle file under data/, read with rdflib, not through the store."""
    graph = Graph()
    for path in [*sorted(ROOT.glob("ontology/*.ttl")), *sorted((ROOT / "data").rglob("*.ttl"))]:
        graph.parse(path, format="turtle")
    return graph


def uris(nodes: Iterable[Node | None]) -> set[URIRef]:
    return {node for node in nodes if isinstance(node, URIRef)}


def labels(graph: Graph, node: URIRef, predicate: URIRef = SKOS.prefLabel) -> dict[str, list[str]]:
    by_lang: dict[str, list[str]] = defaultdict(list)
    for value in graph.objects(node, predicate):
        assert isinstance(value, Literal), f"{node}: {predicate} {value!r} is not a literal"
        by_lang[value.language or ""].append(str(value))
    return dict(by_lang)


def theme_concepts(themes: Graph) -> set[URIRef]:
    return uris(themes.subjects(SKOS.inScheme, THEME_SCHEME))


def mapping(themes: Graph) -> Mapping:
    """Each goal's mapped themes, read from themes.ttl."""
    goals: Mapping = defaultdict(set)
    for kind, predicate in MATCHES.items():
        for theme, goal in themes.subject_objects(predicate):
            assert isinstance(theme, URIRef) and isinstance(goal, URIRef)
            goals[goal].add((theme, kind))
    return dict(goals)


def narrower_or_self(graph: Graph, concept: URIRef) -> set[URIRef]:
    return uris(graph.transitive_subjects(SKOS.broader, concept))


def broader_than(graph: Graph, concept: URIRef) -> set[URIRef]:
    return uris(graph.transitive_objects(concept, SKOS.broader)) - {concept}


def strategy_elements(graph: Graph) -> set[URIRef]:
    """The instances of kgo:StrategyElement and its subclasses."""
    classes = uris(graph.transitive_subjects(RDFS.subClassOf, URIRef(KGO + "StrategyElement")))
    return {element for cls in classes for element in uris(graph.subjects(RDF.type, cls))}


def elements_with_themes(graph: Graph, tags: set[URIRef]) -> set[str]:
    elements = strategy_elements(graph)
    return {str(e) for tag in tags for e in uris(graph.subjects(URIRef(KGO + "theme"), tag)) if e in elements}


def run(store: OxigraphStore, catalogue: Catalogue, **params: str) -> Table:
    return store.select(catalogue.get("elements-for-sdg").bind(params))


def records(table: Table) -> list[dict[str, str]]:
    return [{k: v.value for k, v in r.items()} for r in table.records()]


# ---------------------------------------------------------------- the goals


def test_the_scheme_holds_the_17_goals_and_nothing_else(sdg: Graph) -> None:
    assert uris(sdg.subjects(SKOS.inScheme, SDG_SCHEME)) == set(GOALS)
    assert uris(sdg.subjects(RDF.type, SKOS.Concept)) == set(GOALS)
    assert uris(sdg.objects(SDG_SCHEME, SKOS.hasTopConcept)) == set(GOALS)
    assert (SDG_SCHEME, RDF.type, SKOS.ConceptScheme) in sdg


def test_the_scheme_is_named_and_defined_in_cs_pl_en(sdg: Graph) -> None:
    names = labels(sdg, SDG_SCHEME)
    assert set(names) == LANGUAGES and all(len(v) == 1 for v in names.values())
    definitions = labels(sdg, SDG_SCHEME, SKOS.definition)
    assert set(definitions) == LANGUAGES and all(len(v) == 1 for v in definitions.values())


@pytest.mark.parametrize("number", range(1, 18))
def test_each_goal_has_its_number_one_label_and_one_definition_per_language(sdg: Graph, number: int) -> None:
    goal = GOALS[number - 1]
    assert str(goal) == f"http://metadata.un.org/sdg/{number}"  # the UN's IRI, no trailing slash
    assert [str(n) for n in sdg.objects(goal, SKOS.notation)] == [str(number)]
    assert (goal, SKOS.topConceptOf, SDG_SCHEME) in sdg
    names = labels(sdg, goal)
    assert set(names) == LANGUAGES, names
    assert all(len(values) == 1 and values[0].strip() for values in names.values()), names
    definitions = labels(sdg, goal, SKOS.definition)
    assert set(definitions) == LANGUAGES and all(len(values) == 1 for values in definitions.values()), definitions
    assert all(values[0].endswith(".") for values in definitions.values()), definitions


def test_labels_of_different_goals_differ_in_every_language(sdg: Graph) -> None:
    for lang in LANGUAGES:
        names = [labels(sdg, goal)[lang][0] for goal in GOALS]
        assert len(set(names)) == len(GOALS), lang


# ---------------------------------------------------------------- the mapping in themes.ttl


def test_every_mapping_goes_from_a_theme_to_a_goal(themes: Graph, sdg: Graph) -> None:
    concepts = theme_concepts(themes)
    goals = uris(sdg.subjects(SKOS.inScheme, SDG_SCHEME))
    found = mapping(themes)
    assert found, "themes.ttl maps no theme to a goal"
    for goal, mapped in found.items():
        assert goal in goals, f"{goal} is not one of the 17 goals"
        assert {theme for theme, _ in mapped} <= concepts, mapped


def test_no_theme_is_both_a_close_and_a_broad_match_of_one_goal(themes: Graph) -> None:
    for goal, mapped in mapping(themes).items():
        close = {theme for theme, kind in mapped if kind == "close"}
        broad = {theme for theme, kind in mapped if kind == "broad"}
        assert not close & broad, goal
    assert not list(themes.subject_objects(SKOS.exactMatch)), "a theme is never the same as a goal: use closeMatch"


def test_a_mapping_is_stated_once_on_the_broadest_theme(themes: Graph) -> None:
    """Narrower themes inherit their broader themes' goals through skos:broader and do not repeat them."""
    goals_of: dict[URIRef, set[URIRef]] = defaultdict(set)
    for goal, mapped in mapping(themes).items():
        for theme, _ in mapped:
            goals_of[theme].add(goal)
    for theme in theme_concepts(themes):
        inherited = {goal for broader in broader_than(themes, theme) for goal in goals_of.get(broader, set())}
        assert not goals_of.get(theme, set()) & inherited, f"{theme} repeats a goal of a broader theme"


# ---------------------------------------------------------------- the named query


def test_elements_for_sdg_16_are_those_with_public_safety_or_a_narrower_theme(
    store: OxigraphStore, catalogue: Catalogue, themes: Graph, bundled: Graph
) -> None:
    safety = URIRef(THEME + "public-safety")
    assert {theme for theme, _ in mapping(themes)[GOALS[15]]} == {safety}
    expected = elements_with_themes(bundled, narrower_or_self(bundled, safety))
    assert expected
    by_iri = records(run(store, catalogue, sdg=str(GOALS[15])))
    assert {r["element"] for r in by_iri} == expected
    assert {r["mappedTheme"] for r in by_iri} == {str(safety)}
    assert {r["match"] for r in by_iri} == {"broad"}
    by_number = records(run(store, catalogue, goal="16"))
    assert by_number == by_iri


@pytest.mark.parametrize("number", range(1, 18))
def test_each_goal_finds_the_elements_of_its_themes_and_their_narrower_themes(
    store: OxigraphStore, catalogue: Catalogue, themes: Graph, bundled: Graph, number: int
) -> None:
    goal = GOALS[number - 1]
    mapped = mapping(themes).get(goal, set())
    tags = {tag for theme, _ in mapped for tag in narrower_or_self(bundled, theme)}
    found = records(run(store, catalogue, goal=str(number)))
    assert {r["element"] for r in found} == elements_with_themes(bundled, tags)
    assert {(URIRef(r["mappedTheme"]), r["match"]) for r in found} <= mapped
    for row in found:
        assert URIRef(row["mappedTheme"]) in {URIRef(row["theme"])} | broader_than(bundled, URIRef(row["theme"]))


def test_without_parameters_every_goal_with_elements_is_answered(
    store: OxigraphStore, catalogue: Catalogue, themes: Graph, bundled: Graph
) -> None:
    found = records(run(store, catalogue))
    expected = {
        str(goal)
        for goal, mapped in mapping(themes).items()
        if elements_with_themes(bundled, {tag for theme, _ in mapped for tag in narrower_or_self(bundled, theme)})
    }
    assert {r["sdg"] for r in found} == expected
    assert {r["match"] for r in found} == set(MATCHES)
    for row in found:
        assert MATCHES[row["match"]] in set(themes.predicates(URIRef(row["mappedTheme"]), URIRef(row["sdg"])))
    numbers = [int(r["sdgNotation"]) for r in found]
    assert numbers == sorted(numbers)


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_goal_and_element_labels_come_in_the_chosen_language(
    store: OxigraphStore, catalogue: Catalogue, sdg: Graph, lang: str
) -> None:
    table = run(store, catalogue, goal="16", lang=lang)
    assert table.rows
    for record in table.records():
        assert record["sdgLabel"].value == labels(sdg, GOALS[15])[lang][0]
        assert record["label"].lang in (lang, "en")
        assert record["themeLabel"].lang == lang
