"""The graph says what the sources say, no more: each fact is checked against the line of the source that states it.

Every test reads the fact from the source text (data/sources/*.txt) and compares the graph or a named query
with it: the steering group kept apart from the working groups, the meetings of the schedule table, the
municipalities that plan with MAS Podještědí, the numbers and dates of the OPZ+ projects, the announced
(not current) membership of APOSS, the labels the sources do not print, the Czech target group
"zdravotně znevýhodnění", and the curated alignments re-read against both texts. The Czech and Polish
evidence keeps the sources' quotes as they are, and the queries give the evidence in the language asked for.
"""

from __future__ import annotations

import re

import pytest

from kgservice.engine.embedded import OxigraphStore
from kgservice.project.layout import Layout
from kgservice.rdf.terms import Table
from kgservice.sparql.catalogue import Catalogue
from tests import source_facts as facts
from tests.conftest import LIBEREC_STRATEGY, MINUTES, PRESS_RELEASE, REGION_WORKSHOP, SOURCES, source_lines

ID = "https://w3id.org/kgservice/id/"
KGO = "https://w3id.org/kgservice/ontology#"
PREFIXES = f"""
PREFIX kgo: <{KGO}> PREFIX kgd: <{ID}> PREFIX orgs: <{ID}org/> PREFIX tg: <{ID}target-group/>
PREFIX th: <{ID}theme/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX org: <http://www.w3.org/ns/org#>
PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def line_with(stem: str, text: str) -> str:
    """The one line of a source that contains `text` (it must be there exactly once)."""
    found = [line for line in source_lines(stem) if text in line]
    assert len(found) == 1, (stem, text, len(found))
    return found[0]


def iri(path: str) -> str:
    """An element's IRI in SPARQL, from its path under id/ (prefixed names cannot hold the slashes)."""
    return f"<{ID}{path}>"


def select(store: OxigraphStore, query: str) -> list[dict[str, str]]:
    return [{k: v.value for k, v in r.items()} for r in store.select(PREFIXES + query).records()]


def run(store: OxigraphStore, catalogue: Catalogue, name: str, **params: str) -> Table:
    return store.select(catalogue.get(name).bind(params))


def records(table: Table) -> list[dict[str, str]]:
    return [{k: v.value for k, v in r.items()} for r in table.records()]


def minutes_year() -> str:
    """The year of the minutes ('Datum/čas: 31. 8. 2022'): the schedule table prints day and month only."""
    return re.search(r"Datum/čas: \d+\. \d+\. (\d{4})", line_with(MINUTES, "Datum/čas")).group(1)  # type: ignore[union-attr]


def iso(day_month: str) -> str:
    day, month = re.match(r"(\d+)\. (\d+)\.", day_month).groups()  # type: ignore[union-attr]
    return f"{minutes_year()}-{int(month):02d}-{int(day):02d}"


def schedule() -> dict[str, tuple[str, str]]:
    """Each working group of the schedule table with the date and place of its autumn meeting."""
    rows = [line.split("\t") for line in source_lines(MINUTES) if line.startswith("Pracovní skupina pro")]
    return {name: (iso(when), re.search(r"\((.*)\)", when).group(1)) for name, when in rows}  # type: ignore[union-attr]


def joint_meetings() -> list[tuple[str, str]]:
    """The joint meetings of the working groups ('1. setkání\t13. 9. (Lidové sady)')."""
    rows = [line.split("\t") for line in source_lines(MINUTES) if re.match(r"^\d\. setkání\t", line)]
    return [(iso(when), re.search(r"\((.*)\)", when).group(1)) for _, when in rows]  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------------------- working groups


def test_the_steering_group_is_not_one_of_the_working_groups(store: OxigraphStore) -> None:
    # 001 line 13: the steering group is where the managers of all working groups meet; 003 heads its minutes with it.
    assert "Řídící pracovní skupina, v níž jsou zastoupeni manažeři všech pracovních skupin" in line_with(PRESS_RELEASE, "Řídící")
    assert "ŘÍDICÍ PRACOVNÍ SKUPINA" in source_lines(MINUTES)[11]
    groups = select(store, "SELECT ?g WHERE { ?g a kgo:WorkingGroup }")
    assert len(groups) == len(facts.working_groups())
    assert select(
        store, "SELECT DISTINCT ?t WHERE { orgs:kpss-rps a ?t FILTER(?t IN (kgo:SteeringGroup, kgo:WorkingGroup)) }"
    ) == [{"t": KGO + "SteeringGroup"}]


def test_plan_working_groups_lists_the_six_groups_with_their_target_groups(store: OxigraphStore, catalogue: Catalogue) -> None:
    rows = records(run(store, catalogue, "plan-working-groups", plan="kgd:liberec-kpss-2023", lang="cs"))
    assert {r["groupLabel"] for r in rows} == set(facts.working_groups())
    assert all(r.get("targetGroup") for r in rows)
    health = {r["targetGroupLabel"] for r in rows if r["groupLabel"].endswith("zdravotně znevýhodněné")}
    assert health == {"zdravotně znevýhodnění"}


def test_plan_working_groups_gives_the_meetings_of_the_schedule_table(store: OxigraphStore, catalogue: Catalogue) -> None:
    rows = records(run(store, catalogue, "plan-working-groups", plan="kgd:liberec-kpss-2023", lang="cs"))
    own = {r["groupLabel"]: (r["date"], r["venue"]) for r in rows if r.get("joint") == "false"}
    assert own == schedule()
    for group in facts.working_groups():
        joint = sorted((r["date"], r["venue"]) for r in rows if r["groupLabel"] == group and r.get("joint") == "true")
        assert joint == sorted(joint_meetings()), group


def test_the_steering_group_meets_when_the_minutes_say(store: OxigraphStore) -> None:
    # 003 line 18 (this meeting, on-line) and line 163 (the next one, 19. 10.).
    held = iso(re.search(r"Datum/čas: (\d+\. \d+\.)", line_with(MINUTES, "Datum/čas")).group(1))  # type: ignore[union-attr]
    following = iso(re.search(r"uskuteční (\d+\. \d+\.)", line_with(MINUTES, "Příští setkání ŘPS")).group(1))  # type: ignore[union-attr]
    dates = {r["d"] for r in select(store, "SELECT ?d WHERE { ?m kgo:meetingOf orgs:kpss-rps ; dcterms:date ?d }")}
    assert dates == {held, following}


def test_aposs_is_announced_as_a_member_not_recorded_as_one(store: OxigraphStore) -> None:
    line = line_with(MINUTES, "APOSS")
    assert "se nově stanou" in line  # "will newly become": an announcement, not a membership
    assert select(store, "SELECT ?m WHERE { ?m a org:Membership ; org:member orgs:aposs }") == []
    assert select(store, "SELECT ?g WHERE { ?g kgo:announcedMember orgs:aposs }") == [
        {"g": ID + "org/kpss-ps-zdravotne-znevyhodneni"}
    ]


# ---------------------------------------------------------------------------------------------- facts once kept as text


def test_the_municipalities_that_left_plan_with_mas_podjestedi(store: OxigraphStore) -> None:
    assert "již plánují společně s MAS Podještědí" in line_with(MINUTES, "již nebude zahrnovat okolní obce")
    planned = select(store, 'SELECT ?l WHERE { orgs:mas-podjestedi kgo:plansFor/skos:prefLabel ?l FILTER(LANG(?l) = "cs") }')
    assert sorted(r["l"] for r in planned) == sorted(facts.municipalities_leaving_2023())


def test_domovnici_employs_six_persons_from_the_first_of_january(store: OxigraphStore) -> None:
    line = line_with(MINUTES, "Domovníci")
    persons = re.search(r"zaměstnat (\d+) osob", line).group(1)  # type: ignore[union-attr]
    day, month, year = re.search(r"předpokládána od (\d+)\. (\d+)\. (\d{4})", line).groups()  # type: ignore[union-attr]
    rows = select(
        store, f"SELECT ?n ?s WHERE {{ {iri('project/domovnici')} kgo:plannedStart ?s ; kgo:expectedOutcome/kgo:quantity ?n }}"
    )
    assert [(float(r["n"]), r["s"]) for r in rows] == [(float(persons), f"{year}-{int(month):02d}-{int(day):02d}")]


def test_the_continued_projects_start_in_the_month_the_minutes_give(store: OxigraphStore) -> None:
    month, year = re.search(r"realizace od (\d+)/(\d{4})", line_with(MINUTES, "APK III")).groups()  # type: ignore[union-attr]
    rows = select(
        store, f"SELECT ?p ?s WHERE {{ VALUES ?p {{ {iri('project/apk-iii')} {iri('project/cbl-ii')} }} ?p kgo:plannedStart ?s }}"
    )
    assert {r["s"] for r in rows} == {f"{year}-{int(month):02d}"} and len(rows) == 2


def test_the_providers_intend_nine_posts(store: OxigraphStore) -> None:
    posts = re.search(r"celkem (\d+) úvazků", line_with(MINUTES, "úvazků pracovníků")).group(1)  # type: ignore[union-attr]
    rows = select(
        store, f"SELECT ?n WHERE {{ {iri('project/opz-plus-zadosti-poskytovatelu-2022')} kgo:expectedOutcome/kgo:quantity ?n }}"
    )
    assert [float(r["n"]) for r in rows] == [float(posts)]


def test_element_outcomes_gives_a_task_the_effects_of_its_programme(store: OxigraphStore, catalogue: Catalogue) -> None:
    for task in facts.kalisz_tasks():
        rows = records(run(store, catalogue, "element-outcomes", element=f"kgd:kalisz-strategy-2004/{task}", lang="pl"))
        assert sorted(r["label"].rstrip(";.") for r in rows) == sorted(facts.kalisz_expected_effects()), task
        assert {r["declaredOn"] for r in rows} == {ID + "kalisz-strategy-2004/II-4"}


def test_element_outcomes_gives_the_number_a_project_states(store: OxigraphStore, catalogue: Catalogue) -> None:
    persons = re.search(r"zaměstnat (\d+) osob", line_with(MINUTES, "Domovníci")).group(1)  # type: ignore[union-attr]
    (row,) = records(run(store, catalogue, "element-outcomes", element="kgd:project/domovnici", lang="cs"))
    assert float(row["quantity"]) == float(persons) and persons in row["label"]


# ---------------------------------------------------------------------------------------------- stated beyond the source


def test_labels_the_sources_do_not_print_are_marked_assigned(store: OxigraphStore) -> None:
    """A label of an element, document or meeting in its source's language occurs in its source or is marked assigned."""
    assert "Vize –" not in (SOURCES / f"{REGION_WORKSHOP}.txt").read_text(encoding="utf-8")  # noqa: RUF001 (en dash)
    rows = select(
        store,
        """SELECT DISTINCT ?x ?label ?path ?assigned WHERE {
             ?x a/rdfs:subClassOf* ?root . VALUES ?root { kgo:StrategyElement kgo:StrategyDocument kgo:Meeting }
             FILTER NOT EXISTS { ?x kgo:knownOnlyByReference true }
             ?x prov:wasDerivedFrom/oa:hasSource ?file . ?file kgo:filePath ?path ; dcterms:language ?language .
             ?x skos:prefLabel ?label
             FILTER(LANG(?label) = IF(?language = <http://publications.europa.eu/resource/authority/language/POL>, "pl", "cs"))
             OPTIONAL { ?x kgo:assignedLabel ?assigned } }""".replace(
            "SELECT",
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX prov: <http://www.w3.org/ns/prov#> "
            "PREFIX oa: <http://www.w3.org/ns/oa#> SELECT",
            1,
        ),
    )
    texts: dict[str, str] = {}
    unmarked = []
    for r in rows:
        text = texts.setdefault(r["path"], " ".join((SOURCES.parent.parent / r["path"]).read_text(encoding="utf-8").split()))
        if " ".join(r["label"].split()) not in text and r.get("assigned") != "true":
            unmarked.append((r["x"], r["label"]))
    assert rows and unmarked == []


def test_curated_alignments_state_no_more_than_the_minutes_say_of_the_continued_projects(store: OxigraphStore) -> None:
    # 003 line 116 says only that APK III and CBL II continue existing projects; line 117 states Domovníci's aim.
    elsewhere = [line for line in source_lines(MINUTES) if "na pokračování" not in line]
    assert not any(name in line for name in ("APK III", "CBL II") for line in elsewhere)
    assert "cílem je" in line_with(MINUTES, "Domovníci")
    rows = select(
        store,
        f"""SELECT ?p ?r ?s WHERE {{ ?a kgo:subjectElement ?p ; kgo:objectElement {iri("liberec-strategy-2021/2.1.4")} ;
                                      kgo:relation ?r ; kgo:strength ?s }}""",
    )
    judged = {r["p"].rsplit("/", 1)[1]: (r["r"].rsplit("#", 1)[1], int(r["s"])) for r in rows}
    assert judged == {"apk-iii": ("contributesTo", 1), "cbl-ii": ("contributesTo", 1), "domovnici": ("implements", 2)}


# ---------------------------------------------------------------------------------------------- translation


def test_health_disadvantaged_people_are_their_own_target_group(store: OxigraphStore) -> None:
    assert "Pracovní skupina pro zdravotně znevýhodněné" in line_with(MINUTES, "zdravotně znevýhodněné\t")
    assert "osoby se zdravotním postižením" in line_with(MINUTES, "Krajského plánu vyrovnávání")
    labels = select(
        store,
        """SELECT ?tg ?cs ?en WHERE { orgs:kpss-ps-zdravotne-znevyhodneni kgo:targetGroup ?tg ; skos:prefLabel ?en .
             ?tg skos:prefLabel ?cs FILTER(LANG(?cs) = "cs" && LANG(?en) = "en") }""",
    )
    assert [(r["cs"], "health-disadvantaged" in r["en"]) for r in labels] == [("zdravotně znevýhodnění", True)]
    disabilities = select(store, 'SELECT ?l WHERE { tg:people-with-disabilities skos:prefLabel ?l FILTER(LANG(?l) = "cs") }')
    assert disabilities == [{"l": "osoby se zdravotním postižením"}]
    between = "SELECT ?x WHERE { tg:health-disadvantaged skos:broader|^skos:broader tg:people-with-disabilities }"
    assert select(store, between) == []


# (source, element, the source's own word, our English rendering of it, our Polish rendering of it)
RENDERINGS = [
    (LIBEREC_STRATEGY, "liberec-strategy-2021/4.1", "kulturnost", "culturedness", "kulturalność"),
    (REGION_WORKSHOP, "liberecky-kraj-social-2026/U.2", "Podpora informovanosti", "Support for being informed", "poinformowania"),
    (REGION_WORKSHOP, "liberecky-kraj-social-2026/P.5", "osvětu", "public education", "edukację"),
    (REGION_WORKSHOP, "liberecky-kraj-social-2026/P.7", "informovanosti", "being informed", "poinformowania"),
]


@pytest.mark.parametrize(("stem", "element", "word", "english", "polish"), RENDERINGS)
def test_loose_translations_render_the_source_word(
    store: OxigraphStore, stem: str, element: str, word: str, english: str, polish: str
) -> None:
    labels = [r["l"] for r in store.select(PREFIXES + f"SELECT ?l WHERE {{ {iri(element)} skos:prefLabel ?l }}").records()]
    by_lang = {label.lang: label.value for label in labels}
    assert len(labels) == len(by_lang) == 3
    assert word in by_lang["cs"] and any(by_lang["cs"] in line for line in source_lines(stem))
    assert english in by_lang["en"] and polish in by_lang["pl"]


# ---------------------------------------------------------------------------------------------- themes


def test_crisis_beds_carry_the_crisis_help_theme(store: OxigraphStore) -> None:
    bullet = next(b for b in facts.liberec_bullets_mentioning("krizových lůžek"))
    rows = select(store, f'SELECT ?t WHERE {{ ?x skos:prefLabel "{bullet}"@cs ; kgo:theme ?t }}')
    assert {r["t"] for r in rows} == {ID + "theme/crisis-help"}


# ---------------------------------------------------------------------------------------------- curated alignments re-read


def curated(store: OxigraphStore, subject: str, target: str) -> list[dict[str, str]]:
    return select(
        store,
        f"""SELECT ?s WHERE {{ ?a kgo:subjectElement <{ID}{subject}> ; kgo:objectElement <{ID}{target}> ;
                                kgo:alignmentStatus kgo:Curated . OPTIONAL {{ ?a kgo:strength ?s }} }}""",
    )


def test_field_work_in_excluded_localities_is_not_help_for_caring_families(store: OxigraphStore) -> None:
    city = line_with(LIBEREC_STRATEGY, "aktivní terénní práce")
    region = line_with(REGION_WORKSHOP, "Podpora terénních služeb")
    assert "pečující" in region and "pečující" not in city
    assert curated(store, "liberec-strategy-2021/2.1.4.1", "liberecky-kraj-social-2026/R.4") == []


def test_unqualified_health_field_work_is_not_linked_to_field_and_home_care(store: OxigraphStore) -> None:
    bullet = [b for b in facts.liberec_bullets_mentioning("terénní práce") if len(b.split()) == 3]
    assert bullet == ["podpora terénní práce"]  # the bullet of 2.2.3 says nothing more
    assert curated(store, "liberec-strategy-2021/2.2.3.2", "liberecky-kraj-social-2026/R.7") == []


def test_staffing_and_equipment_do_not_pursue_the_cooperation_of_kalisz_task_ii_4_3(store: OxigraphStore) -> None:
    kalisz = line_with("002_c55900dedce22e06", "Na terenie miasta działa wiele podmiotów")
    assert "poprawa współpracy tych podmiotów" in kalisz
    for subject, text in (("2.3.2.3", "navýšení počtu městských policistů"), ("2.3.5", "Vybavenost HZS")):
        assert "spoluprác" not in line_with(LIBEREC_STRATEGY, text)
        assert curated(store, f"liberec-strategy-2021/{subject}", "kalisz-strategy-2004/II-4.3") == []


def test_city_region_cooperation_in_health_care_is_linked(store: OxigraphStore) -> None:
    assert "spolupráce města, Libereckého kraje" in line_with(LIBEREC_STRATEGY, "aktivní podpora spolupráce")
    assert "Prohloubení spolupráce ORP-kraj" in line_with(REGION_WORKSHOP, "ORP-kraj")
    assert "SO ORP Liberec" in line_with(MINUTES, "SO ORP Liberec")
    assert "včetně spolupráce s dalšími resorty" in line_with(REGION_WORKSHOP, "s dalšími resorty")
    for target in ("R.20", "R.V"):
        assert curated(store, "liberec-strategy-2021/2.2.1.1", f"liberecky-kraj-social-2026/{target}") == [{"s": "1"}]


# ---------------------------------------------------------------------------------------------- cs and pl texts

QUOTE = re.compile(r"(?<![A-Za-z])'([^']+)'(?![A-Za-z])")  # a quote in an English evidence sentence


def source_text() -> str:
    return " ".join(" ".join(path.read_text(encoding="utf-8").split()) for path in sorted(SOURCES.glob("*.txt")))


def curated_evidence(store: OxigraphStore) -> dict[str, dict[str, list[str]]]:
    """The evidence of each curated alignment and of each one a document asserts, by language."""
    found: dict[str, dict[str, list[str]]] = {}
    table = store.select(
        PREFIXES
        + "SELECT ?a ?e WHERE { VALUES ?s { kgo:Curated kgo:AssertedInDocument } ?a kgo:alignmentStatus ?s ; kgo:evidence ?e }"
    )
    for record in table.records():
        found.setdefault(record["a"].value, {}).setdefault(record["e"].lang or "", []).append(record["e"].value)
    return found


def test_curated_evidence_is_written_in_cs_pl_and_en(store: OxigraphStore) -> None:
    evidence = curated_evidence(store)
    assert evidence
    for alignment, by_lang in evidence.items():
        assert {lang: len(texts) for lang, texts in by_lang.items()} == {"en": 1, "cs": 1, "pl": 1}, alignment


def test_translated_evidence_keeps_the_sources_quotes_in_their_language(store: OxigraphStore) -> None:
    """A quote the English evidence takes from a source stays, word for word, in the Czech and Polish evidence."""
    text = source_text()
    checked = 0
    for alignment, by_lang in curated_evidence(store).items():
        for quote in QUOTE.findall(by_lang["en"][0]):
            if quote in text:
                checked += 1
                assert quote in by_lang["cs"][0] and quote in by_lang["pl"][0], (alignment, quote)
    assert checked >= len(curated_evidence(store))


def test_definitions_are_written_in_cs_pl_and_en(store: OxigraphStore) -> None:
    """Every kgo: term and every concept of the shared schemes is defined once in each language."""
    rows = select(
        store,
        """SELECT ?x (GROUP_CONCAT(LANG(?d); separator=" ") AS ?langs) WHERE {
             ?x skos:definition ?d
             FILTER(STRSTARTS(STR(?x), STR(kgo:)) || EXISTS { ?x skos:inScheme ?scheme } || EXISTS { ?x a skos:ConceptScheme })
           } GROUP BY ?x""",
    )
    assert rows
    for row in rows:
        assert sorted(set(row["langs"].split())) == ["cs", "en", "pl"], row["x"]


@pytest.mark.parametrize("lang", ["cs", "pl", "en"])
def test_queries_and_pages_give_the_evidence_in_the_requested_language(
    store: OxigraphStore, catalogue: Catalogue, layout: Layout, lang: str
) -> None:
    # The curated links of 2.2.1.1 and the links the Kalisz programme asserts are written in all three languages.
    pages = Catalogue(layout.queries_dir / "pages")
    tables = [
        run(store, catalogue, "measures-supporting-priority", priority="kgd:liberecky-kraj-social-2026/R.20", lang=lang),
        run(store, catalogue, "element-path", element="kgd:liberec-strategy-2021/2.2.1.1", lang=lang),
        store.select(pages.get("entity-alignments").bind({"resource": "kgd:liberec-strategy-2021/2.2.1.1", "lang": lang})),
    ]
    for table in tables:
        evidence = [r["evidence"] for r in table.records() if "evidence" in r]
        assert evidence and all(e.lang == lang for e in evidence)
    asserted = run(store, catalogue, "measures-supporting-priority", priority="kgd:wielkopolska-strategy/1.4", lang=lang)
    assert {r["evidence"].lang for r in asserted.records() if "evidence" in r} == {lang}
