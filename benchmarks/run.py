"""Benchmark the service against its peers, side by side in one run: `python -m benchmarks.run`.

For each scale (synthetic graphs of about 10k, 100k and 1M triples from benchmarks.generate) it starts
kgservice, oxigraph serve and rdflib-endpoint on the same N-Quads file, and also loads the file into an
in-process pyoxigraph store (the floor: no HTTP). Then, on one machine and in one run:
- latency: rounds of the query mix, the servers interleaved round by round, one client;
- throughput: 4 client threads loop over the mix for a fixed time, one server after the other;
- a bounded load test at 100k: 32 clients for 60 s against kgservice while one more client keeps
  sending a runaway query that the service must stop.
Results go to docs/benchmarks.md as tables with ratios.
"""

from __future__ import annotations

import argparse
import functools
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox

from benchmarks import peers
from benchmarks.generate import SyntheticGraph
from benchmarks.mix import MixQuery, query_mix
from kgservice.engine.derived import derive

ROOT = Path(__file__).resolve().parents[1]
# What the tables do not show (query rewrites, the remote store profile), kept beside the code and appended.
NOTES = Path(__file__).with_name("notes.md")
BASELINE = "kgservice (baseline)"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Measure:
    """What one server did at one scale."""

    name: str
    load_seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: int = 0
    completed: int = 0
    window: float = 0.0
    rss_mib: float = float("nan")

    def all_latencies(self) -> list[float]:
        return [x for values in self.latencies.values() for x in values]

    def percentile(self, p: float) -> float:
        values = sorted(self.all_latencies())
        return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000 if values else float("nan")

    @property
    def throughput(self) -> float:
        return self.completed / self.window if self.window else float("nan")


def data_file(triples: int, work: Path, seed: int) -> tuple[Path, SyntheticGraph]:
    graph = SyntheticGraph(triples=triples, seed=seed)
    path = work / f"synthetic-{triples}-{seed}-context-derived.nq"
    if not path.exists():
        log(f"generating {triples} triples")
        temporary = path.with_suffix(".tmp")
        store = ox.Store()
        store.extend(graph.quads(context=True))
        derive(store)  # every server gets the same data, the derived kgo:inStrategy index included
        with temporary.open("wb") as out:
            store.dump(out, format=ox.RdfFormat.N_QUADS)
        temporary.replace(path)
    return path, graph


def time_request(client: httpx.Client, url: str, query: MixQuery, timeout: float) -> tuple[float, bool]:
    started = time.perf_counter()
    try:
        response = client.post(url, data={"query": query.text}, headers={"Accept": query.accept}, timeout=timeout)
        ok = response.status_code == 200
    except httpx.HTTPError:
        ok = False
    return time.perf_counter() - started, ok


@dataclass
class Floor:
    """The same mix on an in-process pyoxigraph store, serialized as the servers would: no HTTP, no process hop."""

    store: ox.Store
    measure: Measure

    @classmethod
    def load(cls, path: Path) -> Floor:
        measure = Measure("in-process pyoxigraph (floor)")
        started = time.perf_counter()
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        measure.load_seconds = time.perf_counter() - started
        return cls(store, measure)

    def round(self, mix: list[MixQuery]) -> None:
        for query in mix:
            begin = time.perf_counter()
            result = self.store.query(query.text, use_default_graph_as_union=True)
            if isinstance(result, ox.QueryTriples):
                result.serialize(format=ox.RdfFormat.TURTLE)
            else:
                result.serialize(format=ox.QueryResultsFormat.JSON)
            self.measure.latencies[query.name].append(time.perf_counter() - begin)


def latency_rounds(
    servers: list[peers.Peer], measures: dict[str, Measure], mix: list[MixQuery], rounds: int, timeout: float, base: Floor
) -> None:
    """Rounds of the mix, each server in turn and then the in-process floor, so that drift hits all alike."""
    clients = {s.name: httpx.Client() for s in servers}
    for number in range(rounds + 1):
        if number:
            base.round(mix)
        for server in servers:
            for query in mix:
                elapsed, ok = time_request(clients[server.name], server.query_url, query, timeout)
                if number == 0:
                    continue  # warm-up round
                measures[server.name].latencies[query.name].append(elapsed)
                measures[server.name].errors += 0 if ok else 1
    for client in clients.values():
        client.close()


def throughput(server: peers.Peer, measure: Measure, mix: list[MixQuery], clients: int, seconds: float, timeout: float) -> None:
    deadline = time.monotonic() + seconds
    lock = threading.Lock()

    def loop(offset: int) -> None:
        with httpx.Client() as client:
            i = offset
            while time.monotonic() < deadline:
                # bounded: a request still running at the end of the window may not stretch it by a full timeout
                bound = min(timeout, max(1.0, deadline - time.monotonic()) + 5)
                _, ok = time_request(client, server.query_url, mix[i % len(mix)], bound)
                with lock:
                    measure.completed += ok
                    measure.errors += not ok
                i += 1

    threads = [threading.Thread(target=loop, args=(k * 3,)) for k in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    measure.window += time.monotonic() - started


@dataclass
class LoadTest:
    clients: int
    seconds: float
    ok: int = 0
    failed: int = 0
    runaway_sent: int = 0
    runaway_stopped: int = 0
    p50: float = 0.0
    p99: float = 0.0


def load_test(server: peers.Peer, mix: list[MixQuery], clients: int, seconds: float) -> LoadTest:
    result = LoadTest(clients, seconds)
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def loop(offset: int) -> None:
        with httpx.Client() as client:
            i = offset
            while time.monotonic() < deadline:
                elapsed, ok = time_request(client, server.query_url, mix[i % len(mix)], timeout=120)
                with lock:
                    latencies.append(elapsed)
                    result.ok += ok
                    result.failed += not ok
                i += 1

    def runaway() -> None:
        with httpx.Client() as client:
            while time.monotonic() < deadline:
                response = client.post(server.query_url, data={"query": RUNAWAY}, timeout=120)
                with lock:
                    result.runaway_sent += 1
                    result.runaway_stopped += response.status_code == 503

    threads = [threading.Thread(target=loop, args=(k,)) for k in range(clients)] + [threading.Thread(target=runaway)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    result.p50 = latencies[len(latencies) // 2] * 1000
    result.p99 = latencies[int(0.99 * (len(latencies) - 1))] * 1000
    return result


@dataclass
class ScaleResult:
    triples: int
    quads: int
    measures: list[Measure]
    overhead_ms: float
    skipped: list[str]
    peer_overhead_ms: float = float("nan")
    baseline_overhead_ms: float | None = None


def overhead(ours: Measure, base: Measure) -> float:
    """Median over the mix of (median latency through kgservice - median latency in process), in ms."""
    gaps = [
        statistics.median(ours.latencies[q]) - statistics.median(base.latencies[q]) for q in base.latencies if ours.latencies[q]
    ]
    return statistics.median(gaps) * 1000


def slow_server(path: Path, args: argparse.Namespace, mix: list[MixQuery], latency: bool) -> Measure:
    """rdflib-endpoint alone: one latency round, restarting the server after a request that timed out (it
    would go on computing the abandoned query and slow every later one), then a throughput window."""
    measure = Measure("rdflib-endpoint")
    server_context = peers.rdflib_endpoint(path, args.work)
    server = server_context.__enter__()
    measure.load_seconds = server.started_in
    try:
        with httpx.Client() as client:
            for query in mix if latency else []:
                elapsed, ok = time_request(client, server.query_url, query, args.slow_timeout)
                measure.latencies[query.name].append(elapsed)
                if not ok:
                    measure.errors += 1
                    server_context.__exit__(None, None, None)
                    server_context = peers.rdflib_endpoint(path, args.work)
                    server = server_context.__enter__()
        throughput(server, measure, mix, args.clients, args.seconds, args.slow_timeout)
    finally:
        server_context.__exit__(None, None, None)
    return measure


def fast_servers(
    path: Path, args: argparse.Namespace, mix: list[MixQuery], triples: int, base: Floor
) -> tuple[list[Measure], LoadTest | None]:
    """kgservice and oxigraph serve (in memory; on RocksDB with --rocksdb) side by side: latency rounds
    interleaved with the floor, A-B-B-A throughput, the load test."""
    ours = functools.partial(peers.kgservice, timeout=args.load_timeout)
    starters: list[Callable[[Path, Path], AbstractContextManager[peers.Peer]]] = [ours, peers.oxigraph_memory]
    starters += [peers.oxigraph] if args.rocksdb else []
    if args.baseline:  # another version of kgservice, interleaved like the others
        starters.append(functools.partial(peers.kgservice, timeout=args.load_timeout, tree=args.baseline, name=BASELINE))
    with ExitStack() as stack:
        servers = [stack.enter_context(start(path, args.work)) for start in starters]
        measures = {s.name: Measure(s.name, s.started_in) for s in servers}
        log(f"{triples}: latency rounds")
        latency_rounds(servers, measures, mix, args.rounds, args.timeout, base)
        for server in servers:
            measures[server.name].rss_mib = peers.resident_mib(server.process)
        for server in servers + servers[::-1]:  # two half windows each, A-B-B-A, so drift hits both alike
            log(f"{triples}: throughput of {server.name}")
            throughput(server, measures[server.name], mix, args.clients, args.seconds / 2, args.timeout)
        load = None
        if triples == args.load_scale:
            log(f"{triples}: load test, {args.load_clients} clients for {args.load_seconds} s with a runaway query")
            load = load_test(servers[0], mix, args.load_clients, args.load_seconds)
    return [measures[s.name] for s in servers], load


def run_scale(triples: int, args: argparse.Namespace) -> tuple[ScaleResult, LoadTest | None]:
    path, graph = data_file(triples, args.work, args.seed)
    quads = sum(1 for _ in path.open("rb"))
    mix = query_mix(graph.spec)
    floor = Floor.load(path)
    measures, load = fast_servers(path, args, mix, triples, floor)
    base = floor.measure
    del floor  # the in-process store is not kept while rdflib-endpoint runs
    skipped = []
    if triples <= args.rdflib_max:
        log(f"{triples}: rdflib-endpoint")
        measures.append(slow_server(path, args, mix, latency=triples <= args.rdflib_latency_max))
        if triples > args.rdflib_latency_max:
            skipped.append(
                f"rdflib-endpoint: throughput window only above {args.rdflib_latency_max:,} triples (its latency round "
                "needs a restart and reload after every timed-out query)"
            )
    else:
        skipped.append(f"rdflib-endpoint not run above {args.rdflib_max:,} triples (load time and memory)")
    result = ScaleResult(triples, quads, [*measures, base], overhead(measures[0], base), skipped, overhead(measures[1], base))
    baseline = next((m for m in measures if m.name == BASELINE), None)
    result.baseline_overhead_ms = overhead(baseline, base) if baseline else None
    return result, load


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b and b == b else "n/a"


def render(results: list[ScaleResult], load: LoadTest | None, args: argparse.Namespace) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Reproduce with `make benchmark` (`python -m benchmarks.run`). One run, all servers side by side on",
        f"one machine ({platform.machine()}, {__import__('os').cpu_count()} cores, Python {platform.python_version()}); "
        f"{args.rounds} latency rounds of the mix (servers and the in-process floor interleaved round by round; oxigraph "
        f"serve holds the graph in memory, as kgservice does), then {args.clients} client "
        f"threads for {args.seconds:g} s per server for throughput (two half windows in A-B-B-A order). rdflib-endpoint runs "
        f"after the others are stopped: one latency round with a {args.slow_timeout:g} s client timeout per request (a "
        "request past it counts as an error and as that much latency, and the server is restarted because it would "
        "go on computing the abandoned query), then its throughput window. The client runs on the same machine, so "
        "absolute numbers are low and noisy; the ratios are the result. First answer: seconds from the server's start "
        "to its first answered query (for oxigraph serve in memory, including the upload of the file); RSS: resident "
        "memory of the server and its worker processes after the latency rounds.",
        "",
    ]
    for result in results:
        ours = next(m for m in result.measures if m.name == "kgservice")
        oxi = next(m for m in result.measures if m.name == "oxigraph serve")
        rdfl = next((m for m in result.measures if m.name == "rdflib-endpoint"), None)
        lines += [
            f"## {result.triples:,} triples ({result.quads:,} quads)",
            "",
            "| server | first answer s | RSS MiB | p50 ms | p99 ms | throughput req/s | errors |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for m in result.measures:
            tp = f"{m.throughput:.1f}" if m.window else "-"
            lines.append(
                f"| {m.name} | {m.load_seconds:.1f} | {m.rss_mib:.0f} | {m.percentile(50):.2f} | {m.percentile(99):.2f} | {tp} | "
                f"{m.errors} |"
            )
        lines += [
            "",
            f"- kgservice / oxigraph serve throughput: **{ratio(ours.throughput, oxi.throughput)}** "
            "(target at 100k: at least 0.70x)",
        ]
        if rdfl is not None:
            lines.append(
                f"- kgservice / rdflib-endpoint throughput: **{ratio(ours.throughput, rdfl.throughput)}** "
                "(target at 100k: at least 50x)"
            )
        lines.append(
            f"- kgservice HTTP overhead over the in-process floor (median over the mix of per-query median differences): "
            f"**{result.overhead_ms:.2f} ms** (target: under 1 ms{'' if result.overhead_ms < 1 else ', not met'}); "
            f"oxigraph serve over the same floor, with the same client: {result.peer_overhead_ms:.2f} ms"
            + (f"; {BASELINE}: {result.baseline_overhead_ms:.2f} ms" if result.baseline_overhead_ms is not None else "")
        )
        lines += [f"- {note}" for note in result.skipped]
        lines.append("")
        lines += ["| query | kgservice p50 ms | oxigraph p50 ms | floor p50 ms |", "|---|---:|---:|---:|"]
        base = result.measures[-1]
        for name in base.latencies:
            cells = [
                statistics.median(m.latencies[name]) * 1000 if m.latencies[name] else float("nan") for m in (ours, oxi, base)
            ]
            lines.append(f"| {name} | " + " | ".join(f"{c:.2f}" for c in cells) + " |")
        lines.append("")
    if load is not None:
        lines += [
            f"## Load test at {args.load_scale:,} triples",
            "",
            f"{load.clients} clients loop over the mix for {load.seconds:g} s against kgservice (2 workers, "
            f"{args.load_timeout:g} s query limit) while one more client keeps sending a runaway cross product.",
            "",
            "| requests ok | requests failed | p50 ms | p99 ms | runaway queries sent | runaway stopped (503) |",
            "|---:|---:|---:|---:|---:|---:|",
            f"| {load.ok} | {load.failed} | {load.p50:.1f} | {load.p99:.1f} | {load.runaway_sent} | {load.runaway_stopped} |",
            "",
        ]
    notes = NOTES.read_text(encoding="utf-8") if NOTES.exists() else ""
    return "\n".join(lines) + "\n" + (f"\n{notes}" if notes else "")


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="10000,100000,1000000", help="comma-separated triple counts")
    parser.add_argument("--rounds", type=int, default=6, help="latency rounds of the mix per server")
    parser.add_argument("--clients", type=int, default=4, help="client threads for throughput")
    parser.add_argument("--seconds", type=float, default=15, help="throughput window per server")
    parser.add_argument("--timeout", type=float, default=120, help="client timeout per request")
    parser.add_argument("--rdflib-max", type=int, default=100_000, help="largest scale to run rdflib-endpoint at")
    parser.add_argument(
        "--rdflib-latency-max", type=int, default=10_000, help="largest scale with an rdflib-endpoint latency round"
    )
    parser.add_argument("--slow-timeout", type=float, default=30, help="client timeout per request to rdflib-endpoint")
    parser.add_argument("--rocksdb", action="store_true", help="also run oxigraph serve on RocksDB (labelled)")
    parser.add_argument(
        "--baseline", type=Path, help="also run kgservice from this source tree (another version), labelled baseline"
    )
    parser.add_argument("--load-scale", type=int, default=100_000)
    parser.add_argument("--load-clients", type=int, default=32)
    parser.add_argument("--load-seconds", type=float, default=60)
    parser.add_argument("--load-timeout", type=float, default=30, help="the service's query limit during the runs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kgservice-bench")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    results, load = [], None
    for scale in (int(s) for s in args.scales.split(",")):
        result, scale_load = run_scale(scale, args)
        results.append(result)
        load = scale_load or load
        args.out.write_text(render(results, load, args), encoding="utf-8")
        log(f"{scale}: done, {args.out} updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
