"""A remote SPARQL 1.1 store (Fuseki, GraphDB, Virtuoso, Oxigraph server) behind the same service.

`RemoteStore` is the QueryEngine of a remote store: it sends every query through SPARQLWrapper and
reads typed results from the remote's SPARQL JSON (kgservice.rdf.terms' codec) or N-Triples, or hands
the HTTP edge the remote's bytes in the media types the edge chose. `RemoteRepository` keeps the
service's write rules: a change is applied to a staging copy fetched from the remote, validated with
the SHACL shapes, and sent as one SPARQL Update that replaces each touched graph, so the remote applies
it in one request or not at all.
The remote must use the union of its named graphs as its default graph (oxigraph serve
--union-default-graph, Fuseki tdb:unionDefaultGraph), as the embedded store does.
"""

from __future__ import annotations

import json
import threading
import urllib.error
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox
from SPARQLWrapper import INSERT, POST, POSTDIRECTLY, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from kgservice.engine.base import QueryEngine, QueryRequest, Serialized, Triple, not_acceptable, too_large
from kgservice.engine.commit import AnyGraphName, Change, GraphName, Staged, Validator, commit_change
from kgservice.engine.embedded import to_term
from kgservice.engine.pool import Patch
from kgservice.engine.repository import CommitResult, GraphRepository, VersionSink
from kgservice.errors import InputError, KgServiceError, NotAcceptable, QueryTimeout, ResultTooLarge, StoreError
from kgservice.rdf.media import GRAPH_FORMATS, RESULT_FORMATS
from kgservice.rdf.terms import Table, boolean_from_json, table_from_json

_USER_AGENT = "kgservice"


@dataclass(frozen=True)
class RemoteEndpoints:
    """Where the remote store answers queries, updates and the graph store protocol."""

    query_url: str
    update_url: str
    store_url: str


def _wrapper(url: str, timeout: float) -> SPARQLWrapper:
    """A client that POSTs the text directly, with content negotiation only (no format parameters)."""
    client = SPARQLWrapper(url, agent=_USER_AGENT)
    client.setMethod(POST)
    client.setRequestMethod(POSTDIRECTLY)
    client.setTimeout(int(max(1, timeout)))
    client.setOnlyConneg(True)
    return client


def _set_text(client: SPARQLWrapper, text: str, update: bool) -> None:
    """Set the text and its kind: SPARQLWrapper guesses the kind by regex and is fooled by words in comments."""
    client.setQuery(text)
    client.queryType = INSERT if update else SELECT


_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
# What the remote's refusals mean here; any other status is the remote failing (500).
_REFUSALS: dict[int, type[KgServiceError]] = {400: InputError, 406: NotAcceptable, 413: ResultTooLarge}


def _accept(request: QueryRequest) -> str:
    """The Accept header for the remote: the media types the edge chose, whichever form the query has."""
    chosen = [m for m in (request.results_media, request.graph_media) if m is not None]
    if not chosen:
        raise not_acceptable([*RESULT_FORMATS, *GRAPH_FORMATS])
    return ", ".join(chosen)


class RemoteStore(QueryEngine):
    """The QueryEngine of a remote endpoint; several queries at once go out side by side from a thread pool."""

    def __init__(self, query_url: str, timeout: float = 60, threads: int = 16) -> None:
        self.query_url, self.timeout = query_url, timeout
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="remote-query")

    def select(self, query: str, source: str = "query") -> Table:
        return table_from_json(self._json(query))

    def ask(self, query: str, source: str = "query") -> bool:
        return boolean_from_json(self._json(query))

    def construct(self, query: str, source: str = "query") -> list[Triple]:
        body = self.serialize(QueryRequest(query, None, _NTRIPLES)).body
        return [
            (to_term(t.subject), to_term(t.predicate), to_term(t.object)) for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        ]

    def select_many(self, queries: Sequence[str], source: str = "query") -> list[Table]:
        return list(self._executor.map(self.select, queries))

    def submit(self, request: QueryRequest) -> Future[Serialized]:
        return self._executor.submit(self.serialize, request)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _json(self, query: str) -> dict[str, object]:
        body = self.serialize(QueryRequest(query, _JSON, None)).body
        try:
            document: dict[str, object] = json.loads(body)
        except ValueError as error:
            raise StoreError(f"the remote store at {self.query_url} sent results that are not SPARQL JSON: {error}") from None
        return document

    def serialize(self, request: QueryRequest) -> Serialized:
        """Forward the query with the dataset and the chosen media types; the remote's bytes come back as they are."""
        client = _wrapper(self.query_url, self.timeout)
        _set_text(client, request.query, update=False)
        for graph in request.dataset.default_graphs:
            client.addDefaultGraph(graph)
        for graph in request.dataset.named_graphs:
            client.addNamedGraph(graph)
        client.addCustomHttpHeader("Accept", _accept(request))
        try:
            response = client.query().response
            body: bytes = response.read() if request.max_bytes is None else response.read(request.max_bytes + 1)
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")[:2000]
            raise _REFUSALS.get(error.code, StoreError)(f"the remote store answered {error.code}: {text}") from None
        except SPARQLWrapperException as error:  # SPARQLWrapper's own name for a 400, 401, 404, 414 or 500
            kind = InputError if isinstance(error, QueryBadFormed) else StoreError
            raise kind(f"the remote store refused the query: {str(error)[:2000]}") from None
        except (urllib.error.URLError, OSError) as error:
            if "timed out" in str(error):
                raise QueryTimeout(f"the remote store did not answer within {self.timeout:g} s") from None
            raise StoreError(f"the remote store could not be reached: {error}") from None
        if request.max_bytes is not None and len(body) > request.max_bytes:
            raise too_large(request.max_bytes)
        return Serialized(body, response.headers.get("Content-Type", "application/octet-stream"))


def _replacement_update(staging: ox.Store, graphs: set[AnyGraphName]) -> str:
    """One SPARQL Update that replaces each graph with its content in `staging`."""
    parts = []
    for graph in sorted(graphs, key=str):
        triples = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in staging.quads_for_pattern(None, None, None, graph))
        if isinstance(graph, ox.DefaultGraph):
            parts.append("DROP SILENT DEFAULT")
            if triples:
                parts.append(f"INSERT DATA {{\n{triples}}}")
        else:
            parts.append(f"DROP SILENT GRAPH {graph}")
            if triples:
                parts.append(f"INSERT DATA {{ GRAPH {graph} {{\n{triples}}} }}")
    return " ;\n".join(parts)


class RemoteRepository(GraphRepository):
    """The graph in a remote store; writes are validated here before one update is sent there."""

    def __init__(self, endpoints: RemoteEndpoints, timeout: float = 120) -> None:
        self.endpoints, self.timeout = endpoints, timeout
        self.version = 0
        self.validator: Validator | None = None
        self.on_commit: Callable[[Patch], None] | None = None
        self._write_lock = threading.Lock()
        self._store = RemoteStore(endpoints.query_url, timeout)

    def size(self) -> int:
        """Quads in the named graphs plus triples of the real default graph (read through the graph store)."""
        import httpx

        named = int(self._store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").column("n")[0])
        default = httpx.get(
            self.endpoints.store_url, params={"default": ""}, headers={"Accept": "application/n-triples"}, timeout=self.timeout
        )
        if default.status_code != 200:
            raise StoreError(f"the remote graph store answered {default.status_code} to a default graph read")
        return named + sum(1 for line in default.content.splitlines() if line.strip())

    def graph_sizes(self) -> dict[str, int]:
        table = self._store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return dict(zip(table.column("g"), map(int, table.column("n")), strict=True))

    def has_graph(self, graph: GraphName) -> bool:
        if isinstance(graph, ox.DefaultGraph):
            return True
        return self._store.ask(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}")

    def fetch(self) -> ox.Store:
        """The remote dataset, as N-Quads from its graph store endpoint, in a new in-memory store."""
        import httpx

        response = httpx.get(self.endpoints.store_url, headers={"Accept": "application/n-quads"}, timeout=self.timeout)
        if response.status_code != 200:
            raise StoreError(f"the remote graph store answered {response.status_code} to a dataset read")
        store = ox.Store()
        store.extend(ox.parse(response.content, format=ox.RdfFormat.N_QUADS))
        return store

    def dump(self, rdf_format: ox.RdfFormat, graph: GraphName | None) -> bytes:
        store = self.fetch()
        data = store.dump(format=rdf_format) if graph is None else store.dump(format=rdf_format, from_graph=graph)
        assert data is not None  # dump() without an output returns the bytes
        return data

    def send_update(self, update: str) -> None:
        client = _wrapper(self.endpoints.update_url, self.timeout)
        _set_text(client, update, update=True)
        try:
            client.query()
        except (urllib.error.URLError, OSError) as error:
            raise StoreError(f"the remote store refused the update: {error}") from error

    def commit(self, change: Change) -> CommitResult:
        with self._write_lock:
            return commit_change(self.fetch(), change, self.validator, _SendReplacement(self))

    def upload(self, store: ox.Store) -> None:
        """Replace every graph of `store` in the remote (used to fill an empty remote with the bundled data)."""
        graphs = {g for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
        for graph in sorted(graphs, key=str):
            self.send_update(_replacement_update(store, {graph}))


class _SendReplacement(VersionSink):
    """The remote repository's sink: one SPARQL Update that replaces each touched graph, then a new version."""

    def __init__(self, repository: RemoteRepository) -> None:
        super().__init__(repository)
        self.repository = repository

    def write(self, staged: Staged) -> CommitResult:
        self.repository.send_update(_replacement_update(staged.store, staged.touched))
        self.repository.version += 1
        return CommitResult(self.repository.version, len(staged.removed), len(staged.added))
