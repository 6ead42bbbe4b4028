"""Alignment suggestions over HTTP: ranking on the fly, storing them as pending (write token), listing,
accepting and rejecting them, and the coherence report ignoring the pending ones.

One writable app serves the whole module (each write validates the whole graph with the shapes, ~3 s);
the tests after `test_storing_needs_the_write_token` build on each other's writes, in file order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kgservice.config import Settings
from kgservice.interfaces.app import create_app
from tests.conftest import ROOT
from tests.server import TOKEN

ID = "https://w3id.org/kgservice/id/"
LOCAL, HIGHER = ID + "liberec-strategy-2021", ID + "liberecky-kraj-social-2026"
PAIR = {"local": "kgd:liberec-strategy-2021", "higher": "kgd:liberecky-kraj-social-2026"}
RESPITE = ID + "liberec-strategy-2021/2.1.3.5"  # "... podpora rozvoje odlehčovacích služeb ..."
R11 = ID + "liberecky-kraj-social-2026/R.11"  # "Podpora odlehčovacích služeb"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ALIGNED = "measures that support the higher strategy"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    user_data = tmp_path_factory.mktemp("user-data")  # the judgments' files, this module's own
    with TestClient(create_app(Settings(root=ROOT, user_data=user_data, write_token=TOKEN, workers=2))) as running:
        yield running


def stored(client: TestClient, status: str = "pending") -> list[dict[str, Any]]:
    response = client.get("/api/suggestions/stored", params={**PAIR, "status": status})
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()
    return rows


def version(client: TestClient) -> int:
    return int(client.get("/health").json()["version"])


def aligned_measures(client: TestClient) -> dict[str, Any]:
    report = client.get("/api/coherence", params=PAIR).json()
    figure: dict[str, Any] = next(f for f in report["summary"]["figures"] if f["name"] == ALIGNED)
    return figure


def judge(client: TestClient, action: str, token: bool = True, **body: object) -> Any:
    """POST /api/suggestions/accept or /reject with `body` as JSON, with the write token unless told not to."""
    return client.post(f"/api/suggestions/{action}", json=body, headers=AUTH if token else None)


def candidates(client: TestClient, lang: str) -> list[dict[str, Any]]:
    response = client.get("/api/suggestions", params={**PAIR, "element": "kgd:liberec-strategy-2021/2.1.3.5", "lang": lang})
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["local"], report["higher"], report["lang"]) == (LOCAL, HIGHER, lang)
    assert [e["element"] for e in report["elements"]] == [RESPITE]
    found: list[dict[str, Any]] = report["elements"][0]["candidates"]
    return found


def test_the_respite_services_activity_is_matched_with_the_regions_respite_proposal(client: TestClient) -> None:
    found = candidates(client, "en")
    assert 1 <= len(found) <= 3
    r11 = next(c for c in found if c["element"] == R11)
    assert r11["notation"] == "R.11"
    assert "odlehčovacích" in {word for pair in r11["shared_words"] for word in pair}
    assert r11["score"] > 0 and r11["alignment"].startswith(ID + "alignment/")
    assert [c["rank"] for c in found] == sorted(c["rank"] for c in found)


def test_labels_come_in_the_requested_language(client: TestClient) -> None:
    czech = next(c for c in candidates(client, "cs") if c["element"] == R11)
    assert czech["label"] == "Podpora odlehčovacích služeb"
    english = next(c for c in candidates(client, "en") if c["element"] == R11)
    assert english["label"] != czech["label"]


def test_every_local_element_is_ranked_when_no_element_is_named(client: TestClient) -> None:
    report = client.get("/api/suggestions", params={**PAIR, "top": 1}).json()
    assert len(report["elements"]) > 10
    assert RESPITE in {e["element"] for e in report["elements"]}
    assert all(len(e["candidates"]) <= 1 for e in report["elements"])


def test_bad_requests_say_what_is_wrong(client: TestClient) -> None:
    foreign = client.get("/api/suggestions", params={**PAIR, "element": "kgd:liberecky-kraj-social-2026/R.11"})
    assert foreign.status_code == 400
    assert "not an element of kgd:liberec-strategy-2021" in foreign.json()["error"]
    unknown = client.get("/api/suggestions", params={"local": "kgd:no-such-strategy", "higher": PAIR["higher"]})
    assert unknown.status_code == 400
    assert "is not a strategy document" in unknown.json()["error"]
    too_few = client.get("/api/suggestions", params={**PAIR, "top": 0})
    assert too_few.status_code == 422 and too_few.json()["error"].startswith("query parameter top: ")
    assert client.get("/api/suggestions", params={**PAIR, "top": 51}).status_code == 422


def test_the_endpoints_are_documented_in_openapi(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    assert {"get", "post"} <= set(paths["/api/suggestions"])
    assert {"/api/suggestions/stored", "/api/suggestions/accept", "/api/suggestions/reject"} <= set(paths)
    assert paths["/api/suggestions/accept"]["post"]["tags"] == ["Suggestions"]
    assert {"SuggestionReport", "StoredSuggestion", "AcceptRequest", "RejectRequest"} <= set(spec["components"]["schemas"])


def test_storing_needs_the_write_token(client: TestClient) -> None:
    before, listed = version(client), stored(client, "all")
    assert client.post("/api/suggestions", params=PAIR).status_code == 401
    wrong = client.post("/api/suggestions", params=PAIR, headers={"Authorization": "Bearer " + "x" * 30})
    assert wrong.status_code == 403 and "error" in wrong.json()
    assert judge(client, "accept", False, alignment=ID + "alignment/x--y", reviewer="Jana", strength=2).status_code == 401
    assert judge(client, "reject", False, alignment=ID + "alignment/x--y", reviewer="Jana").status_code == 401
    assert version(client) == before
    assert stored(client, "all") == listed


def test_stored_suggestions_are_pending_and_the_coherence_report_does_not_count_them(client: TestClient) -> None:
    figure_before = aligned_measures(client)
    response = client.post("/api/suggestions", params=PAIR, headers=AUTH)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["graph"].endswith("/user/suggestions/liberec-strategy-2021--liberecky-kraj-social-2026")
    assert result["stored"] > 0 and result["version"] == version(client)
    pending = stored(client)
    assert len(pending) == result["stored"]
    assert {row["status"] for row in pending} == {"pending"}
    assert {row["creator"] for row in pending} == {"kgservice suggester"}
    assert all(0 < row["confidence"] <= 1 and row["strength"] is None for row in pending)
    assert all(row["subject"].startswith(LOCAL + "/") and row["object"].startswith(HIGHER + "/") for row in pending)
    figure_after = aligned_measures(client)
    assert (figure_after["count"], figure_after["elements"]) == (figure_before["count"], figure_before["elements"])
    report = client.get("/api/coherence", params=PAIR).json()
    assert {a["iri"] for a in report["ignored_suggested"]} >= {row["alignment"] for row in pending}


def test_accepting_a_suggestion_makes_it_curated_once(client: TestClient) -> None:
    chosen = stored(client)[0]["alignment"]
    judged = judge(client, "accept", alignment=chosen, reviewer="Jana Nováková", strength=2)
    assert judged.status_code == 200, judged.text
    assert judged.json()["status"] == "accepted"
    accepted = {row["alignment"]: row for row in stored(client, "accepted")}
    assert accepted[chosen]["creator"] == "Jana Nováková" and accepted[chosen]["strength"] == 2
    assert chosen not in {row["alignment"] for row in stored(client)}

    before = version(client)
    again = judge(client, "accept", alignment=chosen, reviewer="Petr", strength=1)
    assert again.status_code == 409
    assert "is not a pending suggestion" in again.json()["error"] and "accepted" in again.json()["error"]
    missing = judge(client, "accept", alignment="kgd:alignment/nothing--here", reviewer="Petr", strength=1)
    assert missing.status_code == 404 and "is not an alignment of the graph" in missing.json()["error"]
    pending = stored(client)[0]["alignment"]
    blank = judge(client, "accept", alignment=pending, reviewer="  ", strength=1)
    assert blank.status_code == 400 and "reviewer" in blank.json()["error"]
    too_strong = judge(client, "accept", alignment=pending, reviewer="Petr", strength=4)
    assert too_strong.status_code == 422 and too_strong.json()["error"].startswith("body field strength: ")
    assert judge(client, "reject", alignment="not an IRI", reviewer="Petr").status_code == 400
    assert version(client) == before
    assert accepted[chosen] == {row["alignment"]: row for row in stored(client, "accepted")}[chosen]


def test_a_rejected_suggestion_is_not_suggested_again(client: TestClient) -> None:
    chosen = stored(client)[0]
    pair = (chosen["subject"], chosen["object"])
    judged = judge(client, "reject", alignment=chosen["alignment"], reviewer="Jana Nováková", reason="other target group")
    assert judged.status_code == 200, judged.text
    assert judged.json()["status"] == "rejected"
    rejected = {row["alignment"]: row for row in stored(client, "rejected")}
    assert rejected[chosen["alignment"]]["creator"] == "Jana Nováková"

    assert client.post("/api/suggestions", params=PAIR, headers=AUTH).status_code == 201
    assert pair not in {(row["subject"], row["object"]) for row in stored(client)}
    assert chosen["alignment"] in {row["alignment"] for row in stored(client, "rejected")}
    assert len(stored(client, "accepted")) == 1


def test_storing_again_keeps_the_pending_suggestions_still_ranked(client: TestClient) -> None:
    assert client.post("/api/suggestions", params=PAIR, headers=AUTH).status_code == 201
    before = {row["alignment"] for row in stored(client)}
    assert client.post("/api/suggestions", params=PAIR, headers=AUTH).status_code == 201
    assert before and {row["alignment"] for row in stored(client)} == before
