"""Rank, for every element of a lower-level strategy, the elements of a higher-level one it may support.

Three signals, each a cosine similarity in [0, 1], combined by fixed weights (`Weights`):

- lexical: the two elements' own words, as lemma-stem keys weighted by TF-IDF (IDF over the elements of
  both strategies, so that words every element uses, such as "podpora" (support), count little);
- concepts: the theme and target-group concepts found in the two texts (and, unless switched off, the
  curated tags), broader concepts at half weight, weighted by how rare each concept is in the two strategies;
- context: the words of each element together with those of its parents (half weight per level up), so
  that an activity is read in the light of its measure and a regional proposal in that of its area.

Candidates are the most specific elements of the higher strategy (those no element is part of), as a
link to a proposal also counts for its area; `all_levels` offers every element. Nothing is learned from
existing alignments. Scores are comparable within one pair of strategies only.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from kgservice.analysis.model import Corpus, Element
from kgservice.analysis.suggest.concepts import ConceptIndex, ConceptMatch
from kgservice.analysis.suggest.text import tokens

Vector = dict[str, float]
DESCRIPTION_WEIGHT = 0.5
BROADER_WEIGHT = 0.5
PARENT_DECAY = 0.5


@dataclass(frozen=True)
class Weights:
    """How much each signal counts in the score (they need not sum to 1)."""

    lexical: float = 0.5
    concepts: float = 0.3
    context: float = 0.2


@dataclass(frozen=True)
class Candidate:
    """One suggested higher-level element for a lower-level one, with the signals behind its score."""

    local: str
    higher: str
    score: float
    lexical: float
    concepts: float
    context: float
    shared_concepts: tuple[str, ...] = ()
    shared_words: tuple[tuple[str, str], ...] = ()
    context_words: tuple[tuple[str, str], ...] = ()
    rank: int = 0


@dataclass
class _Profile:
    """An element's vectors and the surface forms of its keys."""

    words: Vector = field(default_factory=dict)
    concepts: Vector = field(default_factory=dict)
    context: Vector = field(default_factory=dict)
    surfaces: dict[str, str] = field(default_factory=dict)
    matched: set[str] = field(default_factory=set)
    direct: set[str] = field(default_factory=set)


def _normalize(vector: Mapping[str, float]) -> Vector:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm else {}


def _add(target: Vector, source: Mapping[str, float], factor: float) -> None:
    for key, value in source.items():
        target[key] = target.get(key, 0.0) + factor * value


def _idf(counts: Iterable[Iterable[str]]) -> dict[str, float]:
    bags = [set(c) for c in counts]
    frequency = Counter(k for bag in bags for k in bag)
    total = len(bags)
    return {key: math.log((1 + total) / (1 + df)) + 1.0 for key, df in frequency.items()}


class Suggester:
    """Ranks the elements of `higher` for each element of `local`, both strategies of `corpus`."""

    def __init__(
        self,
        corpus: Corpus,
        local: str,
        higher: str,
        weights: Weights | None = None,
        use_curated_tags: bool = True,
        index: ConceptIndex | None = None,
        all_levels: bool = False,
    ) -> None:
        self.corpus, self.weights = corpus, weights or Weights()
        self.local, everything = corpus.of(local), corpus.of(higher)
        self.higher = everything if all_levels else leaves(everything)
        self.index = index or ConceptIndex(corpus.concepts.values())
        self.use_curated_tags = use_curated_tags
        self.matches: dict[str, list[ConceptMatch]] = {}
        self.profiles = self._profiles(self.local + everything)

    # ---------------------------------------------------------------- profiles

    def _profiles(self, elements: Sequence[Element]) -> dict[str, _Profile]:
        counts = {e.iri: self._word_counts(e) for e in elements}
        surfaces = {e.iri: self._surfaces(e) for e in elements}
        idf = _idf(counts.values())
        concepts = {e.iri: self._concepts(e) for e in elements}
        concept_idf = _idf(concepts.values())
        self._children: dict[str, list[str]] = defaultdict(list)
        for e in elements:
            if e.parent:
                self._children[e.parent].append(e.iri)
        profiles: dict[str, _Profile] = {}
        for e in elements:
            words = _normalize({k: c * idf[k] for k, c in counts[e.iri].items()})
            weighted = _normalize({k: w * concept_idf[k] for k, w in concepts[e.iri].items()})
            direct = {c for c, w in concepts[e.iri].items() if w == 1.0}
            profiles[e.iri] = _Profile(words, weighted, {}, surfaces[e.iri], set(concepts[e.iri]), direct)
        for e in elements:
            profiles[e.iri].context = self._context(e, profiles)
        return profiles

    def _word_counts(self, element: Element) -> Counter[str]:
        counts: Counter[str] = Counter()
        for token in tokens(element.label, element.lang):
            counts[token.key] += 1.0  # type: ignore[assignment]
        for token in tokens(element.description, element.lang):
            counts[token.key] += DESCRIPTION_WEIGHT  # type: ignore[assignment]
        return counts

    @staticmethod
    def _surfaces(element: Element) -> dict[str, str]:
        found: dict[str, str] = {}
        for token in tokens(f"{element.label} {element.description}", element.lang):
            found.setdefault(token.key, token.surface)
        return found

    def _concepts(self, element: Element) -> dict[str, float]:
        matches = self.index.match(f"{element.label} {element.description}", element.lang)
        self.matches[element.iri] = matches
        direct = {m.concept for m in matches}
        if self.use_curated_tags:
            direct |= element.curated
        weights: dict[str, float] = {}
        for concept in direct:
            for broader in self.index.ancestors(concept):
                weights.setdefault(broader, BROADER_WEIGHT)
        weights.update({concept: 1.0 for concept in direct})
        return weights

    def _context(self, element: Element, profiles: Mapping[str, _Profile]) -> Vector:
        """The element's words with its parents' (halved per level up) and its parts' (halved, averaged)."""
        context: Vector = {}
        factor = 1.0
        current_or_none: Element | None = element
        while current_or_none is not None:
            current = current_or_none
            _add(context, profiles[current.iri].words, factor)
            factor = factor * PARENT_DECAY
            current_or_none = self.corpus.elements.get(current.parent) if current.parent else None
        parts = self._children.get(element.iri, [])
        for part in parts:
            _add(context, profiles[part].words, PARENT_DECAY / len(parts))
        return _normalize(context)

    # ---------------------------------------------------------------- ranking

    def rank(self, top: int = 3, subjects: Iterable[str] | None = None) -> dict[str, list[Candidate]]:
        """The best `top` candidates for each local element (or for `subjects`), best first."""
        wanted = set(subjects) if subjects is not None else None
        local = [e for e in self.local if wanted is None or e.iri in wanted]
        lexical = self._similarities(local, "words")
        concepts = self._similarities(local, "concepts")
        context = self._similarities(local, "context")
        ranked: dict[str, list[Candidate]] = {}
        for element in local:
            signals = lexical[element.iri], concepts[element.iri], context[element.iri]
            best = self._best(top, *signals)
            candidates = [self._candidate(element.iri, h, *(signal.get(h, 0.0) for signal in signals)) for h in best]
            ranked[element.iri] = [self._explain(c, i + 1) for i, c in enumerate(candidates)]
        return ranked

    def _best(
        self, top: int, lexical: Mapping[str, float], concepts: Mapping[str, float], context: Mapping[str, float]
    ) -> list[str]:
        """The `top` higher elements with the highest score (rounded as a Candidate's), ties by IRI. Scored as
        plain numbers: making a Candidate of every pair took most of the ranking (90,000 pairs at 1M)."""
        w = self.weights

        def order(h: str) -> tuple[float, str]:
            score = w.lexical * lexical.get(h, 0.0) + w.concepts * concepts.get(h, 0.0) + w.context * context.get(h, 0.0)
            return -round(score, 4), h

        return heapq.nsmallest(top, lexical.keys() | concepts.keys() | context.keys(), key=order)

    def _similarities(self, local: Sequence[Element], vector: str) -> dict[str, dict[str, float]]:
        postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for element in self.higher:
            for key, weight in getattr(self.profiles[element.iri], vector).items():
                postings[key].append((element.iri, weight))
        result: dict[str, dict[str, float]] = {}
        for element in local:
            sums: dict[str, float] = defaultdict(float)
            for key, weight in getattr(self.profiles[element.iri], vector).items():
                for higher, other in postings.get(key, ()):
                    sums[higher] += weight * other
            result[element.iri] = sums
        return result

    def _candidate(self, local: str, higher: str, lexical: float, concepts: float, context: float) -> Candidate:
        w = self.weights
        score = w.lexical * lexical + w.concepts * concepts + w.context * context
        return Candidate(local, higher, round(score, 4), round(lexical, 4), round(concepts, 4), round(context, 4))

    def _explain(self, candidate: Candidate, rank: int) -> Candidate:
        mine, theirs = self.profiles[candidate.local], self.profiles[candidate.higher]
        common = (mine.matched & theirs.matched) & (mine.direct | theirs.direct)
        shared = sorted(common, key=lambda c: (-min(mine.concepts.get(c, 0), theirs.concepts.get(c, 0)), c))
        own = _shared(mine.words, theirs.words)
        near_a, near_b = self._context_surfaces(candidate.local), self._context_surfaces(candidate.higher)
        context = [k for k in _shared(mine.context, theirs.context) if k not in own and k in near_a and k in near_b]
        return Candidate(
            candidate.local,
            candidate.higher,
            candidate.score,
            candidate.lexical,
            candidate.concepts,
            candidate.context,
            tuple(shared),
            tuple((mine.surfaces[k], theirs.surfaces[k]) for k in own[:6]),
            tuple((near_a[k], near_b[k]) for k in context[:6]),
            rank,
        )

    def _context_surfaces(self, iri: str) -> dict[str, str]:
        """Surface forms of the keys of an element and its parents, nearest first."""
        found: dict[str, str] = {}
        current: str | None = iri
        while current is not None and current in self.profiles:
            for key, surface in self.profiles[current].surfaces.items():
                found.setdefault(key, surface)
            current = self.corpus.elements[current].parent
        return found


def leaves(elements: Sequence[Element]) -> list[Element]:
    """The elements no other element is part of: the most specific priorities, where links are made."""
    parents = {e.parent for e in elements}
    return [e for e in elements if e.iri not in parents]


def _shared(a: Mapping[str, float], b: Mapping[str, float]) -> list[str]:
    """The keys both vectors have, heaviest product first."""
    return sorted(a.keys() & b.keys(), key=lambda k: (-a[k] * b[k], k))
