"""Score the suggester against alignments people curated (or documents asserted): precision@1, recall@3, MRR.

For each gold subject (a lower-level element with at least one gold link to the higher strategy), the
suggester ranks every element of the higher strategy; the gold links themselves are never shown to it
(it reads no alignment at all, see suggestion-input.rq).

- precision@1: share of gold subjects whose first candidate is one of their gold objects;
- recall@3: share of gold links whose object is among their subject's first three candidates;
- MRR: mean over gold subjects of 1 / rank of the first gold object (0 when it is not ranked at all).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kgservice.analysis.model import COUNTED
from kgservice.analysis.suggest.ranker import Candidate

# The gold links are the alignments the coherence analysis counts: asserted in a document or curated.
GOLD_STATUSES = COUNTED


@dataclass(frozen=True)
class Scores:
    """The figures of one evaluation run."""

    subjects: int
    links: int
    precision_at_1: float
    recall_at_3: float
    mrr: float
    first_hits: tuple[str, ...]
    misses: tuple[str, ...]


def gold_links(alignments: Iterable[tuple[str, str, str]], local: set[str], higher: set[str]) -> dict[str, set[str]]:
    """Gold objects per subject from (subject, object, status) triples, restricted to the two strategies."""
    gold: dict[str, set[str]] = defaultdict(set)
    for subject, obj, status in alignments:
        if status in GOLD_STATUSES and subject in local and obj in higher:
            gold[subject].add(obj)
    return dict(gold)


def score(gold: Mapping[str, set[str]], ranked: Mapping[str, list[Candidate]]) -> Scores:
    """Compare full rankings (all candidates, best first) with the gold objects of each subject."""
    hits_at_1, found_at_3, reciprocal = 0, 0, 0.0
    first_hits, misses = [], []
    for subject, objects in sorted(gold.items()):
        order = [c.higher for c in ranked.get(subject, [])]
        if order and order[0] in objects:
            hits_at_1 += 1
            first_hits.append(subject)
        found_at_3 += len(objects & set(order[:3]))
        positions = [order.index(o) + 1 for o in objects if o in order]
        reciprocal += 1.0 / min(positions) if positions else 0.0
        misses += [f"{subject} -> {o}" for o in sorted(objects - set(order[:3]))]
    subjects, links = len(gold), sum(len(o) for o in gold.values())
    return Scores(
        subjects,
        links,
        hits_at_1 / subjects if subjects else 0.0,
        found_at_3 / links if links else 0.0,
        reciprocal / subjects if subjects else 0.0,
        tuple(first_hits),
        tuple(misses),
    )
