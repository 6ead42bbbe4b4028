"""Engine-neutral query results: RDF terms and tables, as the SPARQL 1.1 JSON results format sees them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal as Kind

from kgservice.rdf.namespaces import compact

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class Term:
    """An RDF term in a result: an IRI, a blank node or a literal with datatype or language."""

    kind: Kind["uri", "bnode", "literal"]
    value: str
    datatype: str | None = None
    lang: str | None = None

    def display(self) -> str:
        """A short human-readable form: compact IRIs, plain literal values."""
        if self.kind == "uri":
            return compact(self.value)
        if self.kind == "bnode":
            return "_:" + self.value
        return self.value

    def to_json(self) -> dict[str, str]:
        """The SPARQL 1.1 JSON results form of the term."""
        out = {"type": self.kind, "value": self.value}
        if self.lang:
            out["xml:lang"] = self.lang
        elif self.datatype and self.datatype not in (XSD_STRING, RDF_LANGSTRING):
            out["datatype"] = self.datatype
        return out


Row = tuple[Term | None, ...]


@dataclass(frozen=True)
class Table:
    """The solutions of a SELECT query."""

    columns: tuple[str, ...]
    rows: tuple[Row, ...]

    def records(self) -> list[dict[str, Term]]:
        """Each row as a dict of its bound variables."""
        return [{c: t for c, t in zip(self.columns, row, strict=True) if t is not None} for row in self.rows]

    def column(self, name: str) -> list[str]:
        """The values of one column as strings ('' where unbound)."""
        index = self.columns.index(name)
        return [row[index].value if row[index] is not None else "" for row in self.rows]  # type: ignore[union-attr]
