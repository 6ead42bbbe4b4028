"""The read model of strategies both analyses work from: documents, their elements, the shared schemes'
concepts and the alignments, rebuilt by one builder from the (node, property, value) rows of the queries.

The coherence analysis (coherence-graph, coherence-alignments) and the suggester (suggestion-input) ask
for different facts, so a field the rows did not carry keeps its default: the suggester reads no
alignment, and the coherence analysis no description, title or language.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kgservice.rdf.namespaces import DCTERMS, ID, KGO, RDF_TYPE, SKOS
from kgservice.translation import N_

DOCUMENT = "StrategyDocument"
THEME_SCHEME = ID + "theme"
TARGET_GROUP_SCHEME = ID + "target-group"
LEVELS_SCHEME = KGO + "PlanningLevelScheme"
SUPPORT = frozenset({"contributesTo", "implements"})
COUNTED = frozenset({"AssertedInDocument", "Curated"})
LANGUAGE_AUTHORITY = "http://publications.europa.eu/resource/authority/language/"
LANGUAGE_CODES = {"CES": "cs", "POL": "pl", "ENG": "en"}
_CHUNKS = re.compile(r"(\d+)")

# (node IRI, property IRI, value, language tag of the value or None): one row of the named queries.
Triple = tuple[str, str, str, str | None]


def pick_label(labels: Mapping[str, str], lang: str, fallback: str = "") -> str:
    """The label in `lang`, else English, else any label (the same one every time), else `fallback`."""
    for key in (lang, "en"):
        if key in labels:
            return labels[key]
    return labels[min(labels)] if labels else fallback


def notation_key(notation: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that orders 2.1.2 before 2.1.10 and II-4 before II-4.1."""
    return tuple((0, int(c)) if c.isdigit() else (1, c) for c in _CHUNKS.split(notation) if c)


NOT_UNDER_ID = N_("%(iri)s is not under %(base)s, so no alignment IRI id/alignment/{subject}--{object} names it")


def alignment_iri(subject: str, object_: str) -> str:
    """id/alignment/{subject}--{object}, the pattern of docs/modelling.md; both must be IRIs under id/."""
    for iri in (subject, object_):
        if not iri.startswith(ID):
            raise ValueError(NOT_UNDER_ID % {"iri": iri, "base": ID})
    return f"{ID}alignment/{subject[len(ID) :]}--{object_[len(ID) :]}"


@dataclass(frozen=True)
class Document:
    """A strategy document: its labels, the language it is written in and its planning level."""

    iri: str
    labels: Mapping[str, str] = field(default_factory=dict)
    notation: str = ""
    lang: str = "en"
    planning_level: str | None = None  # the kgo:PlanningLevel IRI
    level: int | None = None  # that level's notation (1 municipal ... 4 EU programme), when the rows carry it
    parent: str | None = None  # a series or a document it is part of

    @property
    def kind(self) -> str:
        return DOCUMENT

    @property
    def strategy(self) -> str:
        """A document is its own strategy."""
        return self.iri


@dataclass(frozen=True)
class Element:
    """A part of a strategy document; `label` and `description` are in the document's own language."""

    iri: str
    kind: str
    strategy: str
    notation: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    parent: str | None = None
    themes: frozenset[str] = frozenset()
    target_groups: frozenset[str] = frozenset()
    lang: str = "en"
    label: str = ""
    description: str = ""

    @property
    def curated(self) -> frozenset[str]:
        """Its curated tags: themes and target groups."""
        return self.themes | self.target_groups

    def display(self, lang: str) -> str:
        """The label in `lang`, else in the element's own language."""
        return self.labels.get(lang) or self.label


@dataclass(frozen=True)
class Concept:
    """A concept of a shared scheme (theme, target group) or a planning level.

    `labels` holds the preferred label per language, `terms` every preferred, alternative and hidden one."""

    iri: str
    scheme: str
    broader: frozenset[str] = frozenset()
    labels: Mapping[str, str] = field(default_factory=dict)
    notation: str = ""
    terms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def display(self, lang: str) -> str:
        return pick_label(self.labels, lang, self.iri)


@dataclass(frozen=True)
class Alignment:
    """A stated link between two elements; `counts` is False for a suggested one."""

    iri: str
    subject: str
    object: str
    relation: str
    status: str
    strength: int | None
    evidence: Mapping[str, str] = field(default_factory=dict)

    @property
    def counts(self) -> bool:
        return self.status in COUNTED

    @property
    def supports(self) -> bool:
        return self.counts and self.relation in SUPPORT


@dataclass(frozen=True)
class Corpus:
    """Strategy documents, their elements, the concepts and the alignments, each by IRI."""

    strategies: Mapping[str, Document]
    elements: Mapping[str, Element]
    concepts: Mapping[str, Concept]
    alignments: tuple[Alignment, ...] = ()

    def of(self, strategy: str) -> list[Element]:
        return [e for e in self.elements.values() if e.strategy == strategy]


# ---------------------------------------------------------------- the builder


@dataclass
class _Facts:
    """What the rows say about one node, gathered before the node is typed."""

    types: set[str] = field(default_factory=set)
    single: dict[str, str] = field(default_factory=dict)
    texts: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    many: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def first(self, prop: str, lang: str) -> str:
        """The first value of `prop` in `lang` in code-point order (one text whatever the row order)."""
        values = self.texts.get((prop, lang))
        return min(values) if values else ""

    def by_lang(self, prop: str) -> dict[str, str]:
        """The first value of `prop` the rows gave in each language."""
        return {lang: values[0] for (name, lang), values in self.texts.items() if name == prop}


_PREF, _ALT, _HIDDEN = SKOS + "prefLabel", SKOS + "altLabel", SKOS + "hiddenLabel"
_TEXTS = frozenset({_PREF, _ALT, _HIDDEN, DCTERMS + "title", DCTERMS + "description", KGO + "evidence"})
_MANY = frozenset({KGO + "theme", KGO + "targetGroup", SKOS + "broader"})


def _gather(rows: Iterable[Triple]) -> dict[str, _Facts]:
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


def _local(iri: str) -> str:
    return iri.removeprefix(KGO)


def _kind(types: set[str]) -> str | None:
    kinds = sorted(_local(t) for t in types if t.startswith(KGO) and t != KGO + "PlanningLevel")
    return kinds[0] if kinds else None


def _is_concept(found: _Facts) -> bool:
    return bool({SKOS + "Concept", KGO + "PlanningLevel"} & found.types) or SKOS + "inScheme" in found.single


def _terms(found: _Facts) -> dict[str, tuple[str, ...]]:
    """Every label per language: alternative, hidden, then preferred ones, each sorted."""
    terms: dict[str, list[str]] = defaultdict(list)
    for (prop, lang), values in sorted(found.texts.items()):
        if prop in (_PREF, _ALT, _HIDDEN):
            terms[lang] += sorted(values)
    return {lang: tuple(values) for lang, values in terms.items()}


def _concept(iri: str, found: _Facts) -> Concept:
    return Concept(
        iri,
        found.single.get(SKOS + "inScheme", LEVELS_SCHEME),
        frozenset(found.many[SKOS + "broader"]),
        found.by_lang(_PREF),
        found.single.get(SKOS + "notation", ""),
        _terms(found),
    )


def _language(found: _Facts) -> str:
    code = found.single.get(DCTERMS + "language", "").removeprefix(LANGUAGE_AUTHORITY)
    return LANGUAGE_CODES.get(code, "en")


def _document(iri: str, found: _Facts, concepts: Mapping[str, Concept]) -> Document:
    level = found.single.get(KGO + "planningLevel")
    notation = concepts[level].notation if level is not None and level in concepts else ""
    return Document(
        iri,
        found.by_lang(_PREF),
        found.single.get(SKOS + "notation", ""),
        _language(found),
        level,
        int(notation) if notation.isdigit() else None,
        found.single.get(KGO + "partOf"),
    )


def _element(iri: str, kind: str, found: _Facts, lang: str) -> Element:
    return Element(
        iri,
        kind,
        found.single.get(KGO + "inStrategy", ""),
        found.single.get(SKOS + "notation", ""),
        found.by_lang(_PREF),
        found.single.get(KGO + "partOf"),
        frozenset(found.many[KGO + "theme"]),
        frozenset(found.many[KGO + "targetGroup"]),
        lang,
        found.first(_PREF, lang) or found.first(DCTERMS + "title", lang),
        " ".join(sorted(found.texts.get((DCTERMS + "description", lang), []))),
    )


def _alignment(iri: str, found: _Facts) -> Alignment | None:
    single = found.single
    needed = (KGO + "subjectElement", KGO + "objectElement", KGO + "relation", KGO + "alignmentStatus")
    if not all(key in single for key in needed):
        return None
    strength = single.get(KGO + "strength")
    return Alignment(
        iri,
        single[needed[0]],
        single[needed[1]],
        _local(single[needed[2]]),
        _local(single[needed[3]]),
        int(strength) if strength is not None else None,
        found.by_lang(KGO + "evidence"),
    )


def build_model(rows: Iterable[Triple]) -> Corpus:
    """The model the rows describe (rows of any of the named queries, any number of strategies, in any mix)."""
    facts = _gather(rows)
    concepts = {iri: _concept(iri, found) for iri, found in facts.items() if _is_concept(found)}
    kinds = {iri: _kind(found.types) for iri, found in facts.items() if iri not in concepts}
    documents = {iri: _document(iri, facts[iri], concepts) for iri, kind in kinds.items() if kind == DOCUMENT}
    elements: dict[str, Element] = {}
    alignments: list[Alignment] = []
    for iri, kind in kinds.items():
        if kind == "Alignment":
            alignment = _alignment(iri, facts[iri])
            alignments += [alignment] if alignment else []
        elif kind is not None and kind != DOCUMENT:
            strategy = documents.get(facts[iri].single.get(KGO + "inStrategy", ""))
            elements[iri] = _element(iri, kind, facts[iri], strategy.lang if strategy else "en")
    return Corpus(documents, elements, concepts, tuple(alignments))
