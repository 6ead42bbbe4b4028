"""Bounds on the query side, tried against a real server process: nesting, the queue, hung-up clients,
worker memory, dead workers and oversized terms; after each the service keeps answering."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from kgservice.errors import NestingTooDeep
from kgservice.sparql.limits import check_nesting
from tests.engine.test_engine import kill_and_wait, worker_pids
from tests.server import TOKEN, Server, running_server

TIMEOUT = 6  # the server's query time limit, seconds
QUEUE = 6
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ASK = "ASK { ?s ?p ?o }"
WRITE = {"Authorization": f"Bearer {TOKEN}"}
DEEP_BRACES = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
DEEP_CALLS = "SELECT * WHERE { BIND(" + "CONCAT(" * 2000 + "'a'" + ")" * 2000 + " AS ?x) }"
# Parentheses between "<" and ">" read as an IRI by a lexer, as comparisons by pyoxigraph.
DEEP_IN_COMPARISON = "SELECT * WHERE { FILTER(1<" + "(" * 6000 + "1" + ")" * 6000 + ">0) }"
DEEP_UPDATE = "INSERT { <urn:a> <urn:b> <urn:c> } WHERE " + "{" * 10000 + "}" * 10000


def doubling(times: int, prefix: str = "SELECT (STRLEN(?v{n}) AS ?n) WHERE {{") -> str:
    """A short text whose 1 kB literal is doubled `times` times."""
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(times))
    return prefix.format(n=times) + f' BIND("{"x" * 1000}" AS ?v0) {binds} }}'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Two workers, a 6 s limit, six places in the queue, 512 MiB per worker (a quicker failure than the
    default 1024 on a busy machine), writes on."""
    with running_server(
        tmp_path_factory.mktemp("bounds"),
        write_token=TOKEN,
        query_timeout=str(TIMEOUT),
        workers="2",
        query_queue=str(QUEUE),
        worker_memory_mb="512",
        validate_writes="false",
    ) as running:
        yield running


def health(server: Server) -> dict[str, object]:
    reply = httpx.get(server.url + "/health", timeout=10)
    assert reply.status_code == 200, reply.text
    body: dict[str, object] = reply.json()
    return body


def assert_answers(server: Server, within: float = 10) -> None:
    started = time.monotonic()
    reply = httpx.get(server.sparql, params={"query": ASK}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert reply.status_code == 200 and reply.json()["boolean"] is True, reply.text
    assert time.monotonic() - started < within
    assert server.process.poll() is None


def test_deep_nesting_is_refused_before_any_parser_and_the_server_keeps_answering(server: Server) -> None:
    for query in (DEEP_BRACES, DEEP_CALLS, DEEP_IN_COMPARISON, DEEP_BRACES.replace("{", "\\u007B")):
        reply = httpx.get(server.sparql, params={"query": query}, timeout=30)
        assert reply.status_code == 400 and "64 deep" in reply.text, reply.text[:300]
    form = httpx.post(server.sparql, data={"query": DEEP_BRACES}, timeout=30)
    direct = httpx.post(server.sparql, content=DEEP_CALLS, headers={"Content-Type": "application/sparql-query"}, timeout=30)
    update = httpx.post(server.sparql, content=DEEP_UPDATE, headers={"Content-Type": "application/sparql-update", **WRITE})
    for reply in (form, direct, update):
        assert reply.status_code == 400 and "nesting limit" in reply.text, reply.text[:300]
    assert_answers(server)


def test_a_flood_of_deep_queries_restarts_no_worker(server: Server) -> None:
    restarts = health(server)["worker_restarts"]
    url = server.sparql + "?query=" + quote(DEEP_BRACES)
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: httpx.get(url, timeout=30).status_code, range(80)))
    assert statuses == [400] * 80
    assert health(server)["worker_restarts"] == restarts
    assert_answers(server)


def _hang_up(server: Server, query: str) -> socket.socket:
    """Send a query and keep the connection open (the caller closes it to hang up)."""
    sock = socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1])))
    sock.sendall(f"GET /sparql?query={quote(query)} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
    return sock


def test_runaways_whose_clients_hung_up_do_not_delay_an_ask(server: Server) -> None:
    assert_answers(server)
    sockets = [_hang_up(server, RUNAWAY) for _ in range(6)]
    time.sleep(1)  # two run, four wait
    for sock in sockets:
        sock.close()
    # Without cancellation the ask waited for three rounds of runaways (12 s); with it, for a worker's restart.
    assert_answers(server, within=TIMEOUT - 0.5)


def test_a_full_queue_is_refused_at_once_with_retry_after(server: Server) -> None:
    assert_answers(server)

    def held(_: int) -> tuple[int, str | None, float]:
        started = time.monotonic()
        reply = httpx.get(server.sparql, params={"query": RUNAWAY}, timeout=30)
        return reply.status_code, reply.headers.get("retry-after"), time.monotonic() - started

    with ThreadPoolExecutor(QUEUE + 5) as pool:
        replies = list(pool.map(held, range(QUEUE + 5)))  # 2 run, QUEUE wait, the rest find the queue full
    busy = [r for r in replies if r[1] is not None]
    assert len(busy) >= 3 and all(status == 503 and after == str(TIMEOUT) and took < 2 for status, after, took in busy)
    assert all(status == 503 for status, _, _ in replies)  # the others ran into the time limit
    assert max(took for _, _, took in replies) < TIMEOUT + 2  # counted from arrival, not from a worker's start
    assert_answers(server)


def test_a_query_past_the_worker_memory_limit_fails_cleanly(server: Server) -> None:
    reply = httpx.get(server.sparql, params={"query": doubling(22)}, timeout=30)
    assert reply.status_code == 503 and "MiB, the memory limit of a query worker" in reply.text, reply.text[:300]
    assert_answers(server)


def test_an_update_past_the_worker_memory_limit_fails_cleanly_and_changes_nothing(server: Server) -> None:
    # An update with WHERE is evaluated in a query worker, under its memory limit, not in the server process
    # (22 doublings of 1 kB: 4 GB, which the server process used to try to allocate).
    before = health(server)
    update = doubling(22, "INSERT {{ <urn:huge> <urn:text> ?v{n} }} WHERE {{")
    reply = httpx.post(server.sparql, content=update, headers={"Content-Type": "application/sparql-update", **WRITE}, timeout=60)
    assert reply.status_code == 503 and "memory limit of a query worker" in reply.text, reply.text[:300]
    after = health(server)
    assert (after["version"], after["triples"]) == (before["version"], before["triples"])
    assert_answers(server)


def test_a_worker_killed_under_the_pool_is_replaced_and_no_query_hangs(server: Server) -> None:
    assert_answers(server)
    workers = worker_pids(server.process.pid)
    assert len(workers) == 2
    kill_and_wait(workers)
    for _ in range(4):
        assert_answers(server)
    assert health(server)["status"] == "ok"
    assert set(worker_pids(server.process.pid)).isdisjoint(workers)


def test_an_oversized_literal_is_refused_and_the_store_keeps_working(server: Server) -> None:
    before = health(server)
    update = doubling(15, "INSERT {{ <urn:big> <urn:text> ?v{n} }} WHERE {{")  # 32 MB from 1.5 kB
    reply = httpx.post(server.sparql, content=update, headers={"Content-Type": "application/sparql-update", **WRITE}, timeout=60)
    assert reply.status_code == 413 and "limit is 1048576 bytes" in reply.text, reply.text[:300]
    turtle = f'<urn:big> <urn:text> "{"y" * 2_000_000}" .'.encode()
    put = httpx.put(
        server.url + "/rdf-graphs/service?graph=urn:big",
        content=turtle,
        headers={"Content-Type": "text/turtle", **WRITE},
        timeout=60,
    )
    assert put.status_code == 413, put.text[:300]
    after = health(server)
    assert (after["version"], after["triples"]) == (before["version"], before["triples"])
    small = httpx.post(
        server.sparql,
        content='INSERT DATA { <urn:small> <urn:text> "fine" }',
        headers={"Content-Type": "application/sparql-update", **WRITE},
    )
    assert small.status_code == 204, small.text
    asked = httpx.get(
        server.sparql,
        params={"query": 'ASK { <urn:small> <urn:text> "fine" }'},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert asked.json()["boolean"] is True  # the workers took the next change
    assert_answers(server)


@pytest.mark.parametrize(
    "text",
    [
        DEEP_BRACES,
        DEEP_CALLS,
        DEEP_IN_COMPARISON,
        DEEP_UPDATE,
        "SELECT * WHERE { ?s ?p " + "[ ?p " * 65 + "1" + " ]" * 65 + " }",
        # A string that a reading without IRIs would open at the quote inside the IRI hides nothing.
        "SELECT * WHERE { <urn:a'> ?p ?o FILTER(" + "(" * 100 + "1" + ")" * 100 + ") } # '",
        # Closers inside IRIs cannot cancel real openers.
        "SELECT * WHERE { FILTER(" + "(<urn:))))>" * 100 + ") }",
    ],
)
def test_the_nesting_check_sees_every_reading(text: str) -> None:
    with pytest.raises(NestingTooDeep, match="64 deep"):
        check_nesting(text)


def test_the_nesting_check_passes_our_queries_and_flat_texts_quickly() -> None:
    for path in Path(__file__).resolve().parents[2].joinpath("queries").rglob("*.rq"):
        check_nesting(path.read_text(encoding="utf-8"))
    check_nesting("SELECT * WHERE { VALUES ?v { " + '"Smith (ed.)" ' * 5000 + "} FILTER(?v < (1) && (2) > ?v) }")
    started = time.monotonic()
    check_nesting("SELECT * WHERE { FILTER(" + "()" * 400_000 + ") }")
    assert time.monotonic() - started < 2


def test_sigterm_stops_a_server_busy_with_runaways(tmp_path: Path) -> None:
    with running_server(tmp_path, query_timeout=str(TIMEOUT), workers="2") as busy:
        sockets = [_hang_up(busy, RUNAWAY) for _ in range(4)]  # clients that wait: two run, two queue
        time.sleep(1)
        busy.process.terminate()
        busy.process.wait(TIMEOUT + 10)  # raises TimeoutExpired if SIGTERM is ignored
        for sock in sockets:
            sock.close()
