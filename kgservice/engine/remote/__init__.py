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

from kgservice.engine.remote.client import (
    Credentials,
    RemoteClient,
    RemoteEndpoints,
    read_credentials,
    remote_endpoints,
    store_error,
)
from kgservice.engine.remote.repository import CHUNK_TRIPLES, DEFAULT_GRAPH, REGISTRY, RemoteRepository, data_updates
from kgservice.engine.remote.store import RemoteStore
from kgservice.engine.remote.texts import SKOLEM_PREFIX, normalise_results, screen_for_store, without_empty_values

__all__ = [
    "CHUNK_TRIPLES",
    "DEFAULT_GRAPH",
    "REGISTRY",
    "SKOLEM_PREFIX",
    "Credentials",
    "RemoteClient",
    "RemoteEndpoints",
    "RemoteRepository",
    "RemoteStore",
    "data_updates",
    "normalise_results",
    "read_credentials",
    "remote_endpoints",
    "screen_for_store",
    "store_error",
    "without_empty_values",
]
