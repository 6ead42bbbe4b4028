"""The validation page does not hold a visit for the seconds validation takes: the report is computed in
the background, the page says so and reloads itself, and once the report is there every visit gets it."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kgservice.config import Settings
from kgservice.interfaces.app import create_app
from kgservice.interfaces.web.routers import validation_page
from kgservice.translation import translator

VERDICT = 'id="verdict"'


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setattr(validation_page, "WAIT", 0.0)  # no visit waits: the first one always finds it under way
    with TestClient(create_app(Settings(workers=1))) as opened:
        yield opened


def until_reported(client: TestClient, lang: str) -> str:
    """The page once it shows the report (it is computed in the background meanwhile)."""
    for _ in range(1200):
        text: str = client.get("/validation", params={"lang": lang}).text
        if VERDICT in text:
            return text
        time.sleep(0.1)
    raise AssertionError("no validation report after 120 s")


def test_the_first_visit_says_the_report_is_being_computed_and_reloads_itself(client: TestClient) -> None:
    first = client.get("/validation", params={"lang": "cs"})
    assert first.status_code == 200 and VERDICT not in first.text
    assert re.search(rf'<meta http-equiv="refresh" content="{validation_page.REFRESH}">', first.text)
    assert first.headers["cache-control"] == "no-store"
    said = re.search(r'<p id="pending" role="status">\s*(.*?)\s*</p>', first.text, re.DOTALL)
    assert said is not None
    expected = translator("cs").gettext(
        "The validation report of graph version %(version)s is being computed (for %(seconds)s s so far); "
        "this page reloads itself until it is ready.",
        version="0",
        seconds="0",
    )
    assert re.sub(r"\d+", "N", said.group(1)) == re.sub(r"\d+", "N", expected)  # in Czech, with its numbers


def test_once_computed_every_visit_gets_the_report_at_once(client: TestClient) -> None:
    text = until_reported(client, "en")
    assert "The graph conforms to every SHACL shape." in text
    for lang in ("en", "cs", "pl"):  # WAIT is 0: only a kept report can answer
        assert VERDICT in client.get("/validation", params={"lang": lang}).text
