"""A strategy committed over HTTP to a service with --store is in the store's log: killed and started again on the
same store folder, the service serves it even from an empty user data directory."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx
import pyoxigraph as ox

from tests.conftest import KALISZ, SOURCES, source_lines
from tests.server import TOKEN, running_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}
ID = "https://w3id.org/kgservice/id/"
META = {"title": "Strategia Rozwoju Miasta Kalisza", "language": "pl", "level": "municipal"}
META |= {"territory": "kalisz", "issuer": "miasto-kalisz", "slug": "kalisz-logged"}


def test_a_committed_strategy_survives_kill_9_in_the_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    with running_server(tmp_path, "--store", str(store), write_token=TOKEN, user_data=str(tmp_path / "first")) as server:
        files = {"file": ("kalisz.txt", (SOURCES / f"{KALISZ}.txt").read_bytes(), "text/plain")}
        draft = httpx.post(server.url + "/api/strategies", files=files, data=META, headers=AUTH, timeout=60).json()["draft"]
        committed = httpx.post(f"{server.url}/api/strategies/{draft}/commit", json={}, headers=AUTH, timeout=120)
        assert committed.status_code == 201, committed.text
        server.process.send_signal(signal.SIGKILL)  # no clean shutdown: what was acknowledged must be in the log
        server.process.wait(10)
    with running_server(tmp_path, "--store", str(store), user_data=str(tmp_path / "empty")) as again:
        page = httpx.get(again.url + "/id/kalisz-logged/II-4.1", headers={"Accept": "application/n-triples"}, timeout=60)
        assert page.status_code == 200
        labels = {
            q.object.value
            for q in ox.parse(page.content, format=ox.RdfFormat.N_TRIPLES)
            if q.predicate.value.endswith("#prefLabel")
        }
        lines = source_lines(KALISZ)
        heading = next(n for n, line in enumerate(lines) if line.strip().startswith("Zadanie II-4.1."))
        title = lines[heading + 2]  # the task's title stands two lines below its heading
        assert any(label in title for label in labels)
