"""Write a named graph of the store back to the Turtle file it is loaded from: in the project tree, or in the
user data directory (graphs graph/user/...).

The commands that change generated data (stored suggestions, suggested tags) commit through
`engine.commit.commit_change` with the sink of `project.writeback`, which writes only the graphs they own.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import rdflib

from kgservice.errors import ParameterError
from kgservice.project.layout import Layout
from kgservice.rdf.namespaces import GRAPH, PREFIXES
from kgservice.translation import N_


def file_of(layout: Layout, graph: ox.NamedNode, folder: str) -> Path:
    """The file `graph` is loaded from, which must lie under `folder`, named as the graph is below graph/:
    "data/tags/" for the bundled tags, "user/tags/" for tags/ of the user data directory."""
    relative = graph.value.removeprefix(GRAPH)
    if not relative.startswith(folder) or ".." in relative.split("/"):
        raise ParameterError(
            N_("%(graph)s is not a graph of %(folder)s; only those are written by this command"), graph=graph.value, folder=folder
        )
    return layout.file_of_graph(graph.value)


def turtle(store: ox.Store, graph: ox.NamedNode) -> bytes:
    """One graph of the store as Turtle with the project's prefixes."""
    return ntriples_to_turtle(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b"")


def ntriples_to_turtle(ntriples: bytes) -> bytes:
    """N-Triples as Turtle with the project's prefixes (rdflib writes blank nodes nested, inline)."""
    triples = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        triples.bind(prefix, namespace)
    triples.parse(data=ntriples.decode(), format="nt")
    return triples.serialize(format="turtle").encode()


def rendered(layout: Layout, store: ox.Store, graph: ox.NamedNode, folder: str, header: bytes) -> tuple[Path, bytes | None]:
    """The file of `graph` under `folder` and its new content, `header` first; None when the graph is empty."""
    path = file_of(layout, graph, folder)
    if not any(True for _ in store.quads_for_pattern(None, None, None, graph)):
        return path, None
    return path, header + turtle(store, graph)


def put(path: Path, content: bytes | None) -> Path:
    """Replace `path` with `content` atomically, or remove the file when there is none."""
    if content is None:
        path.unlink(missing_ok=True)
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")  # not *.ttl, so never loaded if a crash leaves it
    temporary.write_bytes(content)
    temporary.replace(path)  # a reader, or a crash, sees the old file or the new one, never part of one
    return path
