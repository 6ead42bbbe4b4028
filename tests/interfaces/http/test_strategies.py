"""Importing a strategy over HTTP: upload and preview (POST /api/strategies), the draft (GET), the commit with its
tags and pending suggestions, what a refused document or commit leaves (nothing), and the strategy after a restart.

The upload is the Kalisz strategy's source text (data/sources/002...), so every expectation is read from that
text: the tasks it prints ("Zadanie II-4.1."), their titles on the lines the preview cites. One app serves the
module with a user data directory of its own; the tests after the upload build on each other, in file order."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from kgservice.config import Settings
from kgservice.interfaces.app import create_app
from tests.conftest import KALISZ, ROOT, SOURCES, source_lines
from tests.server import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
ID = "https://w3id.org/kgservice/id/"
SLUG = "kalisz-import"
META = {
    "title": "Strategia Rozwoju Miasta Kalisza na lata 2004-2013",
    "language": "pl",
    "level": "municipal",
    "territory": "terr:kalisz",
    "issuer": "orgs:miasto-kalisz",
    "period": "2004-2013",
    "slug": SLUG,
}
HIGHER = ID + "liberecky-kraj-social-2026"
LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")


def fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def printed_tasks() -> dict[str, int]:
    """The tasks the source prints ("Zadanie II-4.1.") and the line of each."""
    found = {}
    for number, line in enumerate(source_lines(KALISZ), 1):
        match = re.match(r"\s*Zadanie (II-4\.\d+)\.", line)
        if match:
            found[match.group(1)] = number
    return found


@pytest.fixture(scope="module")
def user_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("user-data")


@pytest.fixture(scope="module")
def client(user_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(root=ROOT, user_data=user_dir, write_token=TOKEN, workers=1))) as running:
        yield running


def upload(client: TestClient, name: str, data: bytes, fields: dict[str, str], token: bool = True) -> Any:
    return client.post(
        "/api/strategies", files={"file": (name, data, "text/plain")}, data=fields, headers=AUTH if token else None
    )


def kalisz() -> bytes:
    return (SOURCES / f"{KALISZ}.txt").read_bytes()


def version(client: TestClient) -> int:
    return int(client.get("/health").json()["version"])


def user_files(user_dir: Path) -> list[str]:
    return sorted(p.relative_to(user_dir).as_posix() for p in user_dir.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def preview(client: TestClient) -> dict[str, Any]:
    response = upload(client, "kalisz.txt", kalisz(), META)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_the_preview_is_the_outline_the_source_prints(preview: dict[str, Any]) -> None:
    lines = source_lines(KALISZ)
    assert preview["document"] == {"iri": ID + SLUG, "title": META["title"], "language": "pl"}
    elements = {e["notation"]: e for e in preview["elements"]}
    tasks = printed_tasks()
    assert len(tasks) == 4 and set(tasks) <= set(elements)
    for notation, line in tasks.items():
        task = elements[notation]
        assert task["iri"] == f"{ID}{SLUG}/{notation}" and task["type"] == "Measure"
        assert task["parent"] == f"{ID}{SLUG}/II-4" and task["source"]["start_line"] == line
        cited = fold(" ".join(lines[task["source"]["start_line"] - 1 : task["source"]["end_line"]]))
        assert fold(task["label"]) in cited
        assert (task["source"]["file"], task["source"]["page"], task["source"]["row"]) == ("kalisz.txt", None, None)
    assert preview["draft"] and 0 < preview["expires_in"] <= 1800


def test_each_warning_names_a_line_of_the_source(preview: dict[str, Any]) -> None:
    lines = source_lines(KALISZ)
    assert preview["warnings"]
    for warning in preview["warnings"]:
        assert 1 <= warning["line"] <= len(lines) and warning["message"]
        assert lines[warning["line"] - 1].strip()
        numbering = re.match(r"([\d.]+) does not continue", warning["message"])
        if numbering:  # a number the source prints where the outline's numbering does not lead
            assert lines[warning["line"] - 1].strip().startswith(numbering.group(1))


def test_the_draft_answers_its_preview_again_and_needs_the_token(client: TestClient, preview: dict[str, Any]) -> None:
    again = client.get(f"/api/strategies/{preview['draft']}", headers=AUTH)
    assert again.status_code == 200
    assert {k: v for k, v in again.json().items() if k != "expires_in"} == {k: v for k, v in preview.items() if k != "expires_in"}
    assert client.get(f"/api/strategies/{preview['draft']}").status_code == 401
    missing = client.get("/api/strategies/no-such-draft", headers=AUTH)
    assert missing.status_code == 404 and "upload the file again" in missing.json()["error"]


def test_uploads_need_the_write_token(client: TestClient, user_dir: Path) -> None:
    assert upload(client, "kalisz.txt", kalisz(), META, token=False).status_code == 401
    wrong = client.post("/api/strategies", files={"file": ("k.txt", b"1. A\n")}, headers={"Authorization": "Bearer " + "x" * 30})
    assert wrong.status_code == 403 and "error" in wrong.json()
    assert user_files(user_dir) == []


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("notes.txt", "Just prose.\nNothing numbered here.\n", "notes.txt: no outline found"),
        (
            "twice.txt",
            "Strategie\n\n1. Bezpečnost\n1.1 Policie\n1.1 Hasiči\n",
            "twice.txt, line 5: notation 1.1 is printed twice",
        ),
        ("orphan.txt", "Strategie\n\n1. Bezpečnost\n1.1 Policie\n3.2 Silnice\n", "orphan.txt, line 5: notation 3.2"),
        ("plan.exe", "1. A\n", "plan.exe: unknown format 'exe'"),
        ("plan.docx", "not a zip", "plan.docx: unreadable"),
    ],
)
def test_a_document_that_cannot_be_read_is_400_naming_file_and_line(
    client: TestClient, user_dir: Path, name: str, text: str, where: str
) -> None:
    before = version(client)
    response = upload(client, name, text.encode(), {"language": "cs"})
    assert response.status_code == 400
    assert response.json()["error"].startswith(where)
    assert version(client) == before and user_files(user_dir) == []


def test_metadata_and_levels_are_checked_at_upload(client: TestClient) -> None:
    bad_level = upload(client, "k.txt", kalisz(), {**META, "level": "galactic"})
    assert bad_level.status_code == 400 and "'galactic' is not one of" in bad_level.json()["error"]
    bad_levels = upload(client, "k.txt", kalisz(), {**META, "levels": "Goal,Chapter"})
    assert bad_levels.status_code == 400 and "unknown level 'Goal'" in bad_levels.json()["error"]
    unknown = upload(client, "k.txt", kalisz(), {**META, "colour": "red"})
    assert unknown.status_code == 400 and "unknown form field 'colour'" in unknown.json()["error"]


def test_a_strategy_the_shapes_refuse_is_422_and_stores_nothing(client: TestClient, user_dir: Path) -> None:
    draft = upload(client, "k.txt", kalisz(), {**META, "slug": "kalisz-nowhere", "territory": "terr:atlantis"}).json()["draft"]
    before = version(client)
    refused = client.post(f"/api/strategies/{draft}/commit", json={}, headers=AUTH)
    assert refused.status_code == 422
    assert "DocumentTerritoryShape" in refused.json()["report"]
    assert version(client) == before and user_files(user_dir) == []
    assert client.get("/id/kalisz-nowhere", headers={"Accept": "text/turtle"}).status_code == 404


def test_the_commit_is_served_at_once_with_tags_and_pending_suggestions(
    client: TestClient, preview: dict[str, Any], user_dir: Path
) -> None:
    before = version(client)
    response = client.post(
        f"/api/strategies/{preview['draft']}/commit", json={"higher": "kgd:liberecky-kraj-social-2026"}, headers=AUTH
    )
    assert response.status_code == 201, response.text
    result = response.json()
    assert (result["strategy"], result["higher"], result["elements"]) == (ID + SLUG, HIGHER, len(preview["elements"]))
    assert result["version"] > before and result["problems"] == []
    task = next(e for e in preview["elements"] if e["notation"] == "II-4.2")
    page = client.get(f"/id/{SLUG}/II-4.2", headers={"Accept": "application/n-triples"})
    assert page.status_code == 200
    triples = {q.triple for q in ox.parse(page.content, format=ox.RdfFormat.N_TRIPLES)}
    assert ox.Triple(ox.NamedNode(task["iri"]), LABEL, ox.Literal(task["label"], language="pl")) in triples
    stored = client.get("/api/suggestions/stored", params={"local": ID + SLUG, "higher": HIGHER, "status": "pending"}).json()
    assert len({s["alignment"] for s in stored}) == result["suggestions"] > 0
    assert {s["subject"] for s in stored} <= {e["iri"] for e in preview["elements"]}
    assert result["links"]["strategy"] == f"/id/{SLUG}"
    assert result["links"]["suggestions"].startswith("/suggestions?local=") and "higher=" in result["links"]["coherence"]
    assert client.get(result["links"]["suggestions"]).status_code == 200
    assert client.get(result["links"]["coherence"]).status_code == 200
    expected = {f"sources/{SLUG}.original.txt", f"sources/{SLUG}.txt", f"strategies/{SLUG}.ttl"}
    expected |= {f"tags/{SLUG}.ttl"} if result["tags"] else set()
    expected |= {f"suggestions/{SLUG}--liberecky-kraj-social-2026.ttl"} if result["suggestions"] else set()
    assert set(user_files(user_dir)) == expected
    assert (user_dir / "sources" / f"{SLUG}.original.txt").read_bytes() == kalisz()


def test_a_committed_draft_is_gone_and_a_bundled_strategy_is_not_replaced(
    client: TestClient, user_dir: Path, preview: dict[str, Any]
) -> None:
    assert client.post(f"/api/strategies/{preview['draft']}/commit", json={}, headers=AUTH).status_code == 404
    bundled = upload(client, "kalisz.txt", kalisz(), {**META, "slug": "kalisz-strategy-2004"}).json()["draft"]
    before, files = version(client), user_files(user_dir)
    conflict = client.post(f"/api/strategies/{bundled}/commit", json={}, headers=AUTH)
    assert conflict.status_code == 409 and "already a strategy of the graph" in conflict.json()["error"]
    assert version(client) == before and user_files(user_dir) == files


def test_a_new_version_keeps_the_iris_of_unchanged_notations_and_reports_what_changed(
    client: TestClient, user_dir: Path, preview: dict[str, Any]
) -> None:
    # The next version: task II-4.4 is gone and task II-4.2 is renamed; the others are as they were.
    lines = source_lines(KALISZ)
    tasks = printed_tasks()
    renamed = tasks["II-4.2"] + 2  # the task's title stands two lines below "Zadanie II-4.2."
    lines[renamed - 1] = lines[renamed - 1].replace("miasta", "miasta i powiatu")
    newer = [line for n, line in enumerate(lines, 1) if n not in (tasks["II-4.4"], tasks["II-4.4"] + 2)]
    draft = upload(client, "kalisz-2.txt", "\n".join(newer).encode(), META).json()
    assert "II-4.4" not in {e["notation"] for e in draft["elements"]}
    response = client.post(f"/api/strategies/{draft['draft']}/commit", json={"higher": HIGHER}, headers=AUTH)
    assert response.status_code == 201, response.text
    found = response.json()["changes"]
    assert found["replaced"] and found["added"] == []
    assert found["removed"] == [f"{ID}{SLUG}/II-4.4"] and f"{ID}{SLUG}/II-4.2" in found["changed"]
    assert f"{ID}{SLUG}/II-4.1" not in found["changed"]
    assert client.get(f"/id/{SLUG}/II-4.4", headers={"Accept": "text/turtle"}).status_code == 404
    stored = client.get("/api/suggestions/stored", params={"local": ID + SLUG, "status": "pending"}).json()
    assert stored and f"{ID}{SLUG}/II-4.4" not in {s["subject"] for s in stored}
    assert (user_dir / "sources" / f"{SLUG}.original.txt").read_bytes() == "\n".join(newer).encode()


def test_an_unknown_higher_strategy_is_refused_before_anything_is_stored(client: TestClient, user_dir: Path) -> None:
    draft = upload(client, "k.txt", kalisz(), {**META, "slug": "kalisz-elsewhere"}).json()["draft"]
    before, files = version(client), user_files(user_dir)
    refused = client.post(f"/api/strategies/{draft}/commit", json={"higher": "kgd:no-such-plan"}, headers=AUTH)
    assert refused.status_code == 400 and "is not a strategy document" in refused.json()["error"]
    assert version(client) == before and user_files(user_dir) == files


def test_the_strategy_survives_a_restart(client: TestClient, user_dir: Path, preview: dict[str, Any]) -> None:
    with TestClient(create_app(Settings(root=ROOT, user_data=user_dir, workers=1))) as restarted:
        page = restarted.get(f"/id/{SLUG}/II-4.2", headers={"Accept": "application/n-triples"})
        assert page.status_code == 200
        subjects = {q.subject for q in ox.parse(page.content, format=ox.RdfFormat.N_TRIPLES)}
        assert ox.NamedNode(f"{ID}{SLUG}/II-4.2") in subjects
        pending = restarted.get("/api/suggestions/stored", params={"local": ID + SLUG, "status": "pending"}).json()
        assert pending


def test_the_routes_are_described_in_the_openapi_schema(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/api/strategies"]["post"]
    body = post["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert body["required"] == ["file"] and body["properties"]["file"]["format"] == "binary"
    assert {"201", "400", "401", "413", "415"} <= set(post["responses"])
    commit = spec["paths"]["/api/strategies/{draft}/commit"]["post"]
    assert {"201", "404", "409", "422"} <= set(commit["responses"])
    assert {"DraftPreview", "Committed", "CommitRequest"} <= set(spec["components"]["schemas"])


def test_a_refusal_is_said_in_the_language_asked(client: TestClient) -> None:
    files = {"file": ("k.txt", kalisz(), "text/plain")}
    czech = client.post("/api/strategies?lang=cs", files=files, data={"colour": "red"}, headers=AUTH)
    polish = client.post("/api/strategies", files=files, data={"colour": "red"}, headers={**AUTH, "Accept-Language": "pl"})
    assert czech.status_code == polish.status_code == 400
    assert czech.json()["error"].startswith("neznámé pole formuláře 'colour'")
    assert polish.json()["error"].startswith("nieznane pole formularza 'colour'")
