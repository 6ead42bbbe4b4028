"""Every named query parses and runs; the answers match facts counted from the source documents."""

from __future__ import annotations

import pytest

from kgservice.engine.embedded import OxigraphStore
from kgservice.rdf.terms import Table
from kgservice.sparql.catalogue import Catalogue
from tests import source_facts as facts

ID = "https://w3id.org/kgservice/id/"


def run(store: OxigraphStore, catalogue: Catalogue, name: str, **params: str) -> Table:
    return store.select(catalogue.get(name).bind(params))


def rows_where(table: Table, **equal: str) -> list[dict[str, str]]:
    records = [{k: v.value for k, v in r.items()} for r in table.records()]
    return [r for r in records if all(r.get(k) == v for k, v in equal.items())]


REQUIRED_EXAMPLES = {
    "element": "kgd:kalisz-strategy-2004/II-4.1",
    "strategy": "kgd:liberec-strategy-2021",
    "a": "kgd:liberec-strategy-2021",
    "b": "kgd:kalisz-strategy-2004",
}


def test_every_named_query_documents_itself_and_runs(store: OxigraphStore, catalogue: Catalogue) -> None:
    assert len(catalogue.queries) >= 8
    for query in catalogue.queries.values():
        assert query.title and query.question, query.name
        params = {p.name: REQUIRED_EXAMPLES[p.name] for p in query.parameters if p.required}
        table = store.select(query.bind(params))
        assert table.columns, query.name


def test_tasks_support_a_wielkopolska_priority_through_their_programme(store: OxigraphStore, catalogue: Catalogue) -> None:
    table = run(store, catalogue, "measures-supporting-priority", priority="kgd:wielkopolska-strategy/1.4")
    measures = rows_where(table, kind="https://w3id.org/kgservice/ontology#Measure", route="through parent")
    assert sorted(r["notation"] for r in measures) == facts.kalisz_tasks()
    direct = rows_where(table, route="direct")
    assert [r["notation"] for r in direct] == ["II-4"]


def test_support_of_a_sub_priority_counts_for_its_parent_goal(store: OxigraphStore, catalogue: Catalogue) -> None:
    table = run(store, catalogue, "measures-supporting-priority", priority="kgd:wielkopolska-strategy/1")
    targets = {r["notation"] for r in rows_where(table, route="direct")}
    assert targets == {"II-4"}
    leaves = facts.kalisz_convergence_leaves()["Strategią Rozwoju Województwa Wielkopolskiego"]
    assert len(rows_where(table, route="direct")) == len(leaves)


def test_listed_priorities_are_covered_and_other_cities_leave_them_uncovered(store: OxigraphStore, catalogue: Catalogue) -> None:
    assert run(store, catalogue, "priority-gaps", higher="kgd:zporr", local="kgd:kalisz-strategy-2004").rows == ()
    gaps = run(store, catalogue, "priority-gaps", higher="kgd:wielkopolska-strategy", local="kgd:liberec-strategy-2021")
    listed = facts.kalisz_convergence_leaves()["Strategią Rozwoju Województwa Wielkopolskiego"]
    assert set(gaps.column("notation")) == {"1", *listed}


def test_kalisz_tasks_all_support_something_above_them(store: OxigraphStore, catalogue: Catalogue) -> None:
    assert run(store, catalogue, "unsupported-local-measures", local="kgd:kalisz-strategy-2004").rows == ()


def test_target_group_found_by_its_label_in_any_language(store: OxigraphStore, catalogue: Catalogue) -> None:
    answers = [
        {r["element"] for r in rows_where(run(store, catalogue, "elements-for-target-group", search=word))}
        for word in ("senioři", "seniorzy", "Older People")
    ]
    assert answers[0] == answers[1] == answers[2]
    table = run(store, catalogue, "elements-for-target-group", search="seniorzy", lang="cs")
    labels = set(table.column("label"))
    for bullet in facts.liberec_bullets_mentioning("senior"):
        assert bullet in labels


def test_narrower_target_groups_count(store: OxigraphStore, catalogue: Catalogue) -> None:
    broad = run(store, catalogue, "elements-for-target-group", targetGroup="tg:at-risk-of-social-exclusion")
    homeless = run(store, catalogue, "elements-for-target-group", targetGroup="tg:homeless")
    assert set(homeless.column("element")) <= set(broad.column("element"))
    assert f"{ID}kalisz-strategy-2004/II-4.4" in set(homeless.column("element"))


def test_responsible_units_and_co_implementers_of_a_task(store: OxigraphStore, catalogue: Catalogue) -> None:
    table = run(store, catalogue, "element-actors", element="kgd:kalisz-strategy-2004/II-4.2", lang="pl")
    kgo = "https://w3id.org/kgservice/ontology#"
    responsible = {r["actorLabel"] for r in rows_where(table, role=kgo + "responsible")}
    co_implementers = {r["actorLabel"] for r in rows_where(table, role=kgo + "coImplementer")}
    assert responsible == set(facts.kalisz_responsible_units())
    assert co_implementers == set(facts.kalisz_co_implementers())
    assert set(table.column("declaredOn")) == {f"{ID}kalisz-strategy-2004/II-4"}


def test_path_from_a_task_to_its_strategy_and_the_priorities_it_supports(store: OxigraphStore, catalogue: Catalogue) -> None:
    table = run(store, catalogue, "element-path", element="kgd:kalisz-strategy-2004/II-4.1")
    path = rows_where(table, section="path")
    assert [r["node"] for r in path] == [
        f"{ID}kalisz-strategy-2004/II-4.1",
        f"{ID}kalisz-strategy-2004/II-4",
        f"{ID}kalisz-strategy-2004",
    ]
    supported = {r["notation"] for r in rows_where(table, section="supports")}
    assert supported == {leaf for leaves in facts.kalisz_convergence_leaves().values() for leaf in leaves}


def test_path_from_an_activity_reaches_the_community_plan_it_implements(store: OxigraphStore, catalogue: Catalogue) -> None:
    table = run(store, catalogue, "element-path", element="kgd:liberec-strategy-2021/2.1.1.1")
    assert [r.get("notation") for r in rows_where(table, section="path")] == ["2.1.1.1", "2.1.1", "2.1", "2", None]
    asserted = rows_where(table, section="supports", status="https://w3id.org/kgservice/ontology#AssertedInDocument")
    assert {r["node"] for r in asserted} == {f"{ID}liberec-kpss"}


def test_municipalities_that_left_and_joined_the_community_plan(store: OxigraphStore, catalogue: Catalogue) -> None:
    table = run(store, catalogue, "plan-membership-changes", lang="cs")
    left = {r["territoryLabel"] for r in rows_where(table, change="left", older=f"{ID}liberec-kpss-2014")}
    joined = {r["territoryLabel"] for r in rows_where(table, change="joined", newer=f"{ID}liberec-kpss-2014")}
    assert left == set(facts.municipalities_leaving_2023())
    assert joined == set(facts.municipalities_joining_2014())


def test_explicit_editions_can_be_compared_across_a_gap(store: OxigraphStore, catalogue: Catalogue) -> None:
    table = run(store, catalogue, "plan-membership-changes", **{"from": "kgd:liberec-kpss-2008", "to": "kgd:liberec-kpss-2023"})
    assert {r["change"] for r in rows_where(table)} == {"joined"}
    assert len(table.rows) == 1  # only the city district Vratislavice was added for good


def test_security_is_a_theme_both_cities_address(store: OxigraphStore, catalogue: Catalogue) -> None:
    table = run(store, catalogue, "shared-themes", a="kgd:liberec-strategy-2021", b="kgd:kalisz-strategy-2004")
    both = {r["concept"] for r in rows_where(table, side="both")}
    assert {f"{ID}theme/public-safety", f"{ID}theme/social-inclusion"} <= both
    only_liberec = {r["concept"] for r in rows_where(table, side="only A")}
    assert f"{ID}theme/health-care" in only_liberec


def test_projects_of_the_city_implement_the_excluded_localities_measure(store: OxigraphStore, catalogue: Catalogue) -> None:
    table = run(store, catalogue, "projects-and-funding", measure="kgd:liberec-strategy-2021/2.1.4", lang="cs")
    projects = {r["projectLabel"] for r in rows_where(table)}
    assert projects == set(facts.opz_city_projects())


def test_outline_of_the_city_strategy(store: OxigraphStore, catalogue: Catalogue) -> None:
    table = run(store, catalogue, "strategy-outline", strategy="kgd:liberec-strategy-2021")
    measures = facts.liberec_measures_and_bullets()
    expected = len(facts.liberec_strategic_goals()) + len(facts.liberec_specific_goals()) + len(measures) + sum(measures.values())
    assert len(table.rows) == expected


@pytest.mark.parametrize("lang", ["cs", "pl", "en"])
def test_labels_come_in_the_chosen_language_with_english_fallback(store: OxigraphStore, catalogue: Catalogue, lang: str) -> None:
    table = run(store, catalogue, "element-actors", element="kgd:kalisz-strategy-2004/II-4.1", lang=lang)
    assert table.rows
    for record in table.records():
        assert record["actorLabel"].lang in (lang, "en")
