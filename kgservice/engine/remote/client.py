"""The remote store's endpoints, the operator's credentials, and the one HTTP client that talks to it: form
POSTs, bounded reads, and the store's errors mapped to the service's (with the store's message, at most
`MESSAGE_CHARS` characters, and no credentials in it)."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx
import pyoxigraph as ox

from kgservice.config import Settings
from kgservice.engine.base import too_large
from kgservice.errors import (
    InputError,
    KgServiceError,
    NotAcceptable,
    QueryTimeout,
    ResultTooLarge,
    ServiceBusy,
    StoreError,
)
from kgservice.translation import N_

MESSAGE_CHARS = 500  # of a store's error message, quoted in ours
JSON = "application/sparql-results+json"
_USER_AGENT = "kgservice"

# What a store's answer means here, by status; Virtuoso answers 500 to many refusals, read by their SQL state.
_REFUSALS: dict[int, type[KgServiceError]] = {400: InputError, 406: NotAcceptable, 413: ResultTooLarge, 503: ServiceBusy}
_VIRTUOSO_STATES: tuple[tuple[str, type[KgServiceError]], ...] = (
    ("37000", InputError),  # SPARQL compiler errors (syntax, unknown prefix, ...)
    ("22023", InputError),  # bad argument of a function
    ("S1T00", QueryTimeout),
    ("42000 Error The estimated execution time", QueryTimeout),
)


# -- credentials ------------------------------------------------------------------------------------------------


NO_ANSWER = N_("the remote store did not answer within %(seconds)g s")
UNREACHABLE = N_("the remote store at %(url)s could not be reached (%(reason)s)")
BROKE_OFF = N_("the remote store at %(url)s broke off its answer (%(reason)s)")


@dataclass(frozen=True)
class Credentials:
    """The operator's account on the remote store; the password is never part of a repr or a message."""

    user: str
    password: str = field(repr=False)
    scheme: Literal["basic", "digest"] = "basic"

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, scheme={self.scheme!r})"

    def auth(self) -> httpx.Auth:
        if self.scheme == "digest":
            return httpx.DigestAuth(self.user, self.password)
        return httpx.BasicAuth(self.user, self.password)


def read_credentials(
    user: str | None, password: str | None, file: Path | None, scheme: Literal["basic", "digest"] = "basic"
) -> Credentials | None:
    """Credentials from a file (its first line `USER:PASSWORD`) or from a user and password; none if neither."""
    if file is not None:
        try:
            first = file.read_text(encoding="utf-8").splitlines()[0] if file.stat().st_size else ""
        except OSError as error:
            raise InputError(
                N_("%(file)s: the remote credentials file cannot be read (%(reason)s)"), file=file, reason=error.strerror
            ) from None
        name, sep, secret = first.partition(":")
        if not sep or not name:
            raise InputError(N_("%(file)s: line 1: the remote credentials file must hold USER:PASSWORD"), file=file)
        return Credentials(name, secret, scheme)
    if user is None:
        return None
    return Credentials(user, password or "", scheme)


def _redact(url: str) -> str:
    """A URL as messages may show it: without user information."""
    return re.sub(r"//[^/@]*@", "//", url)


# -- the endpoints and the HTTP client ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RemoteEndpoints:
    """Where the remote store answers queries, updates and the graph store protocol, and as whom."""

    query_url: str
    update_url: str
    store_url: str
    credentials: Credentials | None = None


_FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}


def _form(fields: Sequence[tuple[str, str]]) -> bytes:
    """A form body with repeated fields (default-graph-uri, named-graph-uri) in order."""
    return urllib.parse.urlencode(fields).encode("ascii")


class RemoteClient:
    """One pooled HTTP client for the three endpoints; every failure is a kgservice error with the store's words."""

    def __init__(self, endpoints: RemoteEndpoints, timeout: float) -> None:
        self.endpoints, self.timeout = endpoints, timeout
        auth = endpoints.credentials.auth() if endpoints.credentials is not None else None
        self._http = httpx.Client(auth=auth, timeout=timeout, headers={"User-Agent": _USER_AGENT})

    def close(self) -> None:
        self._http.close()

    def query(self, text: str, dataset: Sequence[tuple[str, str]], accept: str, limit: int) -> tuple[bytes, str]:
        """POST a query as a form; the body (at most `limit` bytes) and its media type."""
        form = _form([("query", text), *dataset])
        with self._request("POST", self.endpoints.query_url, content=form, headers=_FORM, accept=accept) as response:
            _refuse_cut_results(response)
            body = _read_bounded(response, limit)
        return body, response.headers.get("Content-Type", "application/octet-stream").split(";")[0].strip()

    def update(self, text: str) -> None:
        form = _form([("update", text)])
        with self._request("POST", self.endpoints.update_url, content=form, headers=_FORM, accept="*/*") as response:
            response.read()

    def graph(self, graph: ox.NamedNode) -> bytes | None:
        """One graph as N-Triples through the graph store protocol; None where the store has no such graph."""
        params = {"graph": graph.value}
        with self._request("GET", self.endpoints.store_url, params=params, accept="application/n-triples", missing=True) as r:
            return None if r.status_code == 404 else r.read()

    @contextmanager
    def _request(self, method: str, url: str, *, accept: str, missing: bool = False, **options: Any) -> Iterator[httpx.Response]:
        """One streamed request, always closed; a failed status raises its kgservice error (404 passes if `missing`)."""
        headers = {"Accept": accept, **options.pop("headers", {})}
        request = self._http.build_request(method, url, headers=headers, **options)
        try:
            response = self._http.send(request, stream=True)
        except httpx.TimeoutException:
            raise QueryTimeout(NO_ANSWER, seconds=self.timeout) from None
        except httpx.HTTPError as error:
            raise ServiceBusy(UNREACHABLE, 5, url=_redact(url), reason=type(error).__name__) from None
        try:
            if response.status_code >= 400 and not (missing and response.status_code == 404):
                text = response.read()[: MESSAGE_CHARS * 4].decode("utf-8", "replace")
                raise store_error(response.status_code, text)
            yield response
        except httpx.TimeoutException:
            raise QueryTimeout(NO_ANSWER, seconds=self.timeout) from None
        except httpx.HTTPError as error:
            raise StoreError(BROKE_OFF, url=_redact(url), reason=type(error).__name__) from None
        finally:
            response.close()


def store_error(status: int, body: str) -> KgServiceError:
    """The kgservice error of a store's refusal: the class by status (or Virtuoso's SQL state), the store's
    message (without the query it echoes), bounded in length."""
    message = " ".join(body.split("\nSPARQL query:")[0].split())[:MESSAGE_CHARS] or "(no message)"
    if status in (401, 403):
        return StoreError(
            N_("the remote store refused kgservice's credentials (%(status)s): %(said)s"), status=status, said=message
        )
    kind = _REFUSALS.get(status, StoreError)
    if kind is StoreError:
        kind = next((k for state, k in _VIRTUOSO_STATES if state in message), StoreError)
    if kind is ServiceBusy:
        return ServiceBusy(N_("the remote store is unavailable (%(status)s): %(said)s"), 5, status=status, said=message)
    return kind(N_("the remote store answered %(status)s: %(said)s"), status=status, said=message)


def _refuse_cut_results(response: httpx.Response) -> None:
    """Virtuoso sends X-SPARQL-MaxRows when it cut a result at its ResultSetMaxRows, and X-SQL-State when an
    "anytime" query returned what it had at its time limit: either is a partial answer, refused."""
    rows = response.headers.get("X-SPARQL-MaxRows")
    if rows is not None:
        response.close()
        raise ResultTooLarge(
            N_("the remote store cut the result at %(rows)s rows (its row limit); narrow the query or add LIMIT"), rows=rows
        )
    if response.headers.get("X-SQL-State"):
        response.close()
        raise QueryTimeout(N_("the remote store stopped the query at its time limit and sent a partial result"))


def _read_bounded(response: httpx.Response, limit: int) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
    return b"".join(chunks)


def remote_endpoints(settings: Settings) -> RemoteEndpoints:
    """The remote store the settings name, with the credentials they give (a file, or a user and password)."""
    assert settings.remote_query_url and settings.remote_update_url and settings.remote_store_url
    password = settings.remote_password.get_secret_value() if settings.remote_password is not None else None
    credentials = read_credentials(settings.remote_user, password, settings.remote_credentials, settings.remote_auth)
    return RemoteEndpoints(settings.remote_query_url, settings.remote_update_url, settings.remote_store_url, credentials)
