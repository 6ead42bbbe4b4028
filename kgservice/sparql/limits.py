"""The nesting bound of SPARQL texts: refuse a query or update nested too deep before any parser sees it.

pyoxigraph parses by recursion on the thread's stack, so a query nested a few thousand levels deep
(braces, parentheses, brackets, function calls such as CONCAT(CONCAT(...))) overflows it and kills the
process: a query worker, or for an update the whole server. `check_nesting` measures the depth in one
linear pass per reading of the text and raises `NestingTooDeep` (400) over `MAX_NESTING`.

A lexer cannot always tell an IRI `<a(b)>` from a comparison `1<(2)>0` (pyoxigraph decides by grammar
context), and that choice also moves where strings and comments start. So the text is read three ways:
`<` always opening an IRI, `<` never opening one, and every bracket counted regardless; the deepest
reading counts. A text has to be nested deep in some reading to be refused, and any text pyoxigraph
reads as deeply nested is deep in at least one of them up to a factor of about two, which the margin
between the limit and the crash depth covers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from kgservice.errors import NestingTooDeep
from kgservice.translation import N_

# Measured with pyoxigraph 0.5 on an 8 MiB stack (the main thread of a worker, a thread of the server):
# CONCAT( nested about 950 deep crashes, { about 2500, ( about 5000; [ nested 100 deep already takes a
# second to parse. 64 is far above the W3C suites (at most 9) and our queries (at most 7).
MAX_NESTING = 64

_OPEN = frozenset(b"({[")  # as bytes of UTF-8
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"(){}[]")
# What a reading skips, as it reads from left to right: a string from its quote (three quotes open a long
# string) to the next one not escaped by a backslash, a short string also to the end of its line, either to
# the end of the text if it is never closed; a comment from "#" to the end of its line; and in the reading
# where `<` opens an IRI, an IRI (a `<` that does not open one is read as less-than).
_STRINGS_AND_COMMENTS = (
    r"'''(?:\\.|(?!''')[^\\])*+(?:'''|\\?\Z)"
    r'|"""(?:\\.|(?!""")[^\\])*+(?:"""|\\?\Z)'
    r"|'(?:\\.|[^\\'\n])*+(?:['\n]|\\?\Z)"
    r'|"(?:\\.|[^\\"\n])*+(?:["\n]|\\?\Z)'
    r"|\#[^\n]*"
)
_SKIPPED_WITH_IRIS = re.compile(_STRINGS_AND_COMMENTS + r'|<[^<>"{}|^`\\\x00-\x20]*>', re.DOTALL)
_SKIPPED_WITHOUT_IRIS = re.compile(_STRINGS_AND_COMMENTS, re.DOTALL)


def _deepest(text: str, limit: int) -> int:
    """The deepest nesting of the brackets in `text` (a closer never takes it below zero); stops past `limit`.

    The brackets are taken out in C: in UTF-8 (lone surrogates too) a bracket is one byte that no other
    character's bytes contain, so deleting every other byte leaves them in order. Python then loops over
    those alone (a 4 KB query has about 150); a regex pass to find them took seven times as long."""
    depth = deepest = 0
    for byte in text.encode("utf-8", "surrogatepass").translate(None, _NOT_BRACKETS):
        if byte in _OPEN:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif depth:
            depth -= 1
    return deepest


_READINGS: tuple[Callable[[str, int], int], ...] = (
    lambda text, limit: _deepest(_SKIPPED_WITH_IRIS.sub("", text), limit),
    lambda text, limit: _deepest(_SKIPPED_WITHOUT_IRIS.sub("", text), limit),
    _deepest,  # every bracket character, wherever it stands
)


def nesting_depth(text: str, limit: int = MAX_NESTING) -> int:
    """The deepest bracket nesting of a SPARQL text over its readings (exact up to `limit`, past it some value above)."""
    return max(reading(text, limit) for reading in _READINGS)


_TOO_DEEP = {
    "query": N_(
        "the query nests brackets, braces or parentheses (function calls included) more than %(limit)s deep, "
        "this service's nesting limit"
    ),
    "update": N_(
        "the update nests brackets, braces or parentheses (function calls included) more than %(limit)s deep, "
        "this service's nesting limit"
    ),
}


def check_nesting(text: str, what: Literal["query", "update"] = "query", limit: int = MAX_NESTING) -> None:
    """Raise NestingTooDeep (400) when the text nests brackets, braces or parentheses deeper than `limit`."""
    if "\\u" in text or "\\U" in text:
        text = _decode_escapes(text)
    # Fewer opening brackets than the limit cannot nest deeper: most texts end here, without a scan.
    if sum(text.count(c) for c in "({[") > limit and nesting_depth(text, limit) > limit:
        raise NestingTooDeep(_TOO_DEEP[what], limit=limit)


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _decode_escapes(text: str) -> str:
    """Apply SPARQL codepoint escapes, which the parser applies before reading the text (\\u007B is a brace)."""

    def decode(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group()

    return _ESCAPE.sub(decode, text)
