"""What the suggester works from, rebuilt from the rows of the named query suggestion-input.

Elements carry the text of their own document language only (prefLabel, title, description): the English
labels of Czech and Polish elements are our translations, and suggestions are to come from the sources.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kgservice.rdf.namespaces import KGO

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
LANGUAGE_AUTHORITY = "http://publications.europa.eu/resource/authority/language/"
LANGUAGE_CODES = {"CES": "cs", "POL": "pl", "ENG": "en"}
THEME_SCHEME = "https://w3id.org/kgservice/id/theme"
TARGET_GROUP_SCHEME = "https://w3id.org/kgservice/id/target-group"
# The element kinds that can take or receive an alignment (documents, projects and actors cannot).
LEVELS = {KGO + "MunicipalLevel": 1, KGO + "RegionalLevel": 2, KGO + "NationalLevel": 3, KGO + "EUProgrammeLevel": 4}
ELEMENT_KINDS = frozenset({"StrategicArea", "Vision", "StrategicGoal", "SpecificGoal", "Measure", "Activity"})

Row = tuple[str, str, str, str | None]  # node, property, value, language tag of the value


@dataclass(frozen=True)
class Element:
    """A strategy element as the suggester sees it."""

    iri: str
    kind: str
    strategy: str
    lang: str
    notation: str
    label: str
    description: str
    parent: str | None
    labels: Mapping[str, str] = field(default_factory=dict)
    curated: frozenset[str] = frozenset()

    def display(self, lang: str) -> str:
        """The label in `lang`, else in the element's own language."""
        return self.labels.get(lang) or self.label


@dataclass(frozen=True)
class SchemeConcept:
    """A theme or target group with every label it has, by language."""

    iri: str
    scheme: str
    broader: frozenset[str]
    pref: Mapping[str, str]
    labels: Mapping[str, tuple[str, ...]]

    def display(self, lang: str) -> str:
        return self.pref.get(lang) or self.pref.get("en") or self.iri


@dataclass(frozen=True)
class Corpus:
    """Elements by strategy and the concepts of the shared schemes."""

    elements: Mapping[str, Element]
    concepts: Mapping[str, SchemeConcept]
    strategies: Mapping[str, str]  # document IRI -> its language
    levels: Mapping[str, int] = field(default_factory=dict)  # document IRI -> 1 municipal ... 4 EU programme

    def of(self, strategy: str) -> list[Element]:
        return [e for e in self.elements.values() if e.strategy == strategy]


@dataclass
class _Facts:
    types: set[str] = field(default_factory=set)
    single: dict[str, str] = field(default_factory=dict)
    texts: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    many: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


_MANY = frozenset({KGO + "theme", KGO + "targetGroup", SKOS + "broader"})
_TEXTS = frozenset({SKOS + "prefLabel", SKOS + "altLabel", SKOS + "hiddenLabel", DCTERMS + "title", DCTERMS + "description"})


def _gather(rows: Iterable[Row]) -> dict[str, _Facts]:
    facts: dict[str, _Facts] = defaultdict(_Facts)
    for node, prop, value, lang in rows:
        found = facts[node]
        if prop == RDF_TYPE:
            found.types.add(value)
        elif prop in _TEXTS:
            found.texts[(prop, lang or "")].append(value)
        elif prop in _MANY:
            found.many[prop].add(value)
        else:
            found.single.setdefault(prop, value)
    return facts


def _first(found: _Facts, prop: str, lang: str) -> str:
    values = sorted(found.texts.get((prop, lang), []))
    return values[0] if values else ""


def _concept(iri: str, found: _Facts) -> SchemeConcept:
    pref = {lang: values[0] for (prop, lang), values in found.texts.items() if prop == SKOS + "prefLabel"}
    labels: dict[str, list[str]] = defaultdict(list)
    for (prop, lang), values in sorted(found.texts.items()):
        if prop in (SKOS + "prefLabel", SKOS + "altLabel", SKOS + "hiddenLabel"):
            labels[lang] += sorted(values)
    return SchemeConcept(
        iri,
        found.single[SKOS + "inScheme"],
        frozenset(found.many[SKOS + "broader"]),
        pref,
        {lang: tuple(values) for lang, values in labels.items()},
    )


def _element(iri: str, found: _Facts, kind: str, strategy: str, lang: str) -> Element:
    label = _first(found, SKOS + "prefLabel", lang) or _first(found, DCTERMS + "title", lang)
    labels = {lang_: values[0] for (prop, lang_), values in found.texts.items() if prop == SKOS + "prefLabel"}
    return Element(
        iri=iri,
        kind=kind,
        strategy=strategy,
        lang=lang,
        notation=found.single.get(SKOS + "notation", ""),
        label=label,
        description=" ".join(sorted(found.texts.get((DCTERMS + "description", lang), []))),
        parent=found.single.get(KGO + "partOf"),
        labels=labels,
        curated=frozenset(found.many[KGO + "theme"] | found.many[KGO + "targetGroup"]),
    )


def build_corpus(rows: Iterable[Row]) -> Corpus:
    """The corpus described by suggestion-input rows (any number of strategies, read together)."""
    facts = _gather(rows)
    strategies = {
        iri: LANGUAGE_CODES.get(found.single.get(DCTERMS + "language", "").removeprefix(LANGUAGE_AUTHORITY), "en")
        for iri, found in facts.items()
        if KGO + "StrategyDocument" in found.types
    }
    concepts = {iri: _concept(iri, found) for iri, found in facts.items() if SKOS + "inScheme" in found.single}
    elements: dict[str, Element] = {}
    for iri, found in facts.items():
        kinds = sorted(t.removeprefix(KGO) for t in found.types if t.removeprefix(KGO) in ELEMENT_KINDS)
        strategy = found.single.get(KGO + "inStrategy")
        if kinds and strategy in strategies:
            elements[iri] = _element(iri, found, kinds[0], strategy, strategies[strategy])
    levels = {iri: LEVELS.get(facts[iri].single.get(KGO + "planningLevel", ""), 0) for iri in strategies}
    return Corpus(elements, concepts, strategies, levels)
