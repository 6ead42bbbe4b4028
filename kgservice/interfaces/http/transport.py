"""The HTTP/1.1 transport of `kgservice serve`: uvicorn's httptools protocol with a bound on the request head.

httptools (llhttp, in C) parses a request in a fraction of the time h11 (pure Python) takes, which is most
of the service's own cost on a small query; but it bounds neither the request line nor the headers, and
buffers a header until its end (an 8 MB header was read whole). This protocol counts the bytes received
while a request's head is incomplete and refuses a head longer than the bound with 431, closing the
connection before the app sees it, as h11's `h11_max_incomplete_event_size` does.
"""

from __future__ import annotations

from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from kgservice.errors import RequestHeadTooLarge

TOO_LARGE = "the request line and headers are longer than this service's limit of {limit} bytes\n"


class BoundedHttpTools(HttpToolsProtocol):
    """httptools with at most `max_head` bytes of request line and headers per request. Two counts: the parsed
    line and headers of the request (exact), and the bytes read while a head is incomplete, since httptools
    buffers a header until its end (at most one read, 256 KiB, more than the bound)."""

    max_head = 64 * 1024

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._received, self._parsed, self._in_head = 0, 0, True

    def data_received(self, data: bytes) -> None:
        """uvicorn's, with the bound: a head over it is answered 431 and the connection closed."""
        self._unset_keepalive_if_required()
        if self._in_head:
            self._received += len(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self.handle_websocket_upgrade() if self._should_upgrade() else self._unsupported_upgrade_warning()
        except httptools.HttpParserError as error:
            if isinstance(error.__context__, RequestHeadTooLarge):
                self._refuse()
                return
            self.logger.warning("Invalid HTTP request received.")
            self.send_400_response("Invalid HTTP request received.")
            return
        # the callbacks have reset the count if the head ended in this read
        if self._in_head and self._received > self.max_head and not self.transport.is_closing():
            self._refuse()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head, self._parsed = True, 0

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)  # ": " and CRLF
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head, self._received = False, 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head, self._received = True, 0

    def _count(self, size: int) -> None:
        self._parsed += size
        if self._parsed > self.max_head:
            raise RequestHeadTooLarge

    def _refuse(self) -> None:
        body = TOO_LARGE.format(limit=self.max_head).encode()
        head = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; charset=utf-8\r\n"
        self.transport.write(head + b"content-length: %d\r\nconnection: close\r\n\r\n" % len(body) + body)
        self.transport.close()


def bounded_protocol(max_head: int) -> type[BoundedHttpTools]:
    """The protocol class for uvicorn's `http` setting, with its bound."""
    return type("BoundedHttpTools", (BoundedHttpTools,), {"max_head": max_head})
