"""Every attack the service must refuse, tried against a real server process."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from tests.server import TOKEN, Server, free_port, running_server

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


class Listener:
    """A local TCP listener that records whether anything connected to it."""

    def __init__(self) -> None:
        self.port, self.connections = free_port(), 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", self.port))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                continue

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    target = Listener()
    yield target
    target.close()


def test_service_to_an_endpoint_not_on_the_allow_list_is_refused_without_a_request(server: Server, listener: Listener) -> None:
    for query in (
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}",
        f"PREFIX x: <http://127.0.0.1:{listener.port}/> SELECT * WHERE {{ SERVICE SILENT x:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE { BIND(<http://127.0.0.1/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    ):
        response = httpx.get(server.sparql, params={"query": query})
        assert response.status_code == 403, query
    time.sleep(0.3)
    assert listener.connections == 0


def test_load_of_files_and_urls_is_refused(server: Server, listener: Listener) -> None:
    for target in ("file:///etc/passwd", f"http://127.0.0.1:{listener.port}/data.ttl"):
        response = httpx.post(server.sparql, data={"update": f"LOAD <{target}>"}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 403
    assert listener.connections == 0


def test_from_names_a_graph_and_never_reads_a_file(server: Server) -> None:
    response = httpx.get(server.sparql, params={"query": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"})
    assert response.status_code == 200 and response.json()["results"]["bindings"] == []


def test_a_runaway_query_is_stopped_while_others_are_answered(server: Server) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        started = time.monotonic()
        runaway = pool.submit(httpx.post, server.sparql, data={"query": RUNAWAY}, timeout=60)
        time.sleep(0.3)
        quick = [httpx.get(server.sparql, params={"query": "ASK { ?s ?p ?o }"}, timeout=10) for _ in range(5)]
        assert all(r.status_code == 200 for r in quick)
        assert time.monotonic() - started < 2.5, "other queries waited for the runaway one"
        stopped = runaway.result()
    assert stopped.status_code == 503 and "stopped after 3 s" in stopped.text
    assert time.monotonic() - started < 8
    restarts = httpx.get(server.url + "/health").json()["worker_restarts"]
    assert restarts >= 1


def test_a_client_that_hangs_up_stops_its_query_long_before_the_deadline(tmp_path: Path) -> None:
    with running_server(tmp_path, query_timeout="60", workers="1") as patient:
        port = int(patient.url.rsplit(":", 1)[1])
        before = httpx.get(patient.url + "/health").json()["worker_restarts"]
        body = urlencode({"query": RUNAWAY}).encode()
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + b"Content-Length: %d\r\n\r\n" % len(body)
                + body
            )
            time.sleep(0.5)  # the query runs
        hung_up = time.monotonic()
        while httpx.get(patient.url + "/health").json()["worker_restarts"] == before and time.monotonic() - hung_up < 30:
            time.sleep(0.1)
        assert time.monotonic() - hung_up < 30, "the worker ran on after its client had gone"
        assert "cancelled by its caller" in patient.log.read_text()
        assert httpx.get(patient.sparql, params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_oversized_request_bodies_get_413(server: Server) -> None:
    huge = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1_100_000
    assert httpx.post(server.sparql, content=huge, headers={"Content-Type": "application/sparql-query"}).status_code == 413
    big_upload = b'<http://e/a> <http://e/b> "' + b"y" * 21_000_000 + b'" .'
    response = httpx.put(
        server.url + "/rdf-graphs",
        params={"graph": "http://e/big"},
        content=big_upload,
        headers={"Content-Type": "application/n-triples", "Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 413


def test_writes_need_the_token(server: Server) -> None:
    update = "INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/b> 'c' } }"
    assert httpx.post(server.sparql, data={"update": update}).status_code == 401
    wrong = {"Authorization": "Bearer wrong-token-0123456789"}
    assert httpx.post(server.sparql, data={"update": update}, headers=wrong).status_code == 403


def test_errors_carry_no_traceback(server: Server) -> None:
    for response in (
        httpx.get(server.sparql, params={"query": "SELEC nonsense"}),
        httpx.get(server.url + "/api/queries/element-path"),
        httpx.put(
            server.url + "/rdf-graphs",
            params={"graph": "http://e/x"},
            content=b"<a> <b",
            headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"},
        ),
    ):
        assert 400 <= response.status_code < 500
        assert "Traceback" not in response.text and 'File "' not in response.text


@pytest.fixture(scope="module")
def locked_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """No write token, small result cap, CORS open to one origin."""
    with running_server(
        tmp_path_factory.mktemp("locked"), max_result_bytes="20000", cors_origins='["https://planner.example"]'
    ) as running:
        yield running


def test_without_a_token_writes_are_off(locked_server: Server) -> None:
    response = httpx.post(
        locked_server.sparql, data={"update": "CLEAR ALL"}, headers={"Authorization": "Bearer anything-0123456789"}
    )
    assert response.status_code == 403 and "disabled" in response.text
    assert httpx.get(locked_server.url + "/health").json()["triples"] > 0


def test_results_larger_than_the_cap_are_refused(locked_server: Server) -> None:
    response = httpx.get(locked_server.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 413 and "LIMIT" in response.text
    assert httpx.get(locked_server.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"}).status_code == 200


def test_cors_is_closed_by_default_and_open_to_configured_origins(server: Server, locked_server: Server) -> None:
    origin = {"Origin": "https://planner.example"}
    ask = {"query": "ASK {}"}
    assert "access-control-allow-origin" not in httpx.get(server.sparql, params=ask, headers=origin).headers
    allowed = httpx.get(locked_server.sparql, params=ask, headers=origin)
    assert allowed.headers["access-control-allow-origin"] == "https://planner.example"
    other = httpx.get(locked_server.sparql, params=ask, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_the_service_binds_to_loopback_by_default(tmp_path: Path) -> None:
    from kgservice.interfaces.cli.main import build_parser

    args = build_parser().parse_args(["serve"])
    assert args.host == "127.0.0.1"
