"""Time every query of the benchmark mix in process (pyoxigraph, no HTTP) at several scales:
`python -m benchmarks.query_times --scales 100000,1000000`.

One store per scale (the same synthetic N-Quads files as benchmarks.run), each query run `--rounds` times
after one warm-up; prints a Markdown table of median milliseconds and row counts, and marks the queries
over the target (1 s).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from benchmarks.mix import MixQuery, query_mix
from benchmarks.run import data_file, log
from benchmarks.scale_table import arguments, milliseconds, render


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


def _cell(found: tuple[float, int] | None) -> str:
    ms, rows = found or (float("nan"), 0)
    return f"{milliseconds(ms)} ({rows:,})"


def main(argv: list[str] | None = None) -> int:
    work = Path(tempfile.gettempdir()) / "kgservice-bench"
    args = arguments(__doc__ or "", "100000,1000000", "timed runs per query", work, argv)
    results = {scale: time_scale(scale, args.work, args.seed, args.rounds) for scale in map(int, args.scales.split(","))}
    print(render("query", "ms (rows)", results, _cell), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
