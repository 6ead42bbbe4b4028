"""Say what is wrong with a query that does not parse, in one line a user can act on.

pyoxigraph reports an undefined prefix as a list of everything it expected, Unicode ranges of name
characters included (four lines of them), and often at a place after the name. Once a query has failed
to parse, this module looks for the commonest cause, a prefixed name whose prefix the query does not
declare, and names it with its line and column; other messages lose their character ranges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kgservice.errors import QuerySyntaxError
from kgservice.rdf.namespaces import PREFIXES
from kgservice.sparql.lexer import Token, tokens
from kgservice.translation import N_

# The names of a query and an update sent over HTTP in their syntax errors: "query syntax error:2:7: expected ..."
QUERY_SOURCE = N_("query syntax error")
UPDATE_SOURCE = N_("update syntax error")
UNDEFINED = N_(
    "undefined prefix %(prefix)s: at line %(line_number)s, column %(column_number)s; declare it with PREFIX %(prefix)s: <%(iri)s>"
)
EXPECTED_ONE = "expected {item}"
EXPECTED_ANY = "expected one of {items}"
_EXPECTED = re.compile(r"expected one of (.*)$", re.DOTALL)


@dataclass(frozen=True)
class Place:
    line: int
    column: int


def place(text: str, offset: int) -> Place:
    """The 1-based line and column (in characters) of an offset in the text."""
    line_start = text.rfind("\n", 0, offset) + 1
    return Place(text.count("\n", 0, offset) + 1, offset - line_start + 1)


def _prefix_of(token: Token) -> str | None:
    """The prefix of a prefixed name token (`kgo` of `kgo:Measure`, "" of `:x`); None for other tokens and
    for blank node labels (`_:b`)."""
    if token.kind != "name" or ":" not in token.text:
        return None
    prefix = token.text.partition(":")[0]
    return None if prefix == "_" else prefix


def first_undefined_prefix(text: str) -> tuple[str, Place] | None:
    """The first prefixed name of the text whose prefix no PREFIX declaration before it defines."""
    declared: set[str] = set()
    previous = ""
    for token in tokens(text):
        prefix = _prefix_of(token)
        if previous == "PREFIX" and prefix is not None:
            declared.add(prefix)
        elif prefix is not None and prefix not in declared:
            return prefix, place(text, token.start)
        previous = token.text.upper() if token.kind == "name" else ""
    return None


def _without_character_ranges(detail: str) -> str:
    """pyoxigraph's message on one line, without the Unicode ranges of its "expected one of" list."""
    flat = " ".join(detail.split())
    found = _EXPECTED.search(flat)
    if not found:
        return flat
    items = [item for item in found.group(1).split(", ") if not item.startswith("[")]  # character classes
    if not items:
        return flat
    said = EXPECTED_ONE.format(item=items[0]) if len(items) == 1 else EXPECTED_ANY.format(items=", ".join(items))
    return flat[: found.start()] + said


def clarified(error: QuerySyntaxError, text: str) -> QuerySyntaxError:
    """The syntax error of `text` as one clear line: the undefined prefix where there is one, else
    pyoxigraph's message without its character ranges, at pyoxigraph's line and column."""
    undefined = first_undefined_prefix(text)
    if undefined is not None:
        prefix, where = undefined
        iri = PREFIXES.get(prefix, "...")
        return QuerySyntaxError(
            error.source,
            where.line,
            where.column,
            UNDEFINED,
            prefix=prefix,
            line_number=where.line,
            column_number=where.column,
            iri=iri,
        )
    return QuerySyntaxError(error.source, error.line, error.column, _without_character_ranges(error.detail))
