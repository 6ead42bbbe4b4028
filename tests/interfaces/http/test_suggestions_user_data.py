"""A running service sees a judgment made through the API at once, keeps it in the user data directory's file,
and serves it again after a restart without --store; the project's data/ is left as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

from tests.server import TOKEN, running_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}
PAIR = {"local": "kgd:liberec-strategy-2021", "higher": "kgd:liberecky-kraj-social-2026"}
PAIR_FILE = "liberec-strategy-2021--liberecky-kraj-social-2026.ttl"
CURATED = ox.NamedNode("https://w3id.org/kgservice/ontology#Curated")
STATUS = ox.NamedNode("https://w3id.org/kgservice/ontology#alignmentStatus")


def stored(url: str, status: str) -> list[dict[str, Any]]:
    response = httpx.get(url + "/api/suggestions/stored", params={**PAIR, "status": status}, timeout=60)
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()
    return rows


def data_files(root: Path) -> dict[str, str]:
    files = [p for p in sorted((root / "data").rglob("*")) if p.is_file()]
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_an_api_judgment_is_served_at_once_and_after_a_restart(project_copy: Path, tmp_path: Path) -> None:
    user_dir, before = tmp_path / "user-data", data_files(project_copy)
    with running_server(tmp_path, root=str(project_copy), user_data=str(user_dir), write_token=TOKEN, workers="1") as server:
        saved = httpx.post(server.url + "/api/suggestions", params={**PAIR, "top": 1}, headers=AUTH, timeout=120)
        assert saved.status_code == 201, saved.text
        pending = {r["alignment"] for r in stored(server.url, "pending")}
        assert len(pending) == saved.json()["stored"] > 0
        chosen = min(pending)
        body = {"alignment": chosen, "reviewer": "Jana Nováková", "strength": 2}
        judged = httpx.post(server.url + "/api/suggestions/accept", json=body, headers=AUTH, timeout=60)
        assert judged.status_code == 200, judged.text
        assert {r["alignment"] for r in stored(server.url, "accepted")} == {chosen}  # at once, no restart
        assert chosen not in {r["alignment"] for r in stored(server.url, "pending")}
    triples = {q.triple for q in ox.parse((user_dir / "suggestions" / PAIR_FILE).read_bytes(), format=ox.RdfFormat.TURTLE)}
    assert ox.Triple(ox.NamedNode(chosen), STATUS, CURATED) in triples
    # In memory (no --store): the restarted service reads the graph from the files again.
    with running_server(tmp_path, root=str(project_copy), user_data=str(user_dir), write_token=TOKEN, workers="1") as restarted:
        accepted = stored(restarted.url, "accepted")
        assert {(r["alignment"], r["strength"], r["creator"]) for r in accepted} == {(chosen, 2, "Jana Nováková")}
        assert {r["alignment"] for r in stored(restarted.url, "pending")} == pending - {chosen}
    assert data_files(project_copy) == before
