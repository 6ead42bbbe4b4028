"""Canonical forms of numeric and boolean literals, so that answers compare by value within a datatype.

"3.0E4"^^xsd:double and "30000"^^xsd:double are one value; the tests' expected files are not written
in canonical form, and oxigraph's own runner (through its store) and rdflib (through literal normalisation)
compare such literals by value too.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from rdflib import XSD, Literal
from rdflib.term import Node

_INTEGER_TYPES = frozenset(
    XSD[name]
    for name in [
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    ]
)


def canonical(term: Node) -> Node:
    """A literal rewritten to the canonical form of its value (numbers, booleans) and lower-case language."""
    if not isinstance(term, Literal):
        return term
    if term.language:
        return Literal(str(term), lang=term.language.lower(), normalize=False)
    canonize = _CANONIZERS.get(term.datatype) or (_integer if term.datatype in _INTEGER_TYPES else None)
    if canonize is None:
        return term
    try:
        return Literal(canonize(str(term).strip()), datatype=term.datatype, normalize=False)
    except (ValueError, ArithmeticError, InvalidOperation):
        return term  # ill-typed: only the same lexical form is equal


def _integer(lexical: str) -> str:
    return str(int(lexical))


def _decimal(lexical: str) -> str:
    value = Decimal(lexical)
    if not value.is_finite():
        raise ValueError(lexical)
    text = f"{value.normalize():f}" if value else "0"  # -0.0 is 0.0
    return text if "." in text else text + ".0"


def _double(lexical: str) -> str:
    value = float({"INF": "inf", "+INF": "inf", "-INF": "-inf", "NaN": "nan"}.get(lexical, lexical))
    return "NaN" if math.isnan(value) else repr(value)


def _boolean(lexical: str) -> str:
    return {"true": "true", "1": "true", "false": "false", "0": "false"}[lexical]


_CANONIZERS: dict[Node | None, Callable[[str], str]] = {
    XSD.decimal: _decimal,
    XSD.double: _double,
    XSD.float: _double,
    XSD.boolean: _boolean,
}
