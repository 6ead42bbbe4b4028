"""Read a SPARQL 1.1 Protocol request into a query or an update operation, or say why it is malformed.

Follows https://www.w3.org/TR/sparql11-protocol/ section 2: query via GET, via POST with a URL-encoded
form, or via POST directly (application/sparql-query); update via POST form or POST directly
(application/sparql-update); dataset parameters default-graph-uri / named-graph-uri (query) and
using-graph-uri / using-named-graph-uri (update).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

import pyoxigraph as ox

from kgservice.errors import MalformedRequest, MethodNotAllowed, UnsupportedMediaType
from kgservice.rdf.media import SHORT_NAMES
from kgservice.translation import N_


@dataclass(frozen=True)
class QueryOperation:
    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format: str | None = None  # a `format` or `output` parameter, of the URL or of a POST form


@dataclass(frozen=True)
class DescriptionRequest:
    """A GET with no query: the service description, or the query editor for a browser."""

    format: str | None = None  # a `format` or `output` parameter of the URL


@dataclass(frozen=True)
class UpdateOperation:
    update: str
    using_graphs: tuple[str, ...]
    using_named_graphs: tuple[str, ...]


Params = list[tuple[str, str]]
FORM = "application/x-www-form-urlencoded"
_POST_TYPES = f"{FORM}, application/sparql-query, application/sparql-update"
_NOT_UTF8 = {
    "query": N_("the query is not valid UTF-8 (byte %(start)s)"),
    "update": N_("the update is not valid UTF-8 (byte %(start)s)"),
}
_PARAMETER_NOT_UTF8 = {
    "URL": N_("the URL parameter %(name)r is not valid UTF-8 (byte %(start)s is 0x%(byte)02x)"),
    "form body": N_("the form body parameter %(name)r is not valid UTF-8 (byte %(start)s is 0x%(byte)02x)"),
}


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedRequest(_NOT_UTF8[what], start=error.start) from None


def _utf8(raw: bytes, what: str, name: str) -> str:
    """One percent-decoded name or value read as UTF-8, refused when it is not: parse_qsl would put U+FFFD in
    place of the bad bytes and the query would silently change."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = error.object[error.start]
        raise MalformedRequest(_PARAMETER_NOT_UTF8[what], name=name, start=error.start, byte=byte) from None


def _unquote(raw: bytes) -> bytes:
    """Percent-decoding of one name or value, `+` read as a space, as parse_qsl does. Each %XX becomes an \\xXX
    escape that codecs decodes in C (a 3 KB query took urllib's loop over its escapes 60 us); where a % is not
    followed by two hex digits, urllib's decoding, which keeps such a % as it is."""
    spaced = raw.replace(b"+", b" ")
    if b"%" not in spaced:
        return spaced
    try:
        return codecs.escape_decode(spaced.replace(b"\\", b"\\\\").replace(b"%", b"\\x"))[0]
    except ValueError:
        return unquote_to_bytes(spaced)


def _params(raw: bytes, what: str) -> Params:
    """The name-value pairs of a query string or form body, each percent-decoded and then read as UTF-8."""
    params = []
    for pair in raw.split(b"&"):
        if pair:
            raw_name, _, raw_value = pair.partition(b"=")
            name = _unquote(raw_name)
            key = _utf8(name, what, name.decode("utf-8", "replace"))
            params.append((key, _utf8(_unquote(raw_value), what, key)))
    return params


def _values(params: Params, name: str) -> list[str]:
    return [v for k, v in params if k == name]


def _iris(params: Params, name: str) -> tuple[str, ...]:
    """The values of a dataset parameter, each an absolute IRI: the engine would fail on any other."""
    values = tuple(_values(params, name))
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as error:
            raise MalformedRequest(
                N_("the %(name)s parameter %(value)r is not an absolute IRI: %(error)s"), name=name, value=value, error=error
            ) from None
    return values


def _single(params: Params, name: str) -> str | None:
    values = _values(params, name)
    if len(values) > 1:
        raise MalformedRequest(
            N_("the request gives the '%(name)s' parameter %(count)s times; exactly one is allowed"), name=name, count=len(values)
        )
    return values[0] if values else None


# The names SPARQL clients give the answer's format: `format` (Virtuoso, YASGUI), `output` (Sesame, Fuseki).
_FORMAT_NAMES = ("format", "output")


def _format(params: Params) -> str | None:
    """The answer's format the request names, if any: the first value that is a short name or a media type,
    since SPARQLWrapper sends a name of its own beside the media type (format=rdf+xml&format=application/rdf+xml)."""
    values = [v for name in _FORMAT_NAMES for v in _values(params, name)]
    known = [v for v in values if v.strip().lower() in SHORT_NAMES or "/" in v]
    chosen = known or values
    return chosen[0] if chosen else None


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def _operation(params: Params, text: str | None, kind: str) -> QueryOperation | UpdateOperation:
    if kind == "query":
        if text is None:
            raise MalformedRequest(N_("no 'query' parameter"))
        return QueryOperation(text, _iris(params, "default-graph-uri"), _iris(params, "named-graph-uri"), _format(params))
    if text is None:
        raise MalformedRequest(N_("no 'update' parameter"))
    return UpdateOperation(text, _iris(params, "using-graph-uri"), _iris(params, "using-named-graph-uri"))


def _from_params(params: Params) -> QueryOperation | UpdateOperation | None:
    query, update = _single(params, "query"), _single(params, "update")
    if query is not None and update is not None:
        raise MalformedRequest(N_("a request carries either 'query' or 'update', not both"))
    if query is not None:
        return _operation(params, query, "query")
    if update is not None:
        return _operation(params, update, "update")
    return None


def read_request(
    method: str, url_query: bytes, content_type: str | None, body: bytes
) -> QueryOperation | UpdateOperation | DescriptionRequest:
    """The operation a request asks for, or a service description request (a GET with no query).
    `url_query` is the raw query string (the ASGI scope's bytes), so that no decoding happened before."""
    url_params = _params(url_query, "URL")
    if method in ("GET", "HEAD"):
        if _values(url_params, "update"):
            raise MalformedRequest(N_("updates must be sent with POST, not GET"))
        return _from_params(url_params) or DescriptionRequest(_format(url_params))
    if method != "POST":
        raise MethodNotAllowed(N_("method %(method)s is not allowed on the SPARQL endpoint; use GET or POST"), method=method)
    media = _media_type(content_type)
    if media == FORM:
        form = _params(body, "form body")
        operation = _from_params(form + [p for p in url_params if p[0] not in ("query", "update")])
        if operation is None:
            raise MalformedRequest(N_("the form has neither a 'query' nor an 'update' field"))
        return operation
    if media == "application/sparql-query":
        return _operation(url_params, _decode(body, "query"), "query")
    if media == "application/sparql-update":
        return _operation(url_params, _decode(body, "update"), "update")
    if not media:
        raise MalformedRequest(N_("a POST needs a Content-Type, one of: %(types)s"), types=_POST_TYPES)
    raise UnsupportedMediaType(N_("unsupported Content-Type %(media)r; use one of: %(types)s"), media=media, types=_POST_TYPES)
