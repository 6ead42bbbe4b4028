"""`kgservice import`: the tree, the JSON preview exactly, errors in one line with exit 2, --save."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgservice.interfaces.cli.main import main
from tests.conftest import KALISZ, LIBEREC_STRATEGY, ROOT, SOURCES, source_lines


def test_json_preview_matches_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(SOURCES / f"{KALISZ}.txt"), "--dry-run", "--format", "json", "--lang", "pl"]) == 0
    preview = json.loads(capsys.readouterr().out)
    assert list(preview) == ["document", "elements", "warnings"]
    assert list(preview["document"]) == ["iri", "title", "language"]
    element = preview["elements"][0]
    assert list(element) == ["iri", "notation", "type", "label", "parent", "source"]
    assert list(element["source"]) == ["file", "start_line", "end_line", "page", "row"]
    assert element["source"]["page"] is None and element["source"]["row"] is None
    tasks = [line for line in source_lines(KALISZ) if line.startswith("Zadanie ")]
    assert len([e for e in preview["elements"] if e["type"] == "Measure"]) == len(tasks)


def test_tree_lists_every_measure(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(SOURCES / f"{LIBEREC_STRATEGY}.txt")]) == 0
    out = capsys.readouterr().out
    assert "2.1.1  Measure  Podpora kapacit, dostupnosti a kvality sociálních služeb  (line 59)" in out


def test_error_names_file_and_line_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("1 \u2013 Doprava\n1.1 Silnice\n1.1 Železnice\n", encoding="utf-8")
    assert main(["import", str(bad), "--lang", "cs"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.txt, line 3" in err


def test_folder_batch_stores_nothing_when_one_file_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, user = tmp_path / "in", tmp_path / "user"
    folder.mkdir()
    (folder / "a.txt").write_text("1 \u2013 Doprava\n1.1 Silnice\n", encoding="utf-8")
    (folder / "b.txt").write_text("nic\n", encoding="utf-8")
    args = ["--user-data", str(user), "import", str(folder), "--save", "--lang", "cs", "--level", "regional"]
    assert main([*args, "--territory", "liberecky-kraj", "--issuer", "liberecky-kraj"]) == 2
    assert "b.txt" in capsys.readouterr().err and not user.exists()


def test_save_writes_the_user_directory_not_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "plan.txt"
    source.write_text("1 \u2013 Doprava\n1.1 Silnice\n", encoding="utf-8")
    args = ["--user-data", str(tmp_path / "user"), "import", str(source), "--save", "--title", "Plán dopravy", "--lang", "cs"]
    assert main([*args, "--level", "municipal", "--territory", "liberec", "--issuer", "statutarni-mesto-liberec"]) == 0
    assert (tmp_path / "user" / "strategies" / "plan-dopravy.ttl").is_file()
    assert "2 elements stored" in capsys.readouterr().err
    assert not [p for p in (ROOT / "data").rglob("*") if p.name.startswith("plan-dopravy")]  # what a save names


def test_levels_and_profile_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "plan.txt"
    source.write_text("1 \u2013 Doprava\n1.1 Silnice\n", encoding="utf-8")
    assert main(["import", str(source), "--lang", "cs", "--format", "json", "--levels", "StrategicArea,StrategicGoal"]) == 0
    assert [e["type"] for e in json.loads(capsys.readouterr().out)["elements"]] == ["StrategicArea", "StrategicGoal"]
    profile = tmp_path / "levels.yaml"
    profile.write_text("levels: [StrategicGoal, Measure]\n", encoding="utf-8")
    assert main(["import", str(source), "--lang", "cs", "--format", "json", "--profile", str(profile)]) == 0
    assert [e["type"] for e in json.loads(capsys.readouterr().out)["elements"]] == ["StrategicGoal", "Measure"]


def test_a_folder_gives_one_json_object_per_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("a.txt", "b.md"):
        (tmp_path / name).write_text("1 \u2013 Doprava\n", encoding="utf-8")
    (tmp_path / "notes.rtf").write_text("ignored", encoding="utf-8")
    assert main(["import", str(tmp_path), "--lang", "cs", "--format", "json"]) == 0
    previews = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [p["document"]["iri"].rsplit("/", 1)[-1] for p in previews] == ["a", "b"]


def test_curated_save_writes_into_the_project_data(
    project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "plan.txt"
    source.write_text("1 \u2013 Doprava\n1.1 Silnice\n", encoding="utf-8")
    args = ["--root", str(project_copy), "--user-data", str(tmp_path / "user"), "import", str(source), "--save", "--curated"]
    meta = ["--title", "Plán dopravy", "--lang", "cs", "--level", "municipal", "--territory", "liberec"]
    assert main([*args, *meta, "--issuer", "statutarni-mesto-liberec"]) == 0
    assert (project_copy / "data" / "strategies" / "plan-dopravy.ttl").is_file()
    assert (project_copy / "data" / "sources" / "plan-dopravy.txt").read_text(encoding="utf-8") == source.read_text(
        encoding="utf-8"
    )
    assert not (tmp_path / "user").exists()
