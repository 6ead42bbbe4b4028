"""Shared fixtures: the project layout, the loaded store, the source documents as lines."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from kgservice.engine.embedded import OxigraphStore
from kgservice.project.layout import Layout
from kgservice.project.loading import open_store
from kgservice.sparql.catalogue import Catalogue
from tests.server import TOKEN, Server, running_server

pytest_plugins = ["tests.browser"]  # browser and screenshot fixtures for the browser tests

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"

# The tests never see what a user stored in their own data directory: every command and every server the
# tests start (they inherit the environment) reads an empty one of the test run's own.
os.environ["KGSERVICE_USER_DATA"] = tempfile.mkdtemp(prefix="kgservice-user-data-")


@pytest.fixture(scope="session")
def layout() -> Layout:
    return Layout(ROOT)


@pytest.fixture(scope="session")
def store(layout: Layout) -> OxigraphStore:
    return open_store(layout)


@pytest.fixture(scope="session")
def catalogue(layout: Layout) -> Catalogue:
    return Catalogue(layout.queries_dir)


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project tree (ontology, data, shapes, queries) to change or break on purpose."""
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def source_lines(stem: str) -> list[str]:
    """The lines of a source document (1-based line n is element n-1)."""
    return (SOURCES / f"{stem}.txt").read_text(encoding="utf-8").splitlines()


LIBEREC_STRATEGY = "000_23140b0e0580c142"
PRESS_RELEASE = "001_9e6335d1079d8ddd"
KALISZ = "002_c55900dedce22e06"
MINUTES = "003_2af3a32a7ebaff55"
REGION_WORKSHOP = "004_3535e26299bf4522"


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real service on the bundled data, writes on (token), 3 s query limit, 2 workers."""
    with running_server(tmp_path_factory.mktemp("server"), write_token=TOKEN, query_timeout="3", workers="2") as running:
        yield running
