"""The answers as documents: pydantic models with labels in one language (English where a label is
missing), built from the analysis. The HTTP API returns them, the CLI renders them as md, csv, json or
html; every figure of the summary lists the elements it counts.

In the JSON, the keys and the codes (relation, status, kind, route, side, a figure's `key`, a cell's
`display`) are English and stable; the prose (the summary's sentences, a figure's `name`, the matrix's
column rule, the notes) is in the report's language, from the catalogues (kgservice.translation)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

from pydantic import BaseModel, Field

from kgservice.analysis.coherence.analysis import Cell, Coherence, Link
from kgservice.analysis.coherence.chains import Chain
from kgservice.analysis.coherence.compare import Comparison, ThemeOverlap
from kgservice.analysis.coherence.graph import StrategyGraph
from kgservice.analysis.coherence.words import relation
from kgservice.analysis.model import Alignment
from kgservice.rdf.namespaces import compact
from kgservice.translation import N_, Translator, translator

Lang = Literal["cs", "pl", "en"]


class Element(BaseModel):
    """A strategy document or element, labelled in the chosen language."""

    iri: str
    id: str = Field(description="the IRI as a prefixed name")
    kind: str
    notation: str
    label: str
    strategy: str


class AlignmentOut(BaseModel):
    """One stated alignment with its evidence."""

    iri: str
    subject: Element
    object: Element
    relation: str
    status: str
    strength: int | None = Field(description="Nilsson et al. (2016) score, -3..+3; null when the source does not grade it")
    evidence: str


class LinkOut(BaseModel):
    """An alignment as it reaches a cell: which local element states it and how."""

    alignment: AlignmentOut
    local_route: str = Field(description="direct | through parent | through activity (or another kind below the measure)")
    higher_route: str = Field(description="direct | through sub-priority")


class CellOut(BaseModel):
    """A non-empty cell of the matrix: all links between a measure and a priority."""

    measure: str
    priority: str
    relations: list[str]
    support_strength: int | None = Field(description="the highest graded strength of its support links")
    conflict_strength: int | None = Field(description="the lowest graded strength of its conflict links")
    display: str = Field(description="the cell as a short text: strength and relation of the strongest link")
    best: LinkOut | None = Field(description="the strongest support link (or the conflict, when there is no support)")
    links: list[LinkOut]


class Matrix(BaseModel):
    """Local measures (rows) by higher-level priorities (columns); cells are sparse."""

    columns_rule: str
    rows: list[Element]
    columns: list[Element]
    cells: list[CellOut]


class CoverageOut(BaseModel):
    """How one priority of the higher strategy is supported."""

    priority: Element
    status: Literal["direct", "through children", "gap"]
    supporters: list[Element] = Field(description="the local elements whose alignments support it or its sub-priorities")
    alignments: list[str]


class GapOut(BaseModel):
    """A largest unsupported part of the higher strategy."""

    root: Element
    size: int
    uncovered: list[Element]
    reached_by_chains: int = Field(description="chains that reach it through intermediate strategies (not counted as coverage)")


class BranchOut(BaseModel):
    """A top-level priority (area or strategic goal) of the higher strategy and how much of it is covered."""

    root: Element
    priorities: int
    uncovered: list[Element]


class HopOut(BaseModel):
    climb: list[Element] = Field(description="elements walked up from the previous target to this hop's subject")
    alignment: AlignmentOut


class ChainOut(BaseModel):
    """Support across intermediate strategies, hop by hop; never an equivalence."""

    start: Element
    end: Element
    strategies: list[str]
    weakest: int | None = Field(description="the lowest graded strength of its hops")
    hops: list[HopOut]


class Figure(BaseModel):
    """One number of the summary with the elements behind it."""

    key: str = Field(description="what is counted, as a stable code (aligned_measures, gaps, ...)")
    name: str = Field(description="what is counted, in the report's language")
    count: int
    total: int | None = None
    share: float | None = Field(default=None, description="count / total, 0..1")
    elements: list[str] = Field(description="prefixed names of the elements or alignments counted")


class Summary(BaseModel):
    figures: list[Figure]
    text: list[str] = Field(description="the summary in a few sentences")


class CoherenceReport(BaseModel):
    """Coherence of a local strategy with a higher-level strategy."""

    local: Element
    higher: Element
    lang: Lang
    summary: Summary
    matrix: Matrix
    coverage: list[CoverageOut]
    gaps: list[GapOut]
    branches: list[BranchOut] = Field(
        description="each top-level priority with its uncovered priorities, the least covered first"
    )
    unsupported_measures: list[Element]
    conflicts: list[AlignmentOut]
    strongest: list[AlignmentOut]
    chains: list[ChainOut]
    ignored_suggested: list[AlignmentOut]
    notes: list[str]


class ThemeOut(BaseModel):
    """A concept of the theme or target-group scheme and how much each strategy addresses it."""

    concept: str
    label: str
    scheme: str
    side: Literal["both", "only A", "only B"]
    count_a: int
    count_b: int
    share_a: float = Field(description="count_a / number of elements of A")
    share_b: float
    overlap: float = Field(description="min(share_a, share_b) / max(share_a, share_b); 0 when only one side has it")
    elements_a: list[Element]
    elements_b: list[Element]


class ComparisonReport(BaseModel):
    """Shared and distinct themes and target groups of two strategies."""

    a: Element
    b: Element
    lang: Lang
    elements_a: int
    elements_b: int
    overlap: float = Field(description="weighted Jaccard of the theme shares: sum of min / sum of max over all concepts")
    shared: int
    only_a: int
    only_b: int
    themes: list[ThemeOut]
    links: list[AlignmentOut] = Field(description="alignments between elements of the two strategies, either way")


def element(graph: StrategyGraph, iri: str, lang: str) -> Element:
    node = graph.nodes[iri]
    return Element(
        iri=iri,
        id=compact(iri),
        kind=node.kind,
        notation=node.notation,
        label=graph.label(iri, lang),
        strategy=compact(node.strategy),
    )


def alignment_out(graph: StrategyGraph, a: Alignment, lang: str) -> AlignmentOut:
    evidence = a.evidence.get(lang) or a.evidence.get("en") or next(iter(a.evidence.values()), "")
    return AlignmentOut(
        iri=a.iri,
        subject=element(graph, a.subject, lang),
        object=element(graph, a.object, lang),
        relation=a.relation,
        status=a.status,
        strength=a.strength,
        evidence=evidence,
    )


def _link(graph: StrategyGraph, link: Link, lang: str) -> LinkOut:
    return LinkOut(
        alignment=alignment_out(graph, link.alignment, lang), local_route=link.local_route, higher_route=link.higher_route
    )


def cell_display(cell: Cell) -> str:
    """'+2 implements', 'contributesTo' (ungraded), '-2 conflictsWith'; support and conflict joined by ' / '."""
    parts = [_strength_text(link) for link in (cell.support, cell.conflict) if link is not None]
    return " / ".join(parts) or "consistentWith"


def _strength_text(link: Link) -> str:
    strength = link.alignment.strength
    return f"{strength:+d} {link.alignment.relation}" if strength is not None else link.alignment.relation


def _cell(graph: StrategyGraph, cell: Cell, lang: str) -> CellOut:
    best = cell.support or cell.conflict
    return CellOut(
        measure=cell.measure,
        priority=cell.priority,
        relations=sorted(cell.relations),
        support_strength=cell.support_strength,
        conflict_strength=cell.conflict_strength,
        display=cell_display(cell),
        best=_link(graph, best, lang) if best else None,
        links=[_link(graph, link, lang) for link in cell.links],
    )


def chain_out(graph: StrategyGraph, chain: Chain, lang: str) -> ChainOut:
    hops = [
        HopOut(climb=[element(graph, e, lang) for e in hop.climb], alignment=alignment_out(graph, hop.alignment, lang))
        for hop in chain.hops
    ]
    return ChainOut(
        start=element(graph, chain.start, lang),
        end=element(graph, chain.end, lang),
        strategies=[compact(s) for s in chain.strategies(graph)],
        weakest=chain.weakest,
        hops=hops,
    )


def _ids(iris: Iterable[str]) -> list[str]:
    return [compact(i) for i in iris]


# What each figure counts: its stable key and its name, translated in the report's language.
FIGURES = {
    "measures": N_("measures of the local strategy"),
    "aligned_measures": N_("measures that support the higher strategy"),
    "unsupported_measures": N_("measures that support nothing in it"),
    "priorities": N_("priorities of the higher strategy"),
    "covered_priorities": N_("priorities covered (directly or through sub-priorities)"),
    "direct_priorities": N_("priorities covered directly"),
    "gaps": N_("priorities not covered (gaps)"),
    "conflicts": N_("conflicts"),
    "chains": N_("support chains through intermediate strategies"),
    "ignored_suggestions": N_("suggested alignments ignored"),
}


def _figure(t: Translator, key: str, counted: Iterable[str], total: int | None = None) -> Figure:
    ids = _ids(counted)
    share = round(len(ids) / total, 4) if total else None
    return Figure(key=key, name=t.gettext(FIGURES[key]), count=len(ids), total=total, share=share, elements=ids)


def _figures(c: Coherence, t: Translator) -> list[Figure]:
    direct = [p for p in c.priorities if c.coverage[p].direct]
    return [
        _figure(t, "measures", c.measures),
        _figure(t, "aligned_measures", c.aligned, len(c.measures)),
        _figure(t, "unsupported_measures", c.unsupported, len(c.measures)),
        _figure(t, "priorities", c.priorities),
        _figure(t, "covered_priorities", c.covered, len(c.priorities)),
        _figure(t, "direct_priorities", direct, len(c.priorities)),
        _figure(t, "gaps", c.uncovered, len(c.priorities)),
        _figure(t, "conflicts", (a.iri for a in c.conflicts)),
        _figure(t, "chains", (ch.end for ch in c.chains)),
        _figure(t, "ignored_suggestions", (a.iri for a in c.ignored)),
    ]


def share_text(count: int, total: int) -> str:
    return f"{100 * count / total:.0f} %" if total else "–"  # noqa: RUF001 - a dash: no share of nothing


def _coverage_sentences(graph: StrategyGraph, c: Coherence, t: Translator) -> list[str]:
    local, higher = graph.label(c.local, t.lang), graph.label(c.higher, t.lang)
    measures, priorities = len(c.measures), len(c.priorities)
    return [
        t.ngettext(
            "%(local)s: %(count)s measure supports %(higher)s (of %(total)s, %(share)s).",
            "%(local)s: %(count)s measures support %(higher)s (of %(total)s, %(share)s).",
            len(c.aligned),
            local=local,
            higher=higher,
            total=measures,
            share=share_text(len(c.aligned), measures),
        ),
        t.ngettext(
            "%(higher)s: %(count)s priority covered (of %(total)s, %(share)s).",
            "%(higher)s: %(count)s priorities covered (of %(total)s, %(share)s).",
            len(c.covered),
            higher=higher,
            total=priorities,
            share=share_text(len(c.covered), priorities),
        ),
    ]


def _link_sentences(c: Coherence, t: Translator, name: Callable[[str], str]) -> list[str]:
    text = []
    if c.strongest:
        best = c.strongest[0]
        link = {"subject": name(best.subject), "relation": relation(best.relation, t.lang), "object": name(best.object)}
        if best.strength is None:
            text.append(t.gettext("Strongest link: %(subject)s %(relation)s %(object)s (stated, ungraded).", **link))
        else:
            text.append(
                t.gettext("Strongest link: %(subject)s %(relation)s %(object)s (%(strength)+d).", strength=best.strength, **link)
            )
    conflicts = "; ".join(f"{name(a.subject)} {relation(a.relation, t.lang)} {name(a.object)}" for a in c.conflicts)
    if c.conflicts:
        text.append(
            t.ngettext(
                "%(count)s conflict: %(conflicts)s.", "%(count)s conflicts: %(conflicts)s.", len(c.conflicts), conflicts=conflicts
            )
        )
    else:
        text.append(t.gettext("No conflicts."))
    return text


def _gap_sentences(c: Coherence, t: Translator, name: Callable[[str], str]) -> list[str]:
    text = []
    if any(b.uncovered for b in c.branches):
        least = "; ".join(
            t.gettext(
                "%(name)s: %(uncovered)s of %(total)s uncovered",
                name=name(b.root),
                uncovered=len(b.uncovered),
                total=len(b.priorities),
            )
            for b in c.branches[:3]
            if b.uncovered
        )
        text.append(t.gettext("Least covered: %(branches)s.", branches=least))
    if c.gaps:
        gaps = "; ".join(
            t.ngettext("%(name)s (%(count)s priority)", "%(name)s (%(count)s priorities)", len(g.uncovered), name=name(g.root))
            for g in c.gaps[:3]
        )
        text.append(t.gettext("Biggest gaps: %(gaps)s.", gaps=gaps))
    if c.unsupported:
        measures = "; ".join(name(m) for m in c.unsupported)
        text.append(t.gettext("Measures that support nothing in it: %(measures)s.", measures=measures))
    return text


def _sentences(graph: StrategyGraph, c: Coherence, t: Translator) -> list[str]:
    def name(iri: str) -> str:
        node = graph.nodes[iri]
        return f"{node.notation} {graph.label(iri, t.lang)}".strip()

    return [*_coverage_sentences(graph, c, t), *_link_sentences(c, t, name), *_gap_sentences(c, t, name)]


COLUMNS_TARGETED = N_(
    "elements of the higher strategy that receive a counted alignment from the local strategy; a cell also "
    "holds the links of the column's sub-priorities"
)
COLUMNS_ALL = N_("every element of the higher strategy")


def coherence_report(graph: StrategyGraph, c: Coherence, lang: Lang) -> CoherenceReport:
    """The analysis of one pair as a document in `lang`."""

    def el(iri: str) -> Element:
        return element(graph, iri, lang)

    t = translator(lang)
    shown = set(c.columns)
    rule = t.gettext(COLUMNS_TARGETED if len(shown) < len(graph.elements.get(c.higher, ())) or not shown else COLUMNS_ALL)
    cells = [_cell(graph, cell, lang) for (m, p), cell in sorted(c.cells.items()) if p in shown]
    coverage = [
        CoverageOut(
            priority=el(p),
            status=v.status,
            supporters=[el(s) for s in v.supporters],
            alignments=[a.iri for a in (*v.direct, *v.through_children)],
        )
        for p, v in c.coverage.items()
    ]
    gaps = [
        GapOut(
            root=el(g.root), size=len(g.uncovered), uncovered=[el(u) for u in g.uncovered], reached_by_chains=len(g.reached_by)
        )
        for g in c.gaps
    ]
    return CoherenceReport(
        local=el(c.local),
        higher=el(c.higher),
        lang=lang,
        summary=Summary(figures=_figures(c, t), text=_sentences(graph, c, t)),
        matrix=Matrix(columns_rule=rule, rows=[el(m) for m in c.measures], columns=[el(p) for p in c.columns], cells=cells),
        coverage=coverage,
        gaps=gaps,
        branches=[
            BranchOut(root=el(b.root), priorities=len(b.priorities), uncovered=[el(u) for u in b.uncovered]) for b in c.branches
        ],
        unsupported_measures=[el(m) for m in c.unsupported],
        conflicts=[alignment_out(graph, a, lang) for a in c.conflicts],
        strongest=[alignment_out(graph, a, lang) for a in c.strongest],
        chains=[chain_out(graph, ch, lang) for ch in c.chains],
        ignored_suggested=[alignment_out(graph, a, lang) for a in c.ignored],
        notes=[t.gettext(note) for note in c.notes],
    )


def _theme(graph: StrategyGraph, t: ThemeOverlap, lang: str) -> ThemeOut:
    return ThemeOut(
        concept=t.concept,
        label=graph.label(t.concept, lang),
        scheme=t.scheme,
        side=t.side,
        count_a=len(t.elements_a),
        count_b=len(t.elements_b),
        share_a=round(t.share_a, 4),
        share_b=round(t.share_b, 4),
        overlap=round(t.overlap, 4),
        elements_a=[element(graph, e, lang) for e in t.elements_a],
        elements_b=[element(graph, e, lang) for e in t.elements_b],
    )


def comparison_report(graph: StrategyGraph, c: Comparison, lang: Lang) -> ComparisonReport:
    """The theme comparison of two strategies as a document in `lang`."""
    sides = [t.side for t in c.themes]
    return ComparisonReport(
        a=element(graph, c.a, lang),
        b=element(graph, c.b, lang),
        lang=lang,
        elements_a=c.size_a,
        elements_b=c.size_b,
        overlap=round(c.overlap, 4),
        shared=sides.count("both"),
        only_a=sides.count("only A"),
        only_b=sides.count("only B"),
        themes=[_theme(graph, t, lang) for t in c.themes],
        links=[alignment_out(graph, a, lang) for a in c.links],
    )
