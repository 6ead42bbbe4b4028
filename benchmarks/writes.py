"""Benchmark writes: `python -m benchmarks.writes` -> docs/writes-benchmark.md.

For each scale (the bundled data, synthetic graphs of about 100k and 1M triples from benchmarks.generate)
it starts kgservice (`serve --store`, writes on, validated) and `oxigraph serve` on the same N-Quads file,
and measures, one server after the other:
- one small INSERT DATA (an English altLabel on an existing measure) at a time: p50 and p90;
- 8 concurrent writers for a fixed window: accepted writes per second;
- a small SELECT, p50, idle and while one client keeps writing.
`--source DIR` runs kgservice from another checkout (a `git worktree` of an older commit) for a
"before" column; each run saves its numbers as JSON, and `--render` puts the saved runs side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox

from benchmarks import peers
from benchmarks.run import data_file, log
from kgservice.project.layout import default_layout
from kgservice.project.loading import open_store
from tests.server import free_port

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "benchmark-write-token-0123456789"  # noqa: S105 - a throwaway server on loopback
BENCH_GRAPH = "https://w3id.org/kgservice/graph/benchmark/writes"
QUERY = "SELECT ?d WHERE { ?d a <https://w3id.org/kgservice/ontology#StrategyDocument> } LIMIT 20"
#: What follows this line in the doc is written by hand and kept when the tables are rendered again.
NOTES = "<!-- notes: kept when the tables are rendered again -->"
#: Measures labelled in Czech or Polish: the shapes ask elements for a label in one of those source languages,
#: and the synthetic graphs also hold strategies of other countries (sk, de, en), whose measures break that
#: shape, so that a validated write touching them is refused whatever it adds.
MEASURE_QUERY = """SELECT DISTINCT ?m WHERE {
  ?m a <https://w3id.org/kgservice/ontology#Measure> ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?label
  FILTER(lang(?label) IN ("cs", "pl"))
} ORDER BY ?m LIMIT 20"""


@dataclass
class Server:
    name: str
    query_url: str
    update_url: str
    headers: dict[str, str]


@dataclass
class Result:
    """What one server did at one scale (milliseconds, writes per second)."""

    server: str
    scale: str
    quads: int
    write_p50: float = float("nan")
    write_p90: float = float("nan")
    writes: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    concurrent_per_second: float = float("nan")
    query_idle_p50: float = float("nan")
    query_writing_p50: float = float("nan")


class Writer:
    """Numbered one-triple INSERT DATA requests to one server, each a new altLabel of one measure."""

    def __init__(self, server: Server, measure: str, label: str) -> None:
        self.server, self.measure, self.label = server, measure, label
        self._count, self._lock = 0, threading.Lock()
        self.statuses: dict[str, int] = {}

    def write(self, client: httpx.Client, timeout: float) -> float:
        with self._lock:
            self._count += 1
            number = self._count
        literal = ox.Literal(f"{self.label} write {number}", language="en")
        triple = f"<{self.measure}> <http://www.w3.org/2004/02/skos/core#altLabel> {literal}"
        update = f"INSERT DATA {{ GRAPH <{BENCH_GRAPH}> {{ {triple} }} }}"
        started = time.perf_counter()
        try:
            status = str(
                client.post(
                    self.server.update_url, data={"update": update}, headers=self.server.headers, timeout=timeout
                ).status_code
            )
        except httpx.HTTPError as error:
            status = type(error).__name__
        with self._lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
        return time.perf_counter() - started


def _query(client: httpx.Client, server: Server, timeout: float) -> float:
    started = time.perf_counter()
    client.post(server.query_url, data={"query": QUERY}, headers={"Accept": "application/sparql-results+json"}, timeout=timeout)
    return time.perf_counter() - started


def _ms(values: list[float], p: float = 50) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000 if ordered else float("nan")


def accepted_measure(server: Server, measures: list[str], args: argparse.Namespace) -> str:
    """The first measure a write to which the server accepts (synthetic graphs hold some invalid nodes,
    and a validated write of a node that breaks a shape is refused); the first one if none is."""
    with httpx.Client() as client:
        for candidate in measures:
            probe = Writer(server, candidate, "probe")
            probe.write(client, args.timeout)
            if "204" in probe.statuses:
                return candidate
    return measures[0]


def measure(server: Server, scale: str, quads: int, measures: list[str], args: argparse.Namespace) -> Result:
    """Single writes, concurrent writes, and queries idle and during writes, on one running server."""
    measure_iri = accepted_measure(server, measures, args)
    result, writer = Result(server.name, scale, quads), Writer(server, measure_iri, args.label)
    with httpx.Client() as client:
        result.query_idle_p50 = _ms([_query(client, server, args.timeout) for _ in range(args.queries)])
        single: list[float] = []
        deadline = time.monotonic() + args.write_seconds
        while len(single) < args.writes and (not single or time.monotonic() < deadline):
            single.append(writer.write(client, args.timeout))
        result.write_p50, result.write_p90, result.writes = _ms(single), _ms(single, 90), len(single)
        if quads <= args.concurrent_max:
            result.concurrent_per_second = _concurrent(writer, args)
        result.query_writing_p50 = _ms(_queries_while_writing(client, server, writer, args))
    result.statuses = dict(writer.statuses)
    return result


def _concurrent(writer: Writer, args: argparse.Namespace) -> float:
    """Writes per second completed by `args.writers` clients looping for `args.concurrent_seconds`."""
    done: list[float] = []
    stop = time.monotonic() + args.concurrent_seconds

    def loop() -> None:
        with httpx.Client() as client:
            while time.monotonic() < stop:
                writer.write(client, args.timeout)
                if time.monotonic() <= stop:
                    done.append(time.monotonic())

    threads = [threading.Thread(target=loop) for _ in range(args.writers)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return float(len(done) / max(args.concurrent_seconds, min(time.monotonic(), stop) - started))


def _queries_while_writing(client: httpx.Client, server: Server, writer: Writer, args: argparse.Namespace) -> list[float]:
    stop = threading.Event()

    def keep_writing() -> None:
        with httpx.Client() as own:
            while not stop.is_set():
                writer.write(own, args.timeout)

    thread = threading.Thread(target=keep_writing)
    thread.start()
    time.sleep(0.2)
    latencies: list[float] = []
    deadline = time.monotonic() + args.query_seconds
    while time.monotonic() < deadline or not latencies:
        latencies.append(_query(client, server, args.timeout))
    stop.set()
    thread.join()
    return latencies


@contextmanager
def kgservice(data: Path, work: Path, source: Path | None) -> Iterator[Server]:
    """`kgservice serve --store` on the file, writes on with the token, from this checkout or `source`."""
    folder = work / "kgservice-store"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copyfile(data, folder / "base.nq")
    port = free_port()
    command = [sys.executable, "-P", "-m", "kgservice", "serve", "--port", str(port), "--store", str(folder), "--workers", "2"]
    env = {"KGSERVICE_WRITE_TOKEN": TOKEN, "KGSERVICE_ROOT": str(source or ROOT)}
    if source is not None:
        env["PYTHONPATH"] = str(source)
    url = f"http://127.0.0.1:{port}/sparql"
    with peers._running("kgservice", command, url, work / "kgservice.log", env=env):
        yield Server("kgservice", url, url, {"Authorization": f"Bearer {TOKEN}"})


@contextmanager
def oxigraph(data: Path, work: Path) -> Iterator[Server]:
    with peers.oxigraph(data, work) as peer:
        yield Server("oxigraph serve", peer.query_url, peer.query_url.removesuffix("/query") + "/update", {})


def bundled_file(work: Path) -> Path:
    """The bundled project's graph (derived facts included) as N-Quads."""
    path = work / "bundled.nq"
    store = open_store(default_layout().with_user_dir(None)).engine  # the bundled data only, not the user's
    with path.open("wb") as out:
        store.dump(out, format=ox.RdfFormat.N_QUADS)
    return path


def run_scale(scale: str, args: argparse.Namespace) -> list[Result]:
    work = args.work
    path = bundled_file(work) if scale == "bundled" else data_file(int(scale), work, 1)[0]
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    rows = store.query(MEASURE_QUERY, use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)
    measures, quads = [row["m"].value for row in rows], len(store)
    del store
    results = []
    starters: list[Callable[[], AbstractContextManager[Server]]] = [lambda: kgservice(path, work, args.source)]
    if not args.no_peer:
        starters.append(lambda: oxigraph(path, work))
    for start in starters:
        with start() as server:
            log(f"{scale}: {server.name}")
            results.append(measure(server, scale, quads, measures, args))
        log(f"{scale}: {server.name}: {results[-1]}")
    return results


def render(runs: dict[str, list[dict[str, object]]]) -> str:
    """The saved runs (label -> results) as Markdown tables, kgservice runs side by side with the peer."""
    lines = [
        "# Writes: latency, concurrency and queries during writes",
        "",
        "`python -m benchmarks.writes` (see its docstring; `--source` for the run of an older checkout). One small",
        "write is a one-triple `INSERT DATA` (a new `skos:altLabel`@en of an existing `kgo:Measure`) through the",
        "SPARQL 1.1 Protocol; kgservice runs with `--store` (each write fsynced to its log) and SHACL validation on.",
        "The machine is shared (2 cores, other jobs running), so the numbers are noisy; ratios are what to read.",
        "",
        "| run | server | scale | quads | write p50 ms | write p90 ms | writes | statuses "
        "| 8 writers, writes/s | query p50 idle ms | query p50 during writes ms |",
        "|---|---|---|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for label, results in runs.items():
        for r in results:
            statuses = ", ".join(f"{k}: {v}" for k, v in sorted(dict(r["statuses"]).items()))  # type: ignore[call-overload]
            cells = [label, r["server"], r["scale"], r["quads"]]
            cells += [_cell(r[key]) for key in ("write_p50", "write_p90")] + [r["writes"], statuses]
            cells += [_cell(r[key]) for key in ("concurrent_per_second", "query_idle_p50", "query_writing_p50")]
            lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    return "n/a" if not isinstance(value, float | int) or value != value else f"{value:.1f}"


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="bundled,100000,1000000", help="comma-separated: bundled and/or triple counts")
    parser.add_argument("--label", default="after", help="the name of this run in the tables")
    parser.add_argument("--source", type=Path, help="run kgservice from this checkout (e.g. a git worktree of an older commit)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kgservice-writes-bench"))  # noqa: S108
    parser.add_argument("--writes", type=int, default=40, help="single writes per server, at most")
    parser.add_argument("--write-seconds", type=float, default=30, help="stop single writes after this long (at least one)")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--concurrent-seconds", type=float, default=10)
    parser.add_argument("--concurrent-max", type=int, default=10**9, help="skip concurrent writes above this many quads")
    parser.add_argument("--queries", type=int, default=100, help="idle queries")
    parser.add_argument("--query-seconds", type=float, default=8, help="queries while one client writes")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--no-peer", action="store_true", help="do not run oxigraph serve")
    parser.add_argument("--save", type=Path, help="save this run's results as JSON here")
    parser.add_argument("--render", type=Path, nargs="*", default=[], help="saved runs to put in the doc (this run is added)")
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "writes-benchmark.md")
    parser.add_argument("--render-only", action="store_true", help="only render the saved runs")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    runs: dict[str, list[dict[str, object]]] = {}
    for saved in args.render:
        runs.update(json.loads(saved.read_text()))
    if not args.render_only:
        args.work.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("KGSERVICE_MAX_RESULT_BYTES", str(500_000_000))
        results = [asdict(r) for scale in args.scales.split(",") for r in run_scale(scale.strip(), args)]
        runs[args.label] = results
        if args.save:
            args.save.write_text(json.dumps({args.label: results}, indent=1))
        ours = [float(str(r["write_p50"])) for r in results if r["server"] == "kgservice"]
        log(f"median write p50 of kgservice: {statistics.median(ours):.1f} ms")
    notes = args.doc.read_text().partition(NOTES)[2] if args.doc.exists() else ""
    args.doc.write_text(render(runs) + "\n" + NOTES + notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
