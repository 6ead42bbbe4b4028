"""Every QueryEngine answers alike: the embedded store in this process and the worker pool give the same
typed results, the same serialized bytes in the media type chosen for the query's form, and the same
typed errors (which cross the worker's pipe as data)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgservice.engine.base import Dataset, Failure, QueryEngine, QueryRequest
from kgservice.engine.embedded import OxigraphStore
from kgservice.engine.pool import Patch, WorkerPool
from kgservice.errors import (
    InputError,
    NotAcceptable,
    ParameterError,
    QueryOutOfMemory,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
    ServiceBusy,
    StoreError,
)
from kgservice.rdf.terms import RDF_LANGSTRING, XSD_STRING, Table, Term, table_from_json, table_to_json

EX = "http://example.org/"
DATA = f"""
GRAPH <{EX}g1> {{ <{EX}a> <{EX}label> "Liberec"@cs , "plain" ; <{EX}next> <{EX}b> ; <{EX}count> 3 }}
GRAPH <{EX}g2> {{ <{EX}b> <{EX}label> "Kalisz"@pl ; <{EX}next> [] }}
"""
LABELS = f"SELECT ?s ?o WHERE {{ ?s <{EX}label> ?o }}"
_HUNDRED = " ".join(str(n) for n in range(100))
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"VALUES ?v{i} {{ {_HUNDRED} }}" for i in range(5)) + " }"
# A 1 kB literal doubled 20 times: a short query that asks for a gigabyte.
DOUBLING = (
    f'SELECT (STRLEN(?v20) AS ?n) WHERE {{ BIND("{"x" * 1000}" AS ?v0) '
    + " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(20))
    + " }"
)


def kill_and_wait(pids: list[int]) -> None:
    """kill -9 the processes and wait until they are dead (a zombie or gone): the signal takes a moment."""
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    for pid in pids:
        while time.monotonic() < deadline:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                break
            if state in ("Z", "X"):
                break
            time.sleep(0.01)


def worker_pids(parent: int | None = None) -> list[int]:
    """The query worker processes (spawned multiprocessing children) of a process, this one by default."""
    parent = os.getpid() if parent is None else parent
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == parent and b"--multiprocessing-fork" in command:
            found.append(int(stat.parent.name))
    return found


def quads() -> list[ox.Quad]:
    return list(ox.parse(DATA.encode(), format=ox.RdfFormat.TRIG))


def write_snapshot(path: Path) -> Path:
    """The data as the N-Quads snapshot a worker starts from."""
    store = ox.Store()
    store.extend(quads())
    store.dump(str(path), format=ox.RdfFormat.N_QUADS)
    return path


@pytest.fixture(scope="module")
def embedded() -> OxigraphStore:
    store = OxigraphStore()
    store.engine.extend(quads())
    return store


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerPool]:
    snapshot = write_snapshot(tmp_path_factory.mktemp("snapshot") / "graph.nq")
    running = WorkerPool(lambda: (snapshot, 0), size=2, timeout=2)
    yield running
    running.close()


@pytest.fixture(params=["embedded", "pool"])
def engine(request: pytest.FixtureRequest) -> QueryEngine:
    chosen: QueryEngine = request.getfixturevalue(request.param)
    return chosen


def test_both_engines_give_the_same_typed_results(embedded: OxigraphStore, pool: WorkerPool) -> None:
    construct = f"CONSTRUCT {{ ?s <{EX}to> ?o }} WHERE {{ ?s <{EX}next> ?o }}"
    for engine in (embedded, pool):
        table = engine.select(LABELS)
        assert table.columns == ("s", "o")
        assert {row[1] for row in table.rows} == {
            Term("literal", "Liberec", RDF_LANGSTRING, "cs"),
            Term("literal", "plain", XSD_STRING),
            Term("literal", "Kalisz", RDF_LANGSTRING, "pl"),
        }
        assert engine.ask(f"ASK {{ <{EX}a> <{EX}next> <{EX}b> }}") is True
        assert len(engine.construct(construct)) == 2
    assert set(embedded.select(LABELS).rows) == set(pool.select(LABELS).rows)


def test_select_many_answers_in_order(engine: QueryEngine) -> None:
    counts = [f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{EX}g{i}> {{ ?s ?p ?o }} }}" for i in (2, 1, 2)]
    assert [t.column("n") for t in engine.select_many(counts)] == [["2"], ["4"], ["2"]]


def test_serialize_writes_the_media_type_chosen_for_the_form(engine: QueryEngine) -> None:
    csv = engine.serialize(QueryRequest(LABELS, "text/csv", "text/turtle"))
    assert csv.media_type == "text/csv; charset=utf-8" and csv.body.startswith(b"s,o\r\n")
    graph = engine.serialize(QueryRequest(f"CONSTRUCT WHERE {{ ?s <{EX}next> ?o }}", "text/csv", "application/n-triples"))
    assert graph.media_type == "application/n-triples" and graph.body.count(b"\n") == 2


def test_submit_gives_the_serialized_answer_as_a_future(engine: QueryEngine) -> None:
    request = QueryRequest(LABELS, "text/csv", None)
    assert engine.submit(request).result(timeout=10) == engine.serialize(request)
    with pytest.raises(NotAcceptable):
        engine.submit(QueryRequest(LABELS, None, None)).result(timeout=10)


def test_a_named_dataset_restricts_the_default_graph(engine: QueryEngine) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    only_g2 = QueryRequest(count, "text/csv", None, dataset=Dataset(default_graphs=(EX + "g2",)))
    assert engine.serialize(only_g2).body.splitlines()[1] == b"2"


def test_syntax_errors_keep_their_line_and_column(engine: QueryEngine) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        engine.select("SELECT * WHERE { ?s ?p ?o }\nLIMIT x", source="bad.rq")
    assert (raised.value.source, raised.value.line, raised.value.column) == ("bad.rq", 2, 7)
    assert str(raised.value).startswith("bad.rq:2:7: ")


def test_no_acceptable_media_type_is_not_acceptable(engine: QueryEngine) -> None:
    with pytest.raises(NotAcceptable, match="available: application/sparql-results\\+json"):
        engine.serialize(QueryRequest(LABELS, None, "text/turtle"))


def test_a_result_over_the_limit_is_too_large(engine: QueryEngine) -> None:
    with pytest.raises(ResultTooLarge, match="add LIMIT"):
        engine.serialize(QueryRequest(LABELS, "application/sparql-results+json", None, max_bytes=50))


def test_a_runaway_query_times_out_and_the_pool_recovers(pool: WorkerPool) -> None:
    restarts = pool.restarts
    with pytest.raises(QueryTimeout, match="stopped after 2 s") as timeout:
        pool.select(RUNAWAY)
    assert timeout.value.localized("cs") == "dotaz byl zastaven po 2 s, což je časový limit této služby"
    assert pool.restarts == restarts + 1
    assert pool.ask("ASK { ?s ?p ?o }")


def test_published_patches_reach_the_workers(tmp_path: Path) -> None:
    snapshot = write_snapshot(tmp_path / "graph.nq")
    pool = WorkerPool(lambda: (snapshot, 0), size=1, timeout=5)
    try:
        added = f'<{EX}c> <{EX}label> "new" <{EX}g3> .\n'.encode()
        pool.publish(Patch(1, b"", added))
        assert pool.ask(f'ASK {{ <{EX}c> <{EX}label> "new" }}')
    finally:
        pool.close()


def test_a_full_queue_is_busy_and_says_when_to_retry(tmp_path: Path) -> None:
    snapshot = write_snapshot(tmp_path / "graph.nq")
    pool = WorkerPool(lambda: (snapshot, 0), size=1, timeout=2, queue_size=2)
    try:
        pool.ask("ASK { ?s ?p ?o }")  # the worker is up
        running = [pool.submit(QueryRequest(RUNAWAY, "application/sparql-results+json", None))]
        time.sleep(0.3)  # the first runs, two more wait: the queue is full
        running += [pool.submit(QueryRequest(RUNAWAY, "application/sparql-results+json", None)) for _ in range(2)]
        with pytest.raises(ServiceBusy) as busy:
            pool.submit(QueryRequest(RUNAWAY, "application/sparql-results+json", None))
        assert busy.value.retry_after == 2
        assert busy.value.localized("pl").startswith("kolejka zapytań czekających na proces roboczy jest pełna (2)")
        for future in running:
            future.cancel()
    finally:
        pool.close()


def test_the_deadline_counts_from_arrival(tmp_path: Path) -> None:
    snapshot = write_snapshot(tmp_path / "graph.nq")
    pool = WorkerPool(lambda: (snapshot, 0), size=1, timeout=2)
    try:
        pool.ask("ASK { ?s ?p ?o }")  # the worker is up
        runaway = pool.call("select", RUNAWAY, "runaway")
        waiting = pool.call("select", RUNAWAY, "behind it")
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            waiting.result(10)
        # Counted from arrival it ends with the runaway, at 2 s; counted from when a worker took it, at 4 s.
        assert time.monotonic() - started < 3.5
        with pytest.raises(QueryTimeout):
            runaway.result(10)
    finally:
        pool.close()


def test_a_cancelled_running_call_stops_its_worker(tmp_path: Path) -> None:
    snapshot = write_snapshot(tmp_path / "graph.nq")
    pool = WorkerPool(lambda: (snapshot, 0), size=1, timeout=30)
    try:
        pool.ask("ASK { ?s ?p ?o }")  # the worker is up
        restarts = pool.restarts
        cancelled = pool.call("select", RUNAWAY, "runaway")
        time.sleep(0.3)
        assert cancelled.cancel()  # running: the future stays cancellable, and the pool kills the worker
        stopped = time.monotonic() + 10
        while pool.restarts == restarts and time.monotonic() < stopped:
            time.sleep(0.05)
        assert pool.restarts == restarts + 1  # killed for the cancel, long before its 30 s deadline
        assert pool.ask("ASK { ?s ?p ?o }")
    finally:
        pool.close()


def test_a_worker_killed_while_idle_is_replaced_without_failing_a_query(pool: WorkerPool) -> None:
    pool.select_many(["SELECT * WHERE { ?s ?p ?o } LIMIT 1"] * 4)
    kill_and_wait(worker_pids())
    assert all(pool.ask("ASK { ?s ?p ?o }") for _ in range(4))


def test_a_query_past_the_memory_limit_fails_and_the_pool_recovers(tmp_path: Path) -> None:
    snapshot = write_snapshot(tmp_path / "graph.nq")
    pool = WorkerPool(lambda: (snapshot, 0), size=1, timeout=20, memory_mb=256)
    try:
        with pytest.raises(QueryOutOfMemory, match="256 MiB"):
            pool.select(DOUBLING)
        assert pool.ask("ASK { ?s ?p ?o }")
    finally:
        pool.close()


def test_a_patch_a_worker_cannot_apply_replaces_it_from_the_snapshot(tmp_path: Path) -> None:
    snapshot = write_snapshot(tmp_path / "graph.nq")
    pool = WorkerPool(lambda: (snapshot, 1), size=1, timeout=5)
    try:
        assert pool.ask("ASK { ?s ?p ?o }")
        pool.publish(Patch(1, b"", b"this is not N-Quads .\n"))
        assert pool.ask(f"ASK {{ <{EX}a> <{EX}next> <{EX}b> }}")  # the worker was replaced; it answers
        assert pool.problem() is None
    finally:
        pool.close()


def test_a_pool_whose_workers_cannot_start_fails_loudly(tmp_path: Path) -> None:
    pool = WorkerPool(lambda: (tmp_path / "missing.nq", 0), size=2, timeout=1)
    try:
        started = time.monotonic()
        with pytest.raises(StoreError):
            pool.ask("ASK { ?s ?p ?o }")
        assert time.monotonic() - started < 35
        deadline = time.monotonic() + 30
        while pool.problem() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "could not start" in (pool.problem() or "")
        with pytest.raises(StoreError, match="no query worker can run"):
            pool.call("ask", "ASK {}")
    finally:
        pool.close()


def test_failures_stand_for_the_same_error() -> None:
    syntax = Failure.of(QuerySyntaxError("q.rq", 3, 4, "expected '}'")).error()
    assert isinstance(syntax, QuerySyntaxError) and str(syntax) == "q.rq:3:4: expected '}'" and syntax.line == 3
    # A class the pipe does not name travels as its nearest named base, with its message.
    parameter = Failure.of(ParameterError("lang: not a language")).error()
    assert type(parameter) is InputError and str(parameter) == "lang: not a language"


def test_the_json_codec_round_trips_the_engines_terms(embedded: OxigraphStore) -> None:
    table = embedded.select(f"SELECT ?s ?o ?c WHERE {{ ?s ?p ?o OPTIONAL {{ ?s <{EX}count> ?c }} }}")
    assert table_from_json(table_to_json(table)) == table
    assert any(None in row for row in table.rows) and isinstance(table, Table)
