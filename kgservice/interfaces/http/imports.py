"""Commit an imported strategy document to the service's graph: its sources into the user data directory's
sources/, its graph (graph/user/strategies/<slug>) through the repository's validated commit, its Turtle file
beside them, and after it the changes that follow an import (tags, pending suggestions), each one commit.

A new version of a strategy imported before replaces it in one commit: its tags go (suggested again after it)
and so do the pending suggestions of the elements it no longer has. What a refused commit had written (the
sources) is put back as it was.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kgservice.analysis.importing import Changes, changes, target
from kgservice.analysis.suggest.after_import import GraphChange
from kgservice.analysis.suggest.records import SUGGESTIONS_HEADER, drop_pending_of
from kgservice.analysis.suggest.tagging import TAGS_HEADER, tags_graph
from kgservice.checks.provenance import check_excerpts
from kgservice.engine.commit import Change
from kgservice.engine.repository import GraphRepository
from kgservice.errors import ImportRefused, UpdateConflict
from kgservice.project.graph_files import put
from kgservice.project.importing import ImportedDocument
from kgservice.project.layout import USER_GRAPH
from kgservice.project.writeback import UserFiles
from kgservice.rdf.namespaces import KGO, RDF_TYPE
from kgservice.translation import N_

STRATEGY_HEADER = (
    b"# A strategy document imported over HTTP (POST /api/strategies, then /commit): its elements with the labels\n"
    b"# the source gives, each citing the lines of its rendering in sources/. Validated before it was written.\n"
)
TEXT = {
    "exists": N_(
        "%(iri)s is already a strategy of the graph, not one imported into the user data directory: give the upload another slug"
    ),
    "excerpts": N_("an excerpt does not quote its lines: %(problems)s"),
    "no_user_dir": N_("this service has no user data directory to keep an imported strategy in"),
}


def strategy_graph(document: ImportedDocument) -> ox.NamedNode:
    return ox.NamedNode(f"{USER_GRAPH}strategies/{document.slug}")


def _quads(document: ImportedDocument, graph: ox.NamedNode) -> list[ox.Quad]:
    ntriples = document.graph().serialize(format="nt", encoding="utf-8")
    parsed = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=True)
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in parsed]


def _placing(document: ImportedDocument, graph: ox.NamedNode, tags: ox.NamedNode, dropped: set[ox.NamedNode]) -> Change:
    """The change that puts the document into `graph`: a new strategy, or a new version of one imported before,
    which replaces it; its tags go too (they are suggested again), and so do the pending suggestions of the
    elements it no longer has (their graphs are added to `dropped`). A judged alignment of such an element
    stays, and the shapes refuse the change (422) until a planner removes it."""
    quads, iri = _quads(document, graph), ox.NamedNode(document.iri)
    kept = {q.subject for q in quads if isinstance(q.subject, ox.NamedNode)}

    def change(store: ox.Store) -> None:
        # Checked under the write lock, so two commits of one document cannot both pass.
        # A list, not pyoxigraph's iterator, which must not outlive this thread in a raised error's frame.
        typed = list(store.quads_for_pattern(iri, ox.NamedNode(RDF_TYPE), ox.NamedNode(KGO + "StrategyDocument"), None))
        if any(q.graph_name != graph for q in typed):
            raise UpdateConflict(TEXT["exists"], iri=document.iri)
        gone = {q.subject for q in store.quads_for_pattern(None, None, None, graph) if isinstance(q.subject, ox.NamedNode)}
        dropped.update(drop_pending_of(store, gone - kept))
        store.remove_graph(graph)
        store.remove_graph(tags)
        store.extend(quads)

    return change


def _write_sources(document: ImportedDocument, user_dir: Path) -> dict[Path, bytes | None]:
    """Write the rendering and the original beside the user's other sources; answer what each file held before."""
    folder = user_dir / "sources"
    files = {
        folder / f"{document.source_stem}.txt": document.rendering.encode(),
        folder / document.original_name: document.original,
    }
    before = {path: path.read_bytes() if path.is_file() else None for path in files}
    for path, content in files.items():
        put(path, content)
    return before


def _check_excerpts(document: ImportedDocument, user_dir: Path) -> None:
    """Every quote of the document must be in the lines it cites of the rendering just stored (checks.provenance)."""
    problems = check_excerpts(document.graph(), user_dir)
    if problems:
        raise ImportRefused(document.file_name, TEXT["excerpts"], problems="; ".join(map(str, problems[:5])))


def commit_strategy(document: ImportedDocument, repository: GraphRepository, user_files: UserFiles) -> tuple[int, Path, Changes]:
    """Commit the strategy graph and write its files; on a refusal the source files are put back as they were.
    Answers the graph's version, the strategy's file (relative to the user data directory) and what a new
    version changed against the one imported before."""
    layout = user_files.layout
    if layout.user_dir is None:
        raise UpdateConflict(TEXT["no_user_dir"])
    graph, tags = strategy_graph(document), tags_graph(document.iri, user=True)
    found = changes(document, target(layout, document))  # against the version stored before, if any
    before, dropped = _write_sources(document, layout.user_dir), set[ox.NamedNode]()
    try:
        _check_excerpts(document, layout.user_dir)
        version = repository.commit(_placing(document, graph, tags, dropped)).version
    except BaseException:
        for path, content in before.items():
            put(path, content)
        raise
    path = user_files.save(repository, [graph], STRATEGY_HEADER)[0]
    user_files.save(repository, [tags], TAGS_HEADER)  # emptied until the tags are suggested again
    user_files.save(repository, sorted(dropped, key=str), SUGGESTIONS_HEADER)
    return version, path.relative_to(layout.user_dir), found


def follow(change: GraphChange, repository: GraphRepository, user_files: UserFiles) -> int:
    """Commit a change that follows the import (tags, suggestions) and write its graph's file; answer the version."""
    version = repository.commit(change.apply).version
    user_files.save(repository, [change.graph], change.header)
    return version
