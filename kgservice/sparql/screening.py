"""Refuse SPARQL that would make the engine read files or fetch URLs, with a message that says why.

This screen gives good error messages; it is not what makes outbound requests impossible. The query
workers and the thread that evaluates updates run in an empty network namespace (kgservice.engine.sandbox),
so a SERVICE or LOAD the screen misses fails inside pyoxigraph. The screen reads the text the way
oxigraph does where a plain lexer would differ: codepoint escapes are applied first, a keyword needs no
word boundary after it (`SERVICEex:x`, `LOADex:ttl`), and `<` is read both as an IRI and as less-than;
where those readings disagree about what is a string or a comment, any SERVICE/LOAD letters refuse it.
SERVICE is allowed only to endpoints on the allow-list, named by an absolute IRI or a prefixed name;
LOAD never; an update may use neither. FROM and FROM NAMED only name graphs of the store.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from kgservice.errors import ForbiddenOperation
from kgservice.sparql.lexer import could_be_keyword, decode_escapes, masked, plainly_inside_a_name, word_starts
from kgservice.translation import N_

# The one message of any outbound request that failed or was blocked while a query or update ran: what
# went wrong (refused, unreachable, not allowed, a bad answer) would tell a client about other hosts and ports.
OUTBOUND_REFUSED = N_("the query or update needs an outbound request (SERVICE or LOAD) that this service does not make")

_WORD = re.compile(r"service|load", re.IGNORECASE)
_QUOTED_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*'[^<>\"{}|^`\\\s]*>")
_NOT_NEWLINE = re.compile(r"[^\r\n]")
_LINE_BREAK = re.compile(r"[\r\n]")
_SHORT = 16 * 1024  # characters: up to this length, readings are compared break by break
_SILENT = re.compile(r"\s*(?:SILENT)?\s*", re.IGNORECASE)
_IRI = re.compile(r"<([^<>\"{}|^`\\\s]*)>")
_PNAME = re.compile(r"([A-Za-z\u00C0-\uFFFF][\w.\-\u00B7-\uFFFF]*)?:((?:[\w.\-:%\u00B7-\uFFFF]|\\.)*)")
_PREFIX = re.compile(r"PREFIX\s*([A-Za-z\u00C0-\uFFFF][\w.\-\u00B7-\uFFFF]*)?:", re.IGNORECASE)
_SPACED_IRI = re.compile(r"\s*<([^<>\"{}|^`\\\s]*)>")
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _readings(text: str) -> list[str] | None:
    """The text masked as oxigraph may read it, or None where the readings cannot be trusted."""
    if _QUOTED_IRI.search(text):
        return None  # a quote in an IRI is a string start where `<` is less-than: fail closed
    readings = [masked(text), masked(text, hashed_iris=False)]
    return readings if _same_lines(text, *readings) else None  # they disagree on where a long string runs


def _same_lines(text: str, first: str, second: str) -> bool:
    """Whether two readings of a text (the same length) have the same line breaks at the same places."""
    if len(first) == len(second) == len(text) and all(r.count(b) == text.count(b) for r in (first, second) for b in "\n\r"):
        # Blanking keeps each character's place and only ever blanks a line break (inside a long string), so
        # readings that keep as many breaks as the text keep all of them: the common case, counted in C.
        return True
    if len(first) > _SHORT or len(first) != len(second):
        return len(first) == len(second) and _NOT_NEWLINE.sub("x", first) == _NOT_NEWLINE.sub("x", second)
    # A short text (a query of a few KB) is compared break by break, in constant memory: replacing every other
    # character of both readings took 0.6 ms of a 4 KB query's screen; a long one, line by line in Python, would
    # take longer than that replacement does.
    pairs = itertools.zip_longest(_LINE_BREAK.finditer(first), _LINE_BREAK.finditer(second))
    return all(a is not None and b is not None and a.start() == b.start() and a.group() == b.group() for a, b in pairs)


def outbound_words(text: str) -> list[tuple[str, int]]:
    """Each SERVICE or LOAD oxigraph could read in the (escape-decoded) text, with its position."""
    if all(plainly_inside_a_name(text, start) for start in word_starts(text, _WORD, "service", "load")):
        # the common case, without a lexer pass: no such letters, or only inside names (`/kgservice/` in an IRI)
        return []
    readings = _readings(text)
    if readings is None:
        return [(m.group().upper(), m.start()) for m in _WORD.finditer(text)]
    found: dict[int, str] = {}
    for reading in readings:
        # SERVICE and LOAD cannot overlap themselves or each other, so every place either word starts is a match
        for start in word_starts(reading, _WORD, "service", "load"):
            match = _WORD.match(reading, start)
            if match and start not in found and could_be_keyword(reading, start):
                found[start] = match.group().upper()
    return sorted(((word, start) for start, word in found.items()), key=lambda item: item[1])


def _declarations(text: str) -> dict[str, set[str]]:
    """Every IRI each prefix is declared with (a prefix declared twice counts with both)."""
    declared: dict[str, set[str]] = {}
    for match in _PREFIX.finditer(masked(text)):
        iri = _SPACED_IRI.match(text, match.end())
        if iri:
            declared.setdefault(match.group(1) or "", set()).add(iri.group(1))
    return declared


def _targets_at(text: str, end: int, declared: dict[str, set[str]]) -> set[str] | None:
    """The IRIs the SERVICE ending at `end` may call, or None when that cannot be told (a variable, a
    relative IRI, an undeclared prefix, a comment in between)."""
    position = _SILENT.match(text, end)
    start = position.end() if position else end
    iri = _IRI.match(text, start)
    if iri:
        return {iri.group(1)} if _ABSOLUTE.match(iri.group(1)) else None
    name = _PNAME.match(text, start)
    if name and (name.group(1) or "") in declared:
        return {base + name.group(2) for base in declared[name.group(1) or ""]}
    return None


def outbound_targets(text: str) -> list[tuple[str, str | None]]:
    """Each SERVICE or LOAD of the text, with its target IRI (None when it cannot be told for sure)."""
    decoded = decode_escapes(text)
    words = outbound_words(decoded)
    if not words:
        return []  # the common case: no prefix declarations to read (a lexer pass, 0.5 ms for a 4 KB query)
    declared = _declarations(decoded)
    found: list[tuple[str, str | None]] = []
    for word, start in words:
        targets = _targets_at(decoded, start + len(word), declared)
        found.append((word, next(iter(targets)) if targets and len(targets) == 1 else None))
    return found


def check_outbound(text: str, service_allowlist: Sequence[str]) -> list[str]:
    """Raise ForbiddenOperation unless every SERVICE targets an allow-listed endpoint and there is no LOAD;
    the endpoints the text calls (none: it may run where there is no network)."""
    called = []
    for keyword, target in outbound_targets(text):
        if keyword == "LOAD":
            if target:
                raise ForbiddenOperation(
                    N_("LOAD is not allowed: this service does not fetch URLs or read files (%(target)s)"), target=target
                )
            raise ForbiddenOperation(N_("LOAD is not allowed: this service does not fetch URLs or read files"))
        if target is None:
            raise ForbiddenOperation(N_("SERVICE with a variable or unresolvable endpoint is not allowed"))
        if target not in service_allowlist:
            raise ForbiddenOperation(
                N_("SERVICE <%(target)s> is not allowed: the endpoint is not on this service's allow-list"), target=target
            )
        called.append(target)
    return called


def check_update(text: str) -> None:
    """Raise ForbiddenOperation if an update could reach out: LOAD, or SERVICE in a WHERE clause, is
    never allowed in an update (the thread that evaluates updates has no network either)."""
    for keyword, target in outbound_targets(text):
        if target:
            raise ForbiddenOperation(
                N_("%(keyword)s is not allowed in an update: this service does not fetch <%(target)s>"),
                keyword=keyword,
                target=target,
            )
        raise ForbiddenOperation(
            N_("%(keyword)s is not allowed in an update: this service does not fetch a URL or a file"), keyword=keyword
        )
