"""`RemoteStore`: the QueryEngine of a remote endpoint, its answers re-serialised in the media type the HTTP
edge chose, with the dataset restricted to kgservice's graphs."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pyoxigraph as ox

from kgservice.engine.base import Dataset, QueryEngine, QueryRequest, Serialized, Triple, not_acceptable, too_large
from kgservice.engine.embedded import to_term
from kgservice.engine.remote.client import JSON, RemoteClient, RemoteEndpoints
from kgservice.engine.remote.texts import (
    parse_triples,
    query_form,
    results_document,
    screen_for_store,
    without_empty_values,
)
from kgservice.errors import StoreError
from kgservice.rdf.media import GRAPH_FORMATS, RESULT_FORMATS
from kgservice.rdf.terms import Table, boolean_from_json, table_from_json

_ACCEPT_ANY_FORM = f"{JSON}, application/n-triples;q=0.9, text/plain;q=0.5"
_GRAPH_ACCEPT = "application/n-triples, text/plain;q=0.5"


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
        if media == JSON:
            raise StoreError(f"{source}: not a CONSTRUCT or DESCRIBE query")
        return [(to_term(t.subject), to_term(t.predicate), to_term(t.object)) for t in parse_triples(body)]

    def select_many(self, queries: Sequence[str], source: str = "query") -> list[Table]:
        return list(self._executor.map(self.select, queries))

    def submit(self, request: QueryRequest) -> Future[Serialized]:
        return self._executor.submit(self.serialize, request)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self.client.close()

    def results(self, query: str) -> dict[str, Any]:
        """The normalised SPARQL JSON document of a SELECT or ASK query."""
        body, _ = self._send(query, Dataset(), JSON, self.max_bytes)
        return results_document(body)

    def serialize(self, request: QueryRequest) -> Serialized:
        """Send the query, normalise the answer, and write it in the media type chosen for its form."""
        if request.results_media is None and request.graph_media is None:
            raise not_acceptable([*RESULT_FORMATS, *GRAPH_FORMATS])
        limit = self.max_bytes if request.max_bytes is None else 2 * request.max_bytes + 65_536
        accept = {"results": JSON, "graph": _GRAPH_ACCEPT}.get(query_form(request.query) or "", _ACCEPT_ANY_FORM)
        body, media = self._send(_with_base(request.query, request.base_iri), request.dataset, accept, limit)
        out = _write_results(body, request) if media in (JSON, "application/json") else _write_graph(body, request)
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


def _charset(media: str) -> str:
    return "; charset=utf-8" if media.startswith("text/") or media.endswith(("json", "xml")) else ""


def _write_results(body: bytes, request: QueryRequest) -> Serialized:
    media = request.results_media
    if media is None or media not in RESULT_FORMATS:
        raise not_acceptable(list(RESULT_FORMATS))
    document = json.dumps(results_document(body)).encode()
    if RESULT_FORMATS[media] == ox.QueryResultsFormat.JSON:
        return Serialized(document, media + _charset(media))
    parsed = ox.parse_query_results(document, format=ox.QueryResultsFormat.JSON)
    out = parsed.serialize(format=RESULT_FORMATS[media])
    return Serialized(out or b"", media + _charset(media))


def _write_graph(body: bytes, request: QueryRequest) -> Serialized:
    media = request.graph_media
    if media is None or media not in GRAPH_FORMATS:
        raise not_acceptable(list(GRAPH_FORMATS))
    out = ox.serialize(parse_triples(body), format=GRAPH_FORMATS[media])
    return Serialized(out or b"", media + _charset(media))
