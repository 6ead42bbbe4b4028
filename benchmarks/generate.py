"""Synthetic strategy graphs of a chosen size, shaped like the project's data, for benchmarks.

    python -m benchmarks.generate --triples 100000 --seed 1 --out /tmp/g.nt     # .nt, .nq, .ttl or .trig
    python -m benchmarks.generate --strategies 50 --out /tmp/g.nq --spec /tmp/g.json

Countries contain regions contain cities (kgo:withinTerritory); each has strategies at its planning
level (national, regional, municipal, social-plan series, EU programmes), each a full hierarchy of
goals, measures and activities tagged with the real concepts of data/vocabularies/, with actors,
projects and fundings, provenance excerpts of synthetic source files, and kgo:Alignment nodes from local
elements to elements of the higher strategies of the same territory chain. The same seed gives the same
quads. In Python:

    graph = SyntheticGraph(triples=100_000, seed=1)
    store.bulk_extend(graph.quads())          # streamed, one strategy at a time
    graph.spec.query_parameters()             # IRIs to bind in the named queries

The graph holds instance data only. Several named queries also read the ontology (planning-level
notations) and the shared schemes (skos:inScheme, skos:broader): load ontology/*.ttl and
data/vocabularies/*.ttl beside it, or ask for them with `quads(context=True)` / `--with-context`, which
adds them (and data/source-files.ttl, which the real vocabularies cite) in their usual named graphs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

from benchmarks.synthetic import words
from benchmarks.synthetic.emit import Emitter
from benchmarks.synthetic.plan import ID, Plan, elements, make_plan
from benchmarks.synthetic.vocab import Vocabularies, read_vocabularies
from kgservice.project.layout import Layout, default_layout
from kgservice.rdf.namespaces import GRAPH, PREFIXES

FORMATS = {".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG}
QUAD_FORMATS = (".nq", ".trig")
PROGRESS_EVERY = 50_000


@dataclass(frozen=True)
class Spec:
    """What a synthetic graph holds, and IRIs in it that benchmarks can bind as query parameters.

    `priority` is a regional specific goal that the municipal strategy `local` supports (measure
    `measure` contributes to it, curated), `higher` is that regional strategy, `activity` an activity
    under `measure`, which also has a project with funding, a responsible unit and `target_group`.
    `other_local` is a municipal strategy of another country; `series_from`/`series_to` are two
    editions of a plan series whose member municipalities change. Any may be None in tiny graphs.
    """

    seed: int
    countries: int
    regions: int
    cities: int
    municipalities: int
    strategies: int
    strategies_per_level: dict[str, int]
    elements: dict[str, int]
    alignments: int
    alignments_per_status: dict[str, int]
    horizontal_alignments: int
    fundings: int
    graphs: int
    estimated_triples: int
    priority: str | None
    local: str | None
    higher: str | None
    measure: str | None
    activity: str | None
    target_group: str
    other_local: str | None
    series_from: str | None
    series_to: str | None

    @property
    def element_count(self) -> int:
        return sum(self.elements.values())

    def query_parameters(self) -> dict[str, dict[str, str]]:
        """Bindings for the named queries of queries/ (name -> parameter -> IRI), all from this graph."""
        wanted: dict[str, dict[str, str | None]] = {
            "element-actors": {"element": self.measure},
            "element-path": {"element": self.activity},
            "elements-for-target-group": {"targetGroup": self.target_group},
            "measures-supporting-priority": {"priority": self.priority},
            "plan-membership-changes": {"from": self.series_from, "to": self.series_to},
            "priority-gaps": {"higher": self.higher, "local": self.local},
            "projects-and-funding": {"measure": self.measure},
            "shared-themes": {"a": self.local, "b": self.other_local or self.higher},
            "strategies": {},
            "strategy-outline": {"strategy": self.local},
            "unsupported-local-measures": {"local": self.local, "higher": self.higher},
            "coherence-alignments": {"strategy": self.local},
            "coherence-chains": {"local": self.local, "higher": self.higher},
            "coherence-coverage": {"local": self.local, "higher": self.higher},
            "coherence-graph": {"strategy": self.local},
            "coherence-matrix": {"local": self.local, "higher": self.higher},
            "coherence-themes": {"a": self.local, "b": self.other_local or self.higher},
            "elements-for-sdg": {},
            "element-tags": {"strategy": self.local},
            "suggestion-input": {"strategy": self.local},
            "suggestions": {},
            "plan-working-groups": {"plan": self.series_to},
            "element-outcomes": {},
        }
        return {name: {k: v for k, v in params.items() if v is not None} for name, params in wanted.items()}


class SyntheticGraph:
    """A planned synthetic graph: its `spec` is known at once, its quads are streamed by `quads()`."""

    def __init__(
        self,
        *,
        triples: int | None = None,
        strategies: int | None = None,
        seed: int = 1,
        languages: Sequence[str] = words.LANGUAGES,
        vocabularies: Vocabularies | None = None,
    ) -> None:
        vocab = vocabularies or read_vocabularies(default_layout().data_dir / "vocabularies")
        self.plan: Plan = make_plan(vocab, triples=triples, strategies=strategies, seed=seed, languages=languages)
        self.spec = _spec(self.plan)

    def quads(self, context: bool = False) -> Iterator[ox.Quad]:
        """The quads, strategy by strategy; calling again starts over and yields the same quads.

        With `context`, the ontology, the shared vocabularies and the source-file descriptions of the
        project come first, each in its usual named graph (not counted in the requested size)."""
        synthetic = Emitter(self.plan).quads()
        return itertools.chain(context_quads(), synthetic) if context else synthetic


def context_quads(layout: Layout | None = None) -> Iterator[ox.Quad]:
    """The ontology, data/vocabularies/ and data/source-files.ttl, each file in its named graph."""
    layout = layout or default_layout()
    files = [
        *sorted(layout.ontology_dir.glob("*.ttl")),
        *sorted((layout.data_dir / "vocabularies").glob("*.ttl")),
        layout.data_dir / "source-files.ttl",
    ]
    for path in files:
        graph = ox.NamedNode(layout.graph_name(path))
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=graph.value, without_named_graphs=True):
            yield ox.Quad(triple.subject, triple.predicate, triple.object, graph)


def generate(*, triples: int | None = None, strategies: int | None = None, seed: int = 1) -> Iterator[ox.Quad]:
    """Quads of a synthetic graph of about `triples` triples or of `strategies` strategies (give one)."""
    return SyntheticGraph(triples=triples, strategies=strategies, seed=seed).quads()


# ---------------------------------------------------------------- the summary


def _spec(plan: Plan) -> Spec:
    kinds: Counter[str] = Counter()
    for strategy in plan.strategies:
        for element in elements(strategy):
            kinds[element.kind] += 1
            if element.measure is not None:
                kinds["Project"] += element.measure.projects
    alignments = [a for s in plan.strategies for a in s.alignments] + plan.horizontal
    places = Counter(p.kind for p in plan.places)
    graphs = {a.graph for a in alignments} | {f"strategies/{s.doc}" for s in plan.strategies}
    return Spec(
        seed=plan.seed,
        countries=places["country"],
        regions=places["region"],
        cities=places["city"],
        municipalities=places["municipality"],
        strategies=len(plan.strategies),
        strategies_per_level=dict(sorted(Counter(s.kind for s in plan.strategies).items())),
        elements=dict(sorted(kinds.items())),
        alignments=len(alignments),
        alignments_per_status=dict(sorted(Counter(a.status for a in alignments).items())),
        horizontal_alignments=len(plan.horizontal),
        fundings=kinds["Project"],
        graphs=len(graphs) + 2,
        estimated_triples=plan.estimated_triples,
        target_group=plan.designated.target_group,
        **_parameters(plan),
    )


def _parameters(plan: Plan) -> dict[str, str | None]:
    d = plan.designated
    local = plan.strategies[d.local] if d.local is not None else None
    higher = plan.strategies[d.higher] if d.higher is not None else None
    forced = local.alignments[0] if local and higher and local.alignments else None
    measure = forced.subject if forced else None
    series = d.series
    return {
        "priority": forced.obj if forced else None,
        "local": local.iri() if local else None,
        "higher": higher.iri() if higher else None,
        "measure": measure,
        "activity": f"{measure}.1" if measure else None,
        "other_local": plan.strategies[d.other].iri() if d.other is not None else None,
        "series_from": plan.strategies[series[0]].iri() if series else None,
        "series_to": plan.strategies[series[1]].iri() if series else None,
    }


# ---------------------------------------------------------------- writing


class _Progress:
    """Counts quads as they pass and, on a terminal, shows how far the generation is."""

    def __init__(self, expected: int, stream: TextIO) -> None:
        self.count = 0
        self.expected = expected
        self.stream = stream
        self.live = stream.isatty()

    def track(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        for quad in quads:
            self.count += 1
            if self.live and self.count % PROGRESS_EVERY == 0:
                self.stream.write(f"\r  {self.count:,} of about {self.expected:,} triples")
                self.stream.flush()
            yield quad
        if self.live:
            self.stream.write("\r" + " " * 60 + "\r")


def write(graph: SyntheticGraph, out: Path, progress: _Progress, context: bool = False) -> None:
    """Serialise the graph (with the project's ontology and vocabularies if `context`) to `out`."""
    suffix = out.suffix.lower()
    quads = progress.track(graph.quads(context))
    rows: Iterable[ox.Quad] | Iterable[ox.Triple] = quads if suffix in QUAD_FORMATS else (q.triple for q in quads)
    prefixes = {**PREFIXES, "graph": GRAPH, "kgd": ID} if suffix in (".ttl", ".trig") else None
    ox.serialize(rows, str(out), FORMATS[suffix], prefixes=prefixes)


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--triples", type=int, help="about this many triples (default 100000)")
    size.add_argument("--strategies", type=int, help="exactly this many strategy documents, each a full tree")
    parser.add_argument("--seed", type=int, default=1, help="random seed; the same seed gives the same quads")
    parser.add_argument("--out", type=Path, required=True, help="output file: .nt, .nq (one graph per strategy), .ttl or .trig")
    parser.add_argument(
        "--languages",
        default=",".join(words.LANGUAGES),
        help="source languages of the countries, in order (default cs,pl,sk,de,en; "
        "only cs,pl conforms to shapes/, which want a cs or pl label)",
    )
    parser.add_argument(
        "--with-context",
        action="store_true",
        help="also write ontology/, data/vocabularies/ and data/source-files.ttl (in their named graphs), "
        "which several named queries need",
    )
    parser.add_argument("--spec", type=Path, help="also write the summary and query parameters as JSON here")
    args = parser.parse_args(argv)
    if args.out.suffix.lower() not in FORMATS:
        parser.error(f"--out must end in one of {', '.join(FORMATS)}")
    if args.triples is None and args.strategies is None:
        args.triples = 100_000
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Generate, write and summarise one graph; exit 0, or 2 when the arguments cannot be honoured."""
    args = _arguments(argv)
    started = time.perf_counter()
    try:
        languages = [lang.strip() for lang in args.languages.split(",") if lang.strip()]
        graph = SyntheticGraph(triples=args.triples, strategies=args.strategies, seed=args.seed, languages=languages)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    progress = _Progress(graph.spec.estimated_triples, sys.stderr)
    write(graph, args.out, progress, args.with_context)
    seconds = time.perf_counter() - started
    spec = graph.spec
    context = sum(1 for _ in context_quads()) if args.with_context else 0
    synthetic = progress.count - context
    if args.spec:
        payload = {
            **asdict(spec),
            "triples": synthetic,
            "context_triples": context,
            "seconds": round(seconds, 2),
            "query_parameters": spec.query_parameters(),
        }
        args.spec.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    extra = f" (+{context:,} of ontology and vocabularies)" if context else ""
    print(
        f"{synthetic:,} triples{extra}, {spec.strategies} strategies, {spec.element_count:,} elements, "
        f"{spec.alignments:,} alignments, {seconds:.1f} s -> {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
