"""Suggest theme and target-group tags for the elements whose text has no curated tag of that scheme.

Curators tag an element where its text states a theme or a target group. For every other element, the
concept tagger (`ConceptIndex.match`) reads the element's own label and description in its document's
language and proposes the concepts whose label it finds there, the most specific ones only (a concept
is dropped when a narrower concept it is broader than was found too). A scheme is filled in only where
the element has no curated tag of it: suggestions never sit beside, or compete with, curated tags.

Each suggestion is stored as a `kgo:TagSuggestion` node naming the element, the concept, the concept's
label that matched and the element's words that matched it, in one graph per strategy, so that it can be
checked against the element's source excerpt. The tags of a strategy of the user data directory are stored
there (`tags/<strategy>.ttl`, graph/user/tags/); those of a bundled strategy are bundled data
(`data/tags/<strategy>.ttl`), rewritten only when a curator asks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kgservice.analysis.model import TARGET_GROUP_SCHEME, THEME_SCHEME, Corpus, Element
from kgservice.analysis.suggest.concepts import ConceptIndex, ConceptMatch
from kgservice.project.layout import USER_GRAPH
from kgservice.rdf.namespaces import DCTERMS, GRAPH, ID, KGO, RDF_TYPE

TYPE = ox.NamedNode(RDF_TYPE)
DCTERMS_CREATOR = ox.NamedNode(DCTERMS + "creator")
TAGGER = "kgservice concept tagger"
TAGS_FOLDER = "data/tags"
"""The bundled tags' folder; the user's are in tags/ of the user data directory."""
TAGS_HEADER = (
    b"# Theme and target-group tags suggested by `kgservice tags --save` for the elements whose text has no\n"
    b"# curated tag of that scheme: kgo:TagSuggestion nodes with the concept label and the words that matched.\n"
    b"# Generated from the texts and the vocabularies; do not edit, run the command again.\n"
)
SCHEMES = (THEME_SCHEME, TARGET_GROUP_SCHEME)


@dataclass(frozen=True)
class TagSuggestion:
    """A concept the tagger found in an element's text, for a scheme the element has no curated tag of."""

    element: str
    concept: str
    scheme: str
    label: str
    words: tuple[str, ...]
    lang: str

    @property
    def iri(self) -> str:
        """kgd:tag/<element path>/<concept path>, e.g. kgd:tag/liberec-strategy-2021/2.1.1/theme/crisis-help."""
        return f"{ID}tag/{self.element.removeprefix(ID)}/{self.concept.removeprefix(ID)}"


def element_text(element: Element) -> str:
    """What the tagger reads: the element's label and description in its document's language."""
    return f"{element.label} {element.description}".strip()


def most_specific(matches: Sequence[ConceptMatch], index: ConceptIndex) -> list[ConceptMatch]:
    """`matches` without the concepts that are broader than another match."""
    broader = set().union(*(index.ancestors(m.concept) for m in matches)) if matches else set()
    return [m for m in matches if m.concept not in broader]


def suggest_for(element: Element, corpus: Corpus, index: ConceptIndex) -> list[TagSuggestion]:
    """The tags suggested for one element: found concepts of the schemes it has no curated tag of."""
    curated_schemes = {corpus.concepts[c].scheme for c in element.curated if c in corpus.concepts}
    found = most_specific(index.match(element_text(element), element.lang), index)
    return [
        TagSuggestion(element.iri, m.concept, corpus.concepts[m.concept].scheme, m.label, m.words, element.lang)
        for m in found
        if corpus.concepts[m.concept].scheme not in curated_schemes
    ]


def suggest_tags(corpus: Corpus, strategy: str, index: ConceptIndex | None = None) -> list[TagSuggestion]:
    """Tag suggestions for every element of `strategy`, in element then concept order."""
    index = index or ConceptIndex(corpus.concepts.values())
    found: list[TagSuggestion] = []
    for element in sorted(corpus.of(strategy), key=lambda e: e.iri):
        found += suggest_for(element, corpus, index)
    return found


def tags_folder(user: bool) -> str:
    """The folder of tag graphs as the project's file sinks name it (relative to graph/): user/tags/ or data/tags/."""
    return f"{USER_GRAPH.removeprefix(GRAPH)}tags/" if user else f"{TAGS_FOLDER}/"


def tags_graph(strategy: str, user: bool = False) -> ox.NamedNode:
    """The graph holding the tag suggestions of one strategy: file data/tags/<strategy>.ttl, or with `user`
    tags/<strategy>.ttl of the user data directory."""
    return ox.NamedNode(f"{GRAPH}{tags_folder(user)}{strategy.removeprefix(ID)}")


def quads(suggestions: Iterable[TagSuggestion], graph: ox.NamedNode) -> list[ox.Quad]:
    """The kgo:TagSuggestion nodes of `suggestions`, in `graph`."""
    out: list[ox.Quad] = []
    for s in suggestions:
        node = ox.NamedNode(s.iri)
        facts: list[tuple[ox.NamedNode, ox.NamedNode | ox.Literal]] = [
            (TYPE, ox.NamedNode(KGO + "TagSuggestion")),
            (ox.NamedNode(KGO + "taggedElement"), ox.NamedNode(s.element)),
            (ox.NamedNode(KGO + "suggestedConcept"), ox.NamedNode(s.concept)),
            (ox.NamedNode(KGO + "matchedLabel"), ox.Literal(s.label, language=s.lang)),
            (ox.NamedNode(KGO + "matchedText"), ox.Literal(" ".join(s.words), language=s.lang)),
            (DCTERMS_CREATOR, ox.Literal(TAGGER)),
        ]
        out += [ox.Quad(node, prop, value, graph) for prop, value in facts]
    return out


def replace_tags(store: ox.Store, graphs: dict[ox.NamedNode, list[ox.Quad]], user: bool = False) -> None:
    """Make every tag graph of the store in the bundled folder (or with `user` in the user data directory's)
    hold exactly `graphs`: those not named are emptied."""
    prefix = f"{GRAPH}{tags_folder(user)}"
    for graph in list(store.named_graphs()):
        if isinstance(graph, ox.NamedNode) and graph.value.startswith(prefix):
            store.remove_graph(graph)
    for content in graphs.values():
        store.extend(content)


def replace_tags_of(store: ox.Store, graph: ox.NamedNode, content: list[ox.Quad]) -> None:
    """Make the one tag graph `graph` hold exactly `content` (the tags of one strategy just brought in)."""
    store.remove_graph(graph)
    store.extend(content)


def in_user_data(store: ox.Store, strategy: str) -> bool:
    """Whether the strategy document is stated in a graph of the user data directory (an imported strategy)."""
    typed = store.quads_for_pattern(ox.NamedNode(strategy), TYPE, ox.NamedNode(KGO + "StrategyDocument"), None)
    return any(isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(USER_GRAPH) for q in typed)


@dataclass(frozen=True)
class Coverage:
    """How the elements of one strategy are tagged in one scheme: curated, suggested only, or not at all."""

    scheme: str
    elements: int
    curated: int
    suggested: int
    untagged: tuple[str, ...]


def coverage(corpus: Corpus, strategy: str, suggestions: Sequence[TagSuggestion]) -> list[Coverage]:
    """Per scheme (themes, then target groups): how many elements of `strategy` have curated or suggested tags."""
    elements = sorted(corpus.of(strategy), key=lambda e: e.iri)
    suggested = {(s.element, s.scheme) for s in suggestions}
    out = []
    for scheme in SCHEMES:
        curated = {e.iri for e in elements if any(corpus.concepts[c].scheme == scheme for c in e.curated if c in corpus.concepts)}
        filled = {e.iri for e in elements if (e.iri, scheme) in suggested} - curated
        untagged = tuple(e.iri for e in elements if e.iri not in curated | filled)
        out.append(Coverage(scheme, len(elements), len(curated), len(filled), untagged))
    return out
