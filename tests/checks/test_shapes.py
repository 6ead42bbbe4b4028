"""The SHACL shapes against their fixtures, and the validation report built from pyshacl's results.

Each fixture tests/shapes/<ShapeLocalName>-valid.ttl or -invalid-NN.ttl is validated together with the
ontology, the shared vocabularies and the source-file descriptions. Its header says why it is (in)valid
and, on an `# expect:` line, which shapes it may violate: the one it is named after, plus any that the
same mistake necessarily breaks too.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SH
from rdflib.term import Node

from kgservice.checks.validation import ValidationReport, load_shapes, validate_graph
from kgservice.errors import ShapesError

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "shapes"
KGS = "https://w3id.org/kgservice/shapes#"
FIXTURE_NAME = re.compile(r"^(?P<shape>[A-Za-z]+Shape)-(?P<kind>valid|invalid-\d\d)$")
EXPECT_LINE = re.compile(r"^# expect: (?P<shapes>.+)$", re.MULTILINE)
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
# sh: terms on a shape that are not themselves constraints whose failure needs a message.
NON_CONSTRAINTS = {
    *TARGETS,
    SH.property,
    SH.sparql,
    SH.message,
    SH.name,
    SH.description,
    SH.severity,
    SH.deactivated,
    SH.order,
    SH.group,
}
FIXTURE_FILES = sorted(FIXTURES.glob("*.ttl"))


def base_files() -> list[Path]:
    """What every fixture is validated with: ontology, shared vocabularies, source files."""
    return [
        *sorted(ROOT.glob("ontology/*.ttl")),
        *sorted(ROOT.glob("data/vocabularies/*.ttl")),
        ROOT / "data" / "source-files.ttl",
    ]


def load_base() -> Graph:
    graph = Graph()
    for path in base_files():
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(ROOT / "shapes")


@pytest.fixture(scope="module")
def base() -> Graph:
    return load_base()


def validate_fixture(path: Path, base: Graph, shapes: Graph) -> ValidationReport:
    """Validate base + fixture; the fixture's triples are added to `base` and removed again.

    Copying the ~1,500 base triples for each of ~200 fixtures would cost more than validating them.
    """
    added = [triple for triple in Graph().parse(path, format="turtle") if triple not in base]
    base.addN((s, p, o, base) for s, p, o in added)
    try:
        return validate_graph(base, shapes)
    finally:
        for triple in added:
            base.remove(triple)


# A worker process of the pool below validates with its own copy of base and shapes.
_WORKER_GRAPHS: list[Graph] = []


def _start_worker() -> None:
    _WORKER_GRAPHS[:] = [load_base(), load_shapes(ROOT / "shapes")]


def _validate_in_worker(path: Path) -> ValidationReport:
    base, shapes = _WORKER_GRAPHS
    return validate_fixture(path, base, shapes)


def _selected_fixture(item: pytest.Item) -> Path | None:
    """The fixture file a collected `test_fixture` item of this module validates, else None."""
    if not isinstance(item, pytest.Function) or item.originalname != "test_fixture":
        return None
    path = item.callspec.params.get("path")
    return path if isinstance(path, Path) and item.path.resolve() == Path(__file__).resolve() else None


@pytest.fixture(scope="module")
def fixture_reports(request: pytest.FixtureRequest, base: Graph, shapes: Graph) -> dict[Path, ValidationReport]:
    """The reports of the selected fixtures, validated in parallel: each run takes ~0.1 s, mostly on the base."""
    selected = [path for path in map(_selected_fixture, request.session.items) if path is not None]
    workers = min(os.cpu_count() or 1, len(selected) // 20)
    if workers < 2:
        return {path: validate_fixture(path, base, shapes) for path in selected}
    # spawn, not fork: other fixtures of the session may run server threads, which fork does not copy.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker) as pool:
        return dict(zip(selected, pool.map(_validate_in_worker, selected, chunksize=8), strict=True))


def expected_shapes(path: Path) -> set[str]:
    match = EXPECT_LINE.search(path.read_text(encoding="utf-8"))
    assert match, f"{path.name}: no '# expect:' line"
    names = match["shapes"].split()
    return set() if names == ["none"] else {KGS + name.removeprefix("kgs:") for name in names}


def targeted_shapes(shapes: Graph) -> set[URIRef]:
    """The shapes that select focus nodes themselves (helpers reached through sh:node have no target)."""
    return {s for t in TARGETS for s in shapes.subjects(t, None) if isinstance(s, URIRef)}


def english(graph: Graph, node: Node, predicate: URIRef) -> list[Literal]:
    return [o for o in graph.objects(node, predicate) if isinstance(o, Literal) and o.language == "en"]


# ---------------------------------------------------------------- fixtures


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
def test_fixture_header(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    name = FIXTURE_NAME.match(path.stem)
    assert name, f"{path.name}: name it <ShapeLocalName>-valid.ttl or <ShapeLocalName>-invalid-NN.ttl"
    assert text.startswith(f"# kgs:{name['shape']}, "), f"{path.name}: start with a comment naming the shape and why"
    expected = expected_shapes(path)
    if name["kind"] == "valid":
        assert not expected, f"{path.name}: a valid fixture expects no violations ('# expect: none')"
    else:
        assert KGS + name["shape"] in expected, f"{path.name}: list its own shape on the '# expect:' line"


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
def test_fixture(path: Path, fixture_reports: dict[Path, ValidationReport]) -> None:
    report = fixture_reports[path]
    if path.stem.endswith("-valid"):
        assert report.conforms and not report.violations, report.text()
        return
    assert not report.conforms, f"{path.name} should not conform"
    found = {violation.shape for violation in report.violations}
    assert KGS + path.stem.split("-")[0] in found, f"{path.name} fails for another reason:\n{report.text()}"
    unexpected = found - expected_shapes(path)
    assert not unexpected, f"{path.name} also breaks {sorted(unexpected)}:\n{report.text()}"


def test_every_shape_has_valid_and_invalid_fixtures(shapes: Graph) -> None:
    stems = {path.stem for path in FIXTURE_FILES}
    missing = [
        f"{local}-{kind}.ttl"
        for local in sorted(str(shape).removeprefix(KGS) for shape in targeted_shapes(shapes))
        for kind in ("valid", "invalid-01")
        if f"{local}-{kind}" not in stems
    ]
    assert not missing, f"shapes without fixtures: {missing}"


def test_every_fixture_names_a_shape(shapes: Graph) -> None:
    known = {str(shape).removeprefix(KGS) for shape in targeted_shapes(shapes)}
    orphans = [path.name for path in FIXTURE_FILES if path.stem.split("-")[0] not in known]
    assert not orphans, f"fixtures for unknown shapes: {orphans}"


# ---------------------------------------------------------------- the shapes themselves


def test_shapes_are_named_and_cite_their_concern(shapes: Graph) -> None:
    for shape in targeted_shapes(shapes):
        assert str(shape).startswith(KGS), f"{shape}: shapes live in the kgs: namespace"
        comments = english(shapes, shape, RDFS.comment)
        assert comments and str(comments[0]).startswith("Concern: "), f"{shape}: rdfs:comment 'Concern: ...'@en"
        assert shapes.value(shape, SH.name) or shapes.value(shape, RDFS.label), f"{shape}: sh:name or rdfs:label"


def test_every_reportable_constraint_has_an_english_message(shapes: Graph) -> None:
    for shape in targeted_shapes(shapes):
        own_constraints = {p for p in shapes.predicates(shape, None) if str(p).startswith(str(SH))} - NON_CONSTRAINTS
        if own_constraints:
            assert english(shapes, shape, SH.message), f"{shape}: add an English sh:message"
        for child in [*shapes.objects(shape, SH.property), *shapes.objects(shape, SH.sparql)]:
            assert english(shapes, child, SH.message), f"{shape}: every sh:property / sh:sparql needs sh:message@en"


def test_ontology_vocabularies_and_sources_conform(base: Graph, shapes: Graph) -> None:
    report = validate_graph(base, shapes)
    assert report.conforms and not report.violations, report.text()


def test_every_ontology_class_is_targeted(base: Graph, shapes: Graph) -> None:
    """Each kgo: class is the target, or a subclass of the target, of at least one shape."""
    targeted = set(shapes.objects(None, SH.targetClass))
    kgo = "https://w3id.org/kgservice/ontology#"
    for cls in base.subjects(predicate=None, object=URIRef("http://www.w3.org/2002/07/owl#Class")):
        if not str(cls).startswith(kgo) or not isinstance(cls, URIRef):
            continue
        ancestors = set(base.transitive_objects(cls, RDFS.subClassOf))
        assert ancestors & targeted, f"no shape targets {cls} or a superclass of it"


# ---------------------------------------------------------------- the report


def test_report_attributes_blank_property_shapes_to_their_named_shape(base: Graph, shapes: Graph) -> None:
    report = validate_fixture(FIXTURES / "PrefLabelShape-invalid-01.ttl", base, shapes)
    (violation,) = report.violations
    assert violation.shape == KGS + "PrefLabelShape"
    assert violation.focus_node == "https://example.org/fixture/m-2-1-1"
    assert violation.path == "http://www.w3.org/2004/02/skos/core#prefLabel"
    assert violation.severity == "Violation"
    assert "English skos:prefLabel" in violation.message


def test_report_reads_sparql_results(base: Graph, shapes: Graph) -> None:
    report = validate_fixture(FIXTURES / "NotationExtendsParentShape-invalid-01.ttl", base, shapes)
    (violation,) = report.violations
    assert violation.shape == KGS + "NotationExtendsParentShape"
    assert violation.value == '"3.1.1"'
    assert "3.1.1" in violation.message and "2.1" in violation.message


def test_report_text_groups_by_shape(base: Graph, shapes: Graph) -> None:
    report = validate_fixture(FIXTURES / "PartOfChainShape-invalid-01.ttl", base, shapes)
    groups = report.by_shape()
    assert set(groups) == {KGS + "PartOfChainShape", KGS + "StrategicAreaParentShape", KGS + "NotationExtendsParentShape"}
    assert len(groups[KGS + "PartOfChainShape"]) == 2
    text = report.text()
    assert text.startswith("Validation: the graph does not conform")
    assert "kgs:PartOfChainShape (2)" in text and "https://example.org/fixture/area-u1" in text


def test_dataset_is_validated_as_the_union_of_its_graphs(shapes: Graph) -> None:
    from rdflib import Dataset

    dataset = Dataset()
    for path in [*base_files(), FIXTURES / "MeasureParentShape-invalid-01.ttl"]:
        dataset.graph(URIRef(f"https://w3id.org/kgservice/graph/{path.stem}")).parse(path, format="turtle")
    report = validate_graph(dataset, shapes)
    assert {v.shape for v in report.violations} == {KGS + "MeasureParentShape"}


def test_broken_shapes_raise(base: Graph) -> None:
    broken = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:x:Broken> a sh:NodeShape ; sh:targetNode <urn:x:n> ;
            sh:sparql [ sh:select "SELECT $this WHERE { VALUES ?x { 1 } }" ] .
        """,
        format="turtle",
    )
    with pytest.raises(ShapesError):
        validate_graph(base, broken)


# ---------------------------------------------------------------- the bundled data and the quality queries

QUALITY = ROOT / "queries" / "quality"
KGD = "https://w3id.org/kgservice/id/"
# For each quality query, a minimal graph with the one problem it looks for.
QUALITY_PROBLEMS = {
    "duplicate-notation-violation": f"""
        <{KGD}d> a kgo:StrategyDocument .
        <{KGD}d/1> kgo:partOf <{KGD}d> ; skos:notation "1" .
        <{KGD}d/1-bis> kgo:partOf <{KGD}d> ; skos:notation "1"^^kgo:AssignedNotation .""",
    "element-iri-violation": f"""
        <{KGD}d> a kgo:StrategyDocument .
        <{KGD}d/goal-1> a kgo:StrategicGoal ; kgo:partOf <{KGD}d> ; skos:notation "1" .""",
    "alignment-iri-violation": f"""
        <{KGD}alignment/d/1--e> a kgo:Alignment ; kgo:subjectElement <{KGD}d/1> ; kgo:objectElement <{KGD}e/1> .""",
    "orphan-excerpt-violation": f"""
        [] a kgo:SourceExcerpt ; oa:hasSource <{KGD}source/000_23140b0e0580c142> .""",
}
QUALITY_PREFIXES = """
    @prefix kgo: <https://w3id.org/kgservice/ontology#> .
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix oa: <http://www.w3.org/ns/oa#> .
"""


@pytest.fixture(scope="module")
def bundled() -> Graph:
    """The ontology and every Turtle file under data/, as `kgservice validate` sees them."""
    graph = Graph()
    for path in [*sorted(ROOT.glob("ontology/*.ttl")), *sorted((ROOT / "data").rglob("*.ttl"))]:
        graph.parse(path, format="turtle")
    return graph


def test_bundled_data_conforms(bundled: Graph, shapes: Graph) -> None:
    report = validate_graph(bundled, shapes)
    assert report.conforms and not report.violations, report.text()


def test_every_quality_query_has_a_problem_example() -> None:
    assert sorted(QUALITY_PROBLEMS) == sorted(path.stem for path in QUALITY.glob("*-violation.rq"))


@pytest.mark.parametrize("name", sorted(QUALITY_PROBLEMS))
def test_quality_query_finds_nothing_in_the_bundled_data(name: str, bundled: Graph) -> None:
    rows = list(bundled.query((QUALITY / f"{name}.rq").read_text(encoding="utf-8")))
    assert not rows, f"{name}: {rows}"


@pytest.mark.parametrize("name", sorted(QUALITY_PROBLEMS))
def test_quality_query_finds_its_problem(name: str) -> None:
    graph = Graph().parse(data=QUALITY_PREFIXES + QUALITY_PROBLEMS[name], format="turtle")
    rows = list(graph.query((QUALITY / f"{name}.rq").read_text(encoding="utf-8")))
    assert len(rows) == 1, f"{name}: {rows}"
