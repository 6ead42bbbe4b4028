"""Start a real `kgservice serve` process on a free local port for integration tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

TOKEN = "test-token-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited: {log.read_text()}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not come up: {log.read_text()}")


@contextmanager
def running_server(
    tmp: Path, *args: str, command: Sequence[str] = (sys.executable, "-m", "kgservice"), cwd: Path | None = None, **env: str
) -> Iterator[Server]:
    """A `kgservice serve` process; extra settings as KGSERVICE_* environment variables. `command` starts the
    CLI (default: this test run's Python, so the checkout); `cwd` is the folder it runs in."""
    port = free_port()
    log = tmp / f"server-{port}.log"
    environment = {**os.environ, **{f"KGSERVICE_{k.upper()}": v for k, v in env.items()}}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "serve", "--port", str(port), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=environment,
            cwd=cwd,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, log)
        yield Server(url, process, log)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
