"""How much of each kind of element the generator writes: tree shape, tagging and role probabilities.

The planner sizes a graph with the expected triple counts computed here from the same numbers the
emitter draws with, so a change of a probability changes both and the requested size still holds.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Triples of one provenance excerpt: the link, the excerpt's type, source, two lines, selector
#: link, the selector's type and its quote.
EXCERPT_TRIPLES = 8

#: Children per parent, inclusive ranges (strategic goals per document, specific goals per strategic
#: goal, measures per specific goal, activities per measure), as in the project's real documents.
STRATEGIC_GOALS = (4, 6)
SPECIFIC_GOALS = (2, 5)
MEASURES = (2, 8)
ACTIVITIES = (0, 6)
AREAS = (2, 4)

P_AREAS = 0.2  # a document groups its goals into strategic areas (each may have a vision)
P_AREA_VISION = 0.5
P_DOCUMENT_VISION = 0.3
P_ROMAN = 0.25  # strategic goals numbered I, II, III (Polish and Slovak style)
P_STATUS = 0.65  # the source states whether the document is a draft or approved
P_END_YEAR = 0.85
P_PROJECT = {1: 0.12, 2: 0.05}  # a measure has a project, by planning level (municipal, regional)
P_AMOUNT = 0.8  # a funding states an amount
P_PROGRAMME = 0.5  # a funding names the EU programme it comes from (where the country has one)
P_PROJECT_ALIGNMENT = 0.3  # a municipal project implements a measure of the regional strategy

#: Probability that an element of a strategy with a higher-level strategy aligns to it, and the
#: probability that it names a second target.
P_ALIGN = {"StrategicGoal": 0.1, "SpecificGoal": 0.3, "Measure": 0.2, "Activity": 0.03}
P_SECOND_TARGET = 0.2

ASSERTED, CURATED, SUGGESTED = "AssertedInDocument", "Curated", "Suggested"
STATUS_WEIGHTS = {ASSERTED: 0.4, CURATED: 0.35, SUGGESTED: 0.25}
RELATION_WEIGHTS = {
    ASSERTED: {"contributesTo": 0.6, "implements": 0.15, "consistentWith": 0.15, "refersTo": 0.1},
    CURATED: {"contributesTo": 0.55, "implements": 0.15, "consistentWith": 0.15, "conflictsWith": 0.15},
    SUGGESTED: {"contributesTo": 0.7, "consistentWith": 0.3},
}
#: Nilsson et al. (2016) scores a curator gives, by relation; the sign agrees with the relation.
STRENGTHS = {
    "contributesTo": (1, 1, 2, 2, 3),
    "implements": (2, 3),
    "consistentWith": (0,),
    "conflictsWith": (-1, -1, -2, -3),
    "pursuesSameAimAs": (1, 2),
}
ALIGNMENT_TRIPLES = 7 + EXCERPT_TRIPLES  # type, subject, object, relation, status, justification, evidence
CURATED_EXTRA_TRIPLES = 3  # strength, creator, created


@dataclass(frozen=True)
class KindProfile:
    """What an element of one class carries besides type, parent, notation and labels."""

    description: float
    themes: tuple[int, int]
    target_group: float
    second_excerpt: float
    responsible: float = 0.0
    co_implementer: float = 0.0
    partner: float = 0.0
    outcome: float = 0.0


PROFILES = {
    "Vision": KindProfile(description=1.0, themes=(1, 2), target_group=0.3, second_excerpt=0.3),
    "StrategicArea": KindProfile(description=0.0, themes=(1, 1), target_group=0.2, second_excerpt=0.5),
    "StrategicGoal": KindProfile(description=0.3, themes=(1, 3), target_group=0.15, second_excerpt=0.2),
    "SpecificGoal": KindProfile(
        description=0.6, themes=(1, 2), target_group=0.25, second_excerpt=0.2, responsible=0.1, outcome=0.2
    ),
    "Measure": KindProfile(
        description=0.35,
        themes=(1, 2),
        target_group=0.35,
        second_excerpt=0.15,
        responsible=0.5,
        co_implementer=0.2,
        partner=0.1,
        outcome=0.05,
    ),
    "Activity": KindProfile(
        description=0.1, themes=(0, 1), target_group=0.3, second_excerpt=0.05, responsible=0.05, partner=0.15
    ),
}
OUTCOMES_PER_ELEMENT = (1, 2)
TARGET_GROUPS_PER_ELEMENT = (1, 2)


def _mean(bounds: tuple[int, int]) -> float:
    return (bounds[0] + bounds[1]) / 2


def element_triples(kind: str, labels: int) -> float:
    """Expected triples of one element of `kind` with `labels` prefLabels (its outcomes included)."""
    p = PROFILES[kind]
    outcome = _mean(OUTCOMES_PER_ELEMENT) * (3 + labels + EXCERPT_TRIPLES)  # link, type, theme, labels, excerpt
    return (
        3
        + labels  # type, partOf, notation, labels
        + p.description * labels
        + _mean(p.themes)
        + p.target_group * _mean(TARGET_GROUPS_PER_ELEMENT)
        + p.responsible
        + p.co_implementer
        + p.partner
        + p.outcome * outcome
        + EXCERPT_TRIPLES * (1 + p.second_excerpt)
    )


def project_triples(labels: int, has_programme: bool, may_align: bool) -> float:
    """Expected triples of a project with its funding (and its curated alignment, where it may have one)."""
    project = 5 + labels + EXCERPT_TRIPLES  # type, partOf, theme, fundedBy, responsible
    funding = 5 + labels + 2 * P_AMOUNT + (P_PROGRAMME if has_programme else 0) + EXCERPT_TRIPLES  # + fiscal year
    alignment = P_PROJECT_ALIGNMENT * alignment_triples(CURATED) if may_align else 0.0
    return project + funding + alignment


def alignment_triples(status: str) -> int:
    """Triples of one alignment with its excerpt."""
    return ALIGNMENT_TRIPLES + (CURATED_EXTRA_TRIPLES if status == CURATED else 0)


def expected_alignment_triples(kind: str) -> float:
    """Expected alignment triples an element of `kind` adds when its strategy has a higher-level one."""
    curated_share = STATUS_WEIGHTS[CURATED]
    per_alignment = ALIGNMENT_TRIPLES + curated_share * CURATED_EXTRA_TRIPLES
    return P_ALIGN.get(kind, 0.0) * (1 + P_SECOND_TARGET) * per_alignment
