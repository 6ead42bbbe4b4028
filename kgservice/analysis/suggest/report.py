"""Ranked suggestions as a report (pydantic models, for the API and `--format json`) and as text tables;
the text is in the report's language (kgservice.translation), the JSON keeps its keys."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from kgservice.analysis.model import Corpus, alignment_iri
from kgservice.analysis.suggest.ranker import Candidate
from kgservice.rdf.namespaces import compact
from kgservice.translation import translator

Lang = Literal["cs", "pl", "en"]


class ConceptRef(BaseModel):
    iri: str
    label: str


class SuggestedTarget(BaseModel):
    """One candidate higher-level element, with the signals and words behind its score."""

    rank: int
    alignment: str = Field(description="the IRI the alignment gets when stored")
    element: str
    notation: str
    label: str
    score: float = Field(description="0..1, comparable among the candidates of one pair of strategies")
    lexical: float
    concepts: float
    context: float
    shared_concepts: list[ConceptRef]
    shared_words: list[tuple[str, str]] = Field(description="(word in the lower element, word in the higher element)")
    context_words: list[tuple[str, str]] = Field(description="words shared through the elements' parents")
    recorded: bool = Field(description="an alignment between the two elements is already stored (any status)")


class ElementSuggestions(BaseModel):
    element: str
    notation: str
    label: str
    kind: str
    candidates: list[SuggestedTarget]


class SuggestionReport(BaseModel):
    local: str
    higher: str
    lang: Lang
    elements: list[ElementSuggestions]


def build_report(
    corpus: Corpus,
    local: str,
    higher: str,
    ranked: dict[str, list[Candidate]],
    lang: Lang,
    recorded: frozenset[tuple[str, str]] = frozenset(),
) -> SuggestionReport:
    """The report of a ranking, labels in `lang` (the element's own language where `lang` is missing)."""
    elements = []
    for iri, found in ranked.items():
        element = corpus.elements[iri]
        elements.append(
            ElementSuggestions(
                element=iri,
                notation=element.notation,
                label=element.display(lang),
                kind=element.kind,
                candidates=[_target(corpus, c, lang, (c.local, c.higher) in recorded) for c in found],
            )
        )
    return SuggestionReport(local=local, higher=higher, lang=lang, elements=elements)


def _target(corpus: Corpus, candidate: Candidate, lang: Lang, recorded: bool) -> SuggestedTarget:
    higher = corpus.elements[candidate.higher]
    return SuggestedTarget(
        rank=candidate.rank,
        alignment=alignment_iri(candidate.local, candidate.higher),
        element=candidate.higher,
        notation=higher.notation,
        label=higher.display(lang),
        score=candidate.score,
        lexical=candidate.lexical,
        concepts=candidate.concepts,
        context=candidate.context,
        shared_concepts=[ConceptRef(iri=c, label=corpus.concepts[c].display(lang)) for c in candidate.shared_concepts],
        shared_words=list(candidate.shared_words),
        context_words=list(candidate.context_words),
        recorded=recorded,
    )


def _why(target: SuggestedTarget, lang: Lang) -> str:
    t = translator(lang)
    parts = []
    if target.shared_concepts:
        parts.append(t.gettext("concepts: %(concepts)s", concepts=", ".join(c.label for c in target.shared_concepts)))
    if target.shared_words:
        parts.append(t.gettext("words: %(words)s", words=", ".join(_pair(a, b) for a, b in target.shared_words)))
    if target.context_words:
        parts.append(t.gettext("parents: %(words)s", words=", ".join(_pair(a, b) for a, b in target.context_words)))
    return "; ".join(parts)


def _pair(a: str, b: str) -> str:
    return a if a.lower() == b.lower() else f"{a}~{b}"


def to_text(report: SuggestionReport, markdown: bool = False) -> str:
    """One block per lower-level element: its candidates, best first, each with its score and why."""
    tr = translator(report.lang)
    lines: list[str] = []
    for element in report.elements:
        head = f"{element.notation} {element.label}".strip()
        lines.append(f"### {head}" if markdown else head)
        if not element.candidates:
            lines.append("  " + tr.gettext("(no candidate)"))
        for t in element.candidates:
            mark = " [" + tr.gettext("already recorded") + "]" if t.recorded else ""
            lines.append(f"{'-' if markdown else ' '} {t.rank}. {t.notation} {t.label} ({t.score:.2f}){mark}")
            why = _why(t, report.lang)
            if why:
                lines.append(f"    {why}")
            if markdown:
                lines.append(f"    `{compact(t.alignment)}`")
        lines.append("")
    return "\n".join(lines)
