"""The SPARQL endpoint's requests are answered ahead of FastAPI's router (`interfaces.http.sparql_path`): the
same responses as through the route, errors included, and an unexpected failure still reaches the app's
handler of unexpected errors."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from opentelemetry import trace
from starlette.requests import Request

from kgservice.config import Settings
from kgservice.interfaces.app import create_app
from kgservice.interfaces.http.routers.sparql import _endpoint, _url
from kgservice.interfaces.http.sparql_path import SparqlPath
from kgservice.translation import translator
from tests.conftest import ROOT

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
JSON = "application/sparql-results+json"
# (method, query string, headers, body): what analysts' tools and browsers send, good and bad
REQUESTS = [
    ("GET", "query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D", {"Accept": JSON}, b""),
    ("HEAD", "query=ASK%20%7B%7D", {"Accept": JSON}, b""),
    ("POST", "", {**FORM, "Accept": "text/csv"}, b"query=SELECT%20%3Fs%20WHERE%20%7B%20%3Fs%20a%20%3Ft%20%7D%20LIMIT%203"),
    ("POST", "", {"Content-Type": "application/sparql-query", "Accept": JSON}, b"ASK { ?s ?p ?o }"),
    ("GET", "query=SELEKT%20*", {"Accept": JSON, "Accept-Language": "cs"}, b""),
    ("GET", "query=ASK%7B%7D&query=ASK%7B%7D", {"Accept": JSON}, b""),
    ("GET", "query=ASK%7B%7D", {"Accept": "image/png"}, b""),
    ("GET", "", {"Accept": "text/turtle"}, b""),
    ("GET", "", {"Accept": "text/html"}, b""),
    ("POST", "", FORM, b"update=INSERT%20DATA%20%7B%7D"),
    (
        "POST",
        "",
        {"Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "pl"},
        b"update=INSERT%20DATA%20%7B%7D",
    ),
    ("POST", "", {"Content-Type": "text/plain"}, b"ASK {}"),
    ("PUT", "", {}, b""),
]


def labelled(body: bytes) -> bytes:
    """The body with its blank node labels (the service description has some, new in each answer) made alike."""
    return re.sub(rb"_:[A-Za-z0-9]+", b"_:b", body)


def is_sparql_path(middleware: object) -> bool:
    return getattr(middleware, "cls", None) is SparqlPath


def without_sparql_path(app: FastAPI) -> FastAPI:
    """The same app with its requests of /sparql left to the router (before its middleware stack is built)."""
    app.user_middleware = [m for m in app.user_middleware if not is_sparql_path(m)]
    return app


@pytest.fixture(scope="module")
def clients() -> Iterator[tuple[TestClient, TestClient]]:
    configured = Settings(root=ROOT, workers=1)
    with TestClient(create_app(configured)) as ahead, TestClient(without_sparql_path(create_app(configured))) as routed:
        yield ahead, routed


@pytest.mark.parametrize(("method", "query", "headers", "body"), REQUESTS)
def test_a_request_gets_the_response_the_route_gives(
    clients: tuple[TestClient, TestClient], method: str, query: str, headers: dict[str, str], body: bytes
) -> None:
    responses = [
        client.request(method, "/sparql?" + query if query else "/sparql", headers=headers, content=body, follow_redirects=False)
        for client in clients
    ]
    ahead, routed = responses
    assert ahead.status_code == routed.status_code
    assert labelled(ahead.content) == labelled(routed.content)
    varying = ("date", "content-length")  # the length follows the blank node labels
    assert {k: v for k, v in ahead.headers.items() if k not in varying} == {
        k: v for k, v in routed.headers.items() if k not in varying
    }


def test_the_path_answers_the_requests_themselves(clients: tuple[TestClient, TestClient]) -> None:
    """The comparison above compares two paths: one app answers /sparql in the middleware, the other does not."""
    ahead, routed = (client.app for client in clients)
    assert any(is_sparql_path(m) for m in ahead.user_middleware)  # type: ignore[attr-defined]
    assert not any(is_sparql_path(m) for m in routed.user_middleware)  # type: ignore[attr-defined]


@pytest.mark.parametrize("routed", [False, True])
def test_an_unexpected_failure_is_the_apps_500_in_the_language_asked(monkeypatch: pytest.MonkeyPatch, routed: bool) -> None:
    app = create_app(Settings(root=ROOT, workers=1))
    with TestClient(without_sparql_path(app) if routed else app, raise_server_exceptions=False) as client:
        engine = client.app.state.engine  # type: ignore[attr-defined]

        async def broken(request: object) -> object:
            raise RuntimeError("a fault of the service")

        monkeypatch.setattr(engine, "answer", broken)
        response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept-Language": "cs"})
    assert response.status_code == 500
    assert response.text.strip() == translator("cs").gettext("internal error; the service log has the details")
    assert "a fault of the service" not in response.text
    # Starlette answers an unexpected error outside every middleware added to the app: the protections still apply
    assert response.headers["x-frame-options"] == "DENY" and response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


@settings(max_examples=300, deadline=None)
@given(
    scheme=st.sampled_from(["http", "https"]),
    server=st.one_of(st.none(), st.tuples(st.sampled_from(["127.0.0.1", "::1", "example.org"]), st.integers(1, 65535))),
    host=st.one_of(st.none(), st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=30)),
    path=st.sampled_from(["/sparql", "/sparql/", "//sparql"]),
)
def test_the_base_iri_of_a_query_is_the_url_starlette_makes_of_the_request(
    scheme: str, server: tuple[str, int] | None, host: str | None, path: str
) -> None:
    """The endpoint's URL is made once per distinct request parts (`routers.sparql._url`), the same as
    `request.url` makes it each time, whatever the Host header holds."""
    headers = [(b"host", host.encode("latin-1"))] if host is not None else []
    scope = {"type": "http", "scheme": scheme, "server": server, "path": path, "query_string": b"query=ASK", "headers": headers}
    request = Request(scope)
    assert _endpoint(request) == str(request.url.replace(query=""))


class RecordingProvider(trace.TracerProvider):
    """A tracer provider, as an OpenTelemetry SDK set up in the process would be: it notes each tracer asked of it."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def get_tracer(self, instrumenting_module_name: str, *args: object, **kwargs: object) -> trace.Tracer:
        self.asked.append(instrumenting_module_name)
        return trace.NoOpTracer()


def test_requests_are_not_traced_even_with_a_tracer_provider_in_the_process(
    clients: tuple[TestClient, TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    """FastAPI traces requests to any provider configured in the process; the service sends nothing out, so it
    leaves them alone (a provider with an exporter would send each request's details to another host)."""
    provider = RecordingProvider()
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: provider)
    ahead, _ = clients
    for path in ("/sparql?query=ASK%7B%7D", "/", "/api/queries", "/health"):
        assert ahead.get(path).status_code == 200
    assert provider.asked == []


def test_a_host_header_longer_than_any_name_is_not_kept_in_the_cache() -> None:
    """Up to 64 KiB a header, 256 of them would stay in memory; such a Host is made each time, the same way."""
    long_host = "a" * 5000
    scope = {"type": "http", "scheme": "http", "server": ("127.0.0.1", 8000), "path": "/sparql", "query_string": b""}
    request = Request({**scope, "headers": [(b"host", long_host.encode())]})
    _url.cache_clear()  # the property test above may have filled it
    assert _endpoint(request) == str(request.url.replace(query=""))
    assert _url.cache_info().currsize == 0
