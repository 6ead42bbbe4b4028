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
    before = {p: p.stat().st_mtime_ns for p in (ROOT / "data").rglob("*")}
    source = tmp_path / "plan.txt"
    source.write_text("1 \u2013 Doprava\n1.1 Silnice\n", encoding="utf-8")
    args = ["--user-data", str(tmp_path / "user"), "import", str(source), "--save", "--title", "Plán dopravy", "--lang", "cs"]
    assert main([*args, "--level", "municipal", "--territory", "liberec", "--issuer", "statutarni-mesto-liberec"]) == 0
    assert (tmp_path / "user" / "strategies" / "plan-dopravy.ttl").is_file()
    assert "2 elements stored" in capsys.readouterr().err
    assert {p: p.stat().st_mtime_ns for p in (ROOT / "data").rglob("*")} == before
