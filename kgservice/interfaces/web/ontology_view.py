"""The ontology as the /ontology page reads it: every class, property and datatype of the kgo: namespace
from ontology/*.ttl, with its labels and definitions in cs, pl and en, its module, its super-terms, domain
and range, and the SHACL shapes of shapes/ that apply to it (a shape that targets the class or one of its
superclasses, or whose path is the property). Read once with rdflib from the files themselves."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS
from rdflib.term import Literal, Node

from kgservice.checks.validation import shorten
from kgservice.rdf.namespaces import KGO

KINDS = {
    "class": (OWL.Class,),
    "object": (OWL.ObjectProperty,),
    "datatype": (OWL.DatatypeProperty,),
    "rdfs-datatype": (RDFS.Datatype,),
}
"""The sections of the page, in order, and the rdf:type that puts a term in each; every other kgo: term (the
statuses, levels and their schemes) is an individual, listed last with its types."""
INDIVIDUAL = "individual"


@dataclass(frozen=True)
class ShapeDoc:
    """A shape that applies to a term, and how: 'target' (it targets the class or a superclass) or 'path'."""

    name: str
    how: str
    message: str


@dataclass
class TermDoc:
    """One term of the ontology as the page shows it."""

    iri: str
    kind: str
    module: str
    labels: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    parents: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    shapes: list[ShapeDoc] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.iri.removeprefix(KGO)

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.name


@dataclass(frozen=True)
class OntologyDoc:
    """The ontology's graph (every module together), its terms by section, and the module titles."""

    graph: Graph
    terms: dict[str, list[TermDoc]]
    modules: dict[str, dict[str, str]]

    def find(self, name: str) -> TermDoc | None:
        return next((t for section in self.terms.values() for t in section if t.name == name), None)


def _by_lang(graph: Graph, subject: Node, predicate: URIRef) -> dict[str, str]:
    found: dict[str, str] = {}
    for value in graph.objects(subject, predicate):
        if isinstance(value, Literal):
            found.setdefault(value.language or "", str(value))
    return found


def _iris(graph: Graph, subject: Node, predicate: URIRef) -> list[str]:
    return sorted(str(o) for o in graph.objects(subject, predicate) if isinstance(o, URIRef))


def read_modules(folder: Path) -> tuple[Graph, dict[str, str], dict[str, dict[str, str]]]:
    """All modules in one graph, the module (file stem) that declares each subject, and each module's titles."""
    graph = Graph()
    module_of: dict[str, str] = {}
    titles: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.ttl")):
        part = Graph().parse(path, format="turtle")
        graph += part
        for subject in set(part.subjects(RDF.type, None)):
            module_of.setdefault(str(subject), path.stem)
        for ontology in part.subjects(RDF.type, OWL.Ontology):
            titles[path.stem] = _by_lang(part, ontology, DCTERMS.title)
    return graph, module_of, titles


def _shape_message(shapes: Graph, shape: Node) -> str:
    for predicate in (SH.message, SH.name, RDFS.comment):
        text = _by_lang(shapes, shape, predicate)
        if text:
            return text.get("en") or next(iter(text.values()))
    return ""


def shapes_by_term(shapes: Graph) -> tuple[dict[str, set[Node]], dict[str, set[Node]]]:
    """Classes -> the shapes that target them; properties -> the (named) shapes whose path, or a nested path, is them."""
    targets: dict[str, set[Node]] = defaultdict(set)
    paths: dict[str, set[Node]] = defaultdict(set)
    for shape, cls in shapes.subject_objects(SH.targetClass):
        targets[str(cls)].add(shape)
    for shape, path in shapes.subject_objects(SH.path):
        owners = set(shapes.subjects(SH.property, shape)) or {shape}
        named = {o for o in owners if isinstance(o, URIRef)} or ({shape} if isinstance(shape, URIRef) else owners)
        if isinstance(path, URIRef):
            paths[str(path)] |= named
    for predicate in (SH.targetSubjectsOf, SH.targetObjectsOf):
        for shape, prop in shapes.subject_objects(predicate):
            paths[str(prop)].add(shape)
    return targets, paths


def _applying(
    graph: Graph, shapes: Graph, term: TermDoc, targets: dict[str, set[Node]], paths: dict[str, set[Node]]
) -> list[ShapeDoc]:
    found: dict[str, ShapeDoc] = {}
    if term.kind == "class":
        for cls in graph.transitive_objects(URIRef(term.iri), RDFS.subClassOf):
            for shape in targets.get(str(cls), ()):
                found.setdefault(str(shape), ShapeDoc(shorten(str(shape)), "target", _shape_message(shapes, shape)))
    for shape in paths.get(term.iri, ()):
        found.setdefault(str(shape), ShapeDoc(shorten(str(shape)), "path", _shape_message(shapes, shape)))
    return sorted(found.values(), key=lambda s: s.name)


def _term(graph: Graph, iri: URIRef, kind: str, module: str) -> TermDoc:
    parents = _iris(graph, iri, RDFS.subClassOf) + _iris(graph, iri, RDFS.subPropertyOf)
    return TermDoc(
        str(iri),
        kind,
        module,
        labels=_by_lang(graph, iri, RDFS.label) or _by_lang(graph, iri, SKOS.prefLabel),
        definitions=_by_lang(graph, iri, SKOS.definition),
        parents=parents,
        domain=_iris(graph, iri, RDFS.domain),
        range=_iris(graph, iri, RDFS.range),
        types=_iris(graph, iri, RDF.type) + _iris(graph, iri, SKOS.inScheme) if kind == INDIVIDUAL else [],
    )


def read_ontology(ontology_dir: Path, shapes_dir: Path) -> OntologyDoc:
    """The ontology of `ontology_dir` documented, with the shapes of `shapes_dir` that apply to each term."""
    graph, module_of, titles = read_modules(ontology_dir)
    shapes = Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    targets, paths = shapes_by_term(shapes)
    terms: dict[str, list[TermDoc]] = {}
    seen: set[URIRef] = set()
    sections = [(kind, {s for t in types for s in graph.subjects(RDF.type, t)}) for kind, types in KINDS.items()]
    for kind, subjects in [*sections, (INDIVIDUAL, set(graph.subjects(RDF.type, None)))]:
        iris = {s for s in subjects if isinstance(s, URIRef) and str(s).startswith(KGO) and s not in seen}
        seen |= iris
        docs = [_term(graph, iri, kind, module_of.get(str(iri), "")) for iri in iris]
        for doc in docs:
            doc.shapes = _applying(graph, shapes, doc, targets, paths)
        terms[kind] = sorted(docs, key=lambda d: d.name.lower())
    return OntologyDoc(graph, terms, titles)
