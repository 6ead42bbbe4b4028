"""Which solutions order a query imposes: the ORDER BY at its outermost level and whether its keys are plain variables.

Found by scanning the text with strings, IRIs and comments blanked out, not by parsing the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STRINGS_AND_COMMENTS = re.compile(
    r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|<[^<>\"{}|^`\\\s]*>|#[^\n]*", re.S
)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.I)
_PLAIN_KEY = re.compile(r"^(?:(?:ASC|DESC)\s*\(\s*[?$](\w+)\s*\)|[?$](\w+))$", re.I)
_KEY_TOKEN = re.compile(r"(?:ASC|DESC)\s*\([^()]*\)|[?$]\w+|\S+", re.I)
_CLAUSE_END = re.compile(r"\b(?:LIMIT|OFFSET|VALUES)\b", re.I)


@dataclass(frozen=True)
class Ordering:
    """The top-level ORDER BY of a query: its key variables, or None when a key is an expression."""

    keys: tuple[str, ...] | None


def ordering(query: str) -> Ordering | None:
    """The ORDER BY at the outermost level of a query (not a subquery's), or None."""
    text = _STRINGS_AND_COMMENTS.sub(lambda m: "<>" if m.group(0).startswith("<") else " ", query)
    for found in _ORDER_BY.finditer(text):
        if _depth_at(text, found.start()) == 0:
            clause = _CLAUSE_END.split(text[found.end() :], maxsplit=1)[0]
            return Ordering(_plain_keys(clause))
    return None


def _depth_at(text: str, position: int) -> int:
    return text.count("{", 0, position) - text.count("}", 0, position)


def _plain_keys(clause: str) -> tuple[str, ...] | None:
    keys: list[str] = []
    for token in _KEY_TOKEN.findall(clause):
        match = _PLAIN_KEY.match(token)
        if match is None:
            return None
        keys.append(match.group(1) or match.group(2))
    return tuple(keys)
