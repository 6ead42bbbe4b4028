"""Start the SPARQL servers the benchmark compares, each on a free loopback port, on the same N-Quads file.

- kgservice: `kgservice serve --store DIR`, the file placed as DIR/base.nq (the store folder's snapshot);
- oxigraph in memory: `oxigraph serve --union-default-graph` without a location, the file POSTed to /store
  (PyPI `oxigraph`), the peer of kgservice's in-memory graph;
- oxigraph on RocksDB: `oxigraph load` then `oxigraph serve --location DIR --union-default-graph`;
- rdflib-endpoint: `rdflib-endpoint serve FILE` (PyPI `rdflib-endpoint`, rdflib's engine);
- the layers of the overhead breakdown (benchmarks.overhead_servers), on the bundled data.
All use the union of the named graphs as the default graph.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.server import free_port

BIN = Path(sys.executable).parent


@dataclass
class Peer:
    name: str
    query_url: str
    process: subprocess.Popen[bytes]
    started_in: float
    queries: frozenset[str] | None = None  # the mix's queries it is measured on (None: all)

    def runs(self, query: str) -> bool:
        return self.queries is None or query in self.queries

    def text(self, query: str) -> str:
        """The text this server is sent for a query of the mix (the same for all but a store kgservice rewrites for)."""
        return query


def _wait(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{url} did not come up within {timeout} s")


@contextmanager
def _running(
    name: str,
    command: list[str],
    url: str,
    log: Path,
    env: dict[str, str] | None = None,
    timeout: float = 900,
    cwd: Path | None = None,
) -> Iterator[Peer]:
    started = time.monotonic()
    with log.open("wb") as out:
        environment = {**os.environ, **(env or {})}
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=environment, cwd=cwd)  # noqa: S603 - our own arguments
    try:
        _wait(url, process, log, timeout)
        yield Peer(name, url, process, time.monotonic() - started)
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def kgservice(
    data: Path, work: Path, *, timeout: float = 30, workers: int = 2, tree: Path | None = None, name: str = "kgservice"
) -> Iterator[Peer]:
    """`kgservice serve` of this checkout, or of the source tree `tree` (another version, to compare with)."""
    folder = work / f"{name.replace(' ', '-').strip('()')}-store"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copyfile(data, folder / "base.nq")
    port = free_port()
    env = {"KGSERVICE_MAX_RESULT_BYTES": str(500_000_000)} | ({"PYTHONPATH": str(tree)} if tree else {})
    command = [
        *([sys.executable, "-m", "kgservice"] if tree else [str(BIN / "kgservice")]),
        "serve",
        "--port",
        str(port),
        "--store",
        str(folder),
        "--workers",
        str(workers),
        "--timeout",
        str(timeout),
        "--no-access-log",  # as oxigraph serve, which logs no request
    ]
    with _running(name, command, f"http://127.0.0.1:{port}/sparql", folder.with_suffix(".log"), env=env, cwd=tree) as peer:
        yield peer


@contextmanager
def service_layer(layer: str, work: Path) -> Iterator[Peer]:
    """One server of the overhead breakdown on the bundled data (benchmarks.overhead_servers)."""
    port = free_port()
    command = [sys.executable, "-m", "benchmarks.overhead_servers", layer, str(port)]
    root = Path(__file__).resolve().parents[1]
    with _running(layer, command, f"http://127.0.0.1:{port}/sparql", work / f"layer-{layer}.log", cwd=root) as peer:
        yield peer


@contextmanager
def oxigraph(data: Path, work: Path) -> Iterator[Peer]:
    folder = work / "oxigraph-store"
    shutil.rmtree(folder, ignore_errors=True)
    binary = str(BIN / "oxigraph")
    load = [binary, "load", "--location", str(folder), "--file", str(data)]
    subprocess.run(load, check=True, capture_output=True)  # noqa: S603 - our own arguments
    port = free_port()
    command = [binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    with _running("oxigraph serve (RocksDB)", command, f"http://127.0.0.1:{port}/query", work / "oxigraph.log") as peer:
        yield peer


@contextmanager
def oxigraph_memory(data: Path, work: Path) -> Iterator[Peer]:
    """`oxigraph serve` in memory (no --location), filled through its graph store endpoint: the fair peer of
    kgservice, which holds the graph in memory too; its start time includes the upload."""
    port = free_port()
    command = [str(BIN / "oxigraph"), "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    started = time.monotonic()
    with _running("oxigraph serve", command, f"http://127.0.0.1:{port}/query", work / "oxigraph-memory.log") as peer:
        with data.open("rb") as body:
            response = httpx.post(
                f"http://127.0.0.1:{port}/store", content=body, headers={"Content-Type": "application/n-quads"}, timeout=900
            )
        response.raise_for_status()
        peer.started_in = time.monotonic() - started
        yield peer


def resident_mib(process: subprocess.Popen[bytes]) -> float:
    """Resident memory of a server and its child processes (query workers), in MiB, from /proc. The children
    of every thread count: kgservice starts its workers from the pool's threads, not the main one."""
    total, pending = 0, [process.pid]
    while pending:
        pid = pending.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            children = [c for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        pending += [int(child) for child in children]
    return total / 1024


@contextmanager
def rdflib_endpoint(data: Path, work: Path) -> Iterator[Peer]:
    port = free_port()
    command = [str(BIN / "rdflib-endpoint"), "serve", str(data), "--host", "127.0.0.1", "--port", str(port)]
    with _running("rdflib-endpoint", command, f"http://127.0.0.1:{port}/", work / "rdflib-endpoint.log") as peer:
        yield peer
