"""Checks of an RDF body before any parser reads it: nesting depth of JSON-LD and RDF/XML, and XML entities.

A JSON-LD body nested 5000 deep crashed the server's parser, a 20000-deep RDF/XML one held it for 12 s,
and nested XML entities expand a small body into a huge literal. Each check is one linear scan that
builds no tree: a token regex for JSON, expat's streaming callbacks for XML.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from typing import NoReturn

import pyoxigraph as ox

from kgservice.errors import DataSyntaxError
from kgservice.translation import N_

MAX_DEPTH = 256  # far past any real document's nesting (RDF/XML and JSON-LD files nest a few dozen deep)
MAX_ENTITY_BYTES = 1024  # an entity abbreviates a namespace IRI, as Protege writes them
# The text an XML body may expand to (character data and attribute values) as a multiple of its size.
MAX_EXPANSION = 2
_CHUNK = 1 << 16
# A JSON string (skipped whole, escapes included) or one bracket; anything else is skipped by finditer.
_JSON_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.DOTALL)


def _refuse(source: str, body: bytes, offset: int, message: str, **args: object) -> NoReturn:
    line = body.count(b"\n", 0, offset) + 1
    column = offset - (body.rfind(b"\n", 0, offset) + 1) + 1
    raise DataSyntaxError(source, line, column, message, **args)


def check_json_depth(body: bytes, source: str, limit: int = MAX_DEPTH) -> None:
    """Refuse a JSON body whose arrays and objects nest deeper than `limit` (brackets in strings do not count)."""
    depth = 0
    for token in _JSON_TOKEN.finditer(body):
        mark = token.group()
        if mark in (b"[", b"{"):
            depth += 1
            if depth > limit:
                _refuse(source, body, token.start(), N_("JSON nested deeper than %(limit)s levels"), limit=limit)
        elif mark in (b"]", b"}"):
            depth -= 1


class _XmlScan:
    """expat callbacks that count element depth and expanded text, and refuse entity declarations that
    are external, long or refer to other entities."""

    def __init__(self, body: bytes, source: str, limit: int) -> None:
        self.body, self.source, self.limit = body, source, limit
        self.depth, self.text = 0, 0
        self.budget = MAX_EXPANSION * len(body) + _CHUNK
        self.parser = xml.parsers.expat.ParserCreate()
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.characters
        self.parser.EntityDeclHandler = self.entity
        # External entities and external DTD subsets are never fetched nor read.
        self.parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(self, message: str, **args: object) -> NoReturn:
        _refuse(self.source, self.body, self.parser.CurrentByteIndex, message, **args)

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > self.limit:
            self.refuse(N_("XML elements nested deeper than %(limit)s levels"), limit=self.limit)
        self.characters("".join(attributes.values()))

    def end(self, name: str) -> None:
        self.depth -= 1

    def characters(self, text: str) -> None:
        self.text += len(text)
        if self.text > self.budget:
            self.refuse(N_("the XML text expands to more than %(times)s times the body's size"), times=MAX_EXPANSION)

    def entity(self, name: str, is_parameter: int, value: str | None, base: str | None, system: str | None, *_: object) -> None:
        if value is None or system is not None:
            self.refuse(N_("the XML entity %(name)r is external; only internal entities are read"), name=name)
        if is_parameter or "&" in value or "%" in value or len(value.encode()) > MAX_ENTITY_BYTES:
            self.refuse(N_("the XML entity %(name)r is a parameter entity, refers to other entities or is too long"), name=name)

    def run(self) -> None:
        try:
            for start in range(0, len(self.body), _CHUNK):
                self.parser.Parse(self.body[start : start + _CHUNK], False)
            self.parser.Parse(b"", True)
        except xml.parsers.expat.ExpatError as error:
            raise DataSyntaxError(self.source, error.lineno, error.offset + 1, f"XML: {error}") from None


def check_xml(body: bytes, source: str, limit: int = MAX_DEPTH) -> None:
    """Refuse an XML body nested deeper than `limit` elements, or whose entities could expand it."""
    _XmlScan(body, source, limit).run()


def check_rdf_body(body: bytes, rdf_format: ox.RdfFormat, source: str) -> None:
    """The checks a body of this format needs before it is parsed (none for the line- and Turtle-based ones)."""
    if rdf_format == ox.RdfFormat.JSON_LD:
        check_json_depth(body, source)
    elif rdf_format == ox.RdfFormat.RDF_XML:
        check_xml(body, source)
