"""The project tree's commit sink: each graph a validated change touched, written back to its Turtle file;
and the service's writer of the user data files its commits changed.

Every touched graph is checked and serialized before the first file is written, so a refused change writes nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgservice.engine.commit import Staged
from kgservice.engine.derived import DERIVED_GRAPH
from kgservice.engine.repository import GraphRepository
from kgservice.errors import ParameterError
from kgservice.project.graph_files import file_of, ntriples_to_turtle, put, rendered
from kgservice.project.layout import USER_GRAPH, Layout
from kgservice.rdf.namespaces import GRAPH

_NO_FILE = "the change touched {graph}, which no file of the project holds; nothing written"


@dataclass(frozen=True)
class GraphFiles:
    """Sink writing every touched graph to its file under `folder` (e.g. "data/tags/"), `header` first."""

    layout: Layout
    folder: str
    header: bytes

    def unchanged(self) -> list[Path]:
        return []

    def write(self, staged: Staged) -> list[Path]:
        planned = [rendered(self.layout, staged.store, graph, self.folder, self.header) for graph in self.graphs(staged)]
        return [put(path, content) for path, content in planned]

    def graphs(self, staged: Staged) -> list[ox.NamedNode]:
        """The touched graphs to write, sorted; raises ParameterError for one that no file under `folder` holds."""
        named = []
        for graph in staged.touched - {DERIVED_GRAPH}:  # recomputed whenever the tree is loaded, never stored
            if not isinstance(graph, ox.NamedNode):
                raise ParameterError(_NO_FILE.format(graph=graph))
            file_of(self.layout, graph, self.folder)
            named.append(graph)
        return sorted(named, key=str)


@dataclass(frozen=True)
class OneGraphFile:
    """Sink for a change that must touch exactly one graph file; answers its path (`graph`'s if nothing changes)."""

    files: GraphFiles
    refusal: str
    graph: ox.NamedNode | None = None

    def unchanged(self) -> Path:
        if self.graph is None:
            raise ParameterError(self.refusal)
        return file_of(self.files.layout, self.graph, self.files.folder)

    def write(self, staged: Staged) -> Path:
        if len(self.files.graphs(staged)) != 1:
            raise ParameterError(self.refusal)
        return self.files.write(staged)[0]


@dataclass(frozen=True)
class UserFiles:
    """The service's copy of its user graphs on disk: after a commit through the repository (validated, logged
    with --store), each user graph it changed replaces its file in the user data directory, so that a service
    without --store, or the CLI, reads it after a restart. Graphs of the bundled data are never written here."""

    layout: Layout
    lock: threading.Lock = field(default_factory=threading.Lock, compare=False)

    def save(self, repository: GraphRepository, graphs: Iterable[ox.NamedNode], header: bytes) -> list[Path]:
        """Write each user graph of `graphs` as the repository holds it now (its file removed when it is empty)."""
        written = []
        # Under one lock each file gets the graph as it is when written, so a slower writer never puts back an older state.
        with self.lock:
            for graph in dict.fromkeys(g for g in graphs if g.value.startswith(USER_GRAPH)):
                if self.layout.user_dir is None:
                    break
                path = file_of(self.layout, graph, USER_GRAPH.removeprefix(GRAPH))
                written.append(put(path, self._content(repository, graph, header)))
        return written

    @staticmethod
    def _content(repository: GraphRepository, graph: ox.NamedNode, header: bytes) -> bytes | None:
        if not repository.has_graph(graph):
            return None
        ntriples = repository.dump(ox.RdfFormat.N_TRIPLES, graph)
        return header + ntriples_to_turtle(ntriples) if ntriples.strip() else None
