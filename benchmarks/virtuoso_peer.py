"""OpenLink Virtuoso (Debian's virtuoso-opensource) as a peer of the benchmark, on the queries of the mix where its
answers agree with the embedded engine's.

Virtuoso is started with its own database in the work folder (tests.virtuoso), the same N-Quads file is bulk
loaded (`ld_dir`, `rdf_loader_run`), and its SPARQL endpoint answers over the union of its graphs, as the other
servers do. Before the rounds, every query of the mix is asked once and compared with the in-process floor's
answer (multisets of bindings, blank nodes by kind, numbers by value; graphs as triples with blank nodes
blanked): Virtuoso is measured on the queries that agree only, and the tables say how many those are.
"""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox

from benchmarks.mix import MixQuery
from benchmarks.peers import Peer
from kgservice.engine.remote import normalise_results, without_empty_values
from tests.virtuoso import Bindings, Virtuoso, canonical, virtuoso_binary, virtuoso_server

NAME = "Virtuoso 7.2.5"
MAX_ROWS = 10_000_000  # no answer of the mix is cut at Virtuoso's row limit
GRAPH_TYPES = "text/turtle"
AGREEMENT_TIMEOUT = 10.0  # seconds a query may take in the agreement check (the mix's slowest: 1.2 s at 1M)


def available() -> bool:
    return virtuoso_binary() is not None


@dataclass
class VirtuosoPeer(Peer):
    """The peer, with the server behind it: a query it does not finish holds one of its HTTP threads, so the
    agreement check starts it again after each query it did not answer in time."""

    server: Virtuoso | None = None

    def text(self, query: str) -> str:
        """As kgservice's remote backend sends it: open parameters (`VALUES ?x { UNDEF }`), which Virtuoso joins
        as a constraint nothing meets, are left out."""
        return without_empty_values(query)

    def restart(self) -> None:
        assert self.server is not None and self.server.process is not None
        self.server.stop()
        self.server.start()
        assert self.server.process is not None
        self.process = self.server.process


@contextmanager
def virtuoso(data: Path, work: Path) -> Iterator[Peer]:
    """Virtuoso with the file loaded; its start time includes the load."""
    folder = work / "virtuoso"
    shutil.rmtree(folder, ignore_errors=True)
    started = time.monotonic()
    with virtuoso_server(folder, max_rows=MAX_ROWS) as server:
        shutil.copyfile(data, folder / "data.nq")
        server.sql(f"ld_dir('{folder}', 'data.nq', 'https://w3id.org/kgservice/graph/unnamed')")
        server.sql("rdf_loader_run()")
        server.sql("checkpoint")
        assert server.process is not None
        yield VirtuosoPeer(NAME, server.query_url, server.process, time.monotonic() - started, server=server)


Answer = Bindings | Counter[tuple[str, str, str]]


def _graph(body: bytes, rdf_format: ox.RdfFormat) -> Counter[tuple[str, str, str]]:
    def term(value: object) -> str:
        return "_:b" if isinstance(value, ox.BlankNode) else str(value)

    return Counter((term(t.subject), term(t.predicate), term(t.object)) for t in ox.parse(body, format=rdf_format))


def floor_answer(store: ox.Store, query: MixQuery) -> Answer:
    result = store.query(query.text, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryTriples):
        return _graph(result.serialize(format=ox.RdfFormat.N_TRIPLES) or b"", ox.RdfFormat.N_TRIPLES)
    return canonical(json.loads(result.serialize(format=ox.QueryResultsFormat.JSON) or b"{}"))


def peer_answer(peer: Peer, query: MixQuery, timeout: float) -> Answer | None:
    """Virtuoso's answer in comparable form; None when it refuses, fails or does not answer in time."""
    graph_form = query.accept == GRAPH_TYPES
    form = {"query": peer.text(query.text)}
    try:
        reply = httpx.post(peer.query_url, data=form, headers={"Accept": query.accept}, timeout=timeout)
    except httpx.HTTPError:
        return None
    if reply.status_code != 200:
        return None
    if graph_form:
        return _graph(reply.content, ox.RdfFormat.TURTLE)
    return canonical(normalise_results(reply.json()))


def agreeing(peer: Peer, store: ox.Store, mix: list[MixQuery], timeout: float) -> frozenset[str]:
    """The names of the mix's queries that Virtuoso answers as the embedded engine does, within `timeout`."""
    agreed = set()
    for query in mix:
        answer = peer_answer(peer, query, timeout)
        if answer is None and isinstance(peer, VirtuosoPeer):
            peer.restart()
        elif answer == floor_answer(store, query):
            agreed.add(query.name)
    return frozenset(agreed)
