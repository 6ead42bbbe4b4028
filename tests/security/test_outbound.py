"""SERVICE and LOAD cannot reach another host (issue 12): every way around the screen that was found,
tried against a real server process and a local HTTP listener that records whether it was contacted,
and the sandbox on its own (a worker and the update thread, with no screen in front of them)."""

from __future__ import annotations

import http.server
import multiprocessing as mp
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kgservice.engine.base import QueryRequest
from kgservice.engine.federation import Federating
from kgservice.engine.pool import WorkerPool
from kgservice.engine.sandbox import isolate_process, run_update
from kgservice.engine.worker import Call, serve
from kgservice.errors import ForbiddenOperation
from kgservice.sparql.screening import OUTBOUND_REFUSED
from tests.server import TOKEN, Server, free_port, running_server

RESULTS = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"from the remote"}}]}}'
AUTH = {"Authorization": f"Bearer {TOKEN}"}


class Listener:
    """A local HTTP endpoint that answers every request with one SPARQL JSON row and counts them."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                listener.requests.append(self.path)
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(RESULTS)))
                self.end_headers()
                self.wfile.write(RESULTS)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                """Quiet."""

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def listener() -> Iterator[Listener]:
    target = Listener()
    yield target
    target.close()


def bypasses(url: str) -> list[str]:
    """The SERVICE queries that reached `url` through the old screen, and their cousins."""
    prefix = f"PREFIX ex: <{url}> PREFIX : <{url}> "
    return [
        prefix + "SELECT * WHERE { SERVICEex:x { ?s ?p ?o } }",
        prefix + "SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
        prefix + "select * where { optional { service:x { ?s ?p ?o } } }",
        prefix + "SELECT * WHERE { { ?a ?b ?c } UNION { SERVICEex:x { ?s ?p ?o } } }",
        prefix + "SELECT * WHERE { { SELECT * WHERE { SERVICEex:x { ?s ?p ?o } } } }",
        prefix + "SELECT * WHERE { FILTER EXISTS { SERVICEex:x { ?s ?p ?o } } }",
        prefix + "SELECT * WHERE { SERVICESILENTex:x { ?s ?p ?o } }",
        prefix + "SELECT * WHERE { SERVICE SILENT ex:x { ?s ?p ?o } }",
        f"SELECT * WHERE {{ ?a ?b ?c .SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?a ?b true SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ FILTER(?x<'>') SERVICE <{url}> {{ ?s ?p 'z' }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    ]


def load_bypasses(url: str) -> list[str]:
    return [
        f"PREFIX ex: <{url}> LOADex:ttl INTO GRAPH <http://e/g>",
        f"PREFIX ex: <{url}> load silent ex:ttl",
        f"INSERT DATA {{ GRAPH <http://e/g> {{ <http://e/a> <http://e/b> 'c' }} }} ;LOAD <{url}x.ttl>",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    ]


@pytest.fixture(scope="module")
def sandboxed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The default service: no allow-list, so its workers have no network; writes on."""
    with running_server(tmp_path_factory.mktemp("sandboxed"), write_token=TOKEN, workers="1") as running:
        yield running


def test_no_service_bypass_reaches_the_listener(sandboxed: Server, listener: Listener) -> None:
    for query in bypasses(listener.url):
        response = httpx.post(sandboxed.sparql, data={"query": query}, timeout=30)
        assert response.status_code == 403, (query, response.text)
    assert listener.requests == []


def test_the_workers_left_the_network(sandboxed: Server) -> None:
    assert "could not leave the network namespace" not in sandboxed.log_text()


def test_screening_large_queries_does_not_hold_the_event_loop(sandboxed: Server) -> None:
    # eight 1 MB queries of codepoint escapes held /health for 10 s when the screen ran on the event loop
    heavy = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 #" + "\\u0053ERVICE" * 80_000
    with ThreadPoolExecutor(max_workers=8) as pool:
        direct = {"Content-Type": "application/sparql-query"}
        sent = [pool.submit(httpx.post, sandboxed.sparql, content=heavy, headers=direct, timeout=120) for _ in range(8)]
        time.sleep(0.2)
        started = time.monotonic()
        health = httpx.get(sandboxed.url + "/health", timeout=30)
        waited = time.monotonic() - started
        answers = [future.result() for future in sent]
    assert health.status_code == 200 and waited < 5, f"/health waited {waited:.1f} s"
    assert all(answer.status_code in (200, 403) for answer in answers), {(a.status_code, a.text[:200]) for a in answers}


def test_refusals_read_the_same_for_an_open_and_a_closed_port(sandboxed: Server, listener: Listener) -> None:
    closed = f"http://127.0.0.1:{free_port()}/"
    for open_query, closed_query in zip(bypasses(listener.url), bypasses(closed), strict=True):
        opened = httpx.post(sandboxed.sparql, data={"query": open_query}, timeout=30)
        shut = httpx.post(sandboxed.sparql, data={"query": closed_query}, timeout=30)
        assert (opened.status_code, opened.text.replace(listener.url, closed)) == (shut.status_code, shut.text)
    assert listener.requests == []


def test_no_load_bypass_reaches_the_listener_even_with_the_token(sandboxed: Server, listener: Listener) -> None:
    for update in load_bypasses(listener.url):
        response = httpx.post(sandboxed.sparql, data={"update": update}, headers=AUTH, timeout=30)
        assert response.status_code == 403, (update, response.text)
    assert listener.requests == []
    graph = httpx.get(sandboxed.sparql, params={"query": "ASK { GRAPH <http://e/g> { ?s ?p ?o } }"}).json()
    assert graph["boolean"] is False


def _ask_worker(snapshot: Path, query: str) -> tuple[object, object]:
    """Run one query in a real worker process, with no screen in front of it."""
    context = mp.get_context("spawn")
    conn, child = context.Pipe()
    process = context.Process(target=serve, args=(child, str(snapshot)), daemon=True)
    process.start()
    child.close()
    try:
        assert conn.poll(60)
        conn.recv()  # ("ready", None)
        conn.send(("call", Call("serialize", (QueryRequest(query, "application/sparql-results+json", None),))))
        assert conn.poll(60)
        status, value = conn.recv()
        return status, value
    finally:
        process.kill()
        process.join(5)


def test_a_worker_has_no_network_whatever_the_query_says(tmp_path: Path, listener: Listener) -> None:
    snapshot = tmp_path / "snapshot.nq"
    snapshot.write_text("<http://e/a> <http://e/b> <http://e/c> <http://e/g> .\n")
    closed = f"http://127.0.0.1:{free_port()}/"
    answers = [_ask_worker(snapshot, f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}") for url in (listener.url, closed)]
    assert listener.requests == []
    for status, failure in answers:
        assert status == "failed" and getattr(failure, "message", None) == OUTBOUND_REFUSED
    assert answers[0] == answers[1], "an open and a closed port must fail alike"


def test_the_update_thread_has_no_network(listener: Listener) -> None:
    store = ox.Store()
    for update in (f"LOAD <{listener.url}data.ttl>", f"LOAD <http://127.0.0.1:{free_port()}/data.ttl>"):
        with pytest.raises(ForbiddenOperation) as refused:
            run_update(store, update, None)
        assert str(refused.value) == OUTBOUND_REFUSED
    assert listener.requests == [] and len(store) == 0


def test_isolating_a_process_takes_its_network(listener: Listener) -> None:
    context = mp.get_context("spawn")
    process = context.Process(target=_isolated_fetch, args=(listener.url,))
    process.start()
    process.join(60)
    assert process.exitcode == 0 and listener.requests == []


def _isolated_fetch(url: str) -> None:
    assert isolate_process()
    solutions = ox.Store().query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    assert isinstance(solutions, ox.QuerySolutions)
    with pytest.raises(OSError):
        list(solutions)  # solutions are lazy: the request is made here


@pytest.fixture
def allowing(tmp_path: Path, listener: Listener) -> Iterator[tuple[Server, str]]:
    """A service that allow-lists the listener and a closed port (one worker of it keeps the network)."""
    closed = f"http://127.0.0.1:{free_port()}/"
    allowlist = f'["{listener.url}", "{closed}"]'
    with running_server(tmp_path, workers="1", service_allowlist=allowlist) as running:
        yield running, closed


def test_an_allow_listed_endpoint_still_answers_and_others_are_refused(allowing: tuple[Server, str], listener: Listener) -> None:
    server = allowing[0]
    query = f"SELECT ?x WHERE {{ SERVICE <{listener.url}> {{ ?x ?y ?z }} }}"
    response = httpx.post(server.sparql, data={"query": query}, timeout=30)
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"][0]["x"]["value"] == "from the remote"
    assert len(listener.requests) == 1
    other = httpx.post(server.sparql, data={"query": query.replace(listener.url, listener.url + "other")}, timeout=30)
    assert other.status_code == 403 and len(listener.requests) == 1


def test_a_failing_allow_listed_endpoint_says_nothing_about_its_port(allowing: tuple[Server, str]) -> None:
    server, closed = allowing
    response = httpx.post(server.sparql, data={"query": f"SELECT * WHERE {{ SERVICE <{closed}> {{ ?s ?p ?o }} }}"}, timeout=30)
    assert response.status_code == 403 and OUTBOUND_REFUSED in response.text
    assert "refused" not in response.text.lower().replace(OUTBOUND_REFUSED.lower(), "")


def test_with_an_allow_list_only_the_queries_it_allows_reach_the_networked_worker(tmp_path: Path, listener: Listener) -> None:
    # A query the screen passed as calling no endpoint (as one hiding its SERVICE from the screen would be)
    # runs on a worker with no network; only a query whose calls the screen allowed reaches the one that has it.
    snapshot = tmp_path / "snapshot.nq"
    snapshot.write_text("<http://e/a> <http://e/b> <http://e/c> <http://e/g> .\n")
    pools = [WorkerPool(lambda: (snapshot, 0), 1, timeout=30, network=network) for network in (False, True)]
    engine = Federating(*pools)
    try:
        query = f"SELECT ?x WHERE {{ SERVICE <{listener.url}> {{ ?x ?y ?z }} }}"
        unseen = QueryRequest(query, "application/sparql-results+json", None)
        with pytest.raises(ForbiddenOperation) as refused:
            engine.serialize(unseen)
        assert str(refused.value) == OUTBOUND_REFUSED
        assert listener.requests == []
        allowed = engine.serialize(replace(unseen, outbound=True))
        assert b"from the remote" in allowed.body and len(listener.requests) == 1
    finally:
        engine.close()
