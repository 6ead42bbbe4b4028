"""A throw-away `oxigraph serve` on a free loopback port, in a temporary directory, as a context manager.

    with oxigraph_server() as server:
        httpx.post(server.query_url, ...)

The reference server for the conformance runner, and a real SPARQL store for integration tests of
a remote-store backend. `oxigraph` comes from the PyPI package of that name.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

HOST = "127.0.0.1"


class ServerError(RuntimeError):
    """The server could not be found or did not start."""


@dataclass(frozen=True)
class OxigraphServer:
    """A running server: its base URL, endpoints, data directory and process."""

    base_url: str
    location: Path
    process: subprocess.Popen[bytes]

    @property
    def query_url(self) -> str:
        """SPARQL query endpoint (GET without a query returns the service description)."""
        return f"{self.base_url}/query"

    @property
    def update_url(self) -> str:
        """SPARQL update endpoint."""
        return f"{self.base_url}/update"

    @property
    def store_url(self) -> str:
        """Graph store protocol endpoint (?graph=..., ?default, and direct /store/... paths)."""
        return f"{self.base_url}/store"


def oxigraph_binary() -> str | None:
    """The `oxigraph` executable: beside this Python (a virtualenv's bin/) or on PATH, else None."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def oxigraph_server(
    binary: str | None = None, *, startup_timeout: float = 15.0, extra_args: tuple[str, ...] = ()
) -> Iterator[OxigraphServer]:
    """Start `oxigraph serve` with an empty store in a temporary directory; stop it and delete the store on exit."""
    executable = binary or oxigraph_binary()
    if executable is None:
        raise ServerError("the `oxigraph` command is not installed: pip install oxigraph")
    with tempfile.TemporaryDirectory(prefix="oxigraph-") as folder:
        server = _start_with_retries(executable, Path(folder), startup_timeout, extra_args)
        try:
            yield server
        finally:
            _stop(server.process)


def _start_with_retries(
    executable: str, folder: Path, timeout: float, extra_args: tuple[str, ...], tries: int = 3
) -> OxigraphServer:
    # Another process may take the free port between our probe and the server's bind: try a new one.
    for attempt in range(1, tries + 1):
        try:
            return _start(executable, folder / f"store-{attempt}", folder / f"server-{attempt}.log", timeout, extra_args)
        except ServerError:
            if attempt == tries:
                raise
    raise AssertionError("unreachable")


def _start(executable: str, location: Path, log_path: Path, timeout: float, extra_args: tuple[str, ...]) -> OxigraphServer:
    port = free_port()
    command = [executable, "serve", "--location", str(location), "--bind", f"{HOST}:{port}", *extra_args]
    log = log_path.open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603 - our own arguments
    server = OxigraphServer(f"http://{HOST}:{port}", location, process)
    try:
        _wait_until_ready(server, timeout)
    except ServerError as error:
        _stop(process)
        tail = log_path.read_text(errors="replace").strip()[-500:]
        raise ServerError(f"{error}; its output: {tail or '(none)'}") from error
    finally:
        log.close()
    return server


def _wait_until_ready(server: OxigraphServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerError(f"oxigraph serve exited with code {server.process.returncode} before answering")
        try:
            if httpx.get(server.query_url, timeout=1.0, trust_env=False).status_code < 500:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise ServerError(f"oxigraph serve did not answer on {server.base_url} within {timeout} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
