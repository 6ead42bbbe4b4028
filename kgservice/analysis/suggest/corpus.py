"""What the suggester works from: the shared read model (`kgservice.analysis.model`) of the rows of the
named query suggestion-input, cut down to the elements a suggestion can link.

Elements carry the text of their own document language only (prefLabel, title, description): the English
labels of Czech and Polish elements are our translations, and suggestions are to come from the sources.
"""

from __future__ import annotations

from collections.abc import Iterable

from kgservice.analysis.model import TARGET_GROUP_SCHEME, THEME_SCHEME, Corpus, Element, Triple, build_model

__all__ = ["ELEMENT_KINDS", "TARGET_GROUP_SCHEME", "THEME_SCHEME", "Corpus", "alignable", "build_corpus"]

# The element kinds that can take or receive an alignment (documents, projects and actors cannot).
ELEMENT_KINDS = frozenset({"StrategicArea", "Vision", "StrategicGoal", "SpecificGoal", "Measure", "Activity"})


def _linkable(element: Element, corpus: Corpus) -> bool:
    return element.kind in ELEMENT_KINDS and element.strategy in corpus.strategies


def alignable(corpus: Corpus) -> Corpus:
    """`corpus` with only the elements, of its own documents, that can take or receive an alignment."""
    elements = {iri: e for iri, e in corpus.elements.items() if _linkable(e, corpus)}
    return Corpus(corpus.strategies, elements, corpus.concepts, corpus.alignments)


def build_corpus(rows: Iterable[Triple]) -> Corpus:
    """The suggester's corpus from suggestion-input rows (any number of strategies, read together)."""
    return alignable(build_model(rows))
