"""Store an imported document: validated together with the graph it joins, written only when valid.

The document's Turtle goes to `<user data>/strategies/<slug>.ttl` (graph graph/user/strategies/<slug>), its
plain-text rendering and the original file to `<user data>/sources/`; with `curated=True` (a curator's
choice) to `data/strategies/` and `data/sources/` instead. Before anything is written, every excerpt is
checked against the rendering (`checks.provenance`) and the whole change goes through the one commit
procedure with the shapes (`engine.commit.commit_change`): a refused change writes nothing.

Re-importing a new version of a document replaces its graph; an element keeps its IRI as long as its
notation is unchanged (IRIs are built from notations), so alignments to it survive, and `Changes` says
which elements were added, removed or changed.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from kgservice.checks.provenance import check_excerpts
from kgservice.checks.validation import shacl_validator
from kgservice.engine.commit import Staged, commit_change
from kgservice.errors import ImportRefused
from kgservice.project.graph_files import put, turtle
from kgservice.project.importing import ImportedDocument
from kgservice.project.layout import Layout
from kgservice.project.loading import open_store
from kgservice.rdf.namespaces import KGO

# What a user reads, in one place (named arguments, so that the texts can be translated).
TEXT = {
    "no_user_dir": "no user data directory is set: give --user-data, or --curated",
    "excerpts": "an excerpt does not quote its lines: %(problems)s",
    "same_file": "two documents of this import would be stored as %(name)s",
    "summary": "%(added)s added, %(removed)s removed, %(changed)s changed",
    "first": "a new strategy",
}

HEADER = (
    b"# An imported strategy document (kgservice import): the outline as parsed from the file named by its\n"
    b"# source file, every element citing the lines of the stored plain-text rendering. Re-import to change it.\n"
)


@dataclass(frozen=True)
class Target:
    """Where a document is stored: its Turtle file and named graph, and its two source files."""

    turtle: Path
    graph: str
    rendering: Path
    original: Path
    sources_path: str  # how kgo:filePath names the sources folder, relative to the graph's base folder
    base: Path  # the folder kgo:filePath is relative to


@dataclass(frozen=True)
class ElementState:
    notation: str
    type: str
    label: str
    parent: str


@dataclass(frozen=True)
class Changes:
    """What a re-import changes, by element IRI (notation unchanged: the same IRI)."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    replaced: bool = False  # a graph of this document was there before

    def summary(self) -> str:
        if not self.replaced:  # nothing to compare with: every element is new
            return TEXT["first"]
        return TEXT["summary"] % {"added": len(self.added), "removed": len(self.removed), "changed": len(self.changed)}


@dataclass(frozen=True)
class Saved:
    """A stored import: its files and what changed."""

    target: Target
    changes: Changes
    elements: int


def target(layout: Layout, document: ImportedDocument, curated: bool = False) -> Target:
    """Where `document` goes: the user data directory, or with `curated` the project's data/."""
    if curated:
        base, folder, sources_path = layout.root, layout.data_dir, "data/sources"
    else:
        if layout.user_dir is None:
            raise ImportRefused(document.file_name, TEXT["no_user_dir"])
        base, folder, sources_path = layout.user_dir, layout.user_dir, "sources"
    ttl = folder / "strategies" / f"{document.slug}.ttl"
    sources = folder / "sources"
    return Target(
        ttl,
        layout.graph_name(ttl),
        sources / f"{document.source_stem}.txt",
        sources / document.original_name,
        sources_path,
        base,
    )


def _states(graph: Graph) -> dict[str, ElementState]:
    states = {}
    for subject, parent in graph.subject_objects(URIRef(KGO + "partOf")):
        notation, label = graph.value(subject, SKOS.notation), graph.value(subject, SKOS.prefLabel)
        kind = graph.value(subject, RDF.type)
        states[str(subject)] = ElementState(str(notation), str(kind), str(label), str(parent))
    return states


def changes(document: ImportedDocument, where: Target) -> Changes:
    """The elements `document` adds, removes and changes against the graph stored at `where` (if any)."""
    if not where.turtle.is_file():
        return Changes()
    before = _states(Graph().parse(where.turtle, format="turtle"))
    after = _states(document.graph(where.sources_path))
    return Changes(
        added=tuple(iri for iri in after if iri not in before),
        removed=tuple(iri for iri in before if iri not in after),
        changed=tuple(iri for iri in after if iri in before and after[iri] != before[iri]),
        replaced=True,
    )


def _check_excerpts(document: ImportedDocument, graph: Graph, where: Target) -> None:
    """Every quote of the new graph must be found in the rendering that will be stored (before anything is)."""
    with tempfile.TemporaryDirectory(prefix="kgservice-import-") as scratch:
        rendering = Path(scratch) / where.sources_path / where.rendering.name
        rendering.parent.mkdir(parents=True)
        rendering.write_text(document.rendering, encoding="utf-8")
        problems = check_excerpts(graph, Path(scratch))
    if problems:
        raise ImportRefused(document.file_name, TEXT["excerpts"], problems="; ".join(map(str, problems[:5])))


def _quads(graph: Graph, name: str) -> list[ox.Quad]:
    scratch = ox.Store()
    scratch.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    return list(scratch)


@dataclass(frozen=True)
class _Files:
    """The sink of an import: for each document its sources first (harmless if alone), then its Turtle file."""

    documents: tuple[tuple[ImportedDocument, Target], ...]

    def _sources(self) -> None:
        for document, where in self.documents:
            put(where.rendering, document.rendering.encode("utf-8"))
            put(where.original, document.original)

    def write(self, staged: Staged) -> list[Path]:
        self._sources()
        return [put(w.turtle, HEADER + turtle(staged.store, ox.NamedNode(w.graph))) for _, w in self.documents]

    def unchanged(self) -> list[Path]:
        self._sources()
        return [w.turtle for _, w in self.documents]


def save_all(documents: list[ImportedDocument], layout: Layout, curated: bool = False) -> list[Saved]:
    """Validate `documents` together with the graph of `layout` and store them all in one commit; raises
    `WriteRejected` (its report names each focus node) or `ImportRefused`, having written nothing."""
    planned: list[tuple[ImportedDocument, Target]] = []
    quads: list[ox.Quad] = []
    found: list[Changes] = []
    for document in documents:
        where = target(layout, document, curated)
        if any(w.turtle == where.turtle for _, w in planned):
            raise ImportRefused(document.file_name, TEXT["same_file"], name=where.turtle.name)
        graph = document.graph(where.sources_path)
        _check_excerpts(document, graph, where)
        found.append(changes(document, where))
        quads.extend(_quads(graph, where.graph))
        planned.append((document, where))

    def replace_graphs(store: ox.Store) -> None:
        for _, where in planned:
            store.remove_graph(ox.NamedNode(where.graph))
        store.extend(quads)

    engine = open_store(layout).engine
    commit_change(engine, replace_graphs, shacl_validator(layout), _Files(tuple(planned)))
    return [Saved(where, change, len(doc.elements)) for (doc, where), change in zip(planned, found, strict=True)]


def save(document: ImportedDocument, layout: Layout, curated: bool = False) -> Saved:
    """`save_all` of one document."""
    return save_all([document], layout, curated)[0]
