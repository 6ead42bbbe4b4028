"""Running suites: which manifests each suite reads, and the loop that turns test cases into outcomes.

`run_suites(config)` is what the command line calls, and what tests call without a command line.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from conformance import graph_store, protocol, query_eval, service_description
from conformance.endpoints import Endpoints, make_client
from conformance.manifest import TestCase, TestSource, load_manifest
from conformance.outcome import Outcome, runner_error

SUITES = ("protocol", "graph-store", "service-description", "query")
DEFAULT_TESTS_DIR = Path(__file__).resolve().parents[2] / "shared" / "w3c-rdf-tests" / "sparql" / "sparql11"
MANIFESTS: dict[str, tuple[str, ...]] = {
    "protocol": (protocol.MANIFEST,),
    "graph-store": graph_store.MANIFESTS,
    "service-description": (service_description.MANIFEST,),
}

Runner = Callable[[TestCase], Outcome]
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RunConfig:
    """Everything a run needs: the endpoint, the suites, the test files and per-suite options."""

    endpoints: Endpoints
    suites: tuple[str, ...] = SUITES
    tests_dir: Path = DEFAULT_TESTS_DIR
    timeout: float = 30.0
    only: str | None = None
    protocol: protocol.ProtocolOptions = field(default_factory=protocol.ProtocolOptions)
    graph_store: graph_store.GraphStoreOptions = field(default_factory=graph_store.GraphStoreOptions)
    query: query_eval.QueryOptions = field(default_factory=query_eval.QueryOptions)


def run_suites(config: RunConfig, progress: Progress | None = None) -> list[Outcome]:
    """Run the configured suites in order and return every outcome."""
    source = TestSource(config.tests_dir)
    outcomes: list[Outcome] = []
    with make_client(config.timeout) as client:
        for suite in config.suites:
            manifests = config.query.manifests if suite == "query" else MANIFESTS[suite]
            cases = select([case for manifest in manifests for case in load_manifest(source, manifest)], config.only)
            runner = make_runner(suite, config, source, client)
            outcomes += run_cases(suite, cases, runner, progress)
    return outcomes


def select(cases: Sequence[TestCase], only: str | None) -> list[TestCase]:
    """The cases whose IRI matches the regular expression `only` (all when None)."""
    pattern = re.compile(only) if only else None
    return [case for case in cases if pattern is None or pattern.search(str(case.iri))]


def make_runner(suite: str, config: RunConfig, source: TestSource, client: httpx.Client) -> Runner:
    """The function that runs one test of `suite` against the configured endpoint."""
    endpoints = config.endpoints
    if suite == "protocol":
        return lambda case: protocol.run_protocol_case(case, source, client, endpoints, config.protocol)
    if suite == "graph-store":
        return lambda case: graph_store.run_graph_store_case(case, client, endpoints, config.graph_store)
    if suite == "service-description":
        description = service_description.fetch_description(client, endpoints)
        return lambda case: service_description.run_case(case, description, endpoints.query_url)
    if suite == "query":
        context = query_eval.Context(source, client, endpoints, config.query)
        return lambda case: query_eval.run_query_case(case, context)
    raise ValueError(f"unknown suite {suite!r}; choose from {', '.join(SUITES)}")


def run_cases(suite: str, cases: Sequence[TestCase], runner: Runner, progress: Progress | None) -> list[Outcome]:
    """Run the cases one after another, reporting progress after each."""
    outcomes = []
    for done, case in enumerate(cases, start=1):
        try:
            outcomes.append(runner(case))
        except Exception as error:  # one broken test must not lose the whole measurement
            outcomes.append(runner_error(suite, case, error))
        if progress is not None:
            progress(suite, done, len(cases))
    return outcomes


def terminal_progress(suite: str, done: int, total: int) -> None:
    """A one-line counter on a terminal's stderr; silent when stderr is not a terminal."""
    if sys.stderr.isatty():
        end = "\n" if done == total else ""
        print(f"\r{suite}: {done}/{total}", end=end, file=sys.stderr, flush=True)
