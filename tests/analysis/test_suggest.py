"""The alignment suggester: lemma keys, concept tagging, ranking, evaluation metrics, and the CLI that
stores suggestions and records a planner's judgment. Expected words are read from the source documents."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kgservice.analysis.coherence import analyse
from kgservice.analysis.coherence.source import read_scope
from kgservice.analysis.model import Corpus
from kgservice.analysis.suggest.concepts import ConceptIndex
from kgservice.analysis.suggest.evaluation import score
from kgservice.analysis.suggest.ranker import Candidate, Suggester
from kgservice.analysis.suggest.source import input_queries, read_corpus
from kgservice.analysis.suggest.text import keys
from kgservice.engine.embedded import OxigraphStore
from kgservice.interfaces.cli.main import main
from kgservice.project.layout import Layout
from kgservice.project.loading import open_store
from kgservice.rdf.namespaces import ID, RDF_TYPE
from kgservice.sparql.catalogue import Catalogue
from tests.conftest import KALISZ, LIBEREC_STRATEGY, REGION_WORKSHOP, source_lines

CITY, REGION, KALISZ_DOC = ID + "liberec-strategy-2021", ID + "liberecky-kraj-social-2026", ID + "kalisz-strategy-2004"
THEME = ID + "theme/"


@pytest.fixture(scope="module")
def corpus(store: OxigraphStore, catalogue: Catalogue) -> Corpus:
    return read_corpus(store, catalogue, [CITY, REGION, KALISZ_DOC])


def _line_with(stem: str, text: str) -> str:
    found = [line for line in source_lines(stem) if text in line]
    assert found, f"{text!r} is not in source {stem}"
    return found[0]


def test_inflected_forms_share_keys() -> None:
    assert keys("kvality sociálních služeb", "cs")[1:] == keys("sociální služby", "cs")
    assert keys("systemu pomocy społecznej", "pl")[1:] == keys("pomoc społeczna", "pl")


def test_the_tagger_finds_social_assistance_in_the_polish_text(corpus: Corpus) -> None:
    line = _line_with(KALISZ, "Budowa efektywnego systemu pomocy społecznej")
    index = ConceptIndex(corpus.concepts.values())
    found = {m.concept: m for m in index.match(line, "pl")}
    assert THEME + "social-assistance" in found
    assert "pomocy" in found[THEME + "social-assistance"].words


def test_the_tagger_finds_public_safety_in_the_czech_text(corpus: Corpus) -> None:
    line = _line_with(LIBEREC_STRATEGY, "Zvýšení pocitu bezpečí")
    index = ConceptIndex(corpus.concepts.values())
    assert THEME + "public-safety" in {m.concept for m in index.match(line, "cs")}


def test_respite_services_are_suggested_with_the_shared_word(corpus: Corpus) -> None:
    # Both sources name respite services ("odlehčovacích služeb"): the city's bullet and the Region's proposal.
    _line_with(LIBEREC_STRATEGY, "kapacity odlehčovacích služeb")
    _line_with(REGION_WORKSHOP, "Podpora odlehčovacích služeb")
    subject = CITY + "/2.1.3.5"
    ranked = Suggester(corpus, CITY, REGION, use_curated_tags=False).rank(3, [subject])[subject]
    proposal = next(c for c in ranked if c.higher == REGION + "/R.11")
    assert ("odlehčovacích", "odlehčovacích") in proposal.shared_words
    assert THEME + "informal-care" in proposal.shared_concepts


def test_candidates_are_the_most_specific_elements(corpus: Corpus) -> None:
    suggester = Suggester(corpus, CITY, REGION)
    parents = {e.parent for e in corpus.of(REGION)}
    assert suggester.higher and not [e.iri for e in suggester.higher if e.iri in parents]
    everything = Suggester(corpus, CITY, REGION, all_levels=True)
    assert {e.iri for e in everything.higher} == {e.iri for e in corpus.of(REGION)}


def test_suggestions_do_not_depend_on_existing_alignments(layout: Layout, catalogue: Catalogue, corpus: Corpus) -> None:
    for text in input_queries(catalogue, [CITY]):
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        assert "Alignment" not in body and "subjectElement" not in body
    bare = open_store(layout)
    alignment = ox.NamedNode("https://w3id.org/kgservice/ontology#Alignment")
    nodes = [q.subject for q in bare.engine.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), alignment)]
    assert nodes
    for node in nodes:
        for quad in list(bare.engine.quads_for_pattern(node, None, None)):
            bare.engine.remove(quad)
    without = read_corpus(bare, catalogue, [CITY, REGION])
    ranked = Suggester(corpus, CITY, REGION).rank(5)
    assert Suggester(without, CITY, REGION).rank(5) == ranked


def test_cross_language_suggestion_goes_through_concepts(corpus: Corpus) -> None:
    subject = CITY + "/2.3.1"  # "Zvýšení pocitu bezpečí"
    top = Suggester(corpus, CITY, KALISZ_DOC, use_curated_tags=False).rank(1, [subject])[subject][0]
    assert THEME + "public-safety" in top.shared_concepts
    assert top.higher.startswith(KALISZ_DOC + "/II-4")


def test_metrics_count_as_defined() -> None:
    def ranking(subject: str, *objects: str) -> list[Candidate]:
        return [Candidate(subject, o, 1.0 - i / 10, 0, 0, 0, rank=i + 1) for i, o in enumerate(objects)]

    gold = {"a": {"x"}, "b": {"y", "z"}}
    ranked = {"a": ranking("a", "x", "q"), "b": ranking("b", "q", "y", "r", "z")}
    result = score(gold, ranked)
    assert (result.subjects, result.links) == (2, 3)
    assert result.precision_at_1 == 0.5  # a's first is gold, b's is not
    assert result.recall_at_3 == pytest.approx(2 / 3)  # x and y in the first three, z fourth
    assert result.mrr == pytest.approx((1 + 1 / 2) / 2)


# ---------------------------------------------------------------- CLI: store, accept, reject


def _aligned_measures(layout: Layout) -> int:
    graph = read_scope(open_store(layout), Catalogue(layout.queries_dir), [CITY, REGION], [CITY])
    return len(analyse(graph, CITY, REGION).aligned)


# The CLI's suggestions for one city activity (2.1.3.5, respite care) against the Region's proposals.
SUGGEST_2135 = [
    "suggest",
    "kgd:liberec-strategy-2021",
    "kgd:liberecky-kraj-social-2026",
    "--element",
    "kgd:liberec-strategy-2021/2.1.3.5",
]


def test_cli_stores_pending_suggestions_and_records_judgments(
    project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    layout = Layout(project_copy, tmp_path / "user-data")
    where = ["--root", str(project_copy), "--user-data", str(layout.user_dir)]
    before = _aligned_measures(layout)
    assert main([*where, *SUGGEST_2135, "--lang", "cs", "--save"]) == 0
    out = capsys.readouterr()
    assert "Podpora odlehčovacích služeb" in out.out  # the Region's proposal, labelled in Czech
    stored = tmp_path / "user-data" / "suggestions" / "liberec-strategy-2021--liberecky-kraj-social-2026.ttl"
    assert stored.is_file()  # in the user data directory, not in the project's data/
    assert not (project_copy / "data" / "suggestions").exists()
    assert _aligned_measures(layout) == before  # pending suggestions never count as support

    vision = "kgd:alignment/liberec-strategy-2021/2.1.3.5--liberecky-kraj-social-2026/R.V"
    assert main([*where, "suggestions", "accept", vision, "--by", "Jana Nováková", "--strength", "1"]) == 0
    assert main([*where, "suggestions", "accept", vision, "--by", "Jana Nováková", "--strength", "1"]) == 2
    assert "not a pending suggestion" in capsys.readouterr().err

    accepted = layout.graph_name(stored)
    node = f"<{ID}alignment/liberec-strategy-2021/2.1.3.5--liberecky-kraj-social-2026/R.V>"
    kept = (
        open_store(layout)
        .select(
            f"SELECT ?who ?when WHERE {{ GRAPH <{accepted}> {{ {node} "
            "<http://purl.org/dc/terms/contributor> ?who ; <http://www.w3.org/ns/prov#generatedAtTime> ?when } }"
        )
        .records()
    )
    assert [r["who"].value for r in kept] == ["kgservice suggester"]  # the suggester and its time stay on record
    lines = stored.read_text(encoding="utf-8").splitlines()
    pending = [line for line in lines if line.startswith("<https://w3id.org/kgservice/id/alignment/")]
    others = [p.split()[0].strip("<>") for p in pending if "R.V>" not in p]
    assert others, "the run stored more than the accepted suggestion"
    reject = ["suggestions", "reject", others[0], "--by", "Jana Nováková", "--reason", "too broad"]
    assert main([*where, *reject]) == 0
    assert main([*where, *SUGGEST_2135, "--save"]) == 0
    capsys.readouterr()
    assert main([*where, "suggestions", "list", "--status", "all"]) == 0
    listing = capsys.readouterr().out
    assert "Curated by Jana Nováková" in listing and "Rejected by Jana Nováková" in listing
    assert listing.count(others[0]) == 1  # the rejected pair is not suggested again
    assert main([*where, "validate"]) == 0
