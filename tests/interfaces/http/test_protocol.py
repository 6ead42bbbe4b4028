"""The SPARQL protocol reader on its own: form and query-string decoding, and what a request asks for."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgservice.errors import MalformedRequest
from kgservice.interfaces.http.protocol import DescriptionRequest, QueryOperation, _params, read_request

_PIECES = [b"%", b"%4", b"%41", b"%zz", b"%C3%A9", b"%c3", b"+", b"&", b"=", b"a", b"\\", b"\\x41", b"%5C", b";", b"\xc3\xa9"]


def _standard(raw: bytes) -> list[tuple[str, str]] | None:
    """What the standard library reads, each name and value then taken as UTF-8 (None where one is not)."""
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True, encoding="latin-1")
    try:
        return [(k.encode("latin-1").decode("utf-8"), v.encode("latin-1").decode("utf-8")) for k, v in pairs]
    except UnicodeDecodeError:
        return None


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_a_form_is_decoded_as_the_standard_library_decodes_it(pieces: list[bytes]) -> None:
    """The C-speed percent-decoding gives parse_qsl's pairs, malformed escapes and backslashes included."""
    raw = b"".join(pieces)
    expected = _standard(raw)
    if expected is None:
        with pytest.raises(MalformedRequest, match="not valid UTF-8"):
            _params(raw, "form body")
    else:
        assert _params(raw, "form body") == expected


def test_a_form_query_keeps_every_character_of_the_text() -> None:
    body = b"query=SELECT+*+%7B+%3Fs+%3Fp+%22a%5Cn%25b%22+%7D+%23+%C5%BE&format=json"
    operation = read_request("POST", b"", "application/x-www-form-urlencoded", body)
    assert operation == QueryOperation('SELECT * { ?s ?p "a\\n%b" } # ž', (), (), "json")


def test_a_get_without_a_query_asks_for_the_description_in_the_format_it_names() -> None:
    assert read_request("GET", b"format=turtle&output=xml", None, b"") == DescriptionRequest("turtle")
    assert read_request("GET", b"", None, b"") == DescriptionRequest(None)
