"""A remote SPARQL 1.1 store (Virtuoso, Fuseki, GraphDB, Oxigraph server) behind the same service.

`RemoteStore` is the QueryEngine of a remote store: queries go out as form POSTs (`query=`), over one
HTTP client with the operator's credentials (basic or digest), with the dataset restricted to the graphs
kgservice owns there; answers come back as SPARQL JSON or N-Triples, are normalised (Virtuoso's
typed-literal, booleans as 0/1, ASK as a one-column table, xsd:string datatypes, skolem IRIs) and are
re-serialised in the media type the HTTP edge chose. A result the remote cut at its row limit
(Virtuoso's `X-SPARQL-MaxRows`) is an error, never a silent cut.

`RemoteRepository` keeps the service's write rules. It holds a mirror of kgservice's graphs in memory
(read once at start-up through the graph store protocol, one graph at a time); a change is applied to the
mirror and validated there (kgservice.engine.commit), and its delta goes to the remote as DELETE DATA /
INSERT DATA requests of at most `CHUNK_TRIPLES` triples. A chunk that fails makes the ones sent before it
undone, so the remote is left as it was or the repository reloads its mirror before the next write.

Which graphs are kgservice's: those listed in the registry graph (`REGISTRY`, one `rdfs:member` per graph).
Queries see only them (default-graph-uri: their union; named-graph-uri: each), and kgservice writes only
into them, so the store's own graphs (Virtuoso's system graphs) are never read as data nor changed:
`DROP ALL` or `CLEAR ALL` through kgservice empties kgservice's graphs and nothing else. The default graph
of SPARQL Update and of the graph store protocol is kept in `DEFAULT_GRAPH`, a named graph of the remote.
Blank nodes go to the remote as skolem IRIs (`SKOLEM_PREFIX` + the blank node's label), because
INSERT DATA with blank nodes is refused by some stores (Virtuoso) and DELETE DATA by SPARQL itself, and
come back as blank nodes; that IRI space is reserved. Nobody else writes kgservice's graphs in the remote.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx
import pyoxigraph as ox

from kgservice.config import Settings
from kgservice.engine.base import Dataset, QueryEngine, QueryRequest, Serialized, Triple, not_acceptable, too_large
from kgservice.engine.commit import Change, GraphName, Staged, Validator, commit_change
from kgservice.engine.embedded import to_term
from kgservice.engine.pool import Patch
from kgservice.engine.repository import CommitResult, GraphRepository, VersionSink, graph_sizes
from kgservice.errors import (
    ForbiddenOperation,
    InputError,
    KgServiceError,
    NotAcceptable,
    QueryTimeout,
    ResultTooLarge,
    ServiceBusy,
    StoreError,
)
from kgservice.rdf.media import GRAPH_FORMATS, RESULT_FORMATS
from kgservice.rdf.terms import Table, boolean_from_json, table_from_json
from kgservice.sparql.lexer import tokens

SKOLEM_PREFIX = "https://w3id.org/kgservice/.well-known/genid/"
REGISTRY = ox.NamedNode("https://w3id.org/kgservice/graph/kgservice-graphs")
DEFAULT_GRAPH = ox.NamedNode("https://w3id.org/kgservice/graph/default")
MEMBER = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#member")
CHUNK_TRIPLES = 1000
MESSAGE_CHARS = 500  # of a store's error message, quoted in ours
_JSON = "application/sparql-results+json"
_ACCEPT_ANY_FORM = f"{_JSON}, application/n-triples;q=0.9, text/plain;q=0.5"
_GRAPH_ACCEPT = "application/n-triples, text/plain;q=0.5"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_USER_AGENT = "kgservice"

# What a store's answer means here, by status; Virtuoso answers 500 to many refusals, read by their SQL state.
_REFUSALS: dict[int, type[KgServiceError]] = {400: InputError, 406: NotAcceptable, 413: ResultTooLarge, 503: ServiceBusy}
_VIRTUOSO_STATES: tuple[tuple[str, type[KgServiceError]], ...] = (
    ("37000", InputError),  # SPARQL compiler errors (syntax, unknown prefix, ...)
    ("22023", InputError),  # bad argument of a function
    ("S1T00", QueryTimeout),
    ("42000 Error The estimated execution time", QueryTimeout),
)


# -- credentials ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    """The operator's account on the remote store; the password is never part of a repr or a message."""

    user: str
    password: str = field(repr=False)
    scheme: Literal["basic", "digest"] = "basic"

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, scheme={self.scheme!r})"

    def auth(self) -> httpx.Auth:
        if self.scheme == "digest":
            return httpx.DigestAuth(self.user, self.password)
        return httpx.BasicAuth(self.user, self.password)


def read_credentials(
    user: str | None, password: str | None, file: Path | None, scheme: Literal["basic", "digest"] = "basic"
) -> Credentials | None:
    """Credentials from a file (its first line `USER:PASSWORD`) or from a user and password; none if neither."""
    if file is not None:
        try:
            first = file.read_text(encoding="utf-8").splitlines()[0] if file.stat().st_size else ""
        except OSError as error:
            raise InputError(f"{file}: the remote credentials file cannot be read ({error.strerror})") from None
        name, sep, secret = first.partition(":")
        if not sep or not name:
            raise InputError(f"{file}: line 1: the remote credentials file must hold USER:PASSWORD")
        return Credentials(name, secret, scheme)
    if user is None:
        return None
    return Credentials(user, password or "", scheme)


def _redact(url: str) -> str:
    """A URL as messages may show it: without user information."""
    return re.sub(r"//[^/@]*@", "//", url)


# -- the endpoints and the HTTP client ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RemoteEndpoints:
    """Where the remote store answers queries, updates and the graph store protocol, and as whom."""

    query_url: str
    update_url: str
    store_url: str
    credentials: Credentials | None = None


_FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}


def _form(fields: Sequence[tuple[str, str]]) -> bytes:
    """A form body with repeated fields (default-graph-uri, named-graph-uri) in order."""
    return urllib.parse.urlencode(fields).encode("ascii")


class RemoteClient:
    """One pooled HTTP client for the three endpoints; every failure is a kgservice error with the store's words."""

    def __init__(self, endpoints: RemoteEndpoints, timeout: float) -> None:
        self.endpoints, self.timeout = endpoints, timeout
        auth = endpoints.credentials.auth() if endpoints.credentials is not None else None
        self._http = httpx.Client(auth=auth, timeout=timeout, headers={"User-Agent": _USER_AGENT})

    def close(self) -> None:
        self._http.close()

    def query(self, text: str, dataset: Sequence[tuple[str, str]], accept: str, limit: int) -> tuple[bytes, str]:
        """POST a query as a form; the body (at most `limit` bytes) and its media type."""
        form = _form([("query", text), *dataset])
        with self._request("POST", self.endpoints.query_url, content=form, headers=_FORM, accept=accept) as response:
            _refuse_cut_results(response)
            body = _read_bounded(response, limit)
        return body, response.headers.get("Content-Type", "application/octet-stream").split(";")[0].strip()

    def update(self, text: str) -> None:
        form = _form([("update", text)])
        with self._request("POST", self.endpoints.update_url, content=form, headers=_FORM, accept="*/*") as response:
            response.read()

    def graph(self, graph: ox.NamedNode) -> bytes | None:
        """One graph as N-Triples through the graph store protocol; None where the store has no such graph."""
        params = {"graph": graph.value}
        with self._request("GET", self.endpoints.store_url, params=params, accept="application/n-triples", missing=True) as r:
            return None if r.status_code == 404 else r.read()

    @contextmanager
    def _request(self, method: str, url: str, *, accept: str, missing: bool = False, **options: Any) -> Iterator[httpx.Response]:
        """One streamed request, always closed; a failed status raises its kgservice error (404 passes if `missing`)."""
        headers = {"Accept": accept, **options.pop("headers", {})}
        request = self._http.build_request(method, url, headers=headers, **options)
        try:
            response = self._http.send(request, stream=True)
        except httpx.TimeoutException:
            raise QueryTimeout(f"the remote store did not answer within {self.timeout:g} s") from None
        except httpx.HTTPError as error:
            raise ServiceBusy(f"the remote store at {_redact(url)} could not be reached ({type(error).__name__})", 5) from None
        try:
            if response.status_code >= 400 and not (missing and response.status_code == 404):
                text = response.read()[: MESSAGE_CHARS * 4].decode("utf-8", "replace")
                raise store_error(response.status_code, text)
            yield response
        except httpx.TimeoutException:
            raise QueryTimeout(f"the remote store did not answer within {self.timeout:g} s") from None
        except httpx.HTTPError as error:
            raise StoreError(f"the remote store at {_redact(url)} broke off its answer ({type(error).__name__})") from None
        finally:
            response.close()


def store_error(status: int, body: str) -> KgServiceError:
    """The kgservice error of a store's refusal: the class by status (or Virtuoso's SQL state), the store's
    message (without the query it echoes), bounded in length."""
    message = " ".join(body.split("\nSPARQL query:")[0].split())[:MESSAGE_CHARS] or "(no message)"
    if status in (401, 403):
        return StoreError(f"the remote store refused kgservice's credentials ({status}): {message}")
    kind = _REFUSALS.get(status, StoreError)
    if kind is StoreError:
        kind = next((k for state, k in _VIRTUOSO_STATES if state in message), StoreError)
    if kind is ServiceBusy:
        return ServiceBusy(f"the remote store is unavailable ({status}): {message}", 5)
    return kind(f"the remote store answered {status}: {message}")


def _refuse_cut_results(response: httpx.Response) -> None:
    """Virtuoso sends X-SPARQL-MaxRows when it cut a result at its ResultSetMaxRows, and X-SQL-State when an
    "anytime" query returned what it had at its time limit: either is a partial answer, refused."""
    rows = response.headers.get("X-SPARQL-MaxRows")
    if rows is not None:
        response.close()
        raise ResultTooLarge(f"the remote store cut the result at {rows} rows (its row limit); narrow the query or add LIMIT")
    if response.headers.get("X-SQL-State"):
        response.close()
        raise QueryTimeout("the remote store stopped the query at its time limit and sent a partial result")


def _read_bounded(response: httpx.Response, limit: int) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
    return b"".join(chunks)


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
            raise ForbiddenOperation("the query uses a store pragma (define), which this service does not pass on")
        if token.kind == "name" and upper == "PREFIX" and i + 1 < len(stream):
            declared.add(stream[i + 1].text.split(":")[0])
        elif token.kind == "iri" and token.text[1:].startswith(_STORE_EXTENSIONS):
            raise ForbiddenOperation(
                f"the query calls a store's own functions ({token.text}), which this service does not pass on"
            )
        elif token.kind == "name" and ":" in token.text and (i == 0 or stream[i - 1].text.upper() != "PREFIX"):
            prefix = token.text.split(":")[0]
            if prefix != "_" and prefix not in declared:
                raise InputError(f"undefined prefix {prefix}: at offset {token.start}; declare it with PREFIX {prefix}: <...>")


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


def _parse_triples(body: bytes) -> list[ox.Triple]:
    try:
        parsed = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        return [ox.Triple(deskolemise(t.subject), t.predicate, deskolemise(t.object)) for t in parsed]
    except SyntaxError as error:
        raise StoreError(f"the remote store sent a graph that is not N-Triples: {str(error)[:MESSAGE_CHARS]}") from None


# -- the query engine ---------------------------------------------------------------------------------------------

# The dataset of a query that names none: kgservice's graphs, as default-graph-uri and named-graph-uri.
Graphs = Callable[[], tuple[list[str], list[str]]]
_NO_GRAPHS: Graphs = lambda: ([], [])  # noqa: E731 - a remote used for reading only, with the store's own dataset


class RemoteStore(QueryEngine):
    """The QueryEngine of a remote endpoint; several queries at once go out side by side from a thread pool."""

    def __init__(
        self,
        endpoints: RemoteEndpoints | str,
        timeout: float = 60,
        threads: int = 16,
        graphs: Graphs = _NO_GRAPHS,
        max_bytes: int = 512_000_000,
    ) -> None:
        self.endpoints = endpoints if isinstance(endpoints, RemoteEndpoints) else RemoteEndpoints(endpoints, "", "")
        self.query_url, self.timeout, self.graphs, self.max_bytes = self.endpoints.query_url, timeout, graphs, max_bytes
        self.client = RemoteClient(self.endpoints, timeout)
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="remote-query")

    def select(self, query: str, source: str = "query") -> Table:
        return table_from_json(self.results(query))

    def ask(self, query: str, source: str = "query") -> bool:
        return boolean_from_json(self.results(query))

    def construct(self, query: str, source: str = "query") -> list[Triple]:
        body, media = self._send(query, Dataset(), "application/n-triples", self.max_bytes)
        if media == _JSON:
            raise StoreError(f"{source}: not a CONSTRUCT or DESCRIBE query")
        return [(to_term(t.subject), to_term(t.predicate), to_term(t.object)) for t in _parse_triples(body)]

    def select_many(self, queries: Sequence[str], source: str = "query") -> list[Table]:
        return list(self._executor.map(self.select, queries))

    def submit(self, request: QueryRequest) -> Future[Serialized]:
        return self._executor.submit(self.serialize, request)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self.client.close()

    def results(self, query: str) -> dict[str, Any]:
        """The normalised SPARQL JSON document of a SELECT or ASK query."""
        body, _ = self._send(query, Dataset(), _JSON, self.max_bytes)
        return _results_document(body)

    def serialize(self, request: QueryRequest) -> Serialized:
        """Send the query, normalise the answer, and write it in the media type chosen for its form."""
        if request.results_media is None and request.graph_media is None:
            raise not_acceptable([*RESULT_FORMATS, *GRAPH_FORMATS])
        limit = self.max_bytes if request.max_bytes is None else 2 * request.max_bytes + 65_536
        accept = {"results": _JSON, "graph": _GRAPH_ACCEPT}.get(query_form(request.query) or "", _ACCEPT_ANY_FORM)
        body, media = self._send(_with_base(request.query, request.base_iri), request.dataset, accept, limit)
        out = _write_results(body, request) if media in (_JSON, "application/json") else _write_graph(body, request)
        if request.max_bytes is not None and len(out.body) > request.max_bytes:
            raise too_large(request.max_bytes)
        return out

    def _send(self, query: str, dataset: Dataset, accept: str, limit: int) -> tuple[bytes, str]:
        screen_for_store(query)
        return self.client.query(without_empty_values(query), self._dataset(dataset), accept, limit)

    def _dataset(self, dataset: Dataset) -> list[tuple[str, str]]:
        """The request's own dataset, else (a query without FROM) kgservice's graphs."""
        if dataset.default_graphs or dataset.named_graphs or not dataset.union_default_graph:
            defaults, named = list(dataset.default_graphs), list(dataset.named_graphs)
        else:
            defaults, named = self.graphs()
        return [("default-graph-uri", g) for g in defaults] + [("named-graph-uri", g) for g in named]


def _with_base(query: str, base_iri: str | None) -> str:
    """The query with the request's base IRI declared, so that the store resolves relative IRIs as the embedded
    engine does (Virtuoso would answer them unresolved, which is no RDF)."""
    if base_iri is None or not re.fullmatch(r"[^<>\"{}|^`\\\s]+", base_iri):
        return query
    return f"BASE <{base_iri}>\n{query}"


def _results_document(body: bytes) -> dict[str, Any]:
    try:
        return normalise_results(json.loads(body))
    except (ValueError, AttributeError, TypeError) as error:
        raise StoreError(f"the remote store sent results that are not SPARQL JSON: {str(error)[:MESSAGE_CHARS]}") from None


def _charset(media: str) -> str:
    return "; charset=utf-8" if media.startswith("text/") or media.endswith(("json", "xml")) else ""


def _write_results(body: bytes, request: QueryRequest) -> Serialized:
    media = request.results_media
    if media is None or media not in RESULT_FORMATS:
        raise not_acceptable(list(RESULT_FORMATS))
    document = json.dumps(_results_document(body)).encode()
    if RESULT_FORMATS[media] == ox.QueryResultsFormat.JSON:
        return Serialized(document, media + _charset(media))
    parsed = ox.parse_query_results(document, format=ox.QueryResultsFormat.JSON)
    out = parsed.serialize(format=RESULT_FORMATS[media])
    return Serialized(out or b"", media + _charset(media))


def _write_graph(body: bytes, request: QueryRequest) -> Serialized:
    media = request.graph_media
    if media is None or media not in GRAPH_FORMATS:
        raise not_acceptable(list(GRAPH_FORMATS))
    out = ox.serialize(_parse_triples(body), format=GRAPH_FORMATS[media])
    return Serialized(out or b"", media + _charset(media))


# -- the repository -----------------------------------------------------------------------------------------------


def _remote_graph(graph: Any) -> ox.NamedNode:
    """Where a graph of the mirror lives in the remote."""
    return DEFAULT_GRAPH if isinstance(graph, ox.DefaultGraph) else skolemise(graph)


def _local_graph(graph: ox.NamedNode) -> ox.NamedNode | ox.BlankNode | ox.DefaultGraph:
    return ox.DefaultGraph() if graph == DEFAULT_GRAPH else deskolemise(graph)


def _line(quad: ox.Quad) -> tuple[ox.NamedNode, str]:
    triple = f"{skolemise(quad.subject)} {quad.predicate} {skolemise(quad.object)} ."
    return _remote_graph(quad.graph_name), triple


def data_updates(inserting: bool, quads: Iterable[ox.Quad], chunk: int = CHUNK_TRIPLES) -> Iterator[str]:
    """INSERT DATA (or DELETE DATA) requests of at most `chunk` triples each, blank nodes skolemised."""
    by_graph: dict[ox.NamedNode, list[str]] = {}
    for quad in quads:
        graph, line = _line(quad)
        by_graph.setdefault(graph, []).append(line)
    verb = "INSERT DATA" if inserting else "DELETE DATA"
    for graph in sorted(by_graph, key=str):
        lines = by_graph[graph]
        for start in range(0, len(lines), chunk):
            yield f"{verb} {{ GRAPH {graph} {{\n" + "\n".join(lines[start : start + chunk]) + "\n} }"


def _member(graph: ox.NamedNode) -> ox.Quad:
    return ox.Quad(REGISTRY, MEMBER, graph, REGISTRY)


class RemoteRepository(GraphRepository):
    """kgservice's graphs in a remote store, mirrored in memory; writes are validated on the mirror, then sent as deltas."""

    def __init__(self, endpoints: RemoteEndpoints, timeout: float = 120, chunk: int = CHUNK_TRIPLES) -> None:
        self.endpoints, self.timeout, self.chunk = endpoints, timeout, chunk
        self.version = 0
        self.validator: Validator | None = None
        self.on_commit: Callable[[Patch], None] | None = None
        self.client = RemoteClient(endpoints, timeout)
        self.mirror = ox.Store()
        self.registered: set[ox.NamedNode] = set()
        self._write_lock = threading.Lock()
        self._stale = True

    def open(self) -> None:
        """Read kgservice's graphs from the remote into the mirror (the registry says which)."""
        with self._write_lock:
            self._reload()

    def _reload(self) -> None:
        query = f"SELECT ?g WHERE {{ GRAPH {REGISTRY} {{ {REGISTRY} {MEMBER} ?g }} }}"
        body, _ = self.client.query(query, [("named-graph-uri", REGISTRY.value)], _JSON, 64_000_000)
        table = table_from_json(_results_document(body))
        mirror, registered = ox.Store(), {ox.NamedNode(g) for g in table.column("g") if g}
        for graph in sorted(registered, key=str):
            local = _local_graph(graph)
            if not isinstance(local, ox.DefaultGraph):
                mirror.add_graph(local)
            data = self.client.graph(graph)
            if data:
                mirror.extend(ox.Quad(t.subject, t.predicate, t.object, local) for t in _parse_triples(data))
        self.mirror, self.registered, self._stale = mirror, registered, False

    def is_empty(self) -> bool:
        """Whether kgservice has no graph in the remote (the store's own graphs do not count)."""
        with self._write_lock:
            return not self.registered

    def query_graphs(self) -> tuple[list[str], list[str]]:
        """The dataset of queries: the union of kgservice's graphs as default graph, and each named one."""
        named = sorted(g.value for g in self.registered if g != DEFAULT_GRAPH)
        return [*named, DEFAULT_GRAPH.value], named

    def engine(self, timeout: float) -> RemoteStore:
        """The query engine on kgservice's graphs in this remote."""
        return RemoteStore(self.endpoints, timeout, graphs=self.query_graphs)

    def size(self) -> int:
        with self._write_lock:
            return len(self.mirror)

    def graph_sizes(self) -> dict[str, int]:
        with self._write_lock:
            return graph_sizes(self.mirror)

    def has_graph(self, graph: GraphName) -> bool:
        with self._write_lock:
            return isinstance(graph, ox.DefaultGraph) or self.mirror.contains_named_graph(graph)

    def dump(self, rdf_format: ox.RdfFormat, graph: GraphName | None) -> bytes:
        with self._write_lock:
            store = self.mirror
            data = store.dump(format=rdf_format) if graph is None else store.dump(format=rdf_format, from_graph=graph)
        assert data is not None  # dump() without an output returns the bytes
        return data

    def commit(self, change: Change) -> CommitResult:
        with self._write_lock:
            if self._stale:
                self._reload()
            return commit_change(self.mirror, change, self.validator, _SendDelta(self))

    def upload(self, store: ox.Store) -> None:
        """Fill the remote with every quad of `store` (the bundled data into a remote without kgservice's graphs)."""
        with self._write_lock:
            for graph in store.named_graphs():
                self.mirror.add_graph(graph)
            self.mirror.extend(store)
            self.send(set(), set(store))

    def send(self, removed: set[ox.Quad], added: set[ox.Quad]) -> None:
        """Make the remote hold what the mirror holds, given the delta: registry entries of new graphs first,
        the deleted and inserted triples, then the registry entries of graphs now gone; undo on failure."""
        now = {_remote_graph(g) for g in self.mirror.named_graphs()}
        if next(iter(self.mirror.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
            now.add(DEFAULT_GRAPH)
        new, gone = now - self.registered, self.registered - now
        steps = [
            *((True, u) for u in data_updates(True, map(_member, new), self.chunk)),
            *((False, u) for u in data_updates(False, removed, self.chunk)),
            *((True, u) for u in data_updates(True, added, self.chunk)),
            *((False, u) for u in data_updates(False, map(_member, gone), self.chunk)),
        ]
        self._apply(steps)
        self.registered = now

    def _apply(self, steps: list[tuple[bool, str]]) -> None:
        done: list[tuple[bool, str]] = []
        try:
            for inserting, update in steps:
                self.client.update(update)
                done.append((inserting, update))
        except KgServiceError:
            self._undo(done)
            raise

    def _undo(self, done: list[tuple[bool, str]]) -> None:
        """Send the inverse of the requests that went through; if that fails too, reload before the next write."""
        try:
            for inserting, update in reversed(done):
                verb, inverse = ("INSERT DATA", "DELETE DATA") if inserting else ("DELETE DATA", "INSERT DATA")
                self.client.update(inverse + update[len(verb) :])
        except KgServiceError:
            self._stale = True


class _SendDelta(VersionSink):
    """The remote repository's sink: the delta to the remote, in chunks, then a new version."""

    def __init__(self, repository: RemoteRepository) -> None:
        super().__init__(repository)
        self.repository = repository

    def write(self, staged: Staged) -> CommitResult:
        self.repository.send(staged.removed, staged.added)
        self.repository.version += 1
        return CommitResult(self.repository.version, len(staged.removed), len(staged.added))


def remote_endpoints(settings: Settings) -> RemoteEndpoints:
    """The remote store the settings name, with the credentials they give (a file, or a user and password)."""
    assert settings.remote_query_url and settings.remote_update_url and settings.remote_store_url
    password = settings.remote_password.get_secret_value() if settings.remote_password is not None else None
    credentials = read_credentials(settings.remote_user, password, settings.remote_credentials, settings.remote_auth)
    return RemoteEndpoints(settings.remote_query_url, settings.remote_update_url, settings.remote_store_url, credentials)
