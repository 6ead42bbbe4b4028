"""A small SPARQL lexer: the significant tokens of a query, with strings, IRIs and comments kept whole,
and the places where a keyword could stand as oxigraph's parser reads it (glued to what follows or not).

Enough to find keywords (SERVICE, LOAD, FROM) without being fooled by the same words inside strings,
IRIs or comments; not a parser. Every function here is linear in the text and keeps nothing between calls.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from kgservice.errors import MalformedRequest
from kgservice.translation import N_

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<name>[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_.\-\u00B7-\uFFFF]*(?::[^\s(){}\[\],;]*)?|:[^\s(){}\[\],;]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int = 0


def tokens(text: str) -> Iterator[Token]:
    """The significant tokens of a SPARQL text (no spaces, no comments)."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            yield Token(kind, match.group(), match.start())


def _keyword(token: Token) -> str:
    return token.text.upper() if token.kind == "name" else ""


def add_using(update: str, using: tuple[str, ...], using_named: tuple[str, ...]) -> str:
    """Give each DELETE/INSERT ... WHERE operation of an update the protocol's using-(named-)graph-uri.

    SPARQL 1.1 Protocol 2.2.3: the parameters act as USING / USING NAMED clauses of every operation,
    and an update that has its own USING, USING NAMED or WITH must not be sent with them. The IRIs
    must already be serialized IRI terms (<...>) made by pyoxigraph from validated input."""
    stream = list(tokens(update))
    if any(_keyword(t) in ("USING", "WITH") for t in stream):
        raise MalformedRequest(N_("the update has its own USING or WITH clause and also using-graph-uri / using-named-graph-uri"))
    clauses = "".join(f"USING {iri} " for iri in using) + "".join(f"USING NAMED {iri} " for iri in using_named)
    depth, positions = 0, []
    for i, token in enumerate(stream):
        if token.text == "{":
            depth += 1
        elif token.text == "}":
            depth -= 1
        elif depth == 0 and _keyword(token) == "WHERE" and not (i > 0 and _keyword(stream[i - 1]) == "DELETE"):
            positions.append(token.start)
    for position in reversed(positions):
        update = update[:position] + clauses + update[position:]
    return update


# Each string alternative also matches an unterminated string (to the end of its line or of the text),
# so a scan never retries from every quote (which made 1 MB of quotes quadratic); an unterminated string
# is left readable, since oxigraph may not read it as a string at all.
_STRINGS = (
    r"'''(?:[^'\\]|\\.|'(?!''))*+(?:'''|\\?\Z)"
    r'|"""(?:[^"\\]|\\.|"(?!""))*+(?:"""|\\?\Z)'
    r"|'(?:[^'\\\n\r]|\\.)*+(?:'|(?=[\n\r])|\\?\Z)"
    r'|"(?:[^"\\\n\r]|\\.)*+(?:"|(?=[\n\r])|\\?\Z)'
    r"|\#[^\n\r]*"
)
_OPAQUE_WITH_IRIS = re.compile(_STRINGS + r'|<[^<>"{}|^`\\\s]*>', re.DOTALL)
# The same, but an IRI with "#" in it is read as `<` followed by a comment, as where oxigraph reads `<` as less-than
_OPAQUE_WITHOUT_HASHED_IRIS = re.compile(_STRINGS + r'|<[^<>"{}|^`\\\s#]*>', re.DOTALL)


def _opaque(found: str) -> bool:
    """Whether a string, comment or IRI the pattern found is blanked: all but an unterminated string."""
    quote = found[0]
    if quote in "'\"":
        opener = 3 if found.startswith(quote * 3) and len(found) >= 3 else 1
        return len(found) >= 2 * opener and found.endswith(quote * opener)  # unterminated: its text stays readable
    return True


def _blank(match: re.Match[str]) -> str:
    found = match.group()
    return " " * len(found) if _opaque(found) else found  # same length: positions in the masked text are the text's


def masked(text: str, hashed_iris: bool = True) -> str:
    """The text with its strings, comments and IRIs blanked out, position for position; with `hashed_iris`
    false, an IRI holding "#" is read as `<` and a comment.

    `<` is an IRI where oxigraph expects a term and less-than where it expects an operator
    (`FILTER(?x<'>')`), so screens read the text both ways. Nothing is cached: a cache keyed by whole
    texts kept every large query a client sent."""
    return (_OPAQUE_WITH_IRIS if hashed_iris else _OPAQUE_WITHOUT_HASHED_IRIS).sub(_blank, text)


_FROM = re.compile(r"(?<![\w:?$.\-])FROM(?![\w:.\-])", re.IGNORECASE)


def word_starts(text: str, pattern: re.Pattern[str], *words: str) -> list[int]:
    """Where the case-insensitive `pattern` of the `words` matches, in order. In an ASCII text, each place its
    lower case has a word is tried, at C speed (a look-behind or an alternation over a 3 KB query took the
    pattern 40-70 us); any other text is searched with the pattern, which also matches the letters Unicode
    folds to ASCII ones (U+017F, U+0130, U+0131)."""
    if not text.isascii():
        return [match.start() for match in pattern.finditer(text)]
    lower, found = text.lower(), []
    for word in words:
        start = lower.find(word)
        while start >= 0:
            if pattern.match(text, start):
                found.append(start)
            start = lower.find(word, start + 1)
    return sorted(found)


def has_dataset_clause(text: str) -> bool:
    """Whether a query declares its own dataset with FROM or FROM NAMED: a FROM outside every string, comment
    and IRI. Blanking cannot make a FROM (a blanked span ends with a quote, a `>` or before a line break), so
    the FROMs of the masked text are those of the text that no blanked span covers; the spans are only
    looked for up to the last FROM (masking a 3 KB query whose comment says "from" took 80 us)."""
    candidates = word_starts(text, _FROM, "from")
    if not candidates:
        return False
    found = itertools.takewhile(lambda match: match.start() <= candidates[-1], _OPAQUE_WITH_IRIS.finditer(text))
    blanked = [match.span() for match in found if _opaque(match.group())]
    return any(not any(start <= candidate < end for start, end in blanked) for candidate in candidates)


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def decode_escapes(text: str) -> str:
    """Apply SPARQL codepoint escapes (\\uXXXX, \\UXXXXXXXX), which oxigraph applies to the whole text first."""
    if "\\u" not in text and "\\U" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


# oxigraph matches a keyword without asking that a word end after it (`SERVICEex:x` is SERVICE ex:x,
# `?o .SERVICE`, `true SERVICE`, `1SERVICE` too), so an occurrence of the letters counts unless what
# stands right before it makes it the inside of a longer token: a variable, the local part of a
# prefixed name or blank node label, a language tag, or a word that is not itself a token.
_NAME_RUN = re.compile(r"[A-Za-z0-9_\u00B7-\uFFFF]*")  # read backwards
_PN_RUN = re.compile(r"(?:.\\|[A-Za-z0-9_.\-:%\u00B7-\uFFFF])*", re.DOTALL)  # read backwards: an escape `\\x` reads `x\\`
_LANGTAG = re.compile(r"@[A-Za-z]+(?:-[A-Za-z0-9]*)*\Z")
_ENDS_A_TOKEN = re.compile(r"(?i)true|false|[0-9eE]*")
_LOOKBACK = 256
# After these no keyword can follow: a variable's "?" or "$", and operators of expressions and paths, where
# oxigraph expects a term (`<http://x/service#a>` read with `<` as less-than gives `/service`)
_INSIDE_AN_EXPRESSION_OR_A_NAME = frozenset("?$/^|=!&<")


def _inside_a_prefixed_name(backwards: str) -> bool:
    local = _PN_RUN.match(backwards)
    run = local.group()[::-1] if local else ""
    if ":" not in run:
        return False
    # a local part cannot start with "." or "-": `ex:.SERVICE` is ex: then . then SERVICE
    return not run.partition(":")[2].startswith((".", "-"))


def plainly_inside_a_name(text: str, start: int) -> bool:
    """Whether the word at `start` of the unmasked text is a keyword in no reading of it: it continues a word
    that is not a token (`kgservice`), or a name after a variable's or an operator's character (`/service`).

    Sound without masking: a string, comment or IRI ends with a quote, a `>` or before a line break, none of
    which is a name character. So in every reading either the word is blanked too, or the run of name
    characters before it reads as it stands, and `could_be_keyword` refuses the word for that run."""
    found = _NAME_RUN.match(text[max(0, start - _LOOKBACK) : start][::-1])
    length = len(found.group()) if found else 0
    if length == _LOOKBACK:
        return False
    previous = start - 1 - length
    if previous >= 0 and text[previous] in _INSIDE_AN_EXPRESSION_OR_A_NAME:
        return True
    return length > 0 and _ENDS_A_TOKEN.fullmatch(text[start - length : start]) is None


def could_be_keyword(text: str, start: int) -> bool:
    """Whether the word at `start` of the (masked) text could be read by oxigraph as a keyword."""
    if start > 0 and text[start - 1] in _INSIDE_AN_EXPRESSION_OR_A_NAME:
        return False  # the common case (`?service`), without slicing
    before = text[max(0, start - _LOOKBACK) : start]
    backwards = before[::-1]
    found = _NAME_RUN.match(backwards)
    head = found.group()[::-1] if found else ""
    previous = backwards[len(head) : len(head) + 1]
    if previous in _INSIDE_AN_EXPRESSION_OR_A_NAME or _LANGTAG.search(before) or _inside_a_prefixed_name(backwards):
        return False
    if len(head) == _LOOKBACK:
        return True  # a name longer than the look-back: refuse rather than guess
    return _ENDS_A_TOKEN.fullmatch(head) is not None
