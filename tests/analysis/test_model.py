"""The shared read model: one builder reads the coherence queries and the suggester's query into the same
documents, elements and concepts, each query filling the fields it asks for."""

from __future__ import annotations

import pytest

from kgservice.analysis.coherence.source import read_scope
from kgservice.analysis.model import THEME_SCHEME, Corpus, Document, Element, alignment_iri, build_model
from kgservice.analysis.sssom import AlignmentRecord
from kgservice.analysis.suggest.corpus import alignable
from kgservice.analysis.suggest.source import read_corpus
from kgservice.engine.embedded import OxigraphStore
from kgservice.rdf.namespaces import ID, KGO, RDF_TYPE
from kgservice.sparql.catalogue import Catalogue

CITY, REGION = ID + "liberec-strategy-2021", ID + "liberecky-kraj-social-2026"


@pytest.fixture(scope="module")
def coherence(store: OxigraphStore, catalogue: Catalogue) -> Corpus:
    return read_scope(store, catalogue, [CITY, REGION], [CITY]).corpus


@pytest.fixture(scope="module")
def suggestion(store: OxigraphStore, catalogue: Catalogue) -> Corpus:
    return read_corpus(store, catalogue, [CITY, REGION])


def _shared_facts(element: Element) -> tuple[object, ...]:
    """What both queries say about an element."""
    return element.kind, element.strategy, element.notation, dict(element.labels), element.parent, element.curated


def test_both_queries_give_the_same_elements(coherence: Corpus, suggestion: Corpus) -> None:
    for strategy in (CITY, REGION):
        mine = {e.iri: _shared_facts(e) for e in coherence.of(strategy)}
        theirs = {e.iri: _shared_facts(e) for e in suggestion.of(strategy)}
        assert mine and mine == theirs


def test_each_query_fills_the_fields_it_asks_for(coherence: Corpus, suggestion: Corpus) -> None:
    assert coherence.strategies[CITY].level == 1 and suggestion.strategies[CITY].level is None
    assert coherence.strategies[CITY].planning_level == suggestion.strategies[CITY].planning_level == KGO + "MunicipalLevel"
    assert suggestion.strategies[CITY].lang == "cs" and all(e.lang == "cs" for e in suggestion.of(CITY))
    assert any(e.description for e in suggestion.of(CITY)) and not any(e.description for e in coherence.of(CITY))
    assert coherence.alignments and not suggestion.alignments


def test_both_queries_give_the_same_theme_concepts(coherence: Corpus, suggestion: Corpus) -> None:
    themes = {iri for iri, c in suggestion.concepts.items() if c.scheme == THEME_SCHEME}
    assert themes
    for iri in themes:
        mine, theirs = coherence.concepts[iri], suggestion.concepts[iri]
        assert (mine.scheme, mine.broader, dict(mine.labels)) == (theirs.scheme, theirs.broader, dict(theirs.labels))
        assert all(label in theirs.terms[lang] for lang, label in theirs.labels.items())


def test_the_suggester_keeps_only_elements_of_documents_it_read() -> None:
    rows = [
        (CITY, RDF_TYPE, KGO + "StrategyDocument", None),
        (CITY + "/1", RDF_TYPE, KGO + "Measure", None),
        (CITY + "/1", KGO + "inStrategy", CITY, None),
        (REGION + "/1", RDF_TYPE, KGO + "Measure", None),
        (REGION + "/1", KGO + "inStrategy", REGION, None),
    ]
    model = build_model(rows)
    assert set(model.elements) == {CITY + "/1", REGION + "/1"}
    assert set(alignable(model).elements) == {CITY + "/1"}
    assert model.strategies == {CITY: Document(CITY)}


def test_one_alignment_iri_names_stored_and_suggested_alignments() -> None:
    record = AlignmentRecord(CITY + "/1", REGION + "/2", KGO + "contributesTo", KGO + "Curated", "semapv:ManualMappingCuration")
    assert (
        record.iri
        == alignment_iri(CITY + "/1", REGION + "/2")
        == ID + "alignment/liberec-strategy-2021/1--liberecky-kraj-social-2026/2"
    )
    with pytest.raises(ValueError, match="not under"):
        alignment_iri("https://example.org/a", REGION + "/2")
