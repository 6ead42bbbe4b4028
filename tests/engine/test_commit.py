"""The CLI's writes to the project tree and the embedded repository's writes go through one commit procedure.

The same change is committed both ways: refused, it leaves the files, the graph and the log as they were;
accepted, it changes exactly the graph it touched.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kgservice.checks.validation import shacl_validator
from kgservice.engine import commit
from kgservice.engine.commit import Change, Staged, ValidationOutcome, Validator, commit_change, copy_store
from kgservice.engine.embedded import OxigraphStore
from kgservice.engine.pool import Patch
from kgservice.engine.repository import Repository
from kgservice.engine.wal import DiskLog
from kgservice.errors import ParameterError, WriteRejected
from kgservice.interfaces.cli.suggest import _commit as cli_commit
from kgservice.project.layout import Layout
from kgservice.project.loading import open_store
from kgservice.project.writeback import GraphFiles
from kgservice.rdf.namespaces import GRAPH, ID

PAIR = ox.NamedNode(GRAPH + "data/suggestions/test--pair")
TAGS = ox.NamedNode(GRAPH + "data/tags/test")
DOCUMENT = ox.NamedNode(ID + "liberec-strategy-2021")
COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
VALID = ox.Quad(DOCUMENT, COMMENT, ox.Literal("a note", language="en"), PAIR)
INVALID = ox.Quad(DOCUMENT, TITLE, ox.Literal("a title without a language"), PAIR)  # breaks kgs:DocumentTitleShape


def adding(*quads: ox.Quad) -> Change:
    return lambda store: store.extend(quads)


def files(root: Path) -> dict[Path, bytes]:
    return {path.relative_to(root): path.read_bytes() for path in sorted(root.rglob("*.ttl"))}


def cli(root: Path, change: Change) -> Path:
    """The write of `kgservice suggestions accept|reject` and `suggest --save`, on a copy of the project."""
    layout = Layout(root)
    return cli_commit(layout, open_store(layout).engine, change)


class Embedded:
    """An embedded repository over the bundled graph, logging to a folder, with the patches it published."""

    def __init__(self, store: OxigraphStore, folder: Path, validator: Validator) -> None:
        self.before = copy_store(store.engine)
        self.disk = DiskLog(folder)
        self.disk.write_base(self.before)
        self.repository = Repository(copy_store(self.before), self.disk)
        self.repository.validator = validator
        self.patches: list[Patch] = []
        self.repository.on_commit = self.patches.append


@pytest.fixture(scope="module")
def validator(layout: Layout) -> Validator:
    return shacl_validator(layout)


@pytest.fixture
def embedded(store: OxigraphStore, tmp_path: Path, validator: Validator) -> Embedded:
    return Embedded(store, tmp_path / "store", validator)


def test_both_paths_validate_and_write_through_the_one_procedure(
    project_copy: Path, embedded: Embedded, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[set[object]] = []
    original = commit.validate

    def spy(staged: Staged, check: Validator | None) -> None:
        seen.append(set(staged.touched))
        original(staged, check)

    monkeypatch.setattr(commit, "validate", spy)
    cli(project_copy, adding(VALID))
    embedded.repository.commit(adding(VALID))
    assert seen == [{PAIR}, {PAIR}]


def test_an_invalid_change_writes_no_file_and_no_log_record(project_copy: Path, embedded: Embedded) -> None:
    before = files(project_copy)
    with pytest.raises(ParameterError) as refused:
        cli(project_copy, adding(VALID, INVALID))
    assert str(refused.value).startswith("the change would make the graph invalid, nothing written:\nValidation:")
    assert "DocumentTitleShape" in str(refused.value)
    assert files(project_copy) == before

    with pytest.raises(WriteRejected) as rejected:
        embedded.repository.commit(adding(VALID, INVALID))
    assert "DocumentTitleShape" in rejected.value.report_text
    assert embedded.repository.version == 0 and set(embedded.repository.store) == set(embedded.before)
    assert embedded.disk.load()[1] == 0 and not embedded.patches


def test_a_valid_change_changes_exactly_the_graph_it_touched(project_copy: Path, embedded: Embedded) -> None:
    before = files(project_copy)
    path = cli(project_copy, adding(VALID))
    after = files(project_copy)
    assert path == project_copy / "data" / "suggestions" / "test--pair.ttl"
    assert {p for p in after if after[p] != before.get(p)} == {path.relative_to(project_copy)}
    assert set(open_store(Layout(project_copy)).engine.quads_for_pattern(None, None, None, PAIR)) == {VALID}

    result = embedded.repository.commit(adding(VALID))
    assert (result.version, result.removed, result.added) == (1, 0, 1)
    logged, version = embedded.disk.load()
    assert version == 1 and set(logged) == set(embedded.before) | {VALID}
    assert set(embedded.repository.store) == set(logged)
    assert [p.version for p in embedded.patches] == [1]


def test_a_change_that_changes_nothing_writes_nothing(project_copy: Path, embedded: Embedded) -> None:
    before = files(project_copy)
    layout = Layout(project_copy)
    assert (
        cli_commit(layout, open_store(layout).engine, lambda store: None, PAIR)
        == project_copy / "data/suggestions/test--pair.ttl"
    )
    with pytest.raises(ParameterError) as refused:
        cli(project_copy, lambda store: None)
    assert str(refused.value) == "the change touched no single suggestions graph; nothing written"
    assert files(project_copy) == before
    assert embedded.repository.commit(lambda store: None).version == 0 and not embedded.patches


def test_the_project_sink_refuses_a_graph_outside_its_folder_before_writing_any(project_copy: Path) -> None:
    layout = Layout(project_copy)
    before = files(project_copy)
    outside = ox.Quad(DOCUMENT, COMMENT, ox.Literal("a note", language="en"), TAGS)
    sink = GraphFiles(layout, "data/suggestions/", b"")
    with pytest.raises(ParameterError, match="is not a graph of data/suggestions/"):
        commit_change(open_store(layout).engine, adding(VALID, outside), None, sink)
    with pytest.raises(ParameterError, match="which no file of the project holds"):
        commit_change(open_store(layout).engine, adding(ox.Quad(DOCUMENT, COMMENT, ox.Literal("x"))), None, sink)
    assert files(project_copy) == before


def test_a_one_triple_write_is_judged_by_what_it_can_affect(store: OxigraphStore, validator: Validator) -> None:
    """The validator is given the delta and checks the nodes it reaches, not the whole graph.

    Every commit keeps the graph valid, so a violation elsewhere cannot arise; planted, it does not refuse
    an innocent change, while a change that breaks a shape is refused and rolled back."""
    broken = copy_store(store.engine)
    broken.add(INVALID)
    repository = Repository(broken)
    given: list[int] = []

    def counted(staged: Staged) -> ValidationOutcome:
        given.append(len(staged.removed | staged.added))
        return validator(staged)

    repository.validator = counted
    elsewhere = ox.Quad(ox.NamedNode(ID + "a-note"), COMMENT, ox.Literal("a note", language="en"), PAIR)
    assert repository.commit(adding(elsewhere)).version == 1
    fresh = Repository(copy_store(store.engine))
    fresh.validator = counted
    with pytest.raises(WriteRejected) as rejected:
        fresh.commit(adding(INVALID))
    assert "DocumentTitleShape" in rejected.value.report_text
    assert given == [1, 1] and fresh.version == 0 and set(fresh.store) == set(store.engine)


@pytest.mark.parametrize(
    "update",
    [
        f"DELETE WHERE {{ GRAPH ?g {{ {DOCUMENT} ?p ?o }} }}",
        f"PREFIX dc: <http://purl.org/dc/terms/> DELETE DATA {{ GRAPH <{PAIR.value}> {{ {DOCUMENT} {COMMENT} 'x' }} }} ; "
        f"INSERT DATA {{ GRAPH <{PAIR.value}> {{ {DOCUMENT} dc:title 'no language' }} }}",
    ],
)
def test_a_refused_update_is_rolled_back_in_place(store: OxigraphStore, validator: Validator, update: str) -> None:
    """The change runs on the live store with its delta recorded; refused, the inverse delta restores it."""
    repository = Repository(copy_store(store.engine))
    repository.validator = validator
    with pytest.raises(WriteRejected):
        repository.commit(lambda staging: staging.update(update))
    assert set(repository.store) == set(store.engine) and repository.version == 0


def test_data_updates_are_staged_from_their_own_quads() -> None:
    """INSERT DATA and DELETE DATA are read as quads (no comparison of the whole graph); others are not."""
    text = "PREFIX ex: <https://example.org/> INSERT DATA { ex:a ex:b ex:c } ; DELETE DATA { GRAPH ex:g { ex:a ex:b 'x' } }"
    operations = commit.data_operations(text)
    assert operations is not None and [inserting for inserting, _ in operations] == [True, False]
    assert commit.data_operations("DELETE WHERE { ?s ?p ?o }") is None
    assert commit.data_operations("INSERT DATA { <a:b> <a:c> <a:d> } ; CLEAR ALL") is None
    live = ox.Store()
    live.add(
        ox.Quad(
            ox.NamedNode("https://example.org/a"),
            ox.NamedNode("https://example.org/b"),
            ox.Literal("x"),
            ox.NamedNode("https://example.org/g"),
        )
    )
    recorder, staged = commit.stage(live, lambda staging: staging.update(text))
    assert staged is not None and len(staged.added) == 1 and len(staged.removed) == 1 and len(live) == 1
    recorder.rollback()
    assert {q.object for q in live} == {ox.Literal("x")}
