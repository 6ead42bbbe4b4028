"""The shared SKOS schemes (themes, target groups) read from data/vocabularies/ at generation time.

The generator tags elements only with concepts that exist in these files, so a synthetic graph joins
with the real schemes; nothing of the schemes is copied into the generator.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

SKOS = "http://www.w3.org/2004/02/skos/core#"
THEME_SCHEME = "https://w3id.org/kgservice/id/theme"
TARGET_GROUP_SCHEME = "https://w3id.org/kgservice/id/target-group"


@dataclass(frozen=True)
class Concept:
    """A concept of a shared scheme: its IRI, broader concept and preferred labels by language."""

    iri: str
    broader: str | None
    labels: dict[str, str]

    @property
    def slug(self) -> str:
        return self.iri.rsplit("/", 1)[-1]

    def label(self, lang: str) -> str | None:
        return self.labels.get(lang)


@dataclass(frozen=True)
class Scheme:
    """The concepts of one scheme, sorted by IRI so that generation does not depend on file order."""

    iri: str
    concepts: tuple[Concept, ...]

    @cached_property
    def index(self) -> dict[str, Concept]:
        return {c.iri: c for c in self.concepts}

    @cached_property
    def tops(self) -> tuple[str, ...]:
        """IRIs of the concepts without a broader concept in the scheme."""
        return tuple(c.iri for c in self.concepts if c.broader not in self.index)

    @cached_property
    def top_of(self) -> dict[str, str]:
        """For each concept, the top concept above it (itself for a top concept)."""
        return {c.iri: self._ancestors(c.iri)[-1] for c in self.concepts}

    @cached_property
    def subtree(self) -> dict[str, tuple[str, ...]]:
        """For each concept, itself and every concept below it, in IRI order."""
        below: dict[str, list[str]] = {c.iri: [] for c in self.concepts}
        for concept in self.concepts:
            for ancestor in self._ancestors(concept.iri):
                below[ancestor].append(concept.iri)
        return {iri: tuple(members) for iri, members in below.items()}

    def _ancestors(self, iri: str) -> list[str]:
        """`iri` and its broader concepts up to the top, nearest first; a cycle stops the walk."""
        chain = [iri]
        while (parent := self.index[chain[-1]].broader) in self.index and parent not in chain:
            chain.append(parent)
        return chain


@dataclass(frozen=True)
class Vocabularies:
    """The theme and target-group schemes."""

    themes: Scheme
    target_groups: Scheme


def read_scheme(path: Path, scheme: str) -> Scheme:
    """Read the concepts of `scheme` (skos:inScheme) from a Turtle file."""
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    in_scheme = ox.NamedNode(SKOS + "inScheme")
    members = sorted(
        q.subject.value
        for q in store.quads_for_pattern(None, in_scheme, ox.NamedNode(scheme))
        if isinstance(q.subject, ox.NamedNode)
    )
    return Scheme(scheme, tuple(_concept(store, iri) for iri in members))


def _concept(store: ox.Store, iri: str) -> Concept:
    node = ox.NamedNode(iri)
    broader = [
        q.object.value
        for q in store.quads_for_pattern(node, ox.NamedNode(SKOS + "broader"), None)
        if isinstance(q.object, ox.NamedNode)
    ]
    labels = {
        q.object.language: q.object.value
        for q in store.quads_for_pattern(node, ox.NamedNode(SKOS + "prefLabel"), None)
        if isinstance(q.object, ox.Literal) and q.object.language
    }
    return Concept(iri, min(broader) if broader else None, labels)


def read_vocabularies(vocabularies_dir: Path) -> Vocabularies:
    """Read themes.ttl and target-groups.ttl from `vocabularies_dir`."""
    themes = read_scheme(vocabularies_dir / "themes.ttl", THEME_SCHEME)
    groups = read_scheme(vocabularies_dir / "target-groups.ttl", TARGET_GROUP_SCHEME)
    if not themes.concepts or not groups.concepts:
        raise ValueError(f"no themes or target groups found in {vocabularies_dir}")
    return Vocabularies(themes, groups)
