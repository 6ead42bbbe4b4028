"""Read one line of a rendering: its bullet, level keyword, printed notation, separator and label.

`classify` says what a line is (blank, a numbered or keyword item, a keyword alone, a bullet, a heading, or
text); `clean_label` takes off what is not part of an element's name: the notation, keyword, separator,
bullet, conversion artefacts (`**`, `[image: ...]`) and trailing punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    BLANK = "blank"
    ITEM = "item"  # a printed notation, or a level keyword with a label
    KEYWORD = "keyword"  # a level keyword alone: the title of a section of that level
    BULLET = "bullet"  # an unnumbered list item
    HEADING = "heading"  # a short unnumbered line without final punctuation
    TEXT = "text"


_MARKS = "▶►•·◦▪‣●○"
# Each bullet mark, then space or another mark; a dash or star only before a space or a mark (not "-5 %").
_BULLETS = re.compile(rf"^(?:[{_MARKS}]\s*|[-\u2013*](?=\s|[{_MARKS}])\s*)+")
_ORDERED = re.compile(r"^\(?(?:\d{1,2}|[a-z])\)\s+")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_ARTEFACTS = re.compile(r"\[image:[^\]]*\]|\*\*|__")
_NOTATION = re.compile(
    r"(?P<n>[IVXLC]{1,6}(?:[-.]\d{1,3})+|\d{1,3}(?:\.\d{1,3})*|[A-Z](?:\.\d{1,3})+|[IVXLC]{1,6}|[A-Z])"
    r"(?P<dot>\.)?(?![\d\w])(?:\*+)?"
)
_SEPARATOR = re.compile(r"^\s*(?:[\u2013\u2014:]|-(?=\s))\s*")
# Trailing punctuation is stripped with str.rstrip: a regular expression anchored at the end would retry
# every position of a long run of spaces (quadratic on a hostile line).
_TRAILING = " \t\u00a0.,;:\u2013\u2014-"
_SENTENCE_END = re.compile(r"[.!?]$")
_KEY_VALUE = re.compile(r"^[^\s:]{1,30}(?:\s[^\s:]{1,30}){0,3}:\s")
_HEADING_WORDS, _HEADING_CHARS = 14, 140


@dataclass(frozen=True)
class Parsed:
    """What one line says. `text` is the line without leading and trailing space; `body` what follows the
    bullet, keyword and notation (cleaned into `label`); `marks` the bullet marks without spaces."""

    kind: Kind
    text: str
    label: str = ""
    notation: str | None = None
    keyword: str | None = None
    keyword_type: str | None = None
    marks: str | None = None
    lead_in: bool = False  # ends with ':', introducing what follows
    body: str = ""  # what follows the keyword and notation, as printed


def scheme(notation: str) -> str:
    """The numbering scheme of a notation, by its first segment: arabic (`2.1`) or alphabetic (`II-4`, `A.1`)."""
    return "arabic" if notation[:1].isdigit() else "alpha"


def depth(notation: str) -> int:
    return len(re.split(r"[.-]", notation))


def parent_notation(notation: str) -> str | None:
    """The notation a printed one extends: `2.1.1` -> `2.1`, `II-4.1` -> `II-4`, `II-4` -> `II`."""
    cut = max(notation.rfind("."), notation.rfind("-"))
    return notation[:cut] if cut > 0 else None


def plain(text: str) -> str:
    """The text without conversion artefacts, its spaces folded: how a description keeps it."""
    return re.sub(r"\s+", " ", _ARTEFACTS.sub("", text)).strip()


def clean_label(text: str) -> str:
    """The name without artefacts, bullets, surrounding separators and trailing punctuation."""
    text = _ARTEFACTS.sub("", text)
    text = _BULLETS.sub("", text.strip())
    text = _SEPARATOR.sub("", text)
    text = text.rstrip().rstrip(_TRAILING)
    return re.sub(r"\s+", " ", text).strip()


Keywords = tuple[tuple[str, str], ...]
"""Level keywords (case folded) and their classes, longest first: what `classify` looks for."""


def keyword_table(keywords: Mapping[str, str]) -> Keywords:
    """The keyword table `classify` reads, longest keyword first ("Specifický cíl" before "Cíl")."""
    return tuple(sorted(((k.casefold(), v) for k, v in keywords.items()), key=lambda kv: -len(kv[0])))


def _keyword(text: str, keywords: Keywords) -> tuple[str, str] | None:
    """The longest level keyword at the start of `text`, followed by a word boundary: (as printed, class)."""
    folded = text.casefold()
    for keyword, kind in keywords:
        if folded.startswith(keyword) and (len(folded) == len(keyword) or not folded[len(keyword)].isalnum()):
            return text[: len(keyword)], kind
    return None


def _notation(text: str, keyworded: bool) -> tuple[str, str] | None:
    """A printed notation at the start of `text` and the rest, if what follows reads as an element's name."""
    match = _NOTATION.match(text)
    if match is None:
        return None
    notation, rest = match.group("n"), text[match.end() :]
    separated = bool(match.group("dot")) or bool(_SEPARATOR.match(rest))
    body = _SEPARATOR.sub("", rest).lstrip()
    if keyworded:
        return notation, body
    if body and not body[0].isalpha() and body[0] not in '[„"(':
        return None
    # A one-part number ("1", "II", "A") starts a line of prose too often ("1. setkání 13. 9."): it is a
    # notation only before a capitalised name, and a letter or roman numeral only with a separator.
    single = not re.search(r"[.-]", notation)
    if single and not body[:1].isupper():
        return None
    if single and not notation.isdigit() and not separated:
        return None
    return notation, body


def is_heading(text: str) -> bool:
    """A short line without final punctuation that starts with a capital: the title of what follows."""
    text = _ARTEFACTS.sub("", text).strip()
    if not text or not text[0].isupper() or _KEY_VALUE.match(text):
        return False
    return len(text) <= _HEADING_CHARS and len(text.split()) <= _HEADING_WORDS and not re.search(r"[.,;:!?]$", text)


def is_statement(text: str) -> bool:
    """Running text rather than a name: it ends a sentence."""
    return bool(_SENTENCE_END.search(text.strip())) and len(text.split()) > 6


def _item(text: str, body: str, keywords: Keywords, marks: str | None) -> Parsed | None:
    found = _keyword(body, keywords)
    rest = body[len(found[0]) :].lstrip() if found else body
    numbered = _notation(rest, keyworded=found is not None)
    keyword, kind = found if found else (None, None)
    if numbered is not None:
        notation, after = numbered
        if keyword is None:
            late = _keyword(after, keywords)
            if late is not None:
                keyword, kind, after = late[0], late[1], after[len(late[0]) :]
        return Parsed(Kind.ITEM, text, clean_label(after), notation, keyword, kind, marks, body=after.strip())
    if found is None:
        return None
    after = body[len(found[0]) :]
    if not after.strip(" :.\u2013\u2014-"):
        return Parsed(Kind.KEYWORD, text, "", None, keyword, kind, marks, lead_in=after.strip().endswith(":"))
    if _SEPARATOR.match(after):
        return Parsed(Kind.ITEM, text, clean_label(after), None, keyword, kind, marks, body=after.strip())
    return None


def classify(raw: str, keywords: Keywords) -> Parsed:
    """What the line `raw` is, with its parts."""
    text = unicodedata.normalize("NFC", raw).strip()
    if not text:
        return Parsed(Kind.BLANK, "")
    unmarked = _MARKDOWN_HEADING.sub("", _ARTEFACTS.sub("", text).strip())
    bullet = _BULLETS.match(unmarked) or _ORDERED.match(unmarked)
    marks = re.sub(r"\s+", "", bullet.group()) if bullet else None
    if marks is not None and _ORDERED.match(unmarked):
        marks = "1)" if marks[-2:-1].isdigit() else "a)"
    body = unmarked[bullet.end() :] if bullet else unmarked
    item = _item(text, body, keywords, marks)
    if item is not None:
        return item
    lead_in = text.endswith(":")
    if marks is not None:
        return Parsed(Kind.BULLET, text, clean_label(body), marks=marks, lead_in=lead_in)
    if is_heading(body):
        return Parsed(Kind.HEADING, text, clean_label(body))
    return Parsed(Kind.TEXT, text, clean_label(body), lead_in=lead_in)
