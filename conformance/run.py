"""Command line: run the W3C SPARQL 1.1 suites against a live endpoint and report what passed.

    python -m conformance.run --query-url http://127.0.0.1:7878/query --update-url .../update \\
        --store-url .../store --report conformance.md

Exit codes: 0 the run was measured (whatever failed), 1 a failure not in --fail-on-regression's list,
2 the runner could not run or broke on a test (bad arguments, missing manifests, endpoint unreachable,
"runner error" outcomes; the reports are still written when it got that far).
The suites clear and rewrite the endpoint's data: point them only at a scratch instance.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import httpx

from conformance.endpoints import Endpoints
from conformance.graph_store import FEATURES, GraphStoreOptions
from conformance.outcome import Outcome
from conformance.protocol import ProtocolOptions
from conformance.query_eval import MANIFEST, RESULT_MEDIA_TYPES, QueryOptions
from conformance.report import known_failures_text, markdown, new_failures, read_known_failures, summary_lines, to_json
from conformance.runner import DEFAULT_TESTS_DIR, SUITES, RunConfig, run_suites, terminal_progress

EXIT_MEASURED, EXIT_REGRESSION, EXIT_BROKEN = 0, 1, 2
TOKEN_VARIABLE = "CONFORMANCE_BEARER_TOKEN"  # noqa: S105 - the name of a variable, not a secret


def parser() -> argparse.ArgumentParser:
    """The command line's options."""
    p = argparse.ArgumentParser(
        prog="python -m conformance.run", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--query-url", required=True, help="SPARQL query endpoint (the /sparql/ of protocol tests)")
    p.add_argument("--update-url", help="SPARQL update endpoint; needed to clear the dataset between query tests")
    p.add_argument("--store-url", help="graph store protocol endpoint (the /gsp of graph store tests); loads test data")
    p.add_argument(
        "--bearer-token",
        default=os.environ.get(TOKEN_VARIABLE),
        help=f"sent as Authorization: Bearer on writes (default: ${TOKEN_VARIABLE})",
    )
    p.add_argument("--suite", choices=[*SUITES, "all"], action="append", help="suite to run; repeatable; default all")
    p.add_argument("--report", type=Path, metavar="FILE.md", help="write the Markdown report here")
    p.add_argument("--json", type=Path, metavar="FILE", help="write every outcome as JSON here")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per HTTP request (default 30)")
    p.add_argument("--fail-on-regression", type=Path, metavar="FILE", help="exit 1 if a test fails that FILE does not list")
    p.add_argument(
        "--write-known-failures", type=Path, metavar="FILE", help="write this run's failures in --fail-on-regression's format"
    )
    p.add_argument(
        "--tests-dir", type=Path, default=DEFAULT_TESTS_DIR, help="w3c-rdf-tests/sparql/sparql11 (default: %(default)s)"
    )
    p.add_argument("--only", metavar="REGEX", help="run only tests whose IRI matches REGEX")
    p.add_argument(
        "--protocol-data",
        choices=["preload", "skip"],
        default="preload",
        help="protocol tests naming kasei.us graphs: load them first through --store-url, or mark them not applicable",
    )
    p.add_argument(
        "--gsp-unsupported",
        choices=FEATURES,
        action="append",
        default=[],
        help="optional graph store feature the service lacks; repeatable",
    )
    p.add_argument(
        "--query-method",
        choices=["direct", "form", "get"],
        default="direct",
        help="how query tests send queries (default direct POST)",
    )
    p.add_argument(
        "--results-format",
        choices=sorted(RESULT_MEDIA_TYPES),
        default="json",
        help="results format query tests ask for (default json)",
    )
    p.add_argument(
        "--query-manifest",
        action="append",
        metavar="FILE",
        help=f"manifest of the query suite, relative to --tests-dir; repeatable (default {MANIFEST})",
    )
    return p


def config_from(args: argparse.Namespace) -> RunConfig:
    """The run described by parsed arguments."""
    suites = tuple(SUITES) if not args.suite or "all" in args.suite else tuple(dict.fromkeys(args.suite))
    return RunConfig(
        endpoints=Endpoints(args.query_url, args.update_url, args.store_url, args.bearer_token),
        suites=suites,
        tests_dir=args.tests_dir,
        timeout=args.timeout,
        only=args.only,
        protocol=ProtocolOptions(preload=args.protocol_data == "preload"),
        graph_store=GraphStoreOptions(frozenset(args.gsp_unsupported)),
        query=QueryOptions(args.query_method, args.results_format, tuple(args.query_manifest or (MANIFEST,))),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run, write the reports, and return the exit code."""
    args = parser().parse_args(argv)
    config = config_from(args)
    problem = _cannot_run(config)
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_BROKEN
    outcomes = run_suites(config, terminal_progress)
    _write_reports(outcomes, args)
    broken = [o for o in outcomes if o.runner_error]
    for outcome in broken:
        print(f"error: {outcome.iri}: {outcome.reason}", file=sys.stderr)
    return EXIT_BROKEN if broken else _regression_exit(outcomes, args.fail_on_regression)


def _cannot_run(config: RunConfig) -> str | None:
    if not config.tests_dir.is_dir():
        return f"test folder {config.tests_dir} not found; pass --tests-dir pointing at w3c-rdf-tests/sparql/sparql11"
    try:
        httpx.get(config.endpoints.query_url, timeout=config.timeout, trust_env=False)
    except httpx.HTTPError as error:
        return f"cannot reach the query endpoint {config.endpoints.query_url}: {type(error).__name__}: {error}"
    return None


def _write_reports(outcomes: list[Outcome], args: argparse.Namespace) -> None:
    for line in summary_lines(outcomes):
        print(line)
    if args.report:
        args.report.write_text(markdown(outcomes), encoding="utf-8")
    if args.json:
        args.json.write_text(to_json(outcomes), encoding="utf-8")
    if args.write_known_failures:
        args.write_known_failures.write_text(known_failures_text(outcomes), encoding="utf-8")


def _regression_exit(outcomes: list[Outcome], known_file: Path | None) -> int:
    if known_file is None:
        return EXIT_MEASURED
    regressions = new_failures(outcomes, read_known_failures(known_file))
    for outcome in regressions:
        print(f"new failure: {outcome.iri} ({outcome.suite}): {outcome.reason}", file=sys.stderr)
    return EXIT_REGRESSION if regressions else EXIT_MEASURED


def run() -> None:
    """Entry point: exit 2 with a message (not a traceback) if the runner itself breaks."""
    try:
        sys.exit(main())
    except (OSError, ValueError) as error:
        print(f"error: the runner could not finish: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(EXIT_BROKEN)


if __name__ == "__main__":
    run()
