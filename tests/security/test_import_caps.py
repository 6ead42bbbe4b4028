"""Hostile strategy uploads (POST /api/strategies) against a real server with a small upload cap: bodies and files
over the cap are 413, malformed or oversized forms 400, a Word zip bomb 400 naming the file, the drafts stay
bounded, and none of it changes the graph or writes a file."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from kgservice.interfaces.http.drafts import MAX_DRAFTS
from tests.server import TOKEN, Server, running_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}
CAP = 300_000
SMALL = b"Strategie\n\n1. Bezpecnost\n1.1 Policie\n"


@pytest.fixture(scope="module")
def user_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("import-caps-user")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, user_dir: Path) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("import-caps")
    with running_server(folder, write_token=TOKEN, workers="1", max_upload_bytes=str(CAP), user_data=str(user_dir)) as running:
        yield running


def post(server: Server, headers: dict[str, str] | None = None, **request: Any) -> httpx.Response:
    return httpx.post(server.url + "/api/strategies", headers={**AUTH, **(headers or {})}, timeout=60, **request)


def state(server: Server, user_dir: Path) -> tuple[int, list[Path]]:
    version = int(httpx.get(server.url + "/health", timeout=10).json()["version"])
    return version, sorted(p for p in user_dir.rglob("*") if p.is_file())


@pytest.fixture
def unchanged(server: Server, user_dir: Path) -> Iterator[None]:
    """The graph's version and the user data directory are the same after the test as before it."""
    before = state(server, user_dir)
    yield
    assert state(server, user_dir) == before


def error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    message: str = response.json()["error"]
    return message


@pytest.mark.usefixtures("unchanged")
def test_a_body_over_the_cap_is_413_whether_declared_or_streamed(server: Server) -> None:
    big = b"x" * (CAP + 100_000)
    declared = post(server, files={"file": ("big.txt", big)})
    assert "larger than this service's limit" in error(declared, 413)

    def chunks() -> Iterator[bytes]:
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n'
        for _ in range(40):
            yield b"y" * 10_000

    streamed = post(server, content=chunks(), headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert "larger than this service's limit" in error(streamed, 413)


@pytest.mark.usefixtures("unchanged")
def test_a_file_over_the_cap_in_a_body_within_it_is_413(server: Server) -> None:
    response = post(server, files={"file": ("big.txt", b"z" * (CAP + 1))})
    assert "upload limit" in error(response, 413)


@pytest.mark.usefixtures("unchanged")
def test_forms_that_are_not_one_file_and_a_few_short_fields_are_refused(server: Server) -> None:
    assert "multipart/form-data" in error(post(server, content=SMALL, headers={"Content-Type": "text/plain"}), 415)
    no_boundary = post(server, content=SMALL, headers={"Content-Type": "multipart/form-data"})
    assert "no boundary" in error(no_boundary, 400)
    many = post(server, files={"file": ("a.txt", SMALL)}, data={"title": [str(n) for n in range(40)]})
    assert "more than" in error(many, 400)
    long = post(server, files={"file": ("a.txt", SMALL)}, data={"title": "t" * 5000})
    assert "over the cap" in error(long, 400)
    two = post(server, files=[("file", ("a.txt", SMALL)), ("file", ("b.txt", SMALL))])
    assert "it holds 2" in error(two, 400)
    other = post(server, data={"title": "no file"}, files={"other": ("a.txt", SMALL)})
    assert "unknown form field 'other'" in error(other, 400)
    boundary = "kgservice"
    latin = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n'.encode()
        + "Strategia \u0142".encode("iso8859-2")
        + f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'.encode()
        + SMALL
        + f"\r\n--{boundary}--\r\n".encode()
    )
    not_utf8 = post(server, content=latin, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert "is not UTF-8" in error(not_utf8, 400)


@pytest.mark.usefixtures("unchanged")
def test_a_word_zip_bomb_is_refused_naming_the_file(server: Server) -> None:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        bomb.writestr("word/document.xml", b"<" + b"0" * 250_000_000)  # 250 MB that pack into about 250 kB
    assert len(packed.getvalue()) < CAP
    response = post(server, files={"file": ("bomb.docx", packed.getvalue())}, data={"language": "cs"})
    assert error(response, 400).startswith("bomb.docx")
    assert httpx.get(server.url + "/health", timeout=10).status_code == 200


@pytest.mark.usefixtures("unchanged")
def test_the_drafts_stay_bounded(server: Server) -> None:
    made = []
    for n in range(MAX_DRAFTS + 2):
        response = post(server, files={"file": (f"plan-{n}.txt", SMALL)}, data={"language": "cs"})
        assert response.status_code == 201, response.text
        made.append(response.json()["draft"])
    assert httpx.get(f"{server.url}/api/strategies/{made[0]}", headers=AUTH, timeout=10).status_code == 404
    assert httpx.get(f"{server.url}/api/strategies/{made[-1]}", headers=AUTH, timeout=10).status_code == 200


@pytest.mark.usefixtures("unchanged")
def test_a_draft_id_is_not_a_path(server: Server) -> None:
    for draft in ("../../etc/passwd", "x" * 65, "%00"):
        response = httpx.get(f"{server.url}/api/strategies/{draft}", headers=AUTH, timeout=10)
        assert response.status_code in (404, 422), response.text
