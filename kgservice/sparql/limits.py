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

from kgservice.errors import NestingTooDeep

# Measured with pyoxigraph 0.5 on an 8 MiB stack (the main thread of a worker, a thread of the server):
# CONCAT( nested about 950 deep crashes, { about 2500, ( about 5000; [ nested 100 deep already takes a
# second to parse. 64 is far above the W3C suites (at most 9) and our queries (at most 7).
MAX_NESTING = 64

_OPEN, _CLOSE = frozenset("({["), frozenset(")}]")
_BRACKETS = re.compile(r"[(){}\[\]]+")
_CODE_WITH_IRIS = re.compile(r"""[(){}\[\]]+|['"#<]""")
_CODE_WITHOUT_IRIS = re.compile(r"""[(){}\[\]]+|['"#]""")
_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_LINE_END = re.compile(r"\n")
_STRING_BODY = {
    opener: re.compile(r"\\.|" + (opener if len(opener) == 3 else f"[{opener}\n]"), re.DOTALL)
    for opener in ("'''", '"""', "'", '"')
}


def _string_end(text: str, start: int) -> int:
    """Where the string that opens at `start` ends (after its closing quote), or the end of the text."""
    opener = text[start] * 3 if text.startswith(text[start] * 3, start) else text[start]
    for match in _STRING_BODY[opener].finditer(text, start + len(opener)):
        if not match.group().startswith("\\"):
            return match.end()
    return len(text)


class _Depth:
    """The running and the deepest bracket depth of one reading (a closer never takes it below zero)."""

    def __init__(self, limit: int) -> None:
        self.depth = self.deepest = 0
        self.limit = limit

    def brackets(self, run: str) -> None:
        # One tight loop per run of brackets: a flat "()()()..." megabyte is read in tens of milliseconds.
        depth, deepest = self.depth, self.deepest
        for char in run:
            if char in _OPEN:
                depth += 1
                deepest = max(deepest, depth)
                if deepest > self.limit:
                    break
            elif depth:
                depth -= 1
        self.depth, self.deepest = depth, deepest


def _lexed_depth(text: str, code: re.Pattern[str], limit: int) -> int:
    """The deepest nesting outside strings and comments (and IRIs, when `code` finds `<`); stops past `limit`."""
    depth, position = _Depth(limit), 0
    while depth.deepest <= limit:
        found = code.search(text, position)
        if found is None:
            break
        char, position = found.group(), found.end()  # a quote, "#", "<" or a run of brackets
        if char in "'\"":
            position = _string_end(text, found.start())
        elif char == "#":
            line_end = _LINE_END.search(text, position)
            position = line_end.end() if line_end else len(text)
        elif char == "<":
            iri = _IRI.match(text, found.start())
            position = iri.end() if iri else position
        else:
            depth.brackets(char)
    return depth.deepest


def _raw_depth(text: str, limit: int) -> int:
    """The deepest nesting counting every bracket character, wherever it stands; stops past `limit`."""
    depth = _Depth(limit)
    for found in _BRACKETS.finditer(text):
        depth.brackets(found.group())
        if depth.deepest > limit:
            break
    return depth.deepest


_READINGS: tuple[Callable[[str, int], int], ...] = (
    lambda text, limit: _lexed_depth(text, _CODE_WITH_IRIS, limit),
    lambda text, limit: _lexed_depth(text, _CODE_WITHOUT_IRIS, limit),
    _raw_depth,
)


def nesting_depth(text: str, limit: int = MAX_NESTING) -> int:
    """The deepest bracket nesting of a SPARQL text over its readings (exact up to `limit`, past it some value above)."""
    return max(reading(text, limit) for reading in _READINGS)


def check_nesting(text: str, what: str = "query", limit: int = MAX_NESTING) -> None:
    """Raise NestingTooDeep (400) when the text nests brackets, braces or parentheses deeper than `limit`."""
    if "\\u" in text or "\\U" in text:
        text = _decode_escapes(text)
    # Fewer opening brackets than the limit cannot nest deeper: most texts end here, without a scan.
    if sum(text.count(c) for c in _OPEN) > limit and nesting_depth(text, limit) > limit:
        raise NestingTooDeep(
            f"the {what} nests brackets, braces or parentheses (function calls included) more than {limit} deep, "
            f"this service's nesting limit"
        )


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _decode_escapes(text: str) -> str:
    """Apply SPARQL codepoint escapes, which the parser applies before reading the text (\\u007B is a brace)."""

    def decode(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group()

    return _ESCAPE.sub(decode, text)
