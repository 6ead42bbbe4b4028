"""Query answers as values: a table of bindings, a boolean or a graph, read from files or HTTP responses.

Formats: SPARQL results XML (.srx), JSON (.srj), TSV and CSV; RDF graphs; and result sets written
in RDF with the rs: vocabulary of the W3C tests (some expected results are .ttl files of that kind).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal
from rdflib.term import Node

from conformance.endpoints import media_type
from conformance.rdfio import (
    RdfSyntaxError,
    parse_graph,
    quiet_rdflib,
    rdf_format_of_file,
    rdf_format_of_media_type,
    to_rdflib,
)
from conformance.vocab import RS

Row = dict[str, Node]


@dataclass(frozen=True)
class Bindings:
    """The solutions of a SELECT query: its variables and its rows (unbound variables are absent)."""

    variables: tuple[str, ...]
    rows: tuple[Row, ...]


Answer = Bindings | bool | Graph

_CSV = "text/csv"


class AnswerError(ValueError):
    """A response or file that is not a readable query answer."""


def answer_kind(answer: Answer) -> str:
    """'boolean', 'tabular' or 'RDF', the words the protocol manifest uses."""
    if isinstance(answer, bool):
        return "boolean"
    return "tabular" if isinstance(answer, Bindings) else "RDF"


def parse_results(data: bytes, fmt: ox.QueryResultsFormat) -> Bindings | bool:
    """SPARQL results in XML, JSON or TSV as a boolean or a table, terms exact."""
    try:
        parsed = ox.parse_query_results(data, fmt)
    except SyntaxError as error:
        raise AnswerError(f"not valid {fmt.name} results: {error}") from error
    if isinstance(parsed, ox.QueryBoolean):
        return bool(parsed)
    variables = tuple(v.value for v in parsed.variables)
    with quiet_rdflib():
        rows = tuple(_row(solution, variables) for solution in parsed)
    return Bindings(variables, rows)


def _row(solution: ox.QuerySolution, variables: tuple[str, ...]) -> Row:
    return {name: to_rdflib(solution[name]) for name in variables if solution[name] is not None}


def parse_csv(text: str) -> Bindings:
    """SPARQL CSV results: every value a plain string (CSV keeps no types), `_:` labels as blank nodes."""
    records = list(csv.reader(io.StringIO(text)))
    if not records:
        raise AnswerError("empty CSV results: the header row with the variable names is missing")
    variables = tuple(records[0])
    rows = tuple({v: _csv_term(cell) for v, cell in zip(variables, record, strict=False) if cell} for record in records[1:])
    return Bindings(variables, rows)


def _csv_term(cell: str) -> Node:
    return BNode(cell[2:]) if cell.startswith("_:") else Literal(cell)


def result_set_in_graph(graph: Graph) -> Bindings | bool | None:
    """The rs:ResultSet a graph encodes (ordered by rs:index when given), or None if it encodes none."""
    result_set = next(iter(graph.subjects(RDF.type, RS.ResultSet)), None)
    if result_set is None:
        return None
    boolean = graph.value(result_set, RS.boolean)
    if isinstance(boolean, Literal):
        return bool(boolean.toPython())
    variables = tuple(sorted(str(v) for v in graph.objects(result_set, RS.resultVariable)))
    solutions = sorted(graph.objects(result_set, RS.solution), key=lambda s: _index(graph, s))
    return Bindings(variables, tuple(_rs_row(graph, s) for s in solutions))


def _index(graph: Graph, solution: Node) -> int:
    index = graph.value(solution, RS["index"])  # RS.index would be str.index
    return int(index) if isinstance(index, Literal) else 0


def _rs_row(graph: Graph, solution: Node) -> Row:
    row: Row = {}
    for binding in graph.objects(solution, RS.binding):
        variable, value = graph.value(binding, RS.variable), graph.value(binding, RS.value)
        if variable is not None and value is not None:
            row[str(variable)] = value
    return row


def read_expected(path: Path, base: str) -> Answer:
    """The expected answer stored in a test file, chosen by its extension."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return parse_csv(path.read_text(encoding="utf-8"))
    results_format = ox.QueryResultsFormat.from_extension(suffix.lstrip("."))
    if results_format is not None:
        return parse_results(path.read_bytes(), results_format)
    rdf_format = rdf_format_of_file(path)
    if rdf_format is None:
        raise AnswerError(f"cannot tell the format of the expected result {path.name}")
    graph = parse_graph(path.read_bytes(), rdf_format, base)
    encoded = result_set_in_graph(graph)
    return graph if encoded is None else encoded


def read_response(response: httpx.Response, base: str) -> Answer:
    """The answer in an HTTP response, read as its Content-Type says."""
    kind = media_type(response)
    if kind == _CSV:
        return parse_csv(response.text)
    results_format = ox.QueryResultsFormat.from_media_type(kind) if kind else None
    if results_format is not None:
        return parse_results(response.content, results_format)
    rdf_format = rdf_format_of_media_type(kind)
    if rdf_format is None:
        raise AnswerError(f"the response's Content-Type {kind or '(none)'!r} is neither a SPARQL results nor an RDF format")
    try:
        return parse_graph(response.content, rdf_format, base)
    except RdfSyntaxError as error:
        raise AnswerError(str(error)) from error
