"""A plain `pip install kgservice` (no extras, in a fresh venv) runs the service in front of a remote store.

The dev venv holds every test and dev tool too, so a runtime dependency that is only declared as a test one
(httpx, used by the remote backend, once was) goes unnoticed there. This builds the package from the checkout into a
new virtualenv with nothing else in it, starts the installed `kgservice serve` against a scratch `oxigraph serve`
and asks it SPARQL; the answers must be the embedded store's. It needs PyPI (pip fetches the dependencies) and takes
about half a minute; `-m "not install"` leaves it out.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.servers import OxigraphServer, oxigraph_binary, oxigraph_server
from kgservice.engine.embedded import OxigraphStore
from tests.conftest import ROOT
from tests.server import Server, running_server

pytestmark = [
    pytest.mark.install,
    pytest.mark.skipif(oxigraph_binary() is None, reason="the oxigraph server is not installed (pip install oxigraph)"),
]

CLASSES = "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"


def clean_environment() -> dict[str, str]:
    """This run's environment without what would point the fresh venv back at the checkout or the dev venv."""
    drop = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
    return {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("KGSERVICE_")}


@pytest.fixture(scope="session")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtualenv with the package installed from the checkout, without extras: its bin/ folder."""
    venv = tmp_path_factory.mktemp("fresh-venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=clean_environment())
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    installed = subprocess.run([*pip, str(ROOT)], capture_output=True, text=True, env=clean_environment(), check=False)
    assert installed.returncode == 0, f"pip install {ROOT} failed:\n{installed.stdout}\n{installed.stderr}"
    return venv / "bin"


@pytest.fixture(scope="module")
def remote() -> Iterator[OxigraphServer]:
    with oxigraph_server(extra_args=("--union-default-graph",)) as server:
        yield server


@pytest.fixture(scope="module")
def installed_service(fresh_venv: Path, remote: OxigraphServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The installed `kgservice serve`, run outside the checkout, with the remote store as its backend."""
    folder = tmp_path_factory.mktemp("installed-service")
    with running_server(
        folder,
        command=[str(fresh_venv / "kgservice")],
        cwd=folder,
        remote_query_url=remote.query_url,
        remote_update_url=remote.update_url,
        remote_store_url=remote.store_url,
    ) as running:
        yield running


def select(server: Server, query: str) -> list[dict[str, dict[str, str]]]:
    """The bindings of a SELECT query's SPARQL JSON results."""
    request = urllib.request.Request(
        server.sparql,
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
        bindings: list[dict[str, dict[str, str]]] = json.load(response)["results"]["bindings"]
        return bindings


def test_the_fresh_venv_runs_the_installed_package_not_the_checkout(fresh_venv: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [str(fresh_venv / "python"), "-c", "import kgservice, sys; print(kgservice.__file__); print(sys.prefix)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env=clean_environment(),
    ).stdout.split()
    assert Path(where[0]).is_relative_to(fresh_venv.parent) and not Path(where[0]).is_relative_to(ROOT / "kgservice")
    assert Path(where[1]) == fresh_venv.parent


def test_the_installed_service_answers_sparql_from_the_remote_store(installed_service: Server, store: OxigraphStore) -> None:
    served = {b["class"]["value"]: int(b["n"]["value"]) for b in select(installed_service, CLASSES)}
    embedded = {r["class"].value: int(r["n"].value) for r in store.select(CLASSES).records()}
    assert served == embedded
    assert served["https://w3id.org/kgservice/ontology#Measure"] > 0


def test_the_installed_service_serves_its_pages(installed_service: Server) -> None:
    # The templates and static files come from the wheel, not the checkout.
    with urllib.request.urlopen(installed_service.url + "/", timeout=30) as response:
        assert response.status == 200 and response.headers["content-type"].startswith("text/html")
