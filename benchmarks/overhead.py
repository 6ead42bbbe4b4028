"""Where the SPARQL endpoint's per-request overhead goes, layer by layer: `python -m benchmarks.overhead`.

benchmarks.run gives one figure, the service's latency over the engine in process (the floor). This splits it:
four servers on the bundled data (benchmarks.overhead_servers) that add one layer each, and oxigraph serve in
memory for comparison, measured in the same interleaved rounds of the same mix with the same client as
benchmarks.run (one kept-alive http.client connection per server; the floor in process between rounds).

Per query, each step is a difference of median latencies; the table gives each step's median over the mix.
Medians do not add up exactly, so the steps' sum is near the total but need not equal it.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from benchmarks import peers
from benchmarks.overhead_servers import FIXED
from benchmarks.run import ROOT, Floor, Measure, bundled_scale, latency_rounds, log

LAYERS = ("uvicorn", "no-evaluation", "in-process", "service")
OXIGRAPH = "oxigraph serve"


@dataclass(frozen=True)
class Step:
    """One layer's cost: the latency of `upper` minus that of `lower` (and minus the floor's evaluation if `floor`)."""

    label: str
    upper: str
    lower: str | None
    floor: bool = False


STEPS = (
    Step("client, loopback sockets and uvicorn (a fixed answer, no app)", "uvicorn", None),
    Step("the service's own work around the engine (a fixed answer)", "no-evaluation", "uvicorn"),
    Step("evaluation in the server's process and its answer's bytes, over the floor", "in-process", "no-evaluation", True),
    Step("the hop to a query worker and back", "service", "in-process"),
)
TOTALS = (
    Step("**kgservice over the floor** (as docs/benchmarks.md counts it; here beside four other servers)", "service", None, True),
    Step("oxigraph serve over the floor", OXIGRAPH, None, True),
)


def gap(measures: dict[str, Measure], floor: Measure, step: Step, query: str) -> float:
    """The step's cost for one query, in ms."""
    value = statistics.median(measures[step.upper].latencies[query])
    if step.lower is not None:
        value -= statistics.median(measures[step.lower].latencies[query])
    if step.floor:
        value -= statistics.median(floor.latencies[query])
    return value * 1000


def median_gap(measures: dict[str, Measure], floor: Measure, step: Step) -> float:
    return statistics.median(gap(measures, floor, step, query) for query in floor.latencies)


def render(measures: dict[str, Measure], floor: Measure, args: argparse.Namespace, triples: int) -> str:
    errors = sum(m.errors for m in measures.values())
    lines = [
        "# Where the per-request overhead goes",
        "",
        f"Reproduce with `python -m benchmarks.overhead --rounds {args.rounds}`. The bundled data ({triples:,} quads, "
        f"with its derived facts), {args.rounds} latency rounds of the mix of `docs/benchmarks.md` on one machine "
        f"({platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}): each round the "
        "in-process floor, then each server in turn, the servers' order rotating from round to round, one "
        "kept-alive http.client connection per server, as in `benchmarks.run`. "
        "The servers (`benchmarks/overhead_servers.py`) run on uvicorn as `kgservice serve` runs the service:",
        "",
        f"- `uvicorn`: no service, an ASGI function that reads the request and answers a fixed {len(FIXED.body)}-byte result;",
        "- `no-evaluation`: the whole service (every middleware, the protocol's parsing, the screens, content "
        "negotiation), its engine answering that fixed result without evaluating;",
        "- `in-process`: the whole service, the embedded engine evaluating on the event loop in the server's own "
        "process (no worker: no deadline and no stop for a runaway query; a measurement only);",
        "- `service`: the service as shipped, its queries answered by a query worker process;",
        "- `oxigraph serve` in memory, for comparison.",
        "",
        f"Requests that failed: {errors}. Each step is, per query, a difference of median latencies; the table "
        "gives its median over the mix (medians do not add up exactly).",
        "",
        "| step | median over the mix, ms |",
        "|---|---:|",
        *(f"| {step.label} | {median_gap(measures, floor, step):.2f} |" for step in STEPS + TOTALS),
        "",
        "| query | floor | uvicorn | no-evaluation | in-process | service | oxigraph serve | hop |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for query in floor.latencies:
        cells = [statistics.median(floor.latencies[query]) * 1000]
        cells += [statistics.median(measures[name].latencies[query]) * 1000 for name in (*LAYERS, OXIGRAPH)]
        cells.append(gap(measures, floor, STEPS[-1], query))
        lines.append(f"| {query} | " + " | ".join(f"{cell:.2f}" for cell in cells) + " |")
    lines += ["", "Latencies are p50 in ms; hop: `service` minus `in-process`.", ""]
    return "\n".join(lines)


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20, help="latency rounds of the mix per server")
    parser.add_argument("--timeout", type=float, default=60, help="client timeout per request")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kgservice-overhead")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "overhead-benchmark.md")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    scale = bundled_scale(args.work)
    floor = Floor.load(scale.path)
    with ExitStack() as stack:
        servers = [stack.enter_context(peers.service_layer(layer, args.work)) for layer in LAYERS]
        servers.append(stack.enter_context(peers.oxigraph_memory(scale.path, args.work)))
        measures = {server.name: Measure(server.name) for server in servers}
        log(f"overhead: {args.rounds} latency rounds of {len(scale.mix)} queries")
        started = time.monotonic()
        latency_rounds(servers, measures, scale.mix, args.rounds, args.timeout, floor)
        log(f"overhead: rounds done in {time.monotonic() - started:.0f} s")
    quads = sum(1 for _ in scale.path.open("rb"))
    args.out.write_text(render(measures, floor.measure, args, quads), encoding="utf-8")
    log(f"overhead: {args.out} written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
