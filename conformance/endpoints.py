"""The endpoint under test (query, update and graph store URLs) and the HTTP calls every suite shares.

Writes (updates, graph store PUT/POST/DELETE) carry `Authorization: Bearer <token>` when one is set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

NTRIPLES = "application/n-triples"
SPARQL_UPDATE = "application/sparql-update"
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Endpoints:
    """Where the service under test answers, and the token it wants on writes."""

    query_url: str
    update_url: str | None = None
    store_url: str | None = None
    bearer_token: str | None = None

    def auth(self, write: bool) -> dict[str, str]:
        """The Authorization header for a write, nothing for a read."""
        return {"Authorization": f"Bearer {self.bearer_token}"} if write and self.bearer_token else {}


def is_write(method: str, url: str, endpoints: Endpoints) -> bool:
    """Whether a request changes data: any call to the update endpoint, or a non-read method."""
    return url.startswith(endpoints.update_url or "\0") or method.upper() not in _READ_METHODS


def make_client(timeout: float) -> httpx.Client:
    """An HTTP client for the endpoint under test; proxy settings from the environment are ignored."""
    return httpx.Client(timeout=timeout, trust_env=False, follow_redirects=False)


def send(
    client: httpx.Client,
    endpoints: Endpoints,
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    content: bytes | None = None,
    follow_redirects: bool = False,
) -> httpx.Response:
    """Send one request, adding the bearer token when it is a write."""
    merged = {**(headers or {}), **endpoints.auth(is_write(method, url, endpoints))}
    if method.upper() == "HEAD":
        # A server that wrongly sends a body with a HEAD response would corrupt the next response on a
        # kept-alive connection, failing an unrelated test; a fresh connection keeps tests apart.
        merged["Connection"] = "close"
    return client.request(method, url, headers=merged, content=content, follow_redirects=follow_redirects)


def run_update(client: httpx.Client, endpoints: Endpoints, update: str) -> str | None:
    """Run a SPARQL update; None when it succeeded, else why it did not."""
    if endpoints.update_url is None:
        return "no update endpoint configured (--update-url)"
    headers = {"Content-Type": SPARQL_UPDATE}
    try:
        response = send(client, endpoints, "POST", endpoints.update_url, headers=headers, content=update.encode())
    except httpx.HTTPError as error:
        return f"update {update!r} failed: {type(error).__name__}: {error}"
    return None if response.is_success else f"update {update!r} answered HTTP {response.status_code}: {snippet(response)}"


def put_graph(client: httpx.Client, endpoints: Endpoints, graph: str | None, ntriples: bytes) -> str | None:
    """Replace a graph (None: the default graph) through the graph store protocol; None when it worked."""
    if endpoints.store_url is None:
        return "no graph store endpoint configured (--store-url)"
    url = with_query(endpoints.store_url, "default" if graph is None else urlencode({"graph": graph}))
    target = "the default graph" if graph is None else f"graph <{graph}>"
    try:
        response = send(client, endpoints, "PUT", url, headers={"Content-Type": NTRIPLES}, content=ntriples)
    except httpx.HTTPError as error:
        return f"loading {target} failed: {type(error).__name__}: {error}"
    return None if response.is_success else f"loading {target} answered HTTP {response.status_code}: {snippet(response)}"


def with_query(url: str, query: str) -> str:
    """`url` with `query` appended to its query string (if any)."""
    if not query:
        return url
    return f"{url}{'&' if '?' in url else '?'}{query}"


def snippet(response: httpx.Response, limit: int = 160) -> str:
    """The start of a response body, for an error message."""
    text = response.text.strip() if response.content else "(empty body)"
    return " ".join(text.split())[:limit]


def media_type(response: httpx.Response) -> str:
    """The response's media type without parameters, lower-cased ('' when absent)."""
    return str(response.headers.get("content-type", "")).split(";", 1)[0].strip().lower()
