"""Suggestions as stored alignments, and a planner's judgment of them.

Suggestions for a pair of strategies live in their own named graph, `graph/user/suggestions/LOCAL--HIGHER`
(the graph the file suggestions/LOCAL--HIGHER.ttl of the user data directory is loaded into; a curator's
go to `graph/data/suggestions/LOCAL--HIGHER`, the bundled data/suggestions/), as kgo:Alignment nodes with status
kgo:Suggested, the suggester's confidence, an English explanation as evidence and copies of both elements'
source excerpts. The coherence analysis never counts them. Accepting one makes it kgo:Curated with the
planner's strength, name and time; rejecting one makes it kgo:Rejected with name and time, so that it is
not suggested again. Either way the suggester stays on record as dcterms:contributor, and the time it made
the suggestion as prov:generatedAtTime. Storing new suggestions replaces the pending ones of the pair and keeps the judged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pyoxigraph as ox

from kgservice.analysis.model import Corpus, Element, alignment_iri
from kgservice.analysis.suggest.ranker import Candidate
from kgservice.errors import NotPendingError, SuggestionError, UnknownAlignmentError
from kgservice.project.layout import USER_GRAPH
from kgservice.rdf.namespaces import DCTERMS, GRAPH, KGO, OA, PROV, RDF_TYPE, RDFS, SEMAPV, XSD
from kgservice.translation import N_

TYPE = ox.NamedNode(RDF_TYPE)
PROV_DERIVED = ox.NamedNode(PROV + "wasDerivedFrom")
SEMAPV_COMPOSITE = ox.NamedNode(SEMAPV + "CompositeMatching")
SUGGESTER = "kgservice suggester"


def _k(name: str) -> ox.NamedNode:
    return ox.NamedNode(KGO + name)


STATUS, SUGGESTED, CURATED, REJECTED = _k("alignmentStatus"), _k("Suggested"), _k("Curated"), _k("Rejected")
CREATOR, CREATED = ox.NamedNode(DCTERMS + "creator"), ox.NamedNode(DCTERMS + "created")
CONTRIBUTOR = ox.NamedNode(DCTERMS + "contributor")
GENERATED_AT = ox.NamedNode(PROV + "generatedAtTime")
COMMENT = ox.NamedNode(RDFS + "comment")


# The names a planner uses for the statuses a suggestion goes through.
STATUS_NAMES: dict[str, str] = {"pending": "kgo:Suggested", "accepted": "kgo:Curated", "rejected": "kgo:Rejected"}


@dataclass(frozen=True)
class Excerpt:
    """A copy of an element's source excerpt: source file, lines, quote."""

    source: str
    start: int
    end: int
    exact: str


def slug(strategy: str) -> str:
    """The last path segment of a strategy IRI (kgd:liberec-strategy-2021 -> liberec-strategy-2021)."""
    return strategy.rstrip("/").rsplit("/", 1)[-1]


SUGGESTIONS_FOLDER = "suggestions/"
"""The folder of stored suggestions, in the user data directory (graph/user/suggestions/) and, for a
curator's, in the bundled tree (data/suggestions/, graph/data/suggestions/)."""

SUGGESTIONS_HEADER = (
    b"# Alignment suggestions written by `kgservice suggest --save` and judged with `kgservice suggestions\n"
    b"# accept|reject` (or the same over HTTP): kgo:Suggested = pending (never counted as support),\n"
    b"# kgo:Curated = accepted, kgo:Rejected = rejected. Generated; edit through the commands, which validate every change.\n"
)


def suggestions_graph(local: str, higher: str, curated: bool = False) -> ox.NamedNode:
    """The named graph of the suggestions from `local` to `higher`: suggestions/LOCAL--HIGHER.ttl of the user
    data directory, or of the bundled data/ when a curator stores them (`curated`)."""
    base = f"{GRAPH}data/" if curated else USER_GRAPH
    return ox.NamedNode(f"{base}{SUGGESTIONS_FOLDER}{slug(local)}--{slug(higher)}")


def graph_folder(curated: bool) -> str:
    """The folder of suggestion graphs as the project's file sinks name it (relative to graph/)."""
    return ("data/" if curated else USER_GRAPH.removeprefix(GRAPH)) + SUGGESTIONS_FOLDER


def relation_for(corpus: Corpus, local: str, higher: str) -> ox.NamedNode:
    """kgo:pursuesSameAimAs between strategies of one planning level, else kgo:contributesTo."""
    levels = {corpus.strategies[s].planning_level if s in corpus.strategies else None for s in (local, higher)}
    same = len(levels) == 1 and None not in levels
    return _k("pursuesSameAimAs") if same else _k("contributesTo")


def evidence(candidate: Candidate, corpus: Corpus, concept_label: Callable[[str], str]) -> str:
    """The English explanation stored with a suggestion."""
    local, higher = corpus.elements[candidate.local], corpus.elements[candidate.higher]
    parts = [
        f"Suggested by software (confidence {candidate.score:.2f}, rank {candidate.rank} for {_name(local)}) "
        f"as a candidate for {_name(higher)}; not checked by a person."
    ]
    if candidate.shared_concepts:
        parts.append("Shared concepts: " + ", ".join(concept_label(c) for c in candidate.shared_concepts) + ".")
    if candidate.shared_words:
        parts.append("Shared words: " + ", ".join(_pair(a, b) for a, b in candidate.shared_words) + ".")
    if candidate.context_words:
        parts.append("Shared by the parents: " + ", ".join(_pair(a, b) for a, b in candidate.context_words) + ".")
    parts.append(
        f"Signals: words {candidate.lexical:.2f}, concepts {candidate.concepts:.2f}, with parents {candidate.context:.2f}."
    )
    return " ".join(parts)


def _name(element: Element) -> str:
    return f"{element.notation or element.iri.rsplit('/', 1)[-1]} '{element.label}'"


def _pair(a: str, b: str) -> str:
    return f"'{a}'" if a.lower() == b.lower() else f"'{a}' ~ '{b}'"


def suggestion_quads(
    candidates: Iterable[Candidate],
    corpus: Corpus,
    relation: ox.NamedNode,
    graph: ox.NamedNode,
    excerpts: Mapping[str, Sequence[Excerpt]],
    concept_label: Callable[[str], str],
    created: datetime,
) -> list[ox.Quad]:
    """The quads of one kgo:Suggested alignment per candidate, in `graph`."""
    quads: list[ox.Quad] = []
    when = _stamp(created)
    for candidate in candidates:
        node = ox.NamedNode(alignment_iri(candidate.local, candidate.higher))
        score = Decimal(str(candidate.score)).quantize(Decimal("0.0001"))
        confidence = ox.Literal(str(score), datatype=ox.NamedNode(XSD + "decimal"))
        triples: list[tuple[ox.NamedNode, ox.NamedNode | ox.Literal]] = [
            (TYPE, _k("Alignment")),
            (_k("subjectElement"), ox.NamedNode(candidate.local)),
            (_k("objectElement"), ox.NamedNode(candidate.higher)),
            (_k("relation"), relation),
            (STATUS, SUGGESTED),
            (_k("justification"), SEMAPV_COMPOSITE),
            (_k("confidence"), confidence),
            (CREATOR, ox.Literal(SUGGESTER)),
            (CREATED, when),
            (_k("evidence"), ox.Literal(evidence(candidate, corpus, concept_label), language="en")),
        ]
        quads += [ox.Quad(node, p, o, graph) for p, o in triples]
        for element in (candidate.local, candidate.higher):
            for excerpt in excerpts.get(element, ()):
                quads += _excerpt_quads(node, excerpt, graph)
    return quads


def _stamp(when: datetime) -> ox.Literal:
    return ox.Literal(when.astimezone(UTC).isoformat(timespec="seconds"), datatype=ox.NamedNode(XSD + "dateTime"))


def _excerpt_quads(alignment: ox.NamedNode, excerpt: Excerpt, graph: ox.NamedNode) -> list[ox.Quad]:
    node, selector = ox.BlankNode(), ox.BlankNode()
    integer = ox.NamedNode(XSD + "integer")
    return [
        ox.Quad(alignment, PROV_DERIVED, node, graph),
        ox.Quad(node, TYPE, _k("SourceExcerpt"), graph),
        ox.Quad(node, ox.NamedNode(OA + "hasSource"), ox.NamedNode(excerpt.source), graph),
        ox.Quad(node, _k("startLine"), ox.Literal(str(excerpt.start), datatype=integer), graph),
        ox.Quad(node, _k("endLine"), ox.Literal(str(excerpt.end), datatype=integer), graph),
        ox.Quad(node, ox.NamedNode(OA + "hasSelector"), selector, graph),
        ox.Quad(selector, TYPE, ox.NamedNode(OA + "TextQuoteSelector"), graph),
        ox.Quad(selector, ox.NamedNode(OA + "exact"), ox.Literal(excerpt.exact), graph),
    ]


# ---------------------------------------------------------------- changes of the stored graph


def _subtree(store: ox.Store, root: ox.NamedNode | ox.BlankNode, graph: ox.NamedNode) -> list[ox.Quad]:
    """The quads of `root` in `graph` and of the blank nodes it reaches (its excerpts)."""
    found: list[ox.Quad] = []
    todo: list[ox.NamedNode | ox.BlankNode] = [root]
    while todo:
        node = todo.pop()
        for quad in store.quads_for_pattern(node, None, None, graph):
            found.append(quad)
            if isinstance(quad.object, ox.BlankNode):
                todo.append(quad.object)
    return found


def replace_pending(store: ox.Store, graph: ox.NamedNode, quads: Sequence[ox.Quad]) -> int:
    """Remove the pending suggestions of `graph` (with their excerpts) and add those of `quads` whose alignment
    has no status in another graph (a curator's bundled suggestion of the same pair); answer how many were added."""
    for quad in list(store.quads_for_pattern(None, STATUS, SUGGESTED, graph)):
        for old in _subtree(store, quad.subject, graph):  # type: ignore[arg-type]
            store.remove(old)
    fresh = ox.Store()
    fresh.extend(quads)
    nodes = {q.subject for q in fresh.quads_for_pattern(None, STATUS, SUGGESTED, graph)}
    # One alignment has one status in the whole graph (a shape), so a pair recorded elsewhere is left as it is.
    elsewhere = {n for n in nodes if any(q.graph_name != graph for q in store.quads_for_pattern(n, STATUS, None, None))}
    for node in elsewhere:
        for quad in _subtree(fresh, node, graph):  # type: ignore[arg-type]
            fresh.remove(quad)
    store.extend(fresh)
    return len(nodes - elsewhere)


def drop_pending_of(store: ox.Store, elements: set[ox.NamedNode]) -> set[ox.NamedNode]:
    """Remove the pending suggestions (with their excerpts) whose subject or object is one of `elements`, such as the
    elements a new version of a document no longer has; answer the graphs they were in."""
    graphs: set[ox.NamedNode] = set()
    for prop in (_k("subjectElement"), _k("objectElement")):
        for element in elements:
            for link in list(store.quads_for_pattern(None, prop, element, None)):
                graph = link.graph_name
                pending = ox.Quad(link.subject, STATUS, SUGGESTED, graph)
                if isinstance(graph, ox.NamedNode) and pending in store:
                    for quad in _subtree(store, link.subject, graph):  # type: ignore[arg-type]
                        store.remove(quad)
                    graphs.add(graph)
    return graphs


def pending_graph(store: ox.Store, alignment: ox.NamedNode) -> ox.NamedNode:
    """The graph holding `alignment` as a pending suggestion, whatever other statuses it has elsewhere."""
    statuses = list(store.quads_for_pattern(alignment, STATUS, None, None))
    if not statuses:
        raise UnknownAlignmentError(
            N_("%(alignment)s is not an alignment of the graph; the named query 'suggestions' lists them"),
            alignment=alignment.value,
        )
    for status in statuses:
        if status.object == SUGGESTED and isinstance(status.graph_name, ox.NamedNode):
            return status.graph_name
    names = ", ".join(sorted(_status_name(s.object) for s in statuses))
    raise NotPendingError(
        N_("%(alignment)s is not a pending suggestion: its status is %(status)s"), alignment=alignment.value, status=names
    )


def _status_name(status: object) -> str:
    """'accepted (kgo:Curated)' for the statuses a suggestion goes through, else the status's local name."""
    local = str(getattr(status, "value", status)).rsplit("#", 1)[-1]
    names = {iri.removeprefix("kgo:"): name for name, iri in STATUS_NAMES.items()}
    return f"{names[local]} (kgo:{local})" if local in names else local


def _judge(store: ox.Store, alignment: ox.NamedNode, status: ox.NamedNode, reviewer: str, when: datetime) -> ox.NamedNode:
    if not reviewer.strip():
        raise SuggestionError(N_("the reviewer is blank: say who judges the suggestion (a name or an identifier)"))
    graph = pending_graph(store, alignment)
    # The suggester and its time stay, as contributor and generation time; the judge becomes the creator.
    kept = {CREATOR: CONTRIBUTOR, CREATED: GENERATED_AT}
    for prop in (STATUS, CREATOR, CREATED):
        for quad in list(store.quads_for_pattern(alignment, prop, None, graph)):
            store.remove(quad)
            if prop in kept:
                store.add(ox.Quad(alignment, kept[prop], quad.object, graph))
    stamp = _stamp(when)
    store.extend(
        [
            ox.Quad(alignment, STATUS, status, graph),
            ox.Quad(alignment, CREATOR, ox.Literal(reviewer.strip()), graph),
            ox.Quad(alignment, CREATED, stamp, graph),
        ]
    )
    return graph


def accept(
    alignment: str,
    reviewer: str,
    strength: int,
    when: datetime,
    note: str | None = None,
    judged: list[ox.NamedNode] | None = None,
    lang: str = "en",
) -> Callable[[ox.Store], None]:
    """A change that makes a pending suggestion kgo:Curated with `strength`, who accepted it and when, and
    the `note` tagged `lang`; the graph it changed is appended to `judged`, so that its caller can write
    that graph's file."""
    if not -3 <= strength <= 3:
        raise SuggestionError(N_("strength %(strength)s is outside the scale -3..+3 (Nilsson et al. 2016)"), strength=strength)

    def change(store: ox.Store) -> None:
        node = ox.NamedNode(alignment)
        graph = _judge(store, node, CURATED, reviewer, when)
        if judged is not None:
            judged.append(graph)
        store.add(ox.Quad(node, _k("strength"), ox.Literal(str(strength), datatype=ox.NamedNode(XSD + "integer")), graph))
        if note:
            store.add(ox.Quad(node, _k("evidence"), ox.Literal(note, language=lang), graph))

    return change


def reject(
    alignment: str,
    reviewer: str,
    when: datetime,
    reason: str | None = None,
    judged: list[ox.NamedNode] | None = None,
    lang: str = "en",
) -> Callable[[ox.Store], None]:
    """A change that makes a pending suggestion kgo:Rejected, with who rejected it, when and why (the
    `reason` tagged `lang`; the graph it changed is appended to `judged`)."""

    def change(store: ox.Store) -> None:
        node = ox.NamedNode(alignment)
        graph = _judge(store, node, REJECTED, reviewer, when)
        if judged is not None:
            judged.append(graph)
        if reason:
            store.add(ox.Quad(node, COMMENT, ox.Literal(reason, language=lang), graph))

    return change


def now() -> datetime:
    return datetime.now(UTC)
