"""The nesting bound's three readings, held to a reading of the text character by character as
kgservice.sparql.limits describes them: strings (long and short, escapes, unterminated), comments, IRIs
read as IRIs or as comparisons, and every bracket counted."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgservice.errors import NestingTooDeep
from kgservice.sparql.limits import _READINGS, check_nesting, nesting_depth

_IRI_CHAR = re.compile(r'[^<>"{}|^`\\\x00-\x20]')


def _string_end(text: str, start: int) -> int:
    """After the string opening at `start`: its closing quote(s), a line end for a short one, or the text's end."""
    quote = text[start] * 3 if text.startswith(text[start] * 3, start) else text[start]
    position = start + len(quote)
    while position < len(text):
        if text[position] == "\\" and position + 1 < len(text):
            position += 2
        elif text.startswith(quote, position):
            return position + len(quote)
        elif len(quote) == 1 and text[position] == "\n":
            return position + 1
        else:
            position += 1
    return len(text)


def _iri_end(text: str, start: int) -> int | None:
    """After the IRI opening at `start`, or None when the `<` opens none."""
    position = start + 1
    while position < len(text) and _IRI_CHAR.match(text[position]):
        position += 1
    return position + 1 if position < len(text) and text[position] == ">" else None


def reference_depth(text: str, strings: bool, iris: bool) -> int:
    """The deepest nesting in one reading, one character at a time: strings and comments skipped if
    `strings`, IRIs as well if `iris`; a closer never takes the depth below zero."""
    depth = deepest = position = 0
    while position < len(text):
        char = text[position]
        if strings and char in "'\"":
            position = _string_end(text, position)
            continue
        if strings and char == "#":
            line_end = text.find("\n", position)
            position = len(text) if line_end < 0 else line_end + 1
            continue
        if iris and char == "<" and (end := _iri_end(text, position)) is not None:
            position = end
            continue
        if char in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")}]" and depth:
            depth -= 1
        position += 1
    return deepest


def reference_readings(text: str) -> tuple[int, int, int]:
    return reference_depth(text, True, True), reference_depth(text, True, False), reference_depth(text, False, False)


_PIECES = [
    "(", ")", "{", "}", "[", "]", "'", '"', "'''", '"""', "#", "<", ">", "\\", "\n", " ", "x", "<urn:a>",
    "<urn:(>", "<a b>", "\\'", '\\"', "FILTER(", "1<2", "'(('", '"))"', "# (\n",
    "é", "\u2028", "\ud800", "\U0001f600",
]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_each_reading_is_the_character_by_character_reading(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert tuple(reading(text, 10**9) for reading in _READINGS) == reference_readings(text), repr(text)


@pytest.mark.parametrize(
    ("text", "readings"),
    [
        ("'(' (", (1, 1, 2)),  # a bracket in a string counts only where nothing is skipped
        ("'''(\n(''' (", (1, 1, 3)),  # a long string runs over lines
        ("'(\n(", (1, 1, 2)),  # a short one ends with its line
        ("'\\'(' (", (1, 1, 2)),  # an escaped quote does not close it
        ("'''((", (0, 0, 2)),  # an unterminated string runs to the end of the text
        ("( # )\n(", (2, 2, 1)),  # a comment's closer does not count
        ("(<urn:)>(", (2, 1, 1)),  # read as an IRI its closer is skipped, read as a comparison it counts
        ("(<a b)>(", (1, 1, 1)),  # a `<` that opens no IRI is less-than in both readings
        ("('a\\", (1, 1, 1)),  # a backslash at the very end
    ],
)
def test_the_readings_of_each_rule(text: str, readings: tuple[int, int, int]) -> None:
    assert tuple(reading(text, 10**9) for reading in _READINGS) == readings == reference_readings(text)


def test_the_depth_is_exact_up_to_the_limit_and_above_it_past() -> None:
    text = "(" * 10 + ")" * 10
    assert nesting_depth(text, limit=64) == 10
    assert nesting_depth("(" * 100, limit=64) > 64


def test_the_refusal_names_the_operation_and_the_limit_in_each_language() -> None:
    with pytest.raises(NestingTooDeep) as refused:
        check_nesting("ASK { " + "(" * 65 + "1" + ")" * 65 + " }")
    assert "the query nests" in str(refused.value) and "64 deep" in str(refused.value)
    assert refused.value.localized("cs").startswith("dotaz vnořuje závorky") and "64" in refused.value.localized("cs")
    with pytest.raises(NestingTooDeep) as refused:
        check_nesting("INSERT DATA { " + "[" * 65 + " }", "update")
    assert refused.value.localized("pl").startswith("aktualizacja zagnieżdża nawiasy (także wywołania funkcji) głębiej niż 64")
