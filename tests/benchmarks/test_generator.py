"""The synthetic graph generator (benchmarks/generate.py): deterministic, sized as asked, shaped like the
project's data (one parent per element, notations that extend their parent's, alignments up the territory
chain), summarised truthfully by its Spec, and answerable by every named query."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from benchmarks.generate import Spec, SyntheticGraph, generate, main
from kgservice.engine.derived import derive
from kgservice.rdf.namespaces import GRAPH
from kgservice.sparql.catalogue import Catalogue

ROOT = Path(__file__).resolve().parents[2]
KGO = "https://w3id.org/kgservice/ontology#"
PREFIXES = """
PREFIX kgo:     <https://w3id.org/kgservice/ontology#>
PREFIX skos:    <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs:    <http://www.w3.org/2000/01/rdf-schema#>
"""
ELEMENT_CLASSES = "kgo:Vision kgo:StrategicArea kgo:StrategicGoal kgo:SpecificGoal kgo:Measure kgo:Activity kgo:Project"
SIZE = 8_000
#: Bound to the Spec's parameters these may rightly answer nothing: the designated local strategy can
#: cover every priority of the (small) regional one, and support all of it.
MAY_BE_EMPTY_WHEN_BOUND = {"priority-gaps", "unsupported-local-measures"}


@pytest.fixture(scope="module")
def graph() -> SyntheticGraph:
    return SyntheticGraph(triples=SIZE, seed=3)


@pytest.fixture(scope="module")
def store(graph: SyntheticGraph) -> ox.Store:
    """The generated graph with the ontology, the shared vocabularies it refers to and the derived index,
    as the service would serve it."""
    store = ox.Store()
    store.bulk_extend(graph.quads(context=True))
    derive(store)
    return store


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    solutions = store.query(PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in solutions]


def count(store: ox.Store, query: str) -> int:
    return int(select(store, query)[0]["n"])


# ---------------------------------------------------------------- determinism and size


def test_same_seed_gives_the_same_quads_and_another_seed_others() -> None:
    first = [str(q) for q in generate(triples=3_000, seed=11)]
    again = [str(q) for q in generate(triples=3_000, seed=11)]
    other = [str(q) for q in generate(triples=3_000, seed=12)]
    assert first == again
    assert first != other


@pytest.mark.parametrize("triples", [3_000, 20_000, 60_000])
def test_the_requested_number_of_triples_is_met_within_ten_percent(triples: int) -> None:
    produced = sum(1 for _ in generate(triples=triples, seed=2))
    assert abs(produced - triples) <= 0.1 * triples, produced


@pytest.mark.parametrize("strategies", [1, 3, 12])
def test_sizing_by_strategies_gives_that_many_documents(strategies: int) -> None:
    store = ox.Store()
    store.bulk_extend(generate(strategies=strategies, seed=4))
    assert count(store, "SELECT (COUNT(?d) AS ?n) WHERE { ?d a kgo:StrategyDocument }") == strategies


def test_no_quad_is_written_twice_and_triples_are_unique_across_graphs(graph: SyntheticGraph) -> None:
    quads = [str(q) for q in graph.quads()]
    triples = {str(q.triple) for q in graph.quads()}
    assert len(set(quads)) == len(quads) == len(triples)


# ---------------------------------------------------------------- shape of the data


def test_every_element_has_exactly_one_parent_and_reaches_its_document(store: ox.Store) -> None:
    wrong = select(
        store,
        f"""
        SELECT ?e (COUNT(?p) AS ?parents) WHERE {{
            VALUES ?class {{ {ELEMENT_CLASSES} }}
            ?e a ?class . OPTIONAL {{ ?e kgo:partOf ?p }}
        }} GROUP BY ?e HAVING (COUNT(?p) != 1)""",
    )
    assert wrong == []
    orphans = select(
        store,
        f"""
        SELECT ?e WHERE {{
            VALUES ?class {{ {ELEMENT_CLASSES} }}
            ?e a ?class .
            FILTER NOT EXISTS {{ ?e kgo:partOf+ ?d . ?d a kgo:StrategyDocument }}
        }}""",
    )
    assert orphans == []


def test_notations_extend_their_parents_notation(store: ox.Store) -> None:
    checked = count(
        store,
        """
        SELECT (COUNT(?e) AS ?n) WHERE { ?e kgo:partOf ?p ; skos:notation ?x . ?p skos:notation ?y }""",
    )
    wrong = select(
        store,
        """
        SELECT ?e ?x ?y WHERE {
            ?e kgo:partOf ?p ; skos:notation ?x . ?p skos:notation ?y .
            FILTER(!STRSTARTS(STR(?x), CONCAT(STR(?y), ".")))
        }""",
    )
    assert checked > 100
    assert wrong == []


def test_elements_are_labelled_in_the_source_language_and_english(store: ox.Store) -> None:
    missing = select(
        store,
        f"""
        SELECT ?e WHERE {{
            VALUES ?class {{ {ELEMENT_CLASSES} }}
            ?e a ?class ; kgo:partOf+ ?d . ?d a kgo:StrategyDocument .
            FILTER NOT EXISTS {{ ?e skos:prefLabel ?en FILTER(LANG(?en) = "en") }}
            FILTER NOT EXISTS {{ ?e skos:prefLabel ?own FILTER(LANG(?own) != "en") }}
        }}""",
    )
    assert missing == []


def test_every_element_points_to_an_excerpt_of_a_source_file(store: ox.Store) -> None:
    missing = select(
        store,
        f"""
        SELECT ?e WHERE {{
            VALUES ?class {{ {ELEMENT_CLASSES} kgo:StrategyDocument kgo:Alignment kgo:Funding }}
            ?e a ?class .
            FILTER NOT EXISTS {{ ?e <http://www.w3.org/ns/prov#wasDerivedFrom>/<http://www.w3.org/ns/oa#hasSource> ?s .
                                 ?s a kgo:SourceFile }}
        }}""",
    )
    assert missing == []


def test_tags_are_concepts_of_the_real_schemes(store: ox.Store) -> None:
    foreign = select(
        store,
        """
        SELECT ?tag WHERE {
            { ?e kgo:theme ?tag FILTER NOT EXISTS { ?tag skos:inScheme <https://w3id.org/kgservice/id/theme> } }
            UNION
            { ?e kgo:targetGroup ?tag FILTER NOT EXISTS { ?tag skos:inScheme <https://w3id.org/kgservice/id/target-group> } }
        }""",
    )
    assert foreign == []
    assert count(store, "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?e kgo:theme ?t }") >= 10


def test_alignments_point_up_the_territory_chain_to_other_strategies(store: ox.Store) -> None:
    rows = select(
        store,
        """
        SELECT ?a ?relation ?subjectLevel ?objectLevel ?chain WHERE {
            ?a a kgo:Alignment ; kgo:subjectElement ?s ; kgo:objectElement ?o ; kgo:relation ?relation .
            ?s kgo:partOf+ ?sd . ?sd a kgo:StrategyDocument ; kgo:planningLevel/skos:notation ?subjectLevel .
            ?o kgo:partOf+ ?od . ?od a kgo:StrategyDocument ; kgo:planningLevel/skos:notation ?objectLevel .
            FILTER(?sd != ?od)
            BIND(EXISTS { ?sd dcterms:spatial/kgo:withinTerritory* ?t . ?od dcterms:spatial ?t } AS ?chain)
        }""",
    )
    total = count(store, "SELECT (COUNT(?a) AS ?n) WHERE { ?a a kgo:Alignment }")
    assert len(rows) == total > 20
    vertical = [r for r in rows if r["relation"] != KGO + "pursuesSameAimAs"]
    assert all(int(r["objectLevel"]) > int(r["subjectLevel"]) and r["chain"] == "true" for r in vertical)
    horizontal = [r for r in rows if r["relation"] == KGO + "pursuesSameAimAs"]
    assert horizontal and all(r["objectLevel"] == r["subjectLevel"] == "1" and r["chain"] == "false" for r in horizontal)


def test_curated_strengths_agree_with_their_relation(store: ox.Store) -> None:
    wrong = select(
        store,
        """
        SELECT ?a WHERE {
            ?a kgo:alignmentStatus kgo:Curated ; kgo:relation ?r .
            OPTIONAL { ?a kgo:strength ?v }
            FILTER(!BOUND(?v) || ?v < -3 || ?v > 3
                   || (?r IN (kgo:contributesTo, kgo:implements) && ?v <= 0)
                   || (?r = kgo:consistentWith && ?v != 0) || (?r = kgo:conflictsWith && ?v >= 0))
        }""",
    )
    assert wrong == []


def test_spec_counts_what_the_graph_holds(graph: SyntheticGraph, store: ox.Store) -> None:
    spec = graph.spec
    per_class = select(
        store,
        f"""
        SELECT ?class (COUNT(?e) AS ?n) WHERE {{ VALUES ?class {{ {ELEMENT_CLASSES} }} ?e a ?class }} GROUP BY ?class""",
    )
    assert {r["class"].removeprefix(KGO): int(r["n"]) for r in per_class} == spec.elements
    assert count(store, "SELECT (COUNT(?a) AS ?n) WHERE { ?a a kgo:Alignment }") == spec.alignments
    assert count(store, "SELECT (COUNT(?d) AS ?n) WHERE { ?d a kgo:StrategyDocument }") == spec.strategies
    territories = f"<{GRAPH}data/vocabularies/synthetic-territories>"  # the store also holds the real ones
    assert count(store, f"SELECT (COUNT(?c) AS ?n) WHERE {{ GRAPH {territories} {{ ?c a kgo:City }} }}") == spec.cities
    assert count(store, "SELECT (COUNT(?f) AS ?n) WHERE { ?f a kgo:Funding }") == spec.fundings


def test_spec_parameters_name_what_they_promise(graph: SyntheticGraph, store: ox.Store) -> None:
    spec = graph.spec
    assert all(
        value is not None
        for value in (
            spec.priority,
            spec.local,
            spec.higher,
            spec.measure,
            spec.activity,
            spec.other_local,
            spec.series_from,
            spec.series_to,
        )
    )
    assert select(
        store,
        f"""
        SELECT ?a WHERE {{
            ?a kgo:subjectElement <{spec.measure}> ; kgo:objectElement <{spec.priority}> ;
               kgo:relation kgo:contributesTo ; kgo:alignmentStatus kgo:Curated .
            <{spec.measure}> kgo:partOf+ <{spec.local}> ; kgo:targetGroup <{spec.target_group}> ; kgo:responsible ?r .
            <{spec.priority}> kgo:partOf+ <{spec.higher}> .
            <{spec.activity}> a kgo:Activity ; kgo:partOf <{spec.measure}> .
            ?project a kgo:Project ; kgo:partOf <{spec.measure}> ; kgo:fundedBy ?funding .
            <{spec.local}> kgo:planningLevel kgo:MunicipalLevel .
            <{spec.higher}> kgo:planningLevel kgo:RegionalLevel .
        }}""",
    )


def test_tiny_layouts_leave_the_parameters_they_cannot_fill_empty() -> None:
    spec: Spec = SyntheticGraph(strategies=1, seed=1).spec
    assert (spec.countries, spec.strategies, spec.local, spec.priority) == (1, 1, None, None)
    assert spec.query_parameters()["strategy-outline"] == {}


# ---------------------------------------------------------------- named queries


def test_every_named_query_runs_and_returns_rows(graph: SyntheticGraph, store: ox.Store) -> None:
    catalogue = Catalogue(ROOT / "queries")
    parameters = graph.spec.query_parameters()
    assert set(parameters) >= set(catalogue.queries)
    for name, query in catalogue.queries.items():
        required = {p.name: parameters[name][p.name] for p in query.parameters if p.required}
        unbound = store.query(query.bind(required), use_default_graph_as_union=True)
        assert isinstance(unbound, ox.QuerySolutions)
        assert len(list(unbound)) > 0, name
        bound = store.query(query.bind(parameters[name]), use_default_graph_as_union=True)
        assert isinstance(bound, ox.QuerySolutions)
        assert list(bound) or name in MAY_BE_EMPTY_WHEN_BOUND, name


# ---------------------------------------------------------------- command line


def test_cli_writes_one_named_graph_per_strategy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "g.nq"
    assert main(["--triples", "3000", "--seed", "5", "--out", str(out)]) == 0
    summary = capsys.readouterr().err
    quads = list(ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS))
    assert f"{len(quads):,} triples" in summary
    documents = {
        q.subject.value for q in quads if q.predicate.value.endswith("#type") and q.object.value == KGO + "StrategyDocument"
    }
    graphs = {q.graph_name.value for q in quads}
    for document in documents:
        assert f"{GRAPH}data/strategies/{document.rsplit('/', 1)[-1]}" in graphs
    assert all(g.startswith(GRAPH + "data/") for g in graphs)


@pytest.mark.parametrize("suffix", [".nt", ".ttl"])
def test_cli_writes_triple_formats_that_parse_back(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"g{suffix}"
    assert main(["--strategies", "2", "--out", str(out)]) == 0
    parsed = list(ox.parse(path=str(out)))
    assert len(parsed) == sum(1 for _ in generate(strategies=2, seed=1))


def test_cli_adds_the_ontology_and_vocabularies_on_request(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "g.nq"
    assert main(["--strategies", "2", "--with-context", "--out", str(out)]) == 0
    graphs = {q.graph_name.value for q in ox.parse(path=str(out))}
    assert {GRAPH + "ontology/core", GRAPH + "data/vocabularies/themes", GRAPH + "data/source-files"} <= graphs
    assert "of ontology and vocabularies" in capsys.readouterr().err


def test_cli_refuses_an_unknown_language(tmp_path: Path) -> None:
    assert main(["--triples", "3000", "--languages", "xx", "--out", str(tmp_path / "g.nt")]) == 2


# ---------------------------------------------------------------- shapes


@pytest.mark.skipif(not (ROOT / "shapes").is_dir(), reason="no shapes/ to validate against")
def test_a_czech_and_polish_graph_conforms_to_the_shapes() -> None:
    from kgservice.checks.validation import load_shapes, validate_graph
    from kgservice.engine.embedded import OxigraphStore
    from kgservice.project.loading import union_graph

    store = OxigraphStore()
    store.engine.bulk_extend(SyntheticGraph(triples=4_000, seed=6, languages=("cs", "pl")).quads(context=True))
    report = validate_graph(union_graph(store), load_shapes(ROOT / "shapes"))
    assert report.conforms, report.text()[:3000]
