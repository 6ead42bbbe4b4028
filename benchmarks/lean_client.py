"""The latency rounds' client: one kept-alive HTTP/1.1 connection per server, Python's http.client and nothing else.

The overhead figure is a server's latency minus the engine's in process, so whatever the client spends on a
request is counted as the server's. httpx spends about 1 ms of Python on each request by itself, which put
even oxigraph serve above 1 ms over the engine; http.client spends a tenth of that. Every server is measured
with this same client; the throughput windows and the load test keep httpx, as the analysts' tools do.
"""

from __future__ import annotations

import http.client
import time
import urllib.parse

# what a write to, or a read from, a connection the server has closed meanwhile raises
_STALE = (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected)


class LeanClient:
    """POSTs form-encoded queries to one endpoint over one connection, reopened after a failure."""

    def __init__(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        self.host, self.port, self.path = parts.hostname or "127.0.0.1", parts.port or 80, parts.path or "/"
        self._connection: http.client.HTTPConnection | None = None

    def query(self, text: str, accept: str, timeout: float) -> tuple[float, bool]:
        """Seconds from sending the request to the end of the answer's body, and whether it was a 200.

        A server closes a kept-alive connection that stayed idle (uvicorn after 5 s, while the other servers had
        their turn): the request is then sent again on a new connection, as httpx does, and only that is timed."""
        body = urllib.parse.urlencode({"query": text})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        reused = self._connection is not None
        elapsed, ok, stale = self._attempt(body, headers, timeout)
        if stale and reused:
            elapsed, ok, _ = self._attempt(body, headers, timeout)
        return elapsed, ok

    def _attempt(self, body: str, headers: dict[str, str], timeout: float) -> tuple[float, bool, bool]:
        """Seconds, whether the answer was a 200, and whether the connection had been closed by the server."""
        started = time.perf_counter()
        try:
            connection = self._connect(timeout)
            connection.request("POST", self.path, body, headers)
            response = connection.getresponse()
            response.read()
            return time.perf_counter() - started, response.status == 200, False
        except (OSError, http.client.HTTPException) as error:
            self.close()
            return time.perf_counter() - started, False, isinstance(error, _STALE)

    def _connect(self, timeout: float) -> http.client.HTTPConnection:
        if self._connection is None:
            self._connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        self._connection.timeout = timeout
        if self._connection.sock is not None:
            self._connection.sock.settimeout(timeout)
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
