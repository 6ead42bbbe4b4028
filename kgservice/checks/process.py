"""SHACL validation of the service's writes in a process of its own, so that pySHACL never holds the GIL
of the process that answers requests.

The server process works out what a change can affect and cuts that subgraph out of its store
(`incremental.affected`, `incremental.neighbourhood`: well under a millisecond on the bundled data);
the validator process, which parsed the shapes once when it started, runs pySHACL on it (10-40 ms)
while the server's threads go on answering. The process has no network, a memory limit and a
deadline per change; one that dies or misses its deadline is replaced, and the write it was checking
is refused (nothing is committed without a verdict).

Messages on the pipe: ("focus", N-Triples of the subgraph, focus nodes) and ("whole", N-Quads of the
dataset) -> ("ok", ValidationReport) or ("failed", text).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import threading
from dataclasses import asdict
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

import pyoxigraph as ox

from kgservice.checks.incremental import FocusedShapes, Term, affected, neighbourhood
from kgservice.checks.validation import ValidationReport, load_shapes, validate_graph
from kgservice.engine.commit import Staged, ValidationOutcome
from kgservice.engine.sandbox import isolate_process
from kgservice.engine.worker import limit_memory
from kgservice.errors import StoreError
from kgservice.project.loading import union_graph
from kgservice.translation import N_

log = logging.getLogger(__name__)
_CONTEXT = mp.get_context("spawn")
_START_TIMEOUT = 120.0  # parsing the shapes and importing pySHACL: about 2 s here
FocusTerm = tuple[str, str]  # ("iri" | "blank", value): picklable, unlike pyoxigraph terms


def _encode(term: Term) -> FocusTerm:
    return ("iri", term.value) if isinstance(term, ox.NamedNode) else ("blank", term.value)


def _decode(term: FocusTerm) -> Term:
    return ox.NamedNode(term[1]) if term[0] == "iri" else ox.BlankNode(term[1])


def _judge(shapes: FocusedShapes, message: tuple[object, ...]) -> ValidationReport:
    """The report of one request: the focus nodes on their subgraph, or the whole dataset."""
    if message[0] == "focus":
        data, focus = message[1], message[2]
        assert isinstance(data, bytes) and isinstance(focus, list)
        triples = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        return shapes.validate(triples, [_decode(term) for term in focus])
    data = message[1]
    assert isinstance(data, bytes)
    store = ox.Store()
    store.extend(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    return validate_graph(union_graph(store), shapes.shapes)


def serve(conn: Connection, shapes_dir: str, memory_mb: int | None) -> None:
    """The validator's main loop (the target of its process): no network, `memory_mb` MiB of data."""
    isolate_process()
    limit_memory(memory_mb)
    shapes = FocusedShapes(load_shapes(Path(shapes_dir)))
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message[0] == "stop":
            return
        try:
            conn.send(("ok", _judge(shapes, message)))
        except MemoryError:
            conn.send(("failed", f"validating the change needed more than {memory_mb} MiB"))
        except Exception as error:  # a report must come back for every request, whatever went wrong
            conn.send(("failed", f"{type(error).__name__}: {error}"))


class ValidatorProcess:
    """A Validator (see `engine.commit.Validator`) that runs pySHACL in a child process.

    Only one change is validated at a time (writes are serialised by the repository's lock anyway)."""

    def __init__(self, shapes_dir: Path, timeout: float = 60.0, memory_mb: int | None = 4096) -> None:
        self.shapes_dir, self.timeout, self.memory_mb = shapes_dir, timeout, memory_mb
        # The server side needs the shapes too: which properties are read inversely decides what is affected.
        self.inverse = FocusedShapes.inverse_paths(load_shapes(shapes_dir))
        self._lock = threading.Lock()
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self.restarts = 0

    def __call__(self, staged: Staged) -> ValidationOutcome:
        focus = affected(staged.store, staged.removed | staged.added, self.inverse)
        if focus is not None and not focus:
            return ValidationOutcome(True, ValidationReport(True, ()).text(), [])
        if focus is None:  # rdfs:subClassOf changed: every node's classes may have moved
            message: tuple[object, ...] = ("whole", staged.store.dump(format=ox.RdfFormat.N_QUADS))
        else:
            triples = neighbourhood(staged.store, focus, self.inverse)
            message = ("focus", ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), [_encode(t) for t in focus])
        report = self._ask(message)
        return ValidationOutcome(report.conforms, report.text(), [asdict(v) for v in report.violations])

    def start(self) -> None:
        """Start the process now (else at the first write) and wait until its shapes are parsed."""
        with self._lock:
            self._ensure()

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _ask(self, message: tuple[object, ...]) -> ValidationReport:
        with self._lock:
            conn = self._ensure()
            try:
                conn.send(message)
                if not conn.poll(self.timeout):  # waits in C, without the GIL
                    self._replace(f"it did not answer within {self.timeout:g} s")
                    raise StoreError(
                        N_("the change could not be validated within %(seconds)g s; nothing was written"), seconds=self.timeout
                    )
                status, value = conn.recv()
            except (EOFError, OSError) as error:
                self._replace(f"it died ({error or 'no reply'})")
                raise StoreError(N_("the validator of writes stopped while checking the change; nothing was written")) from None
        if status != "ok" or not isinstance(value, ValidationReport):
            raise StoreError(N_("the change could not be validated (%(reason)s); nothing was written"), reason=value)
        return value

    def _ensure(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._conn is not None:
            return self._conn
        self._stop()
        parent, child = _CONTEXT.Pipe()
        process = _CONTEXT.Process(target=serve, args=(child, str(self.shapes_dir), self.memory_mb), daemon=True)
        process.start()
        child.close()
        if not parent.poll(_START_TIMEOUT):
            process.kill()
            raise StoreError(N_("the validator of writes did not start; nothing was written"))
        try:
            parent.recv()
        except EOFError:
            raise StoreError(N_("the validator of writes could not start (exit code %(code)s)"), code=process.exitcode) from None
        self._process, self._conn = process, parent
        return parent

    def _replace(self, why: str) -> None:
        log.warning("the validator process is replaced: %s", why)
        self.restarts += 1
        self._stop()

    def _stop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.send(("stop",))
            self._conn.close()
        if self._process is not None:
            self._process.join(1)
            if self._process.is_alive():
                self._process.kill()
                self._process.join(5)
        self._process, self._conn = None, None


def validator_process(shapes_dir: Path) -> ValidatorProcess:
    """The validator of the HTTP service's writes, started (so the first write does not wait for it)."""
    validator = ValidatorProcess(shapes_dir)
    validator.start()
    return validator
