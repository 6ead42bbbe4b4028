"""A remote SPARQL 1.1 store (Fuseki, GraphDB, Virtuoso, Oxigraph server) behind the same service.

`RemoteStore` answers the CLI's and the analysis' SELECT/ASK/CONSTRUCT through SPARQLWrapper.
`RemoteQueryBackend` forwards protocol queries, with the client's Accept header, and returns the
remote's bytes. `RemoteRepository` keeps the service's write rules: a change is applied to a staging
copy fetched from the remote, validated with the SHACL shapes, and sent as one SPARQL Update that
replaces each touched graph, so the remote applies it in one request or not at all.
The remote must use the union of its named graphs as its default graph (oxigraph serve
--union-default-graph, Fuseki tdb:unionDefaultGraph), as the embedded store does.
"""

from __future__ import annotations

import threading
import urllib.error
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox
from SPARQLWrapper import INSERT, JSON, POST, POSTDIRECTLY, SELECT, SPARQLWrapper

from kgservice.engine.commit import AnyGraphName, Change, GraphName, Staged, Validator, commit_change
from kgservice.engine.pool import Patch
from kgservice.engine.repository import CommitResult, GraphRepository
from kgservice.engine.worker import Job, Outcome
from kgservice.errors import StoreError
from kgservice.rdf.terms import Table, Term

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


def _term(binding: dict[str, str]) -> Term:
    kind = binding["type"]
    if kind == "typed-literal":
        kind = "literal"
    return Term(kind, binding["value"], binding.get("datatype"), binding.get("xml:lang"))  # type: ignore[arg-type]


class RemoteStore:
    """SELECT, ASK and CONSTRUCT against a remote endpoint through SPARQLWrapper."""

    def __init__(self, query_url: str, timeout: float = 60) -> None:
        self.query_url, self.timeout = query_url, timeout

    def _run(self, query: str, fmt: str) -> object:
        client = _wrapper(self.query_url, self.timeout)
        _set_text(client, query, update=False)
        client.setReturnFormat(fmt)
        try:
            return client.queryAndConvert()
        except (urllib.error.URLError, OSError) as error:
            raise StoreError(f"the remote store at {self.query_url} failed: {error}") from error

    def select(self, query: str, source: str = "query") -> Table:
        result = self._run(query, JSON)
        assert isinstance(result, dict)
        columns = tuple(result["head"]["vars"])
        rows = tuple(tuple(_term(b[c]) if c in b else None for c in columns) for b in result["results"]["bindings"])
        return Table(columns, rows)

    def ask(self, query: str, source: str = "query") -> bool:
        result = self._run(query, JSON)
        assert isinstance(result, dict)
        return bool(result["boolean"])


class RemoteQueryBackend:
    """Forward protocol queries to the remote endpoint in a thread pool; same interface as WorkerPool."""

    def __init__(self, endpoints: RemoteEndpoints, timeout: float, threads: int = 16) -> None:
        self.endpoints, self.timeout, self.restarts = endpoints, timeout, 0
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="remote-query")

    def submit(self, job: Job) -> Future[Outcome]:
        return self._executor.submit(self._forward, job)

    def publish(self, patch: object) -> None:
        """Nothing to do: the remote store is the only copy."""

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _forward(self, job: Job) -> Outcome:
        client = _wrapper(self.endpoints.query_url, self.timeout)
        _set_text(client, job.query, update=False)
        for graph in job.default_graphs:
            client.addDefaultGraph(graph)
        for graph in job.named_graphs:
            client.addNamedGraph(graph)
        client.addCustomHttpHeader("Accept", job.accept or "*/*")
        try:
            response = client.query().response
            body = response.read(job.max_bytes + 1)
        except urllib.error.HTTPError as error:
            return Outcome(
                error.code, message=f"the remote store answered {error.code}: {error.read().decode('utf-8', 'replace')[:2000]}"
            )
        except (urllib.error.URLError, OSError) as error:
            if "timed out" in str(error):
                return Outcome(503, message=f"the remote store did not answer within {self.timeout:g} s")
            return Outcome(502, message=f"the remote store could not be reached: {error}")
        if len(body) > job.max_bytes:
            return Outcome(
                413,
                message=f"the result is larger than this service's limit of {job.max_bytes} bytes; narrow the query or add LIMIT",
            )
        return Outcome(200, response.headers.get("Content-Type", "application/octet-stream"), body)


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


class _SendReplacement:
    """The remote repository's sink: one SPARQL Update that replaces each touched graph, then a new version."""

    def __init__(self, repository: RemoteRepository) -> None:
        self.repository = repository

    def unchanged(self) -> CommitResult:
        return CommitResult(self.repository.version, 0, 0)

    def write(self, staged: Staged) -> CommitResult:
        self.repository.send_update(_replacement_update(staged.store, staged.touched))
        self.repository.version += 1
        return CommitResult(self.repository.version, len(staged.removed), len(staged.added))
