"""A small SPARQL lexer: the significant tokens of a query, with strings, IRIs and comments kept whole.

Enough to find keywords (SERVICE, LOAD, FROM) without being fooled by the same words inside strings,
IRIs or comments; not a parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

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
        raise ValueError("the update has its own USING or WITH clause and also using-graph-uri / using-named-graph-uri")
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


_OPAQUE = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|"(?:[^"\\\n]|\\.)*"'
    r'|<[^<>"{}|^`\\\s]*>'
    r"|\#[^\n]*",
    re.DOTALL,
)


def _keyword_pattern(*words: str) -> re.Pattern[str]:
    # A keyword stands alone: not part of a prefixed name (ex:LOAD), a variable (?from) or a longer name.
    return re.compile(r"(?<![\w:?$.\-])(?:" + "|".join(words) + r")(?![\w:.\-])", re.IGNORECASE)


_FROM = _keyword_pattern("FROM")
_OUTBOUND = _keyword_pattern("SERVICE", "LOAD")


@lru_cache(maxsize=4096)
def masked(text: str) -> str:
    """The text with its strings, IRIs and comments blanked out, so keywords can be searched for."""
    return _OPAQUE.sub(" ", text)


def has_dataset_clause(text: str) -> bool:
    """Whether a query declares its own dataset with FROM or FROM NAMED."""
    return _FROM.search(masked(text)) is not None


def may_reach_out(text: str) -> bool:
    """Whether a SERVICE or LOAD keyword stands outside strings, IRIs and comments (or escapes may hide one)."""
    return "\\u" in text or "\\U" in text or _OUTBOUND.search(masked(text)) is not None
