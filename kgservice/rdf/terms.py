"""Engine-neutral query results: RDF terms and tables, and the one codec between them and the
SPARQL 1.1 Query Results JSON format (read from remote stores, written by the command line)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
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
# A row by variable name, its unbound variables left out: what readers of a table usually want.
Record = dict[str, Term]


@dataclass(frozen=True)
class Table:
    """The solutions of a SELECT query."""

    columns: tuple[str, ...]
    rows: tuple[Row, ...]

    def records(self) -> list[Record]:
        """Each row as a dict of its bound variables."""
        return [{c: t for c, t in zip(self.columns, row, strict=True) if t is not None} for row in self.rows]

    def column(self, name: str) -> list[str]:
        """The values of one column as strings ('' where unbound)."""
        index = self.columns.index(name)
        return [row[index].value if row[index] is not None else "" for row in self.rows]  # type: ignore[union-attr]


def term_from_json(binding: Mapping[str, str]) -> Term:
    """A term from its SPARQL 1.1 JSON form; plain and language literals get their RDF 1.1 datatypes,
    so a term read from JSON equals the one the embedded engine makes."""
    kind = "literal" if binding["type"] == "typed-literal" else binding["type"]
    if kind not in ("uri", "bnode", "literal"):
        raise ValueError(f"not an RDF term of SPARQL 1.1 JSON results: {kind!r}")
    lang = binding.get("xml:lang")
    datatype = binding.get("datatype") or (None if kind != "literal" else RDF_LANGSTRING if lang else XSD_STRING)
    return Term(kind, binding["value"], datatype, lang)  # type: ignore[arg-type]


def table_to_json(table: Table) -> dict[str, Any]:
    """The SPARQL 1.1 JSON results document of a table."""
    bindings = [{c: t.to_json() for c, t in zip(table.columns, row, strict=True) if t is not None} for row in table.rows]
    return {"head": {"vars": list(table.columns)}, "results": {"bindings": bindings}}


def table_from_json(document: Mapping[str, Any]) -> Table:
    """A table from a SPARQL 1.1 JSON results document (unbound variables are None)."""
    columns = tuple(document["head"]["vars"])
    bindings = document["results"]["bindings"]
    return Table(columns, tuple(tuple(term_from_json(b[c]) if c in b else None for c in columns) for b in bindings))


def boolean_from_json(document: Mapping[str, Any]) -> bool:
    """The answer of an ASK query from its SPARQL 1.1 JSON results document."""
    return bool(document["boolean"])
