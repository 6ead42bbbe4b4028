"""Comparing query answers as the SPARQL test suites mean it, each check giving None or a one-line reason.

Tables are multisets of rows, equal up to a renaming of blank nodes; when the query orders its
solutions, the sequence of ORDER BY keys must match too (rows tied on the keys may come in any
order). Graphs are equal when isomorphic (rdflib.compare); booleans when equal. Numeric and boolean
literals compare by value within their datatype (see conformance.literals).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.term import Node

from conformance.answers import Answer, Bindings, Row, answer_kind
from conformance.literals import canonical
from conformance.ordering import Ordering
from conformance.vocab import RS

_MAX_LISTED = 3


def canonical_graph(graph: Graph) -> Graph:
    """A copy of a graph with every literal in canonical form."""
    copy = Graph()
    for s, p, o in graph:
        copy.add((s, p, canonical(o)))
    return copy


def canonical_rows(rows: Sequence[Row]) -> tuple[Row, ...]:
    """Rows with every literal in canonical form."""
    return tuple({name: canonical(term) for name, term in row.items()} for row in rows)


def compare(expected: Answer, actual: Answer, order: Ordering | None = None) -> str | None:
    """None when `actual` answers like `expected`, else why not."""
    if answer_kind(expected) != answer_kind(actual):
        return f"expected a {answer_kind(expected)} answer, got a {answer_kind(actual)} one"
    if isinstance(expected, bool):
        return None if expected == actual else f"expected {str(expected).lower()}, got {str(actual).lower()}"
    if isinstance(expected, Graph) and isinstance(actual, Graph):
        return compare_graphs(expected, actual)
    assert isinstance(expected, Bindings) and isinstance(actual, Bindings)
    return compare_bindings(expected, actual, order)


def compare_graphs(expected: Graph, actual: Graph) -> str | None:
    """None when the graphs are isomorphic, else a summary of the difference."""
    expected, actual = canonical_graph(expected), canonical_graph(actual)
    if isomorphic(expected, actual):
        return None
    missing, extra = _difference(expected, actual)
    return f"graphs differ ({len(expected)} triples expected, {len(actual)} returned); missing: {missing}; unexpected: {extra}"


def _difference(expected: Graph, actual: Graph) -> tuple[str, str]:
    left, right = to_isomorphic(expected), to_isomorphic(actual)
    missing = sorted(t for t in left if t not in right)
    extra = sorted(t for t in right if t not in left)
    return _list_triples(missing), _list_triples(extra)


def _list_triples(triples: Sequence[tuple[Node, Node, Node]]) -> str:
    shown = ["{} {} {}".format(*(term.n3() for term in t)) for t in triples[:_MAX_LISTED]]
    more = f" and {len(triples) - _MAX_LISTED} more" if len(triples) > _MAX_LISTED else ""
    return ("; ".join(shown) or "none") + more


def compare_bindings(expected: Bindings, actual: Bindings, order: Ordering | None) -> str | None:
    """None when the tables hold the same solutions (in key order when ordered), else why not."""
    if set(expected.variables) != set(actual.variables):
        return f"variables differ: expected {_vars(expected.variables)}, got {_vars(actual.variables)}"
    expected_rows, actual_rows = canonical_rows(expected.rows), canonical_rows(actual.rows)
    difference = _multiset_difference(expected_rows, actual_rows)
    if difference is not None or order is None:
        return difference
    return _order_difference(expected_rows, actual_rows, order)


def _vars(names: Sequence[str]) -> str:
    return " ".join(f"?{n}" for n in sorted(names)) or "(none)"


def _multiset_difference(expected: Sequence[Row], actual: Sequence[Row]) -> str | None:
    if not (_has_blank_nodes(expected) or _has_blank_nodes(actual)):
        return _counted_difference(expected, actual)
    if isomorphic(_table_graph(expected), _table_graph(actual)):
        return None
    blurred = _counted_difference(_blur(expected), _blur(actual))
    if blurred is not None:
        return blurred + " (blank nodes shown as _:_)"
    shared = f"{_count_blank_nodes(expected)} distinct blank nodes expected, {_count_blank_nodes(actual)} returned"
    return f"solutions match except for which blank nodes are the same: {shared}"


def _counted_difference(expected: Sequence[Row], actual: Sequence[Row]) -> str | None:
    left, right = Counter(map(_key, expected)), Counter(map(_key, actual))
    if left == right:
        return None
    missing, extra = _list_rows(list((left - right).elements())), _list_rows(list((right - left).elements()))
    return f"{len(expected)} solutions expected, {len(actual)} returned; missing: {missing}; unexpected: {extra}"


def _blur(rows: Sequence[Row]) -> list[Row]:
    return [{name: _blank(term) for name, term in row.items()} for row in rows]


def _count_blank_nodes(rows: Sequence[Row]) -> int:
    return len({term for row in rows for term in row.values() if isinstance(term, BNode)})


def _order_difference(expected: Sequence[Row], actual: Sequence[Row], order: Ordering) -> str | None:
    keys = order.keys
    project = (lambda row: tuple(_sortable(row.get(k)) for k in keys)) if keys is not None else _key
    for position, (left, right) in enumerate(zip(map(project, expected), map(project, actual), strict=True)):
        if left != right:
            what = "ORDER BY keys" if keys is not None else "solutions (ORDER BY on an expression: compared row by row)"
            return f"order differs at solution {position + 1}: {what} {_show(left)} expected, {_show(right)} returned"
    return None


def _sortable(term: Node | None) -> Node | None:
    # Blank nodes tie with each other in ORDER BY and their labels are the server's own.
    return None if term is None else _blank(term)


def _blank(term: Node) -> Node:
    return BNode("_") if isinstance(term, BNode) else term


def _has_blank_nodes(rows: Sequence[Row]) -> bool:
    return any(isinstance(term, BNode) for row in rows for term in row.values())


def _key(row: Row) -> frozenset[tuple[str, Node]]:
    return frozenset(row.items())


def _list_rows(rows: Sequence[frozenset[tuple[str, Node]]]) -> str:
    shown = [_show(row) for row in rows[:_MAX_LISTED]]
    more = f" and {len(rows) - _MAX_LISTED} more" if len(rows) > _MAX_LISTED else ""
    return ("; ".join(shown) or "none") + more


def _show(value: object) -> str:
    if isinstance(value, frozenset):
        return "{" + ", ".join(f"?{name}={term.n3()}" for name, term in sorted(value)) + "}"
    if isinstance(value, tuple):
        return "(" + ", ".join("UNDEF" if term is None else term.n3() for term in value) + ")"
    return str(value)


def _table_graph(rows: Sequence[Row]) -> Graph:
    """A table written as an RDF graph (rs: vocabulary), so that graph isomorphism compares blank nodes."""
    graph = Graph()
    table = URIRef("urn:conformance:table")
    for row in rows:
        solution = BNode()
        graph.add((table, RS.solution, solution))
        for name, term in row.items():
            binding = BNode()
            graph.add((solution, RS.binding, binding))
            graph.add((binding, RS.variable, Literal(name)))
            graph.add((binding, RS.value, term))
    return graph
