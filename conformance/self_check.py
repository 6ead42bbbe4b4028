"""Run every W3C suite against a scratch kgservice and write the report: `python -m conformance.self_check`.

The scratch instance has no bundled data and no SHACL validation of writes, because the runner wipes
the dataset and loads the W3C test data, which is not strategy data.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.server import TOKEN, Server, running_server

ROOT = Path(__file__).resolve().parents[1]
KNOWN = ROOT / "conformance" / "known-failures" / "kgservice.txt"


def runner_command(server: Server, suite: str, report: Path) -> list[str]:
    """The conformance runner's command line against a running kgservice, failing on any unknown failure."""
    endpoints = ["--query-url", server.sparql, "--update-url", server.sparql, "--store-url", server.url + "/rdf-graphs"]
    reporting = ["--report", str(report), "--fail-on-regression", str(KNOWN)]
    return [sys.executable, "-m", "conformance.run", *endpoints, "--bearer-token", TOKEN, "--suite", suite, *reporting]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "conformance-report.md")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_server(Path(tmp), load_bundled_data="false", validate_writes="false", write_token=TOKEN) as server,
    ):
        command = runner_command(server, "all", args.report)
        return subprocess.run(command, cwd=ROOT, check=False).returncode  # noqa: S603 - our own arguments


if __name__ == "__main__":
    sys.exit(main())
