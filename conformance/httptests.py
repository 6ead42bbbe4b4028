"""HTTP-in-RDF: the ht:Request sequences of the protocol and graph store manifests, and their expectations.

Vocabulary: https://www.w3.org/TR/HTTP-in-RDF10/ ; the expectations (mf:expectedStatus,
mf:expectedFormat, mf:expectedBoolean, mf:expectedLocation, expected headers and body) are the
manifests' own, described in their rdfs:comment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from http import HTTPStatus

import httpx
from rdflib import Literal, URIRef
from rdflib.term import Node

from conformance.manifest import TestCase
from conformance.vocab import CNT, HT, HTS, MF

_STATUS_BY_NAME = {status.phrase.replace(" ", "").replace("-", ""): status.value for status in HTTPStatus}


@dataclass(frozen=True)
class ExpectedResponse:
    """What a response must look like; empty fields are not checked."""

    statuses: tuple[URIRef, ...]
    format: str | None = None
    boolean: bool | None = None
    location_variable: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None


@dataclass(frozen=True)
class HttpRequest:
    """One request of a test, as the manifest writes it (path still starting with /sparql/ or /gsp)."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: str | None
    encoding: str
    expected: ExpectedResponse

    def header(self, name: str) -> str | None:
        """The value of a request header, matched without regard to case."""
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)

    def encoded_body(self) -> bytes | None:
        """The body in the character encoding the manifest names (some tests send UTF-16 on purpose)."""
        if self.body is None:
            return None
        return self.body.encode(self.encoding)


def read_requests(case: TestCase) -> list[HttpRequest]:
    """The requests of a test, in the order they must be sent."""
    action = case.value(case.iri, MF.action)
    requests = case.value(action, HT.requests) if action is not None else None
    return [_request(case, node) for node in case.items(requests)]


def _request(case: TestCase, node: Node) -> HttpRequest:
    body_node = case.value(node, HT.body)
    return HttpRequest(
        method=str(case.value(node, HT.methodName) or "GET").upper(),
        path=str(case.value(node, HT.absolutePath) or "/"),
        headers=_headers(case, case.value(node, HT.headers)),
        body=_text(case.value(body_node, CNT.chars)) if body_node is not None else None,
        encoding=str(case.value(body_node, CNT.characterEncoding) or "UTF-8") if body_node is not None else "UTF-8",
        expected=_expected(case, case.value(node, HT.resp)),
    )


def _headers(case: TestCase, head: Node | None) -> tuple[tuple[str, str], ...]:
    return tuple((str(case.value(h, HT.fieldName)), str(case.value(h, HT.fieldValue))) for h in case.items(head))


def _text(node: Node | None) -> str | None:
    return str(node) if node is not None else None


def _expected(case: TestCase, node: Node | None) -> ExpectedResponse:
    if node is None:
        return ExpectedResponse(statuses=())
    boolean = case.value(node, MF.expectedBoolean)
    body = case.value(node, HT.body)
    return ExpectedResponse(
        statuses=tuple(s for s in case.values(node, MF.expectedStatus) if isinstance(s, URIRef)),
        format=_text(case.value(node, MF.expectedFormat)),
        boolean=bool(boolean.toPython()) if isinstance(boolean, Literal) else None,
        location_variable=_text(case.value(node, MF.expectedLocation)),
        headers=_headers(case, case.value(node, HT.headers)),
        body=_text(case.value(body, CNT.chars)) if body is not None else None,
    )


def status_matches(code: int, expected: Sequence[URIRef]) -> bool:
    """Whether a status code is one of the expected ones (hts:OK, hts:NotFound, hts:StatusCode2xx, ...)."""
    return not expected or any(code in _codes(status) for status in expected)


def _codes(status: URIRef) -> range:
    name = str(status).removeprefix(str(HTS))
    if name.startswith("StatusCode") and name.endswith("xx"):
        first = int(name[len("StatusCode")]) * 100
        return range(first, first + 100)
    code = _STATUS_BY_NAME.get(name)
    if code is None:
        raise ValueError(f"unknown expected status {status}: add it to conformance.httptests")
    return range(code, code + 1)


def describe_statuses(expected: Sequence[URIRef]) -> str:
    """The expected statuses as a reader would say them: '2xx or 3xx', '201'."""
    words = []
    for status in expected:
        codes = _codes(status)
        words.append(f"{codes.start // 100}xx" if len(codes) > 1 else str(codes.start))
    return " or ".join(words)


def header_mismatch(response: httpx.Response, expected: Sequence[tuple[str, str]]) -> str | None:
    """None when the response has the expected headers (Content-Type compared by media type), else which not."""
    for name, value in expected:
        got = response.headers.get(name)
        if got is None:
            return f"missing response header {name} (expected {value!r})"
        if name.lower() == "content-type":
            got, value = _media_type(got), _media_type(value)
        if got.strip().lower() != value.strip().lower():
            return f"response header {name} is {got!r}, expected {value!r}"
    return None


def _media_type(value: str) -> str:
    # Parameters such as charset=utf-8 are the server's choice; the type is what the test checks.
    return value.split(";", 1)[0]
