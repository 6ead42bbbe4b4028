"""Where the ontology, data, shapes and queries are, and which named graph each data file goes to.

In a checkout they are the top-level folders; in an installed wheel they are bundled under
`kgservice/bundle/`. `KGSERVICE_ROOT` overrides both.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kgservice.rdf.namespaces import GRAPH


@dataclass(frozen=True)
class Layout:
    """The folders of one project tree."""

    root: Path

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
        """The Turtle files that make up the graph: the ontology modules and every file under data/."""
        files = sorted(self.ontology_dir.glob("*.ttl")) + sorted(self.data_dir.rglob("*.ttl"))
        return [f for f in files if f.is_file()]

    def graph_name(self, path: Path) -> str:
        """The named-graph IRI a file is loaded into: graph/<path relative to root, without .ttl>."""
        relative = path.resolve().relative_to(self.root.resolve()).with_suffix("")
        return GRAPH + relative.as_posix()


def _is_project(root: Path) -> bool:
    return (root / "ontology").is_dir() and (root / "data").is_dir()


def default_layout() -> Layout:
    """The project tree to use: $KGSERVICE_ROOT, else the checkout, else the bundled copy."""
    env = os.environ.get("KGSERVICE_ROOT")
    if env:
        return Layout(Path(env))
    package = Path(__file__).resolve().parent.parent
    for candidate in (package.parent, package / "bundle"):
        if _is_project(candidate):
            return Layout(candidate)
    raise FileNotFoundError("no ontology/ and data/ found; set KGSERVICE_ROOT to the project folder")
