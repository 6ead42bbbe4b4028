"""Start OpenLink Virtuoso (Debian's virtuoso-opensource, `virtuoso-t`) for tests: its own virtuoso.ini and
database in a temporary folder, free ports, a random dba password; stopped (and restartable) by the test."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import httpx

from tests.server import free_port

BINARY = "virtuoso-t"
ISQL = "isql-vt"
# Virtuoso's default row limit of a result, kept so that tests see a cut result refused.
MAX_ROWS = 10_000

_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = {dir}
CheckpointInterval = 60

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 16
MaxKeepAlives = 16
KeepAliveTimeout = 10
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 20
MaxQueryCostEstimationTime = 0
"""


GROUP_CONCATS = {"territories"}  # SPARQL leaves the order of GROUP_CONCAT open: compared as sets
NUMERIC = ("integer", "decimal", "double", "float", "int", "long")
Bindings = Counter[frozenset[tuple[str, tuple[str, ...]]]]


def _number(value: str) -> str:
    try:
        return str(Decimal(value).normalize())
    except InvalidOperation:
        return value


def _term(name: str, term: dict[str, str]) -> tuple[str, ...]:
    if term["type"] == "bnode":
        return ("bnode",)  # blank nodes are relabelled by the store: compared by kind only
    value, datatype = term["value"], term.get("datatype", "")
    if name in GROUP_CONCATS:
        value = ", ".join(sorted(value.split(", ")))
    if datatype.rsplit("#", 1)[-1] in NUMERIC:
        return ("number", _number(value))  # Virtuoso keeps 0.3 for "0.30"^^xsd:decimal: equal values
    return (term["type"], value, term.get("xml:lang", ""), datatype)


def canonical(document: dict[str, Any]) -> Bindings:
    """A SPARQL JSON result (normalised as the remote backend does) as a multiset of bindings that two stores'
    answers share when they mean the same: blank nodes by kind, numbers by value, GROUP_CONCATs as sets."""
    if "boolean" in document:
        return Counter([frozenset([("boolean", (str(document["boolean"]).lower(),))])])
    return Counter(frozenset((k, _term(k, v)) for k, v in b.items()) for b in document["results"]["bindings"])


def virtuoso_binary() -> str | None:
    return shutil.which(BINARY)


@dataclass
class Virtuoso:
    """A running Virtuoso: its endpoints (the -auth ones take digest authentication) and its dba password."""

    folder: Path
    http_port: int
    sql_port: int
    password: str
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        return self.url + "/sparql"

    @property
    def update_url(self) -> str:
        return self.url + "/sparql-auth"

    @property
    def store_url(self) -> str:
        return self.url + "/sparql-graph-crud-auth"

    def start(self, timeout: float = 60) -> None:
        log = (self.folder / "stdout.log").open("ab")
        command = [BINARY, "+foreground", "+configfile", str(self.folder / "virtuoso.ini")]
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=self.folder)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso exited: {self.log()[-2000:]}")
            try:
                if httpx.post(self.query_url, data={"query": "ASK {}"}, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"virtuoso did not come up within {timeout} s: {self.log()[-2000:]}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def log(self) -> str:
        path = self.folder / "virtuoso.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def sql(self, statement: str, password: str | None = None) -> str:
        """Run one SQL statement as dba through isql."""
        command = [ISQL, f"127.0.0.1:{self.sql_port}", "dba", password or self.password, f"exec={statement}"]
        done = subprocess.run(command, capture_output=True, timeout=60, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"isql failed: {done.stdout.decode(errors='replace')} {done.stderr.decode(errors='replace')}")
        return done.stdout.decode(errors="replace")


@contextmanager
def virtuoso_server(folder: Path, max_rows: int = MAX_ROWS) -> Iterator[Virtuoso]:
    """A fresh Virtuoso in `folder`, its dba password changed from the default to a random one."""
    folder.mkdir(parents=True, exist_ok=True)
    server = Virtuoso(folder, free_port(), free_port(), "v-" + secrets.token_hex(12))
    (folder / "virtuoso.ini").write_text(
        _INI.format(dir=folder, sql_port=server.sql_port, http_port=server.http_port, max_rows=max_rows), encoding="utf-8"
    )
    server.start()
    try:
        server.sql(f"user_set_password('dba', '{server.password}')", password="dba")
        yield server
    finally:
        server.stop()


def require_virtuoso() -> str | None:
    """Why the Virtuoso tests cannot run here, or None; in CI (CI=true) a missing Virtuoso is a failure, not a skip."""
    if virtuoso_binary() is not None:
        return None
    if os.environ.get("CI", "").lower() == "true":
        raise RuntimeError("CI=true but virtuoso-t is not installed: .ci/run installs virtuoso-opensource")
    return "Virtuoso is not installed (apt-get install virtuoso-opensource)"
