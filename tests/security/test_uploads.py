"""Uploads of issue 12, against a real server process: bodies nested too deep and XML entities are
refused before any parser reads them, and parsing runs in a child process off the event loop."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest

from kgservice.errors import DataSyntaxError, PayloadTooLarge
from kgservice.rdf.isolated import parse_isolated
from kgservice.rdf.limits import MAX_DEPTH, check_json_depth, check_xml
from tests.server import TOKEN, Server, running_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}
RDF = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
JSONLD, RDFXML = {**AUTH, "Content-Type": "application/ld+json"}, {**AUTH, "Content-Type": "application/rdf+xml"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("uploads"), write_token=TOKEN, workers="1", validate_writes="false") as running:
        yield running


def put(server: Server, graph: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    return httpx.put(server.url + "/rdf-graphs", params={"graph": graph}, content=body, headers=headers, timeout=120)


def alive(server: Server) -> bool:
    return httpx.get(server.url + "/health", timeout=5).status_code == 200


def test_json_ld_nested_5000_deep_is_400_and_the_server_lives(server: Server) -> None:
    body = b'{"@id": "http://e/a", "http://e/p": ' + b"[" * 5000 + b"1" + b"]" * 5000 + b"}"
    response = put(server, "http://e/deep-json", body, JSONLD)
    assert response.status_code == 400 and "nested deeper than" in response.text, response.text
    czech = put(server, "http://e/deep-json", body, {**JSONLD, "Accept-Language": "cs"})
    assert (
        czech.status_code == 400
        and "tělo požadavku:1:" in czech.text
        and "vnoření JSON překračuje limit hloubky 256" in czech.text
    )
    assert alive(server) and server.process.poll() is None


def test_rdf_xml_20000_deep_is_refused_at_once(server: Server) -> None:
    body = f"<rdf:RDF {RDF}>".encode() + b"<a>" * 20000 + b"</a>" * 20000 + b"</rdf:RDF>"
    started = time.monotonic()
    response = put(server, "http://e/deep-xml", body, RDFXML)
    assert response.status_code == 400 and "nested deeper than" in response.text, response.text
    assert time.monotonic() - started < 5 and alive(server)


def test_nested_and_external_xml_entities_are_refused(server: Server) -> None:
    laughs = b'<!DOCTYPE rdf:RDF [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    external = b'<!DOCTYPE rdf:RDF [<!ENTITY a SYSTEM "file:///etc/passwd">]>'
    for doctype, reason in ((laughs, "refers to other entities"), (external, "is external")):
        body = doctype + f'<rdf:RDF {RDF}><rdf:Description rdf:about="http://e/a"><rdf:value>&a;</rdf:value>'.encode()
        response = put(server, "http://e/entities", body + b"</rdf:Description></rdf:RDF>", RDFXML)
        assert response.status_code == 400 and reason in response.text, response.text
    polish = put(server, "http://e/entities", body + b"</rdf:Description></rdf:RDF>", {**RDFXML, "Accept-Language": "pl"})
    assert polish.status_code == 400 and "encja XML 'a' jest zewnętrzna" in polish.text, polish.text


def test_entities_that_only_abbreviate_namespaces_still_load(server: Server) -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY ex "http://e/">]>'
        + f'<rdf:RDF {RDF}><rdf:Description rdf:about="&ex;a"><rdf:value>x</rdf:value></rdf:Description></rdf:RDF>'.encode()
    )
    assert put(server, "http://e/abbreviated", body, RDFXML).status_code == 201
    got = httpx.get(
        server.url + "/rdf-graphs", params={"graph": "http://e/abbreviated"}, headers={"Accept": "application/n-triples"}
    )
    assert "<http://e/a>" in got.text


def test_health_answers_while_a_large_upload_is_parsed(server: Server) -> None:
    # 18 MB that parse for seconds (in the server process: 1.4 s with the event loop held) and fail on the
    # last line, so the time is all parsing and no commit (which holds the repository lock) follows.
    body = b"".join(b'<http://e/s%d> <http://e/p> "value %d" .\n' % (i, i) for i in range(400_000)) + b"<http://e/broken"
    done: list[int] = []
    headers = {**AUTH, "Content-Type": "application/n-triples"}
    upload = threading.Thread(target=lambda: done.append(put(server, "http://e/large", body, headers).status_code))
    upload.start()
    latencies: list[float] = []
    while upload.is_alive() and len(latencies) < 200:  # bounded: at most 200 probes
        started = time.monotonic()
        assert alive(server)
        latencies.append(time.monotonic() - started)
        time.sleep(0.05)
    upload.join(120)
    assert done == [400] and len(latencies) > 1 and max(latencies) < 1.0, (done, latencies)


def test_the_child_parser_reports_syntax_errors_with_line_and_column_and_has_a_deadline() -> None:
    with pytest.raises(DataSyntaxError) as error:
        parse_isolated(b"<http://e/a> <http://e/b> .\n", ox.RdfFormat.N_TRIPLES, None, "request body")
    assert error.value.line == 1
    with pytest.raises(PayloadTooLarge, match="did not parse within") as late:
        parse_isolated(b"<http://e/a> <http://e/b> <http://e/c> .\n", ox.RdfFormat.N_TRIPLES, None, "request body", seconds=0.001)
    assert late.value.localized("cs") == "odeslaná data RDF se nepodařilo zpracovat do 0.001 s"


def test_a_parser_that_dies_is_a_400_for_that_body_only(monkeypatch: pytest.MonkeyPatch) -> None:
    killed = subprocess.CompletedProcess(args=[], returncode=-9, stdout=b"", stderr=b"")
    monkeypatch.setattr(subprocess, "run", lambda *args, **kwargs: killed)
    with pytest.raises(DataSyntaxError, match="the parser stopped on this body") as stopped:
        parse_isolated(b"{}", ox.RdfFormat.JSON_LD, None, "request body")
    assert stopped.value.localized("pl").endswith("parser zatrzymał się na tej treści żądania (kod wyjścia -9)")


def test_the_depth_limit_lets_256_levels_through_and_refuses_257() -> None:
    def nested(depth: int) -> bytes:
        return b'{"@id": "http://e/a", "http://e/p": ' + b"[" * (depth - 1) + b"1" + b"]" * (depth - 1) + b"}"

    check_json_depth(nested(MAX_DEPTH), "body")
    with pytest.raises(DataSyntaxError, match="nested deeper than 256"):
        check_json_depth(nested(MAX_DEPTH + 1), "body")
    check_json_depth(b'{"a": "[[[[ {{{{ \\" [[[["}', "body", limit=1)  # brackets in strings do not count
    xml = b"<r>" * MAX_DEPTH + b"</r>" * MAX_DEPTH
    check_xml(xml, "body")
    with pytest.raises(DataSyntaxError, match="nested deeper than 256"):
        check_xml(b"<r>" + xml + b"</r>", "body")


def test_a_json_ld_remote_context_is_refused_and_never_fetched(server: Server) -> None:
    body = b'{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://e/a", "p": 1}'
    response = put(server, "http://e/remote-context", body, JSONLD)
    assert response.status_code == 400 and "remote contexts" in response.text, response.text
