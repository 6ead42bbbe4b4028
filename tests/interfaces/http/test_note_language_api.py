"""A reason given through the API is stored tagged with its language: the request's `lang`, else the one
detected in the text; the answer says which, and whether it was sure."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kgservice.config import Settings
from kgservice.interfaces.app import create_app
from tests.conftest import ROOT
from tests.server import TOKEN

PAIR = {"local": "kgd:liberec-strategy-2021", "higher": "kgd:liberecky-kraj-social-2026"}
AUTH = {"Authorization": f"Bearer {TOKEN}"}
COMMENTS = """SELECT ?text (LANG(?text) AS ?lang) WHERE {
  VALUES ?alignment { <%s> } ?alignment <http://www.w3.org/2000/01/rdf-schema#comment> ?text }"""


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(root=ROOT, user_data=tmp_path_factory.mktemp("user-data"), write_token=TOKEN, workers=2)
    with TestClient(create_app(settings)) as running:
        assert running.post("/api/suggestions", params={**PAIR, "top": 1}, headers=AUTH).status_code == 201
        yield running


def pending(client: TestClient) -> list[str]:
    rows: list[dict[str, Any]] = client.get("/api/suggestions/stored", params={**PAIR, "status": "pending"}).json()
    return [row["alignment"] for row in rows]


def comments(client: TestClient, alignment: str) -> list[tuple[str, str]]:
    answer = client.post("/sparql", data={"query": COMMENTS % alignment}, headers={"Accept": "application/sparql-results+json"})
    return [(b["text"]["value"], b["lang"]["value"]) for b in answer.json()["results"]["bindings"]]


@pytest.mark.parametrize(
    ("reason", "lang", "stored", "sure"),
    [
        ("Opatření míří na jinou cílovou skupinu než tato priorita.", None, "cs", True),
        ("Działanie dotyczy innej grupy docelowej niż ten priorytet.", None, "pl", True),
        ("jiný cíl", "cs", "cs", True),  # given: taken as it is
        ("OK", None, "en", False),  # too short to tell: English, and the answer says it is unsure
    ],
)
def test_a_reason_is_stored_in_its_language(client: TestClient, reason: str, lang: str | None, stored: str, sure: bool) -> None:
    alignment = pending(client)[0]
    body = {"alignment": alignment, "reviewer": "Jana Nováková", "reason": reason} | ({"lang": lang} if lang else {})
    judged = client.post("/api/suggestions/reject", json=body, headers=AUTH)
    assert judged.status_code == 200, judged.text
    assert (judged.json()["note_lang"], judged.json()["note_lang_sure"]) == (stored, sure)
    assert comments(client, alignment) == [(reason, stored)]
