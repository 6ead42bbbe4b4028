"""Tag text with the concepts of the shared schemes: a concept matches when all content words of one of its
labels in the text's language occur in the text, compared by key (lemma stem), in any order.

"Sociální služby" matches "kvality sociálních služeb"; "pomoc społeczna" matches "system pomocy społecznej".
The labels come from the schemes only; nothing is learned from the tags curators gave.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kgservice.analysis.model import Concept
from kgservice.analysis.suggest.text import Token, keys, tokens


@dataclass(frozen=True)
class ConceptMatch:
    """A concept found in a text: which of its labels matched, and the words of the text that did."""

    concept: str
    label: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class _Label:
    concept: str
    text: str
    keys: frozenset[str]


class ConceptIndex:
    """The labels of every concept, by language, indexed by their rarest key for fast lookup."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.concepts = {c.iri: c for c in concepts}
        self._labels: dict[str, dict[str, list[_Label]]] = defaultdict(lambda: defaultdict(list))
        for concept in self.concepts.values():
            for lang, labels in concept.terms.items():
                for text in labels:
                    self._add(lang, _Label(concept.iri, text, frozenset(keys(text, lang))))

    def _add(self, lang: str, label: _Label) -> None:
        if label.keys:
            self._labels[lang][min(label.keys)].append(label)

    def match(self, text: str, lang: str) -> list[ConceptMatch]:
        """The concepts whose label (in `lang`) is contained in `text`; the longest label per concept."""
        found = list(tokens(text, lang))
        present = {token.key for token in found}
        best: dict[str, _Label] = {}
        by_lang = self._labels.get(lang, {})
        for key in present:
            for label in by_lang.get(key, ()):
                current = best.get(label.concept)
                if label.keys <= present and (current is None or len(label.keys) > len(current.keys)):
                    best[label.concept] = label
        return [_match(label, found) for label in sorted(best.values(), key=lambda lab: lab.concept)]

    def ancestors(self, concept: str) -> set[str]:
        """The broader concepts of `concept`, transitively (itself excluded)."""
        seen: set[str] = set()
        todo = list(self.concepts[concept].broader) if concept in self.concepts else []
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo += self.concepts[current].broader if current in self.concepts else ()
        return seen


def _match(label: _Label, found: list[Token]) -> ConceptMatch:
    words = tuple(dict.fromkeys(token.surface for token in found if token.key in label.keys))
    return ConceptMatch(label.concept, label.text, words)


def tag(index: ConceptIndex, texts: Mapping[str, tuple[str, str]]) -> dict[str, list[ConceptMatch]]:
    """Concept matches for each (text, language) in `texts`, keyed like `texts`."""
    return {key: index.match(text, lang) for key, (text, lang) in texts.items()}
