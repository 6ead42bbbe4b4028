"""The project tree's commit sink: each graph a validated change touched, written back to its Turtle file.

Every touched graph is checked and serialized before the first file is written, so a refused change writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgservice.engine.commit import Staged
from kgservice.engine.derived import DERIVED_GRAPH
from kgservice.errors import ParameterError
from kgservice.project.graph_files import file_of, put, rendered
from kgservice.project.layout import Layout

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
