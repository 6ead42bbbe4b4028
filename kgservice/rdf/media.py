"""Content negotiation for SPARQL results and RDF graphs: a robust Accept parser and the format tables.

Accept handling follows RFC 9110: several ranges, q-values (q=0 means "not acceptable"), wildcards
(`*/*`, `text/*`), the most specific matching range decides a type's quality, and ties go to the
server's order of preference. No Accept header means the server's first choice.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

# Server preference order, first is the default.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "text/n3": ox.RdfFormat.TURTLE,  # Turtle is valid N3; clients such as SPARQLWrapper ask for N3
    "text/rdf+n3": ox.RdfFormat.TURTLE,
}
# Short names accepted in a `format` (or `output`) request parameter, as YASGUI and curl users type them.
SHORT_NAMES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "nq": "application/n-quads",
    "trig": "application/trig",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "n3": "text/n3",
}


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> int:
        """Specificity of the match (3 exact, 2 type/*, 1 */*) or 0 when it does not match."""
        kind, _, sub = media_type.partition("/")
        if self.type == kind and self.subtype == sub:
            return 3
        if self.type == kind and self.subtype == "*":
            return 2
        return 1 if self.type == "*" and self.subtype == "*" else 0


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header; malformed ranges are skipped, a missing header accepts anything."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        kind, sep, sub = fields[0].lower().partition("/")
        if not sep or not kind or not sub:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(1.0, max(0.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(kind, sub, q))
    return ranges


def quality(ranges: list[MediaRange], media_type: str) -> float:
    """The q-value the client gives a media type: that of the most specific matching range."""
    best = max(((r.matches(media_type), r.q) for r in ranges), default=(0, 0.0))
    return best[1] if best[0] else 0.0


def choose(header: str | None, available: list[str]) -> str | None:
    """The available media type the client prefers, or None when none is acceptable (406)."""
    if header is None or len(header) <= _CACHED_HEADER:
        return _chosen(header, tuple(available))
    return _choice(header, available)


# Clients send a few Accept headers over and over: each query chose twice among nine types (0.05 ms). Short
# headers only, so that the cache holds at most 512 x 256 characters whatever clients send.
_CACHED_HEADER = 256


def _choice(header: str | None, available: Sequence[str]) -> str | None:
    ranges = parse_accept(header)
    scored = [(quality(ranges, media), -i, media) for i, media in enumerate(available)]
    q, _, media = max(scored)
    return media if q > 0 else None


@functools.lru_cache(maxsize=512)
def _chosen(header: str | None, available: tuple[str, ...]) -> str | None:
    return _choice(header, available)


def requested(format_param: str | None, accept: str | None) -> str | None:
    """The effective Accept: a `format`/`output` parameter (short name or media type) overrides the header.

    A value that is neither a known short name nor a media type is ignored, as clients such as
    SPARQLWrapper send their own names alongside a proper Accept header."""
    if not format_param:
        return accept
    name = format_param.strip().lower()
    if name in SHORT_NAMES:
        return SHORT_NAMES[name]
    return format_param if "/" in name else accept
