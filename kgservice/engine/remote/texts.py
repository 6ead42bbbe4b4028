"""What may go to a remote store (no store extensions such as Virtuoso's `bif:`), and reading its answers
back: SPARQL JSON normalised (Virtuoso's typed-literal, booleans as 0/1, ASK as a table) and skolem IRIs
turned back into blank nodes."""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox

from kgservice.engine.remote.client import MESSAGE_CHARS
from kgservice.errors import ForbiddenOperation, InputError, StoreError
from kgservice.sparql.lexer import tokens
from kgservice.translation import N_

SKOLEM_PREFIX = "https://w3id.org/kgservice/.well-known/genid/"
_XSD = "http://www.w3.org/2001/XMLSchema#"


# -- what may go to a store ---------------------------------------------------------------------------------------

# Virtuoso evaluates SQL built-ins (bif:, sql:) in SPARQL, and `define` pragmas (get:soft makes it fetch a URL):
# stores know prefixes a query has not declared. A query for the remote declares every prefix it uses.
_STORE_EXTENSIONS = ("http://www.openlinksw.com/schemas/bif#", "http://www.openlinksw.com/sparql/", "sql:", "bif:")


def screen_for_store(text: str) -> None:
    """Refuse a query that uses a store's own extensions: a `define` pragma, an undeclared prefix, bif:/sql: IRIs."""
    declared: set[str] = set()
    stream = list(tokens(text))
    for i, token in enumerate(stream):
        upper = token.text.upper()
        if token.kind == "name" and upper == "DEFINE":
            raise ForbiddenOperation(N_("the query uses a store pragma (define), which this service does not pass on"))
        if token.kind == "name" and upper == "PREFIX" and i + 1 < len(stream):
            declared.add(stream[i + 1].text.split(":")[0])
        elif token.kind == "iri" and token.text[1:].startswith(_STORE_EXTENSIONS):
            raise ForbiddenOperation(
                N_("the query calls a store's own functions (%(iri)s), which this service does not pass on"), iri=token.text
            )
        elif token.kind == "name" and ":" in token.text and (i == 0 or stream[i - 1].text.upper() != "PREFIX"):
            prefix = token.text.split(":")[0]
            if prefix != "_" and prefix not in declared:
                raise InputError(
                    N_("undefined prefix %(prefix)s: at offset %(offset)s; declare it with PREFIX %(prefix)s: <...>"),
                    prefix=prefix,
                    offset=token.start,
                )


def without_empty_values(text: str) -> str:
    """The query without its `VALUES ?x { UNDEF }` slots (a parameter left open), which join as the identity in
    SPARQL; Virtuoso joins them as a constraint that nothing meets, so a query with an open parameter found nothing."""
    stream, cuts = list(tokens(text)), []
    for i in range(len(stream) - 4):
        words = [t.text.upper() for t in stream[i : i + 5]]
        if words[0] == "VALUES" and stream[i + 1].kind == "var" and words[2:] == ["{", "UNDEF", "}"]:
            cuts.append((stream[i].start, stream[i + 4].start + 1))
    for start, end in reversed(cuts):
        text = text[:start] + text[end:]
    return text


_FORMS = {"SELECT": "results", "ASK": "results", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


def query_form(text: str) -> str | None:
    """ "results" (SELECT, ASK) or "graph" (CONSTRUCT, DESCRIBE), by the first keyword after the prologue: the
    Accept header then names only that form's types (Virtuoso answers a DESCRIBE as a table if JSON comes first)."""
    for token in tokens(text):
        if token.kind == "name" and token.text.upper() in _FORMS:
            return _FORMS[token.text.upper()]
        if token.kind not in ("name", "iri") and token.text not in (":",):
            return None
    return None


# -- reading answers ----------------------------------------------------------------------------------------------


def _term_json(term: dict[str, str]) -> dict[str, str]:
    """A term of SPARQL JSON as SPARQL 1.1 has it and as the embedded engine would give it."""
    kind, value, datatype = term.get("type"), term.get("value", ""), term.get("datatype")
    if kind == "uri" and value.startswith(SKOLEM_PREFIX):
        return {"type": "bnode", "value": value[len(SKOLEM_PREFIX) :]}
    if kind == "typed-literal":
        kind = "literal"
    out = {"type": kind or "literal", "value": value}
    if "xml:lang" in term:
        out["xml:lang"] = term["xml:lang"]
    elif datatype == _XSD + "boolean":
        out["datatype"], out["value"] = datatype, {"1": "true", "0": "false"}.get(value, value)
    elif datatype is not None and datatype != _XSD + "string":
        out["datatype"] = datatype
    return out


def normalise_results(document: dict[str, Any]) -> dict[str, Any]:
    """A SPARQL JSON results document as SPARQL 1.1 has it: ASK answers as a boolean (Virtuoso sends a table
    with one column __ASK_RETVAL), terms as `_term_json` gives them."""
    if "boolean" in document:
        return {"head": {}, "boolean": bool(document["boolean"])}
    variables = list(document.get("head", {}).get("vars", []))
    bindings = document.get("results", {}).get("bindings", [])
    if variables == ["__ASK_RETVAL"]:
        answer = bool(bindings) and bindings[0].get("__ASK_RETVAL", {}).get("value") not in ("0", "false")
        return {"head": {}, "boolean": answer}
    rows = [{name: _term_json(term) for name, term in row.items()} for row in bindings]
    return {"head": {"vars": variables}, "results": {"bindings": rows}}


def deskolemise(term: Any) -> Any:
    """The blank node a skolem IRI stands for; any other term as it is."""
    if isinstance(term, ox.NamedNode) and term.value.startswith(SKOLEM_PREFIX):
        try:
            return ox.BlankNode(term.value[len(SKOLEM_PREFIX) :])
        except ValueError:
            return term
    return term


def skolemise(term: Any) -> Any:
    """The skolem IRI of a blank node; any other term as it is."""
    return ox.NamedNode(SKOLEM_PREFIX + term.value) if isinstance(term, ox.BlankNode) else term


def parse_triples(body: bytes) -> list[ox.Triple]:
    try:
        parsed = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        return [ox.Triple(deskolemise(t.subject), t.predicate, deskolemise(t.object)) for t in parsed]
    except SyntaxError as error:
        raise StoreError(
            N_("the remote store sent a graph that is not N-Triples: %(error)s"), error=str(error)[:MESSAGE_CHARS]
        ) from None


def results_document(body: bytes) -> dict[str, Any]:
    try:
        return normalise_results(json.loads(body))
    except (ValueError, AttributeError, TypeError) as error:
        raise StoreError(
            N_("the remote store sent results that are not SPARQL JSON: %(error)s"), error=str(error)[:MESSAGE_CHARS]
        ) from None
