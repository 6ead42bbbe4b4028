"""The graph holds every element the source documents hold, and every fact points to its source lines."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kgservice.checks.provenance import check_excerpts
from kgservice.engine.embedded import OxigraphStore
from kgservice.project.layout import Layout
from kgservice.project.loading import union_graph
from tests import source_facts as facts

KGO = "https://w3id.org/kgservice/ontology#"
ID = "https://w3id.org/kgservice/id/"


def notations(store: OxigraphStore, strategy: str, kind: str) -> set[str]:
    table = store.select(f"""
        PREFIX kgo: <{KGO}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?n WHERE {{ ?e a kgo:{kind} ; kgo:partOf+ <{ID}{strategy}> ; skos:notation ?n }}""")
    return set(table.column("n"))


def children(store: OxigraphStore, parent: str, kind: str) -> int:
    table = store.select(f"""
        PREFIX kgo: <{KGO}> SELECT (COUNT(?e) AS ?n) WHERE {{ ?e a kgo:{kind} ; kgo:partOf <{ID}{parent}> }}""")
    return int(table.column("n")[0])


@pytest.fixture(scope="module")
def graph(store: OxigraphStore) -> Graph:
    return union_graph(store)


def test_every_excerpt_quotes_its_source_lines(graph: Graph, layout: Layout) -> None:
    problems = check_excerpts(graph, layout.root)
    assert problems == [], "\n".join(map(str, problems))


def test_every_element_and_document_has_provenance(store: OxigraphStore) -> None:
    table = store.select(f"""
        PREFIX kgo: <{KGO}> PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?x WHERE {{
            VALUES ?root {{ kgo:StrategyElement kgo:StrategyDocument kgo:Alignment kgo:Funding kgo:ExpectedOutcome }}
            ?c rdfs:subClassOf* ?root . ?x a ?c .
            FILTER NOT EXISTS {{ ?x prov:wasDerivedFrom ?excerpt }}
        }}""")
    assert table.rows == ()


def test_liberec_strategy_has_every_goal_of_the_summary(store: OxigraphStore) -> None:
    assert notations(store, "liberec-strategy-2021", "StrategicGoal") == set(facts.liberec_strategic_goals())
    assert notations(store, "liberec-strategy-2021", "SpecificGoal") == set(facts.liberec_specific_goals())


def test_liberec_strategy_has_every_measure_and_every_bullet(store: OxigraphStore) -> None:
    measures = facts.liberec_measures_and_bullets()
    assert notations(store, "liberec-strategy-2021", "Measure") == set(measures)
    for measure, bullets in measures.items():
        assert children(store, f"liberec-strategy-2021/{measure}", "Activity") == bullets, measure


def test_region_workshop_has_three_areas_and_every_proposed_activity(store: OxigraphStore) -> None:
    per_area = facts.region_activities_per_area()
    areas = {"UŽIVATELÉ": "U", "ŘÍZENÍ": "R", "POSKYTOVATELÉ": "P"}
    assert notations(store, "liberecky-kraj-social-2026", "StrategicArea") == set(areas.values())
    for heading, count in per_area.items():
        area = areas[heading.split()[0]]
        assert children(store, f"liberecky-kraj-social-2026/{area}", "Activity") == count, heading
        assert children(store, f"liberecky-kraj-social-2026/{area}", "Vision") == 1


def test_kalisz_programme_has_its_four_tasks(store: OxigraphStore) -> None:
    assert notations(store, "kalisz-strategy-2004", "Measure") == set(facts.kalisz_tasks())


def test_kalisz_expected_effects_are_recorded_on_the_programme(store: OxigraphStore) -> None:
    table = store.select(f"""
        PREFIX kgo: <{KGO}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?label WHERE {{ <{ID}kalisz-strategy-2004/II-4> kgo:expectedOutcome/skos:prefLabel ?label
                               FILTER(LANG(?label) = "pl") }}""")
    assert sorted(label.rstrip(";.") for label in table.column("label")) == sorted(facts.kalisz_expected_effects())


def test_kalisz_implementation_periods_are_not_invented(store: OxigraphStore) -> None:
    """The source's implementation-period table is empty, so no task carries a period."""
    assert not store.ask(f"""
        PREFIX kgo: <{KGO}> PREFIX dcterms: <http://purl.org/dc/terms/>
        ASK {{ ?task a kgo:Measure ; kgo:partOf <{ID}kalisz-strategy-2004/II-4> ; dcterms:temporal ?period }}""")


def test_working_groups_of_community_planning(store: OxigraphStore) -> None:
    table = store.select(f"""
        PREFIX kgo: <{KGO}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?label WHERE {{ ?wg a kgo:WorkingGroup ; skos:prefLabel ?label ; kgo:targetGroup ?tg
                               FILTER(LANG(?label) = "cs") }}""")
    labels = set(table.column("label"))
    for name in facts.working_groups():
        assert name in labels
