"""SHACL validation of a change by what it can affect: the focus nodes it reaches, on a subgraph around them.

A staged change comes with its delta. The focus nodes whose verdict it can alter are worked out from the
shapes in shapes/ (see `affected`); the data those nodes' constraints read is cut out of the store
(`neighbourhood`), and pySHACL runs the shapes on that subgraph for those nodes only. On a graph that
conformed before the change, the verdict and the violations are those of validating the whole graph
(tests/checks/test_incremental.py checks this on random changes). A change to rdfs:subClassOf moves
the targets and classes of any node, so it is validated whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import asdict
from typing import Any

import pyoxigraph as ox
from pyshacl import Validator as ShaclValidator
from pyshacl.graph_abstraction import DataGraph
from pyshacl.shape import Shape
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from kgservice.checks.validation import ValidationReport, _PreparedQueryGraph, _sort_key, _violations, validate_graph
from kgservice.engine.commit import Staged, ValidationOutcome, Validator
from kgservice.engine.derived import PART_OF, RDF_TYPE, descendants
from kgservice.errors import ShapesError
from kgservice.project.loading import union_graph
from kgservice.rdf.namespaces import PREFIXES

SUBCLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
IN_SCHEME = ox.NamedNode(PREFIXES["skos"] + "inScheme")
Term = ox.NamedNode | ox.BlankNode
#: Properties of a value's value that constraints read (kgs:TagSuggestionNotCuratedShape: the scheme
#: of an element's tag; the label and document shapes: whether the source file an excerpt cites is kept
#: with its original, prov:wasDerivedFrom/oa:hasSource/kgo:originalFilePath, i.e. the node was imported),
#: and of a value itself that sh:class and sh:node read.
ORIGINAL_FILE = ox.NamedNode(PREFIXES["kgo"] + "originalFilePath")
_THIRD_HOP = (RDF_TYPE, IN_SCHEME, ORIGINAL_FILE)
#: The properties of a value node that the shapes read (sh:class and kgs:NoDanglingReference: rdf:type;
#: the scheme helpers of sh:node: skos:inScheme; kgs:PeriodOfTimeBounds: the dates; kgs:NotationExtendsParent:
#: the parent's notation; kgs:TagSuggestionNotCurated: the element's tags; the chains: kgo:partOf). A change
#: of any other property of a node cannot alter the verdict of a node that points at it.
_VALUE_PROPERTIES = {
    RDF_TYPE,
    IN_SCHEME,
    PART_OF,
    ox.NamedNode(PREFIXES["skos"] + "notation"),
    ox.NamedNode("http://www.w3.org/ns/dcat#startDate"),
    ox.NamedNode("http://www.w3.org/ns/dcat#endDate"),
    ox.NamedNode(PREFIXES["kgo"] + "theme"),
    ox.NamedNode(PREFIXES["kgo"] + "targetGroup"),
}


def affected(store: ox.Store, changed: Iterable[ox.Quad], inverse: set[ox.NamedNode]) -> set[Term] | None:
    """The nodes whose validation a change of the `changed` quads can alter, in the store after it; None: all.

    A shape reads its focus node's own triples, its values' triples (sh:class, sh:node, kgs:NoDangling,
    kgs:NotationExtendsParent), their values' types and schemes (kgs:TagSuggestionNotCurated), the
    kgo:partOf chains of the node and of its values with their types (kgs:PartOfChain,
    kgs:AlignmentDifferentDocuments), and triples pointing at it by an inverse path (kgs:ExpectedOutcomeOwner).
    So a changed quad affects its subject; if a value's property is read, the nodes that point at its subject
    (two steps for a type or scheme); its partOf descendants and what points at them; its object if the
    predicate is read inversely."""
    quads = list(changed)
    if any(quad.predicate == SUBCLASS_OF for quad in quads):
        return None
    subjects = {quad.subject for quad in quads if isinstance(quad.subject, Term)}
    chains = descendants(
        store, (quad.subject for quad in quads if quad.predicate in (PART_OF, RDF_TYPE) and isinstance(quad.subject, Term))
    )
    third = {quad.subject for quad in quads if quad.predicate in _THIRD_HOP and isinstance(quad.subject, Term)}
    read = {quad.subject for quad in quads if quad.predicate in _VALUE_PROPERTIES and isinstance(quad.subject, Term)}
    focus = subjects | chains | referrers(store, read | chains) | referrers(store, referrers(store, third))
    focus |= {quad.object for quad in quads if quad.predicate in inverse and isinstance(quad.object, Term)}
    return focus


def referrers(store: ox.Store, nodes: Iterable[Term]) -> set[Term]:
    """The subjects of the triples whose object is one of `nodes`, except by rdf:type (classes change only by subClassOf)."""
    found: set[Term] = set()
    for node in nodes:
        for quad in store.quads_for_pattern(None, None, node, None):
            if quad.predicate != RDF_TYPE and isinstance(quad.subject, Term):
                found.add(quad.subject)
    return found


def neighbourhood(store: ox.Store, focus: set[Term], inverse: set[ox.NamedNode]) -> set[ox.Triple]:
    """The triples the shapes read when validating `focus` (see `affected`), from the union of the store's graphs."""
    triples: set[ox.Triple] = {_triple(q) for q in store.quads_for_pattern(None, SUBCLASS_OF, None, None)}
    values: set[Term] = set()
    for node in focus:
        for quad in store.quads_for_pattern(node, None, None, None):
            triples.add(_triple(quad))
            if quad.predicate != RDF_TYPE and isinstance(quad.object, Term):
                values.add(quad.object)
        for predicate in inverse:
            triples.update(_triple(q) for q in store.quads_for_pattern(None, predicate, node, None))
    further: set[Term] = set()
    for value in values - focus:
        for quad in store.quads_for_pattern(value, None, None, None):
            triples.add(_triple(quad))
            if quad.predicate != RDF_TYPE and isinstance(quad.object, Term):
                further.add(quad.object)
    for node in further - values - focus:
        for predicate in _THIRD_HOP:
            triples.update(_triple(q) for q in store.quads_for_pattern(node, predicate, None, None))
    triples |= _chains(store, focus | values)
    return triples


def _chains(store: ox.Store, nodes: set[Term]) -> set[ox.Triple]:
    """The kgo:partOf chains above `nodes`, with the types of every node on them."""
    triples: set[ox.Triple] = set()
    seen, frontier = set(nodes), list(nodes)
    while frontier:
        for quad in store.quads_for_pattern(frontier.pop(), PART_OF, None, None):
            triples.add(_triple(quad))
            parent = quad.object
            if isinstance(parent, Term) and parent not in seen:
                seen.add(parent)
                frontier.append(parent)
    for node in seen - nodes:
        triples.update(_triple(q) for q in store.quads_for_pattern(node, RDF_TYPE, None, None))
    return triples


def _triple(quad: ox.Quad) -> ox.Triple:
    return ox.Triple(quad.subject, quad.predicate, quad.object)


def _rdflib(term: Any) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        return (
            Literal(term.value, lang=term.language)
            if term.language
            else Literal(term.value, datatype=URIRef(term.datatype.value))
        )
    raise ValueError(f"quoted triples are not supported: {term}")


#: The focus nodes of the validation running in this thread, or None outside `FocusedShapes.validate`.
_FOCUS: ContextVar[frozenset[Node] | None] = ContextVar("kgservice_shacl_focus", default=None)


def _restrict_targets() -> None:
    """Make pySHACL's Shape.focus_nodes keep only the nodes of `_FOCUS` while one is set (once per process).

    pySHACL's own focus_nodes option keeps only IRIs, so blank excerpts and selectors would never be
    checked; a Shape has __slots__, so the method is wrapped on the class, and acts only inside our calls."""
    if getattr(Shape.focus_nodes, "_kgservice", False):
        return
    targets: Any = Shape.focus_nodes

    def focus_nodes(self: Any, data_graph: Any, debug: bool = False) -> Any:
        focus = _FOCUS.get()
        if focus is None:
            return targets(self, data_graph, debug=debug)
        if self._advanced and self.advanced_target():
            return {node for node in targets(self, data_graph, debug=debug) if node in focus}
        return _targeted(self, data_graph, focus)

    focus_nodes._kgservice = True  # type: ignore[attr-defined]
    Shape.focus_nodes = focus_nodes  # type: ignore[method-assign]


#: Each shape's Core targets, read once from the shapes graph (by shape object: shapes graphs do not change).
_SHAPE_TARGETS: dict[int, tuple[Shape, set[Node], set[Node], set[Node], set[Node]]] = {}


def _core_targets(shape: Any) -> tuple[Shape, set[Node], set[Node], set[Node], set[Node]]:
    cached = _SHAPE_TARGETS.get(id(shape))
    if cached is None or cached[0] is not shape:
        nodes, classes, implicit, objects_of, subjects_of = shape.target()
        cached = (shape, set(nodes), set(classes) | set(implicit), set(objects_of), set(subjects_of))
        _SHAPE_TARGETS[id(shape)] = cached
    return cached


def _targeted(shape: Shape, data: Any, focus: frozenset[Node]) -> set[Node]:
    """The focus nodes among a shape's Core targets, looked up from the nodes (as pySHACL selects them, without a scan)."""
    _, nodes, classes, objects_of, subjects_of = _core_targets(shape)
    found = set()
    for node in focus:
        if (
            node in nodes
            or (classes and not classes.isdisjoint(_classes(data, node)))
            or any(next(iter(data.triples((node, predicate, None))), None) is not None for predicate in subjects_of)
            or any(next(iter(data.triples((None, predicate, node))), None) is not None for predicate in objects_of)
        ):
            found.add(node)
    return found


#: The classes of each focus node in the data graph of the validation running (its types and their superclasses).
_CLASSES: ContextVar[dict[Node, set[Node]]] = ContextVar("kgservice_shacl_classes")


def _classes(data: Any, node: Node) -> set[Node]:
    cache = _CLASSES.get()
    if node not in cache:
        cache[node] = {cls for kind in data.objects(node, RDF.type) for cls in data.transitive_objects(kind, RDFS.subClassOf)}
    return cache[node]


class FocusedShapes:
    """The shapes, parsed once, run by pySHACL on a data graph for a given set of focus nodes only.

    Each shape's target set is cut down to the focus nodes; the shapes' constraints are unchanged."""

    def __init__(self, shapes: Graph) -> None:
        _restrict_targets()
        self.shapes = shapes
        options = {"advanced": True, "inference": "none", "inplace": True, "allow_warnings": True, "allow_infos": True}
        self._validator: Any = ShaclValidator(DataGraph.from_rdflib(Graph()), shacl_graph=shapes, options=options)
        self.inverse = self.inverse_paths(shapes)

    @staticmethod
    def inverse_paths(shapes: Graph) -> set[ox.NamedNode]:
        """The properties the shapes read from object to subject (sh:inversePath)."""
        return {ox.NamedNode(str(path)) for path in shapes.objects(None, SH.inversePath) if isinstance(path, URIRef)}

    def validate(self, triples: Iterable[ox.Triple], focus: Iterable[Term]) -> ValidationReport:
        """Validate `focus` against the shapes on the graph of `triples`."""
        data = _PreparedQueryGraph()
        for triple in triples:
            data.add((_rdflib(triple.subject), _rdflib(triple.predicate), _rdflib(triple.object)))
        token, classes = _FOCUS.set(frozenset(_rdflib(node) for node in focus)), _CLASSES.set({})
        self._validator.data_graph = DataGraph.from_rdflib(data)
        self._validator._target_graph = None
        try:
            conforms, results, _ = self._validator.run()
        finally:
            _FOCUS.reset(token)
            _CLASSES.reset(classes)
        if not isinstance(results, Graph):
            raise ShapesError(f"the shapes could not be run: {results}")
        violations = sorted(_violations(results, self.shapes), key=_sort_key)
        return ValidationReport(conforms=bool(conforms), violations=tuple(violations))


def validate_change(shapes: FocusedShapes, staged: Staged) -> ValidationReport:
    """Validate what `staged` can affect (the whole store after it if it changes rdfs:subClassOf)."""
    focus = affected(staged.store, staged.removed | staged.added, shapes.inverse)
    if focus is None:
        return validate_graph(union_graph(staged.store), shapes.shapes)
    if not focus:
        return ValidationReport(conforms=True, violations=())
    return shapes.validate(neighbourhood(staged.store, focus, shapes.inverse), focus)


def incremental_validator(shapes: Graph) -> Validator:
    """A Validator that checks only what each change can affect, with these shapes."""
    focused = FocusedShapes(shapes)

    def check(staged: Staged) -> ValidationOutcome:
        report = validate_change(focused, staged)
        return ValidationOutcome(report.conforms, report.text(), [asdict(v) for v in report.violations])

    return check
