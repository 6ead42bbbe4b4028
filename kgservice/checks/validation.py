"""SHACL validation of the knowledge graph against the shapes in shapes/, with a typed report.

pyshacl runs in advanced mode (SHACL-SPARQL constraints and targets) without inference; its results
graph is read into `Violation`s, each attributed to the named shape whose concern it breaks.
Raises `kgservice.errors.DataSyntaxError` for a shapes file that does not parse and `ShapesError`
(a `KgServiceError`) for shapes that parse but cannot be run.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pyshacl import validate
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.plugins.sparql.processor import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor, Result
from rdflib.term import Identifier, Node

from kgservice.engine.commit import Staged, ValidationOutcome, Validator
from kgservice.errors import DataSyntaxError, ShapesError
from kgservice.project.layout import Layout
from kgservice.project.loading import union_graph
from kgservice.rdf.namespaces import PREFIXES, SHAPES

#: Prefixes used to shorten IRIs in the text report only (`Violation` fields keep full IRIs): the shapes'
#: own, then those of PREFIXES the report uses, narrower namespaces before the ones that contain them.
_REPORT_PREFIXES: tuple[tuple[str, str], ...] = (
    ("kgs:", SHAPES),
    *((f"{name}:", PREFIXES[name]) for name in ("kgo", "src", "terr", "orgs", "tg", "th", "kgd")),
    *((f"{name}:", PREFIXES[name]) for name in ("skos", "dcterms", "prov", "oa", "org", "rdfs", "rdf")),
)

_PATH_IRI = re.compile(r"[^\s()|/^*+?]+")

_PATH_OPERATORS: tuple[tuple[URIRef, str], ...] = (
    (SH.inversePath, "^{}"),
    (SH.zeroOrMorePath, "{}*"),
    (SH.oneOrMorePath, "{}+"),
    (SH.zeroOrOnePath, "{}?"),
)


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result: which node breaks which shape, where, and what to fix."""

    focus_node: str
    shape: str
    path: str | None
    value: str | None
    message: str
    severity: str


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating a graph: whether it conforms, and every result, sorted."""

    conforms: bool
    violations: tuple[Violation, ...]

    def by_shape(self) -> dict[str, list[Violation]]:
        """Group the results by the IRI of the shape they break, in shape order."""
        groups: dict[str, list[Violation]] = defaultdict(list)
        for violation in self.violations:
            groups[violation.shape].append(violation)
        return dict(sorted(groups.items()))

    def text(self) -> str:
        """A human-readable report grouped by shape: focus node, path, value and message."""
        verdict = "conforms" if self.conforms else "does not conform"
        lines = [f"Validation: the graph {verdict} ({len(self.violations)} results)."]
        for shape, violations in self.by_shape().items():
            lines.append("")
            lines.append(f"{shorten(shape)} ({len(violations)})")
            lines.extend(_result_lines(violation) for violation in violations)
        return "\n".join(lines)


def shorten(iri: str) -> str:
    """Write an IRI with one of the project's usual prefixes, if one fits."""
    for prefix, namespace in _REPORT_PREFIXES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return prefix + iri[len(namespace) :]
    return iri


def _result_lines(violation: Violation) -> str:
    where = shorten(violation.focus_node)
    if violation.path is not None:
        where += "  path " + _PATH_IRI.sub(lambda match: shorten(match.group()), violation.path)
    if violation.value is not None:
        where += f"  value {shorten(violation.value)}"
    return f"  [{violation.severity}] {where}\n      {violation.message}"


def load_shapes(shapes_dir: Path) -> Graph:
    """Parse every Turtle file in `shapes_dir` into one shapes graph."""
    files = sorted(shapes_dir.glob("*.ttl"))
    if not files:
        raise FileNotFoundError(f"no shapes (*.ttl) in {shapes_dir}")
    shapes = Graph()
    for path in files:
        try:
            shapes.parse(path, format="turtle")
        except BadSyntax as error:
            raise _syntax_error(path, error) from None
    return shapes


def _syntax_error(path: Path, error: BadSyntax) -> DataSyntaxError:
    # rdflib keeps the position in private attributes; fall back to the whole message without them.
    text, offset = getattr(error, "_str", b""), getattr(error, "_i", None)
    column = offset - text.rfind(b"\n", 0, offset) if isinstance(text, bytes) and isinstance(offset, int) else None
    line = error.lines + 1 if isinstance(getattr(error, "lines", None), int) else None
    return DataSyntaxError(str(path), line, column, str(getattr(error, "_why", error)))


def validate_graph(data: Graph, shapes: Graph) -> ValidationReport:
    """Validate `data` (which must already include the ontology) against `shapes`.

    A Dataset is validated as the union of its graphs: pyshacl would otherwise
    validate each named graph alone, and targets would miss the ontology's subclass triples.
    Raises `ShapesError` if pyshacl cannot run the shapes.
    """
    # Without rules (and without inference) pyshacl writes nothing, so it need not copy the data first.
    has_rules = (None, SH.rule, None) in shapes
    conforms, results, _ = validate(
        _prepared_query_view(data),
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        inplace=not has_rules,
        allow_warnings=True,
        allow_infos=True,
    )
    if not isinstance(results, Graph):
        raise ShapesError(f"the shapes could not be run: {results}")
    violations = sorted(_violations(results, shapes), key=_sort_key)
    return ValidationReport(conforms=bool(conforms), violations=tuple(violations))


@lru_cache(maxsize=256)
def _prepare(text: str, namespaces: tuple[tuple[str, str], ...]) -> Query:
    # A parse cache, not data: rdflib evaluates a prepared query without changing it.
    return prepareQuery(text, dict(namespaces))


class _PreparedQueryGraph(Graph):
    """A graph that parses each distinct SPARQL text once.

    pyshacl sends the same SPARQL constraint text for every focus node (and every validation),
    with $this as a binding; rdflib would parse it each time, which costs more than evaluating it.
    """

    def query(
        self,
        query_object: str | Query,
        processor: str | Processor = "sparql",
        result: str | type[Result] = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Identifier] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        if isinstance(query_object, str) and not initNs:
            namespaces = tuple(sorted((prefix, str(ns)) for prefix, ns in self.namespaces()))
            query_object = _prepare(query_object, namespaces)
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


def _prepared_query_view(data: Graph) -> _PreparedQueryGraph:
    """The data as a `_PreparedQueryGraph`: sharing the store of a plain graph, a copy of a dataset's union."""
    if not isinstance(data, Dataset):
        return _PreparedQueryGraph(store=data.store, identifier=data.identifier)
    union = _PreparedQueryGraph()
    for subject, predicate, obj, _ in data.quads((None, None, None, None)):
        union.add((subject, predicate, obj))
    return union


def _sort_key(violation: Violation) -> tuple[str, str, str, str, str, str]:
    # Every field: two results of one property shape on one value (two of its constraints) came in pySHACL's order,
    # which differed between the whole graph and the subgraph of an incremental check.
    return (
        violation.shape,
        violation.focus_node,
        violation.path or "",
        violation.value or "",
        violation.message,
        violation.severity,
    )


def _violations(results: Graph, shapes: Graph) -> Iterator[Violation]:
    # Only top-level results: nested ones (sh:detail) are also typed sh:ValidationResult.
    for report in results.subjects(RDF.type, SH.ValidationReport):
        for result in results.objects(report, SH.result):
            yield _violation(results, shapes, result)


def _violation(results: Graph, shapes: Graph, result: Node) -> Violation:
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    return Violation(
        focus_node=_node_text(results.value(result, SH.focusNode)),
        shape=_named_shape(shapes, results.value(result, SH.sourceShape)),
        path=None if path is None else _path_text(results, path),
        value=None if value is None else _node_text(value),
        message=_message(results, result),
        severity=_local_name(results.value(result, SH.resultSeverity)),
    )


def _named_shape(shapes: Graph, shape: Node | None) -> str:
    """The IRI of the shape a result belongs to: a blank property shape answers for its named parent."""
    seen: set[Node] = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        shape = shapes.value(predicate=SH.property, object=shape)
    return _node_text(shape)


def _message(results: Graph, result: Node) -> str:
    messages = list(results.objects(result, SH.resultMessage))
    english = [m for m in messages if isinstance(m, Literal) and m.language in (None, "en")]
    chosen = english or messages
    if chosen:
        return " ".join(sorted(str(m) for m in chosen))
    component = results.value(result, SH.sourceConstraintComponent)
    return f"violates {_local_name(component)}"


def _path_text(graph: Graph, path: Node) -> str:
    """SPARQL-like text of a SHACL property path (IRI, sequence, alternative, inverse, repetition)."""
    if isinstance(path, URIRef):
        return str(path)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + " | ".join(_path_text(graph, p) for p in Collection(graph, alternatives)) + ")"
    for operator, template in _PATH_OPERATORS:
        inner = graph.value(path, operator)
        if inner is not None:
            return template.format(_path_text(graph, inner))
    if graph.value(path, RDF.first) is not None:
        return " / ".join(_path_text(graph, p) for p in Collection(graph, path))
    return _node_text(path)


def _node_text(node: Node | None) -> str:
    if isinstance(node, Literal):
        return node.n3()
    return "" if node is None else str(node)


def _local_name(node: Node | None) -> str:
    text = _node_text(node)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def shacl_validator(layout: Layout) -> Validator:
    """The check every write of the project's graph goes through: what the change can affect, against the shapes.

    `checks.incremental` works out the focus nodes a change reaches and validates them on a subgraph
    around them; on a graph that conformed before, that is the verdict of validating the whole graph."""
    from kgservice.checks.incremental import incremental_validator  # it builds on this module

    return incremental_validator(load_shapes(layout.shapes_dir))


def whole_graph_validator(layout: Layout) -> Validator:
    """The union of the staged graphs, all of it, against the shapes (the reference the incremental check must equal)."""
    shapes = load_shapes(layout.shapes_dir)

    def check(staged: Staged) -> ValidationOutcome:
        report = validate_graph(union_graph(staged.store), shapes)
        return ValidationOutcome(report.conforms, report.text(), [asdict(v) for v in report.violations])

    return check
