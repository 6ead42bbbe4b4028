"""Refuse SPARQL that would make the engine read files or fetch URLs.

pyoxigraph performs HTTP requests for `SERVICE` and `LOAD` by itself, so requests are screened
before they reach it: a small lexer skips strings, IRIs and comments, finds the SERVICE and LOAD
keywords, and resolves the IRI that follows (full, prefixed, or relative to BASE). SERVICE is allowed
only to endpoints on the configured allow-list; LOAD is never allowed; a SERVICE target given by a
variable is refused because it cannot be checked. FROM and FROM NAMED only name graphs of the store
(oxigraph never dereferences them), so they need no screening.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kgservice.errors import ForbiddenOperation
from kgservice.sparql.lexer import Token, may_reach_out, tokens


def _resolve(token: Token, prefixes: dict[str, str], base: str) -> str | None:
    if token.kind == "iri":
        iri = token.text[1:-1]
        return iri if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri) else base + iri
    if token.kind == "name" and ":" in token.text:
        prefix, _, local = token.text.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else None
    return None


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _decode_escapes(text: str) -> str:
    """Apply SPARQL codepoint escapes (\\uXXXX, \\UXXXXXXXX), which may stand anywhere in a query."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def outbound_targets(text: str) -> list[tuple[str, str | None]]:
    """Each SERVICE or LOAD in the text, read with and without codepoint escapes applied, with its target."""
    found = _targets(text)
    decoded = _decode_escapes(text)
    return found + [t for t in _targets(decoded) if t not in found] if decoded != text else found


def _targets(text: str) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    prefixes: dict[str, str] = {}
    base = ""
    stream = list(tokens(text))
    for i, token in enumerate(stream):
        keyword = token.text.upper() if token.kind == "name" else ""
        if keyword == "PREFIX" and i + 2 < len(stream):
            prefixes[stream[i + 1].text.rstrip(":")] = stream[i + 2].text[1:-1]
        elif keyword == "BASE" and i + 1 < len(stream):
            base = stream[i + 1].text[1:-1]
        elif keyword in ("SERVICE", "LOAD"):
            j = i + 1
            while j < len(stream) and stream[j].text.upper() == "SILENT":
                j += 1
            target = _resolve(stream[j], prefixes, base) if j < len(stream) else None
            found.append((keyword, target))
    return found


def check_outbound(text: str, service_allowlist: Sequence[str]) -> None:
    """Raise ForbiddenOperation unless every SERVICE targets an allow-listed endpoint and there is no LOAD."""
    if not may_reach_out(text):
        return
    for keyword, target in outbound_targets(text):
        if keyword == "LOAD":
            raise ForbiddenOperation(
                f"LOAD is not allowed: this service does not fetch URLs or read files ({target or 'target unknown'})"
            )
        if target is None:
            raise ForbiddenOperation("SERVICE with a variable or unresolvable endpoint is not allowed")
        if target not in service_allowlist:
            raise ForbiddenOperation(f"SERVICE <{target}> is not allowed: the endpoint is not on this service's allow-list")
