"""One suggestion run: the queries it needs, and what it makes of their answers.

The same plan serves the CLI, the HTTP API and the review page, on any QueryEngine: `reading()` lists the
query texts, `Inputs.from_tables()` rebuilds the corpus, the elements' excerpts and the alignments already
recorded between the two strategies, and `read_inputs()` does both, its queries side by side.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from kgservice.analysis.coherence.source import normalize
from kgservice.analysis.suggest.concepts import ConceptIndex
from kgservice.analysis.suggest.corpus import Corpus, build_corpus
from kgservice.analysis.suggest.ranker import Candidate, Suggester, Weights
from kgservice.analysis.suggest.records import Excerpt, relation_for, suggestion_quads, suggestions_graph
from kgservice.analysis.suggest.source import checked, input_queries, rows
from kgservice.engine.base import QueryEngine
from kgservice.errors import ParameterError
from kgservice.rdf.namespaces import compact
from kgservice.rdf.terms import Table
from kgservice.sparql.catalogue import Catalogue, NamedQuery, parse_query_file
from kgservice.translation import N_

EXCERPTS_QUERY = Path("internal") / "suggestion-excerpts.rq"
ALIGNMENTS_QUERY = "coherence-alignments"
MIN_SCORE = 0.05
PENDING = "https://w3id.org/kgservice/ontology#Suggested"


@dataclass(frozen=True)
class Reading:
    """The query texts of one run, in the order `Inputs.from_tables` expects their answers."""

    local: str
    higher: str
    inputs: list[str]
    excerpts: list[str]
    alignments: list[str]

    @property
    def texts(self) -> list[str]:
        return self.inputs + self.excerpts + self.alignments


def reading(catalogue: Catalogue, local: str, higher: str) -> Reading:
    """What to ask the store for a run from `local` to `higher` (IRIs or prefixed names)."""
    local, higher = normalize(local), normalize(higher)
    excerpts = _excerpts_query(catalogue.folder)
    return Reading(
        local,
        higher,
        input_queries(catalogue, [local, higher]),
        [excerpts.bind({"strategy": s}) for s in (local, higher)],
        [catalogue.get(ALIGNMENTS_QUERY).bind({"strategy": local})],
    )


def read_inputs(engine: QueryEngine, catalogue: Catalogue, local: str, higher: str) -> Inputs:
    """The suggester's inputs for a run from `local` to `higher` (IRIs or prefixed names), read from `engine`."""
    plan = reading(catalogue, local, higher)
    return Inputs.from_tables(plan, engine.select_many(plan.texts, source="suggestion query"))


@lru_cache(maxsize=4)
def _excerpts_query(folder: Path) -> NamedQuery:
    return parse_query_file(folder / EXCERPTS_QUERY)


@dataclass(frozen=True)
class Inputs:
    """The corpus of both strategies, their elements' excerpts and the pairs already recorded."""

    local: str
    higher: str
    corpus: Corpus
    excerpts: dict[str, list[Excerpt]]
    recorded: frozenset[tuple[str, str]]

    @classmethod
    def from_tables(cls, plan: Reading, tables: Sequence[Table]) -> Inputs:
        count_in, count_ex = len(plan.inputs), len(plan.excerpts)
        corpus = checked(build_corpus(rows(tables[:count_in])), [plan.local, plan.higher])
        excerpts: dict[str, list[Excerpt]] = defaultdict(list)
        for table in tables[count_in : count_in + count_ex]:
            for r in table.records():
                excerpts[r["element"].value].append(
                    Excerpt(r["source"].value, int(r["start"].value), int(r["end"].value), r["exact"].value)
                )
        # Pending suggestions are replaced by each run, so only stated, curated or rejected links block a pair.
        recorded = frozenset(
            (r["subject"].value, r["object"].value)
            for t in tables[count_in + count_ex :]
            for r in t.records()
            if r["status"].value != PENDING
        )
        return cls(plan.local, plan.higher, corpus, dict(excerpts), recorded)

    def subjects(self, elements: Sequence[str] | None) -> list[str] | None:
        """The local elements a user named (IRIs or prefixed names), checked; None when none were named."""
        if not elements:
            return None
        subjects = [normalize(e) for e in elements]
        unknown = [s for s in subjects if s not in self.corpus.elements or self.corpus.elements[s].strategy != self.local]
        if unknown:
            raise ParameterError(
                N_("not an element of %(strategy)s: %(elements)s"), strategy=compact(self.local), elements=", ".join(unknown)
            )
        return subjects

    def suggester(self, weights: Weights | None = None, all_levels: bool = False, index: ConceptIndex | None = None) -> Suggester:
        return Suggester(self.corpus, self.local, self.higher, weights, all_levels=all_levels, index=index)

    def fresh(self, ranked: dict[str, list[Candidate]]) -> list[Candidate]:
        """The candidates worth storing: above MIN_SCORE and not already stated, curated or rejected."""
        return [
            c for found in ranked.values() for c in found if c.score >= MIN_SCORE and (c.local, c.higher) not in self.recorded
        ]

    def quads(self, candidates: Sequence[Candidate], created: datetime, curated: bool = False) -> list[ox.Quad]:
        """The stored form of `candidates`, in the pair's suggestions graph (the user's, or the bundled one if `curated`)."""
        concepts = self.corpus.concepts
        return suggestion_quads(
            candidates,
            self.corpus,
            relation_for(self.corpus, self.local, self.higher),
            suggestions_graph(self.local, self.higher, curated),
            self.excerpts,
            lambda iri: concepts[iri].display("en") if iri in concepts else iri,
            created,
        )
