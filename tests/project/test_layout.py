"""The user data directory: loaded beside the bundled data, in graphs of its own, found from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgservice.project.layout import USER_GRAPH, Layout, default_layout, default_user_dir
from kgservice.project.loading import open_store
from tests.conftest import ROOT

TURTLE = b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"


def test_user_files_load_into_their_own_graphs(tmp_path: Path) -> None:
    (tmp_path / "strategies").mkdir()
    (tmp_path / "strategies" / "mine.ttl").write_bytes(TURTLE)
    layout = Layout(ROOT, tmp_path)
    mine = tmp_path / "strategies" / "mine.ttl"
    assert mine in layout.graph_files()
    assert layout.graph_name(mine) == USER_GRAPH + "strategies/mine"
    assert layout.file_of_graph(USER_GRAPH + "strategies/mine") == mine
    graphs = {str(q.graph_name) for q in open_store(layout).engine.quads_for_pattern(None, None, None, None)}
    assert f"<{USER_GRAPH}strategies/mine>" in graphs


def test_bundled_files_keep_their_graph_names(tmp_path: Path) -> None:
    layout = Layout(ROOT, tmp_path)
    bundled = ROOT / "data" / "strategies" / "kalisz-strategy-2004.ttl"
    assert layout.graph_name(bundled).endswith("graph/data/strategies/kalisz-strategy-2004")
    assert layout.file_of_graph(layout.graph_name(bundled)) == bundled


def test_no_user_directory_means_no_user_files(tmp_path: Path) -> None:
    assert Layout(ROOT).graph_files() == Layout(ROOT, tmp_path / "missing").graph_files()
    with pytest.raises(ValueError, match="no user data directory"):
        Layout(ROOT).file_of_graph(USER_GRAPH + "strategies/mine")


def test_the_default_directory_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KGSERVICE_USER_DATA", str(tmp_path))
    assert default_user_dir() == tmp_path
    assert default_layout().user_dir == tmp_path
    monkeypatch.delenv("KGSERVICE_USER_DATA")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_user_dir() == tmp_path / "xdg" / "kgservice"
