"""Suggested theme and target-group tags (data/tags/, `kgservice tags`, the named query element-tags).

The stored suggestions must be what the tagger finds today, every matched word must be in the element's
source lines, and a scheme is filled in only where nothing is curated."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgservice.analysis.model import TARGET_GROUP_SCHEME, THEME_SCHEME, Corpus
from kgservice.analysis.suggest.concepts import ConceptIndex
from kgservice.analysis.suggest.source import read_every_strategy
from kgservice.analysis.suggest.tagging import TAGS_FOLDER, coverage, quads, suggest_tags, tags_graph
from kgservice.analysis.suggest.text import keys
from kgservice.engine.embedded import OxigraphStore
from kgservice.interfaces.cli.main import main
from kgservice.project.layout import Layout
from kgservice.rdf.namespaces import ID
from kgservice.sparql.catalogue import Catalogue
from tests.conftest import KALISZ, source_lines

KALISZ_DOC, CITY = ID + "kalisz-strategy-2004", ID + "liberec-strategy-2021"
TG = ID + "target-group/"

EXCERPTS = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa:   <http://www.w3.org/ns/oa#>
PREFIX kgo:  <https://w3id.org/kgservice/ontology#>
SELECT ?element ?source ?start ?end WHERE {
  ?element prov:wasDerivedFrom ?excerpt .
  ?excerpt oa:hasSource ?source ; kgo:startLine ?start ; kgo:endLine ?end .
}
"""


@pytest.fixture(scope="module")
def corpus(store: OxigraphStore, catalogue: Catalogue) -> Corpus:
    return read_every_strategy(store, catalogue)


def _stored(layout: Layout, strategy: str) -> set[ox.Triple]:
    path = layout.root / TAGS_FOLDER / f"{strategy.removeprefix(ID)}.ttl"
    return {q.triple for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)} if path.is_file() else set()


def test_the_stored_tags_are_what_the_tagger_finds_now(layout: Layout, corpus: Corpus) -> None:
    for strategy in corpus.strategies:
        fresh = {q.triple for q in quads(suggest_tags(corpus, strategy), tags_graph(strategy))}
        assert _stored(layout, strategy) == fresh, (
            f"{strategy}: run `kgservice tags --save --curated` after changing texts or vocabularies"
        )
    files = {p.stem for p in (layout.root / TAGS_FOLDER).glob("*.ttl")}
    assert files == {s.removeprefix(ID) for s in corpus.strategies if suggest_tags(corpus, s)}


def test_every_matched_word_is_in_the_elements_source_lines(store: OxigraphStore, corpus: Corpus) -> None:
    lines: dict[str, list[str]] = {}
    for record in store.select(EXCERPTS).records():
        stem = record["source"].value.rsplit("/", 1)[-1]
        start, end = int(record["start"].value), int(record["end"].value)
        lines.setdefault(record["element"].value, []).extend(source_lines(stem)[start - 1 : end])
    checked = 0
    for strategy in corpus.strategies:
        for tag in suggest_tags(corpus, strategy):
            text = " ".join(lines[tag.element]).lower()
            for word in tag.words:
                assert word.lower() in text, f"{tag.iri}: {word!r} is not in the element's source lines"
                checked += 1
    assert checked >= 10


def test_kalisz_programme_ii_4_gets_the_groups_its_text_names(corpus: Corpus) -> None:
    programme = source_lines(KALISZ)
    text = " ".join(programme).lower()
    assert "bezrobocie, wykluczenie społeczne" in text
    tags = {t.concept: t for t in suggest_tags(corpus, KALISZ_DOC) if t.element == KALISZ_DOC + "/II-4"}
    assert {TG + "long-term-unemployed", TG + "at-risk-of-social-exclusion"} <= set(tags)
    assert tags[TG + "long-term-unemployed"].words == ("bezrobocie",)
    assert all(t.scheme == TARGET_GROUP_SCHEME for t in tags.values())  # II-4's themes are curated


def test_suggestions_fill_only_schemes_without_curated_tags(corpus: Corpus) -> None:
    for strategy in corpus.strategies:
        for tag in suggest_tags(corpus, strategy):
            element = corpus.elements[tag.element]
            assert all(corpus.concepts[c].scheme != tag.scheme for c in element.curated), tag.iri


def test_suggestions_keep_the_most_specific_concept_only(corpus: Corpus) -> None:
    index = ConceptIndex(corpus.concepts.values())
    for strategy in corpus.strategies:
        by_element: dict[tuple[str, str], set[str]] = {}
        for tag in suggest_tags(corpus, strategy, index):
            by_element.setdefault((tag.element, tag.scheme), set()).add(tag.concept)
        for concepts in by_element.values():
            for concept in concepts:
                assert not index.ancestors(concept) & concepts


def test_the_matched_label_and_text_share_their_keys(corpus: Corpus) -> None:
    for strategy in corpus.strategies:
        for tag in suggest_tags(corpus, strategy):
            assert set(keys(tag.label, tag.lang)) <= set(keys(" ".join(tag.words), tag.lang)), tag.iri


def test_every_liberec_element_has_a_theme_curated_or_suggested(corpus: Corpus) -> None:
    themes = next(c for c in coverage(corpus, CITY, suggest_tags(corpus, CITY)) if c.scheme == THEME_SCHEME)
    assert themes.elements == len(corpus.of(CITY)) and not themes.untagged
    assert themes.suggested == len({t.element for t in suggest_tags(corpus, CITY) if t.scheme == THEME_SCHEME})


def test_the_named_query_lists_curated_and_suggested_tags(store: OxigraphStore, catalogue: Catalogue, corpus: Corpus) -> None:
    text = catalogue.get("element-tags").bind({"strategy": KALISZ_DOC, "lang": "pl"})
    records = store.select(text).records()
    suggested = {(r["element"].value, r["concept"].value) for r in records if "origin" in r and r["origin"].value == "suggested"}
    assert suggested == {(t.element, t.concept) for t in suggest_tags(corpus, KALISZ_DOC)}
    curated = {(r["element"].value, r["concept"].value) for r in records if "origin" in r and r["origin"].value == "curated"}
    assert curated == {(e.iri, c) for e in corpus.of(KALISZ_DOC) for c in e.curated}
    labels = {r["concept"].value: r["conceptLabel"].value for r in records if "concept" in r}
    assert labels[TG + "long-term-unemployed"] == "osoby długotrwale bezrobotne"


# ---------------------------------------------------------------- CLI


def test_cli_prints_suggestions_and_coverage_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tags", "kgd:kalisz-strategy-2004", "--format", "json", "--lang", "pl"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert {s["strategy"] for s in answer["suggestions"]} == {KALISZ_DOC}
    themes = next(c for c in answer["coverage"] if c["scheme"] == THEME_SCHEME)
    assert themes["elements"] == 5 and themes["without"] == []


def test_cli_refuses_unknown_strategies_and_save_with_a_strategy(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tags", "kgd:no-such-strategy"]) == 2
    assert "kgd:no-such-strategy" in capsys.readouterr().err
    assert main(["tags", "kgd:kalisz-strategy-2004", "--save"]) == 2
    assert "every strategy" in capsys.readouterr().err


def test_save_regenerates_the_files_and_drops_tags_a_curator_made_redundant(project_copy: Path, layout: Layout) -> None:
    shutil.rmtree(project_copy / TAGS_FOLDER)
    assert main(["--root", str(project_copy), "tags", "--save", "--curated"]) == 0
    for path in (layout.root / TAGS_FOLDER).glob("*.ttl"):
        assert (project_copy / TAGS_FOLDER / path.name).read_bytes() == path.read_bytes()
    # A curator tags programme II-4 with a target group: its suggested target groups must go.
    kalisz = project_copy / "data" / "strategies" / "kalisz-strategy-2004.ttl"
    kalisz.write_text(
        kalisz.read_text(encoding="utf-8")
        + "\n<https://w3id.org/kgservice/id/kalisz-strategy-2004/II-4> kgo:targetGroup tg:residents .\n",
        encoding="utf-8",
    )
    assert main(["--root", str(project_copy), "validate"]) == 1  # the stored suggestions now sit beside a curated tag
    assert main(["--root", str(project_copy), "tags", "--save", "--curated"]) == 0
    assert not (project_copy / TAGS_FOLDER / "kalisz-strategy-2004.ttl").exists()
    assert main(["--root", str(project_copy), "validate"]) == 0
