"""Time every query of the benchmark mix in process (pyoxigraph, no HTTP) at several scales:
`python -m benchmarks.query_times --scales 100000,1000000`.

One store per scale (the same synthetic N-Quads files as benchmarks.run), each query run `--rounds` times
after one warm-up; prints a Markdown table of median milliseconds and row counts, and marks the queries
over the target (1 s).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from benchmarks.mix import MixQuery, query_mix
from benchmarks.run import data_file, log

TARGET_MS = 1000.0


def run_once(store: ox.Store, query: MixQuery) -> tuple[float, int]:
    """Milliseconds to answer and count the rows (triples for a graph, 1 for ASK)."""
    started = time.perf_counter()
    result = store.query(query.text, use_default_graph_as_union=True)
    rows = 1 if isinstance(result, ox.QueryBoolean) else sum(1 for _ in result)
    return (time.perf_counter() - started) * 1000, rows


def time_scale(triples: int, work: Path, seed: int, rounds: int) -> dict[str, tuple[float, int]]:
    path, graph = data_file(triples, work, seed)
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    timings = {}
    for query in query_mix(graph.spec):
        run_once(store, query)
        runs = [run_once(store, query) for _ in range(rounds)]
        timings[query.name] = (statistics.median(ms for ms, _ in runs), runs[0][1])
        log(f"{triples}: {query.name} {timings[query.name][0]:.1f} ms")
    return timings


def render(results: dict[int, dict[str, tuple[float, int]]]) -> str:
    scales = list(results)
    head = "| query | " + " | ".join(f"{s:,} triples: ms (rows)" for s in scales) + " |"
    lines = [head, "|---|" + "---:|" * len(scales)]
    for name in results[scales[0]]:
        cells = []
        for scale in scales:
            ms, rows = results[scale].get(name, (float("nan"), 0))
            cells.append(f"{'**' if ms > TARGET_MS else ''}{ms:.1f}{'**' if ms > TARGET_MS else ''} ({rows:,})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="100000,1000000", help="comma-separated triple counts")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs per query (the median is reported)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kgservice-bench")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    results = {scale: time_scale(scale, args.work, args.seed, args.rounds) for scale in map(int, args.scales.split(","))}
    print(render(results), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
