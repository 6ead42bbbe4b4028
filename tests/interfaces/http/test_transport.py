"""The bound on a request's line and headers under httptools (`kgservice serve --max-header-bytes`): a longer
head is refused with 431 before the app sees it; a body, and heads of pipelined requests, are not counted."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.server import Server, running_server

BOUND = 4096


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("transport")
    with running_server(tmp, "--max-header-bytes", str(BOUND), user_data=str(tmp / "user")) as running:
        yield running


def exchange(server: Server, data: bytes) -> bytes:
    """Send raw bytes on one connection and read until the server closes it."""
    address = urlsplit(server.url)
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        connection.sendall(data)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return received


def get(path: str, filler: int, close: bool = False) -> bytes:
    head = f"GET {path} HTTP/1.1\r\nHost: x\r\nX-Filler: {'a' * filler}\r\n"
    return (head + ("Connection: close\r\n" if close else "") + "\r\n").encode()


def statuses(reply: bytes) -> list[int]:
    # a status line follows the previous answer's body directly (its length is in Content-Length)
    return [int(status) for status in re.findall(rb"HTTP/1\.1 (\d{3}) ", reply)]


def test_a_head_over_the_bound_is_refused_with_431(server: Server) -> None:
    reply = exchange(server, get("/sparql?query=ASK%7B%7D", BOUND + 100))
    assert statuses(reply) == [431]
    assert str(BOUND).encode() in reply


def test_a_head_under_the_bound_is_answered(server: Server) -> None:
    assert statuses(exchange(server, get("/sparql?query=ASK%7B%7D", BOUND // 2, close=True))) == [200]


def test_pipelined_heads_are_bounded_one_by_one(server: Server) -> None:
    # three heads of 3 KB sent at once: more than the bound together, each one under it
    data = get("/sparql?query=ASK%7B%7D", 3000) * 2 + get("/sparql?query=ASK%7B%7D", 3000, close=True)
    assert statuses(exchange(server, data)) == [200, 200, 200]


def test_a_body_longer_than_the_bound_is_not_counted(server: Server) -> None:
    query = "ASK {}" + " " * (4 * BOUND)
    body = ("query=" + query.replace(" ", "+").replace("{", "%7B").replace("}", "%7D")).encode()
    head = (
        f"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
    )
    data = (head + "Connection: close\r\n\r\n").encode() + body
    assert statuses(exchange(server, data)) == [200]


def test_each_request_is_logged_unless_serve_is_given_no_access_log(server: Server, tmp_path: Path) -> None:
    exchange(server, get("/health", 10, close=True))
    assert re.search(r'"GET /health HTTP/1.1" 200', server.log.read_text())
    with running_server(tmp_path, "--no-access-log", user_data=str(tmp_path / "user")) as quiet:
        assert b" 200 OK" in exchange(quiet, get("/health", 10, close=True))
        log = quiet.log.read_text()
    assert "Uvicorn running" in log and "/health" not in log
