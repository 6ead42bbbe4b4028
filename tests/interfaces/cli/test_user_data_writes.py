"""The README's suggestion and tag commands store what they make in the user data directory, never in the
project's data/; the bundled data changes only with --curated.

Each test runs the commands on a copy of the project (so that nothing here depends on, or changes, the
working tree) with the user data directory set as a user sets it (KGSERVICE_USER_DATA)."""

from __future__ import annotations

import hashlib
import re
import shlex
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgservice.interfaces.cli.main import main
from kgservice.project.layout import Layout
from kgservice.project.loading import open_store
from tests.conftest import ROOT

PAIR_FILE = "liberec-strategy-2021--liberecky-kraj-social-2026.ttl"
STATUS = "https://w3id.org/kgservice/ontology#alignmentStatus"
ALIGNMENT = "https://w3id.org/kgservice/id/alignment/"


def readme_commands(section: str) -> list[list[str]]:
    """The `kgservice` command lines of the first shell block under the README heading `section`."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(rf"#+ {re.escape(section)}\n.*?```sh\n(.*?)```", text, re.S)
    assert block, f"no shell block under {section!r} in the README"
    lines = [line.split("  #")[0] for line in block.group(1).splitlines() if line.startswith(".venv/bin/kgservice ")]
    return [shlex.split(line)[1:] for line in lines]


def data_files(root: Path) -> dict[str, str]:
    """Every file under data/, by its path, as a hash of its bytes."""
    files = [p for p in sorted((root / "data").rglob("*")) if p.is_file()]
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def statuses(layout: Layout, alignment: str) -> dict[str, set[str]]:
    """The status of `alignment` per graph that states one."""
    found: dict[str, set[str]] = {}
    text = f"SELECT ?g ?s WHERE {{ GRAPH ?g {{ <{alignment}> <{STATUS}> ?s }} }}"
    for r in open_store(layout).select(text).records():
        found.setdefault(r["g"].value, set()).add(r["s"].value.rsplit("#", 1)[-1])
    return found


@pytest.fixture
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-data"
    monkeypatch.setenv("KGSERVICE_USER_DATA", str(folder))
    return folder


def triples(path: Path) -> set[ox.Triple]:
    return set(ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE))


def pending_in(path: Path) -> list[str]:
    """The alignments of a stored suggestions file that are still pending, in IRI order."""
    suggested = ox.NamedNode("https://w3id.org/kgservice/ontology#Suggested")
    return sorted(str(t.subject).strip("<>") for t in triples(path) if t.predicate.value == STATUS and t.object == suggested)


def test_the_readmes_suggestion_commands_write_only_to_the_user_data_directory(
    project_copy: Path, user_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = data_files(project_copy)
    commands = readme_commands("Alignment suggestions")
    assert [c[0] for c in commands].count("suggest") >= 3 and {"accept", "reject"} <= {c[1] for c in commands if len(c) > 1}
    stored = user_dir / "suggestions" / PAIR_FILE
    for command in commands:
        if command[:2] == ["suggestions", "reject"]:  # the README leaves the IRI to the reader: take a pending one
            command[2] = next(a for a in pending_in(stored) if not a.endswith("/R.V"))
        assert main(["--root", str(project_copy), *command]) == 0, capsys.readouterr().err
    assert data_files(project_copy) == before
    assert sorted(p.relative_to(user_dir).as_posix() for p in user_dir.rglob("*.ttl")) == [f"suggestions/{PAIR_FILE}"]
    layout = Layout(project_copy, user_dir)
    accepted = ALIGNMENT + "liberec-strategy-2021/2.1.3.5--liberecky-kraj-social-2026/R.V"
    assert statuses(layout, accepted) == {layout.graph_name(stored): {"Curated"}}
    assert main(["--root", str(project_copy), "suggestions", "list", "--status", "rejected"]) == 0
    assert "Rejected by Jana Nováková" in capsys.readouterr().out


def test_the_readmes_tag_commands_leave_the_bundled_tags_alone(project_copy: Path, user_dir: Path) -> None:
    before = data_files(project_copy)
    commands = readme_commands("Suggested tags")
    assert ["tags", "--save"] in commands and ["tags", "--save", "--curated"] in commands
    for command in commands:
        if "--curated" not in command:  # the curator's command is the one that may rewrite data/tags/
            assert main(["--root", str(project_copy), *command]) == 0
    assert data_files(project_copy) == before
    assert not list(user_dir.rglob("*.ttl"))  # no strategy of the user's to tag


def test_tags_of_a_strategy_in_the_user_data_directory_are_stored_beside_it(project_copy: Path, user_dir: Path) -> None:
    # The Kalisz strategy as a user would have imported it: its document in the user data directory.
    (user_dir / "strategies").mkdir(parents=True)
    shutil.move(project_copy / "data/strategies/kalisz-strategy-2004.ttl", user_dir / "strategies")
    bundled_tags = (project_copy / "data/tags/kalisz-strategy-2004.ttl").read_bytes()
    (project_copy / "data/tags/kalisz-strategy-2004.ttl").unlink()
    before = data_files(project_copy)
    assert main(["--root", str(project_copy), "tags", "--save"]) == 0
    assert data_files(project_copy) == before
    # what it wrote is what the bundled file held: the tagger's suggestions for Kalisz, now beside the user's document
    assert triples(user_dir / "tags" / "kalisz-strategy-2004.ttl") == set(ox.parse(bundled_tags, format=ox.RdfFormat.TURTLE))


def test_a_bundled_pending_suggestion_is_judged_only_with_curated(
    project_copy: Path, user_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--root", str(project_copy)]
    element = ["--element", "kgd:liberec-strategy-2021/2.1.3.5"]
    assert (
        main([*where, "suggest", "kgd:liberec-strategy-2021", "kgd:liberecky-kraj-social-2026", *element, "--save", "--curated"])
        == 0
    )
    bundled = project_copy / "data" / "suggestions" / PAIR_FILE
    assert bundled.is_file() and not user_dir.exists()
    alignment = pending_in(bundled)[0]
    content = bundled.read_bytes()
    capsys.readouterr()
    assert main([*where, "suggestions", "accept", alignment, "--by", "Jana Nováková", "--strength", "1"]) == 2
    error = capsys.readouterr().err
    assert "bundled data" in error and f"data/suggestions/{PAIR_FILE}" in error and "--curated" in error
    assert bundled.read_bytes() == content and not user_dir.exists()
    # The user's own run does not store the pairs the curator's file holds: an alignment has one status.
    assert main([*where, "suggest", "kgd:liberec-strategy-2021", "kgd:liberecky-kraj-social-2026", *element, "--save"]) == 0
    assert ": 0 pending suggestions stored" in capsys.readouterr().err
    assert not (user_dir / "suggestions" / PAIR_FILE).exists()
    assert main([*where, "suggestions", "accept", alignment, "--by", "Jana Nováková", "--strength", "1", "--curated"]) == 0
    layout = Layout(project_copy, user_dir)
    assert statuses(layout, alignment) == {layout.graph_name(bundled): {"Curated"}}


def test_curated_goes_only_with_save(user_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tags", "--curated"]) == 2
    assert main(["suggest", "kgd:liberec-strategy-2021", "kgd:liberecky-kraj-social-2026", "--curated"]) == 2
    assert capsys.readouterr().err.count("give it with --save") == 2
    assert not user_dir.exists()
