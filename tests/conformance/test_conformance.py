"""The W3C SPARQL 1.1 test suites against the live service: no failure beyond the documented ones.

The runner wipes the endpoint's data, so it runs against a scratch instance: no bundled data, and no
SHACL validation of writes (the W3C test data is not strategy data; see docs/conformance.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.runner import DEFAULT_TESTS_DIR
from conformance.self_check import runner_command
from tests.conftest import ROOT
from tests.server import TOKEN, Server, running_server

pytestmark = pytest.mark.skipif(not DEFAULT_TESTS_DIR.is_dir(), reason=f"W3C tests not found at {DEFAULT_TESTS_DIR}")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(
        tmp_path_factory.mktemp("conformance"), load_bundled_data="false", validate_writes="false", write_token=TOKEN
    ) as running:
        yield running


def run_suite(server: Server, suite: str, tmp_path: Path) -> tuple[int, str]:
    import subprocess

    report = tmp_path / f"{suite}.md"
    command = runner_command(server, suite, report)
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=ROOT)
    return result.returncode, result.stdout + result.stderr + (report.read_text() if report.exists() else "")


@pytest.mark.parametrize("suite", ["protocol", "graph-store", "service-description", "query"])
def test_no_failure_beyond_the_documented_ones(scratch: Server, suite: str, tmp_path: Path) -> None:
    code, output = run_suite(scratch, suite, tmp_path)
    assert code == 0, output
    if suite != "query":
        assert " 0 failed" in output, output
