"""Where the ontology, data, shapes and queries are, and which named graph each data file goes to.

In a checkout they are the top-level folders; in an installed wheel they are bundled under
`kgservice/bundle/`. `KGSERVICE_ROOT` overrides both.

Beside the bundled `data/` there is the user data directory: what a user imports or stores (strategies,
suggestions, judgements) goes there, never into the bundled tree unless a curator asks. It is
`KGSERVICE_USER_DATA`, else `$XDG_DATA_HOME/kgservice`, else `~/.local/share/kgservice`; its files load into
graphs named `graph/user/<path relative to it>`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kgservice.rdf.namespaces import GRAPH

USER_GRAPH = GRAPH + "user/"
"""Graphs loaded from the user data directory are named below this IRI."""


@dataclass(frozen=True)
class Layout:
    """The folders of one project tree, and the user data directory loaded beside it (None: no user data)."""

    root: Path
    user_dir: Path | None = None

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    def graph_files(self) -> list[Path]:
        """The Turtle files that make up the graph: the ontology modules, every file under data/ and every
        file of the user data directory."""
        files = sorted(self.ontology_dir.glob("*.ttl")) + sorted(self.data_dir.rglob("*.ttl"))
        if self.user_dir is not None and self.user_dir.is_dir():
            files += sorted(self.user_dir.rglob("*.ttl"))
        return [f for f in files if f.is_file()]

    def graph_name(self, path: Path) -> str:
        """The named-graph IRI a file is loaded into: graph/<path relative to root, without .ttl>, or
        graph/user/<path relative to the user data directory, without .ttl>."""
        resolved = path.resolve()
        if self.user_dir is not None and resolved.is_relative_to(self.user_dir.resolve()):
            return USER_GRAPH + resolved.relative_to(self.user_dir.resolve()).with_suffix("").as_posix()
        return GRAPH + resolved.relative_to(self.root.resolve()).with_suffix("").as_posix()

    def file_of_graph(self, graph: str) -> Path:
        """The file a graph named by `graph_name` is loaded from (it need not exist yet)."""
        if graph.startswith(USER_GRAPH):
            if self.user_dir is None:
                raise ValueError(f"{graph} names a user data file, but no user data directory is set")
            return self.user_dir / f"{graph.removeprefix(USER_GRAPH)}.ttl"
        return self.root / f"{graph.removeprefix(GRAPH)}.ttl"

    def with_user_dir(self, user_dir: Path | None) -> Layout:
        return Layout(self.root, user_dir)


def default_user_dir() -> Path:
    """$KGSERVICE_USER_DATA, else $XDG_DATA_HOME/kgservice, else ~/.local/share/kgservice."""
    env = os.environ.get("KGSERVICE_USER_DATA")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "kgservice"


def _is_project(root: Path) -> bool:
    return (root / "ontology").is_dir() and (root / "data").is_dir()


def default_layout() -> Layout:
    """The project tree to use: $KGSERVICE_ROOT, else the checkout, else the bundled copy; with the default user
    data directory."""
    env = os.environ.get("KGSERVICE_ROOT")
    if env:
        return Layout(Path(env), default_user_dir())
    package = Path(__file__).resolve().parent.parent
    for candidate in (package.parent, package / "bundle"):
        if _is_project(candidate):
            return Layout(candidate, default_user_dir())
    raise FileNotFoundError("no ontology/ and data/ found; set KGSERVICE_ROOT to the project folder")
