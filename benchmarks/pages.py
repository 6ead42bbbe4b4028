"""Time the main HTML pages against kgservice serving a synthetic graph:
`python -m benchmarks.pages --scales 1000000`.

One server per scale (`kgservice serve` on the same synthetic N-Quads file as benchmarks.run), each page
requested once to warm the caches and then `--rounds` times; prints a Markdown table of the median and the
slowest milliseconds, and marks the pages over the target (1 s). The pages: the home page, the coherence
dashboard and the suggestions of the generated local and higher strategies, an entity page (a measure)
and a search.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks import peers
from benchmarks.generate import Spec
from benchmarks.run import data_file, log
from benchmarks.scale_table import arguments, milliseconds, render

ID = "https://w3id.org/kgservice/id/"


def pages(spec: Spec) -> list[tuple[str, str, dict[str, str]]]:
    """(name, path, query parameters) of each page timed, bound to the generated graph's strategies."""
    pair = {"local": spec.local or "", "higher": spec.higher or ""}
    entity = (spec.measure or "").removeprefix(ID)
    return [
        ("home", "/", {}),
        ("coherence dashboard of a pair", "/coherence", pair),
        ("suggestions of a pair", "/suggestions", pair),
        ("entity page of a measure", f"/id/{entity}", {}),
        ("search", "/search", {"q": "social"}),
    ]


def time_page(client: httpx.Client, url: str, params: dict[str, str]) -> tuple[float, int]:
    """Milliseconds to the whole HTML page, and its status."""
    started = time.perf_counter()
    response = client.get(url, params=params, headers={"Accept": "text/html"}, timeout=120)
    return (time.perf_counter() - started) * 1000, response.status_code


def time_scale(triples: int, work: Path, seed: int, rounds: int) -> dict[str, tuple[float, float, int]]:
    path, graph = data_file(triples, work, seed)
    timings = {}
    with peers.kgservice(path, work) as server, httpx.Client() as client:
        base = server.query_url.removesuffix("/sparql")
        for name, page, params in pages(graph.spec):
            time_page(client, base + page, params)
            runs = [time_page(client, base + page, params) for _ in range(rounds)]
            timings[name] = (statistics.median(ms for ms, _ in runs), max(ms for ms, _ in runs), runs[-1][1])
            log(f"{triples}: {name} {timings[name][0]:.1f} ms ({timings[name][2]})")
    return timings


def _cell(found: tuple[float, float, int] | None) -> str:
    median, slowest, status = found or (float("nan"), float("nan"), 0)
    return f"{milliseconds(median)} / {milliseconds(slowest)} ({status})"


def main(argv: list[str] | None = None) -> int:
    work = Path(tempfile.gettempdir()) / "kgservice-bench-pages"
    args = arguments(__doc__ or "", "1000000", "timed requests per page", work, argv)
    results = {scale: time_scale(scale, args.work, args.seed, args.rounds) for scale in map(int, args.scales.split(","))}
    print(render("page", "median ms / slowest ms (status)", results, _cell), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
