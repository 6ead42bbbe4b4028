"""SSSOM export and import of alignment sets: sssom-py reads what we write, the round trip keeps every fact."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

import kgservice.interfaces.cli.main as cli
from kgservice.analysis.sssom import (
    STATUSES,
    XSD_DATE,
    XSD_DATETIME,
    AlignmentRecord,
    AlignmentSet,
    MappingRow,
    alignment_sets,
    alignments_graph,
    read_sssom,
    to_sssom,
)
from kgservice.engine.embedded import OxigraphStore
from kgservice.errors import SssomExportError, SssomFormatError
from kgservice.project.layout import Layout
from kgservice.rdf.namespaces import ID, KGO
from kgservice.rdf.terms import Term
from kgservice.translation import translator

PUBLISHED = date(2026, 11, 23)
KGD = ID
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# sssom-py 0.4 calls pandas 3 APIs that pandas deprecates; not ours to fix.
PANDAS_DEPRECATIONS = "ignore:The (inplace|copy) keyword"
PREFIX_BLOCK = (
    "#curie_map:\n"
    "#  kgd: https://w3id.org/kgservice/id/\n"
    "#  kgo: https://w3id.org/kgservice/ontology#\n"
    "#mapping_set_id: https://example.org/sets/foreign\n"
    "#license: https://creativecommons.org/publicdomain/zero/1.0/\n"
)
HEADER = "subject_id\tpredicate_id\tobject_id\tmapping_justification\tcomment"
ROW = "kgd:liberec-strategy-2021/2.1.4\tkgo:contributesTo\tkgd:kalisz-strategy-2004/II-4.4\tsemapv:LexicalMatching\tSimilar aims."
# Every fact of an alignment that the SSSOM row must carry (the round-trip contract). SSSOM has one
# comment per mapping: the English evidence; the evidence's Czech and Polish translations stay in the graph.
ALIGNMENT_FACTS = """
PREFIX kgo: <https://w3id.org/kgservice/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
CONSTRUCT { ?a a kgo:Alignment . ?a ?p ?o }
WHERE {
  ?a a kgo:Alignment ; ?p ?o .
  VALUES ?p { kgo:subjectElement kgo:objectElement kgo:relation kgo:alignmentStatus kgo:justification
              kgo:evidence kgo:strength dcterms:creator dcterms:created }
  FILTER(?p != kgo:evidence || LANGMATCHES(LANG(?o), "en"))
}
"""

EVIDENCES = """
@prefix kgo: <https://w3id.org/kgservice/ontology#> .
<https://w3id.org/kgservice/id/alignment/a/1--b/2> a kgo:Alignment ;
    kgo:subjectElement <https://w3id.org/kgservice/id/a/1> ; kgo:objectElement <https://w3id.org/kgservice/id/b/2> ;
    kgo:relation kgo:contributesTo ; kgo:alignmentStatus kgo:Suggested ;
    kgo:justification <https://w3id.org/semapv/vocab/LexicalMatching> ;
    kgo:evidence {evidence} .
"""


@pytest.fixture(scope="module")
def sets(store: OxigraphStore, layout: Layout) -> list[AlignmentSet]:
    return alignment_sets(store, layout)


def by_pair(sets: list[AlignmentSet], subject: str, object_: str) -> AlignmentSet:
    return next(s for s in sets if (s.subject_strategy, s.object_strategy) == (KGD + subject, KGD + object_))


def to_rdflib(term: Term) -> Node:
    if term.kind == "uri":
        return URIRef(term.value)
    if term.lang:
        return Literal(term.value, lang=term.lang)
    return Literal(term.value) if term.datatype == XSD_STRING else Literal(term.value, datatype=URIRef(term.datatype or ""))


def store_alignments(store: OxigraphStore) -> Graph:
    graph = Graph()
    for s, p, o in store.construct(ALIGNMENT_FACTS):
        graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return graph


def one_set(*alignments: AlignmentRecord) -> AlignmentSet:
    rows = tuple(MappingRow(a, "s", "o", "r", None, None) for a in alignments)
    return AlignmentSet(KGD + "a", KGD + "b", "A", "B", None, rows)


CURATED = AlignmentRecord(
    subject=KGD + "a/1",
    object=KGD + "b/2",
    relation=KGO + "contributesTo",
    status=KGO + "Curated",
    justification="https://w3id.org/semapv/vocab/ManualMappingCuration",
    evidence="Both aim at housing.",
    strength=2,
    creator_names=("kgservice data curation",),
    created=("2026-11-23", XSD_DATE),
)


# ---------------------------------------------------------------------------------------------- sets


def test_sets_follow_the_strategies_of_subject_and_object(sets: list[AlignmentSet]) -> None:
    # Kalisz programme II-4 states convergence with 4 Wielkopolska priorities and 5 ZPORR priorities.
    assert len(by_pair(sets, "kalisz-strategy-2004", "wielkopolska-strategy").rows) == 4
    assert len(by_pair(sets, "kalisz-strategy-2004", "zporr").rows) == 5
    series = by_pair(sets, "liberec-strategy-2021", "liberec-kpss")  # a kgo:StrategySeries is its own set
    assert series.rows[0].object_source == KGD + "liberec-kpss"
    project = by_pair(sets, "project/domovnici", "liberec-strategy-2021")  # a project is part of no document
    assert project.rows[0].subject_source is None
    assert project.id == KGD + "mapping-set/project/domovnici--liberec-strategy-2021"


def test_sets_cover_every_alignment_once(store: OxigraphStore, sets: list[AlignmentSet]) -> None:
    iris = [row.alignment.iri for s in sets for row in s.rows]
    count = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/kgservice/ontology#Alignment> }")
    assert len(iris) == len(set(iris)) == int(count.column("n")[0])


def test_status_filter_makes_a_set_of_its_own(store: OxigraphStore, layout: Layout) -> None:
    curated_sets = alignment_sets(store, layout, status="kgo:Curated")
    assert curated_sets and all(row.alignment.status == STATUSES["curated"] for s in curated_sets for row in s.rows)
    assert all(s.id.endswith("/curated") and s.filename.endswith(".curated.sssom.tsv") for s in curated_sets)
    assert not [s for s in curated_sets if s.subject_strategy == KGD + "kalisz-strategy-2004"]  # asserted only


def test_subject_and_object_filters_take_prefixed_names(store: OxigraphStore, layout: Layout) -> None:
    found = alignment_sets(store, layout, subject="kgd:kalisz-strategy-2004", object_="kgd:zporr")
    assert [s.object_strategy for s in found] == [KGD + "zporr"]


def test_labels_follow_the_language(store: OxigraphStore, layout: Layout) -> None:
    (polish,) = alignment_sets(store, layout, subject="kgd:kalisz-strategy-2004", object_="kgd:zporr", lang="pl")
    labels = {row.alignment.object: row.object_label for row in polish.rows}
    assert labels[KGD + "zporr/2.1"] == "Rozwój umiejętności, powiązany z potrzebami regionalnego rynku pracy"


# ---------------------------------------------------------------------------------------------- export


@pytest.mark.filterwarnings(PANDAS_DEPRECATIONS)
def test_sssom_py_reads_every_set_without_warnings(
    sets: list[AlignmentSet], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    parsers = pytest.importorskip("sssom.parsers")
    validators = pytest.importorskip("sssom.validators")
    from sssom.constants import SchemaValidationType

    checks = [SchemaValidationType.JsonSchema, SchemaValidationType.PrefixMapCompleteness, SchemaValidationType.StrictCurieFormat]
    for mapping_set in sets:
        path = tmp_path / mapping_set.filename
        path.write_text(to_sssom(mapping_set, PUBLISHED), encoding="utf-8")
        with caplog.at_level(logging.WARNING):
            parsed = parsers.parse_sssom_table(path)
            reports = validators.validate(parsed, checks, fail_on_error=False)
        assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == [], path.name
        assert all(not report.results for report in reports.values()), path.name
        assert len(parsed.df) == len(mapping_set.rows)
        assert parsed.metadata["mapping_set_id"] == mapping_set.id
        assert all(other.startswith("kgo:alignmentStatus=kgo:") for other in parsed.df["other"])


def test_strength_goes_to_other_and_never_to_confidence(sets: list[AlignmentSet]) -> None:
    text = to_sssom(by_pair(sets, "project/domovnici", "liberec-strategy-2021"), PUBLISHED)
    header, row = text.splitlines()[-2:]
    cells = dict(zip(header.split("\t"), row.split("\t"), strict=True))
    assert "confidence" not in cells
    assert cells["other"] == "kgo:alignmentStatus=kgo:Curated|kgo:strength=2"
    assert (cells["predicate_id"], cells["mapping_date"], cells["author_label"]) == (
        "kgo:implements",
        "2026-11-23",
        "kgservice data curation",
    )


def test_round_trip_keeps_every_alignment_of_the_graph(store: OxigraphStore, sets: list[AlignmentSet]) -> None:
    imported = Graph()
    for mapping_set in sets:
        imported += alignments_graph(read_sssom(to_sssom(mapping_set, PUBLISHED), mapping_set.filename).alignments)
    original = store_alignments(store)
    assert set(imported) - set(original) == set()
    assert set(original) - set(imported) == set()


def test_round_trip_keeps_a_date_time_creator_iris_and_quotes() -> None:
    alignment = replace(
        CURATED,
        created=("2026-11-23T09:30:00Z", XSD_DATETIME),
        creator_names=(),
        creators=(KGD + "person/jana-horakova",),
        evidence='"Quoted", with\ta tab: the TSV quotes it.',
        strength=-1,
        relation=KGO + "conflictsWith",
    )
    (back,) = read_sssom(to_sssom(one_set(alignment), PUBLISHED), "t.tsv").alignments
    assert back == alignment


def test_export_refuses_what_one_row_cannot_hold(layout: Layout) -> None:
    with pytest.raises(SssomExportError, match="both as IRIs and as names"):
        to_sssom(one_set(replace(CURATED, creators=(KGD + "person/x",))), PUBLISHED)
    for evidence, found in (
        ('"Both aim at housing."@en , "Both aim at homes."@en', "@en, @en"),
        ('"Obě cílí na bydlení."@cs', "@cs"),
        ('"Both aim at housing."', '""'),  # no language tag
    ):
        store = OxigraphStore()
        store.load_turtle(EVIDENCES.replace("{evidence}", evidence).encode(), "https://example.org/g", "evidences.ttl")
        with pytest.raises(SssomExportError, match=f"kgd:alignment/a/1--b/2 has kgo:evidence {found}"):
            alignment_sets(store, layout)


def test_the_comment_is_the_english_evidence_beside_its_translations(layout: Layout) -> None:
    store = OxigraphStore()
    evidence = '"Both aim at housing."@en , "Obě cílí na bydlení."@cs , "Oba dążą do mieszkań."@pl'
    store.load_turtle(EVIDENCES.replace("{evidence}", evidence).encode(), "https://example.org/g", "evidences.ttl")
    ((row,),) = [mapping_set.rows for mapping_set in alignment_sets(store, layout)]
    assert row.alignment.evidence == "Both aim at housing."


# ---------------------------------------------------------------------------------------------- import


def test_a_foreign_table_without_status_is_suggested() -> None:
    (alignment,) = read_sssom(f"{PREFIX_BLOCK}{HEADER}\n{ROW}\n", "foreign.tsv").alignments
    assert alignment.status == KGO + "Suggested"
    assert alignment.justification == "https://w3id.org/semapv/vocab/LexicalMatching"  # semapv: is built in
    assert alignment.iri == KGD + "alignment/liberec-strategy-2021/2.1.4--kalisz-strategy-2004/II-4.4"


def test_declared_extension_slots_are_read() -> None:
    extensions = (
        "#extension_definitions:\n"
        "#  - slot_name: status\n#    property: kgo:alignmentStatus\n"
        "#  - slot_name: nilsson\n#    property: kgo:strength\n#    type_hint: xsd:integer\n"
    )
    text = f"{PREFIX_BLOCK}{extensions}{HEADER}\tstatus\tnilsson\tconfidence\n{ROW}\tkgo:Curated\t1\t0.9\n"
    result = read_sssom(text, "ext.tsv")
    assert (result.alignments[0].status, result.alignments[0].strength) == (KGO + "Curated", 1)
    assert result.ignored_columns == ("confidence",)


@pytest.mark.filterwarnings(PANDAS_DEPRECATIONS)
def test_a_table_rewritten_by_sssom_py_imports_the_same(sets: list[AlignmentSet]) -> None:
    parsers = pytest.importorskip("sssom.parsers")
    writers = pytest.importorskip("sssom.writers")
    mapping_set = by_pair(sets, "liberec-strategy-2021", "liberecky-kraj-social-2026")
    ours = to_sssom(mapping_set, PUBLISHED)
    rewritten = io.StringIO()
    writers.write_table(parsers.parse_sssom_table(io.StringIO(ours)), rewritten)  # condenses mapping_date
    assert set(read_sssom(rewritten.getvalue(), "rewritten.tsv").alignments) == {r.alignment for r in mapping_set.rows}


@pytest.mark.parametrize(
    ("table", "where", "what"),
    [
        (f"{PREFIX_BLOCK}subject_id\tpredicate_id\tobject_id\n", "column mapping_justification", "lacks"),
        (f"{PREFIX_BLOCK}{HEADER}\tother\n{ROW}\tkgo:strength=strong\n", "row 1 (line 7), column other", "not an integer"),
        (f"{PREFIX_BLOCK}{HEADER}\tmapping_date\n{ROW}\t23.11.2026\n", "row 1 (line 7), column mapping_date", "not a date"),
        (f"{PREFIX_BLOCK}{HEADER}\n{ROW}\n{ROW.replace('kgd:', 'xyz:', 1)}\n", "row 2 (line 8), column subject_id", "curie_map"),
        (f"{PREFIX_BLOCK}{HEADER}\n{ROW}\textra\n", "row 1 (line 7)", "6 cells"),
        (f"{PREFIX_BLOCK}{HEADER}\n{ROW}\n{ROW}\n", "row 2 (line 8), column object_id", "same subject_id and object_id as row 1"),
        (f"{PREFIX_BLOCK}{HEADER}\tpredicate_modifier\n{ROW}\tNot\n", "column predicate_modifier", "negated"),
        (
            f"{PREFIX_BLOCK}{HEADER}\n{ROW.replace('kgd:liberec-strategy-2021/2.1.4', 'semapv:x', 1)}\n",
            "column subject_id",
            "not under",
        ),
        (f"{PREFIX_BLOCK}{HEADER}\n{ROW.replace('semapv:LexicalMatching', '', 1)}\n", "column mapping_justification", "empty"),
        ("#curie_map: [a\n" + HEADER, "bad.tsv: the metadata block", "not valid YAML"),
    ],
)
def test_malformed_tables_name_row_line_and_column(table: str, where: str, what: str) -> None:
    with pytest.raises(SssomFormatError) as caught:
        read_sssom(table, "bad.tsv")
    assert where in str(caught.value) and what in str(caught.value)


@pytest.mark.parametrize(
    ("table", "message", "args"),
    [
        (
            f"{PREFIX_BLOCK}{HEADER}\tother\n{ROW}\tkgo:strength=strong\n",
            "kgo:strength %(value)r is not an integer (-3..+3)",
            {"value": "strong"},
        ),
        (
            f"{PREFIX_BLOCK}{HEADER}\n{ROW.replace('kgd:', 'xyz:', 1)}\n",
            "%(value)r is neither a CURIE with a prefix of the curie_map nor an http(s) IRI",
            {"value": "xyz:liberec-strategy-2021/2.1.4"},
        ),
    ],
)
def test_a_format_error_is_a_text_of_the_catalogues_after_its_place(table: str, message: str, args: dict[str, object]) -> None:
    with pytest.raises(SssomFormatError) as caught:
        read_sssom(table, "bad.tsv")
    error = caught.value
    assert "%(" in error.message and (error.message, error.message_args) == (message, args)
    assert str(error) == f"{error.where}: {message % args}" and error.where.startswith("bad.tsv: row 1 (line 7), column ")
    assert error.localized("en") == str(error)
    for lang in ("cs", "pl"):  # the place as it is, the text in the planner's language
        said = translator(lang).gettext(message)
        assert said != message and error.localized(lang) == f"{error.where}: {said % args}"


def test_an_export_error_is_a_text_of_the_catalogues(layout: Layout) -> None:
    store = OxigraphStore()
    evidence = '"Obě cílí na bydlení."@cs , "Both aim at housing."'
    store.load_turtle(EVIDENCES.replace("{evidence}", evidence).encode(), "https://example.org/g", "evidences.ttl")
    with pytest.raises(SssomExportError) as caught:
        alignment_sets(store, layout)
    error = caught.value
    assert "%(" in error.message and error.message_args == {"alignment": "kgd:alignment/a/1--b/2", "found": '"", @cs'}
    assert str(error) == (
        'kgd:alignment/a/1--b/2 has kgo:evidence "", @cs; SSSOM has one comment per mapping: keep one English evidence'
    )
    assert error.localized("en") == str(error)
    assert error.localized("cs").startswith('kgd:alignment/a/1--b/2 má kgo:evidence "", @cs; SSSOM má jeden komentář')
    assert error.localized("pl").startswith('kgd:alignment/a/1--b/2 ma kgo:evidence "", @cs; SSSOM ma jeden komentarz')


# ---------------------------------------------------------------------------------------------- command line


@pytest.fixture
def kgservice(monkeypatch: pytest.MonkeyPatch) -> Callable[[list[str]], int]:
    """`kgservice.interfaces.cli.main.main` with this module's subcommands registered."""
    return cli.main


def test_cli_exports_one_file_per_set_and_imports_one(
    kgservice: Callable[[list[str]], int], sets: list[AlignmentSet], tmp_path: Path
) -> None:
    assert kgservice(["alignments", "export", "--out", str(tmp_path / "sets"), "--date", "2026-11-23"]) == 0
    files = sorted((tmp_path / "sets").glob("*.sssom.tsv"))
    assert [f.name for f in files] == sorted(s.filename for s in sets)
    turtle = tmp_path / "back.ttl"
    assert kgservice(["alignments", "import", str(files[0]), "--out", str(turtle)]) == 0
    graph = Graph().parse(turtle, format="turtle")
    assert len(set(graph.subjects(predicate=URIRef(KGO + "relation")))) == len(sets[0].rows)


def test_cli_refuses_several_sets_on_stdout_and_bad_input(
    kgservice: Callable[[list[str]], int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert kgservice(["alignments", "export"]) == 2
    assert "an SSSOM table holds one" in capsys.readouterr().err
    assert kgservice(["alignments", "export", "--subject", "kgd:x> } ; DROP ALL ; #"]) == 2
    assert "not a valid iri" in capsys.readouterr().err
    bad = tmp_path / "bad.tsv"
    bad.write_text(f"{PREFIX_BLOCK}{HEADER}\tother\n{ROW}\tkgo:strength=strong\n", encoding="utf-8")
    assert kgservice(["alignments", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "row 1 (line 7), column other" in err and "Traceback" not in err


def test_cli_writes_one_set_to_stdout(kgservice: Callable[[list[str]], int], capsys: pytest.CaptureFixture[str]) -> None:
    args = ["alignments", "export", "--subject", "kalisz-strategy-2004", "--object", "zporr", "--status", "asserted"]
    assert kgservice(args) == 0
    out = capsys.readouterr().out
    assert "#mapping_set_id: https://w3id.org/kgservice/id/mapping-set/kalisz-strategy-2004--zporr/asserted" in out
    assert len(read_sssom(out, "stdout").alignments) == 5
