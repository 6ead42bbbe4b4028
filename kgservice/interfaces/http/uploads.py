"""Read a multipart/form-data upload of one file and a few short text fields, bounded before anything parses it.

The body is read with the service's upload cap (413 past it, counted as it arrives); its parts are counted
before the standard library's MIME parser reads them (no dependency beyond Python), and anything else than
one file and a few short known text fields is a 400 that says what was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import PurePath

from starlette.requests import Request

from kgservice.errors import MalformedRequest, PayloadTooLarge, UnsupportedMediaType
from kgservice.interfaces.deps import read_body
from kgservice.translation import N_

FORM_OVERHEAD = 64 * 1024
"""Bytes a form may take beyond its file: boundaries, part headers and the text fields."""
MAX_FIELD_CHARS = 2_000
MAX_PARTS = 24

# What a refused form is told, translated at the edge (named arguments, so a translation may reorder them).
TEXT = {
    "twice": N_("form field %(name)s is given %(count)s times; give it once"),
    "media": N_("send the document as multipart/form-data (a form with a %(field)s file), not %(media)s"),
    "files": N_("the form must hold exactly one file in %(field)s; it holds %(count)s"),
    "file_cap": N_("the file is larger than this service's upload limit of %(limit)s bytes"),
    "parts": N_("the form has more than %(count)s parts"),
    "unparsed": N_("the multipart form does not parse: check its boundary and part headers"),
    "disposition": N_("a part of the form has no Content-Disposition: form-data with a name"),
    "boundary": N_("the multipart/form-data body has no boundary (1 to 70 characters) in its Content-Type"),
    "unknown": N_("unknown form field %(name)s: the fields are %(fields)s"),
    "field_file": N_("form field %(name)s is a file; only the document may be one"),
    "encoding": N_("form field %(name)s is not UTF-8 (byte %(byte)s)"),
    "field_cap": N_("form field %(name)s has %(length)s characters, over the cap of %(cap)s"),
}


@dataclass(frozen=True)
class UploadedForm:
    """The file of a form (its name as sent, without any folder, and its bytes) and its text fields."""

    file_name: str
    data: bytes
    fields: dict[str, list[str]]

    def text(self, name: str) -> str | None:
        """The field's value, stripped; None when it is absent or blank."""
        values = [v.strip() for v in self.fields.get(name, []) if v.strip()]
        if len(values) > 1:
            raise MalformedRequest(TEXT["twice"], name=repr(name), count=len(values))
        return values[0] if values else None

    def texts(self, name: str) -> tuple[str, ...]:
        """The field's values, repeated or comma-separated."""
        return tuple(part.strip() for value in self.fields.get(name, []) for part in value.split(",") if part.strip())


async def read_form(request: Request, max_file_bytes: int, file_field: str, allowed: frozenset[str]) -> UploadedForm:
    """The form of `request`: one file in `file_field` of at most `max_file_bytes` and the text fields in `allowed`."""
    content_type = request.headers.get("content-type", "")
    media = content_type.split(";")[0].strip().lower()
    if media != "multipart/form-data":
        raise UnsupportedMediaType(TEXT["media"], field=repr(file_field), media=media or "no type")
    body = await read_body(request, max_file_bytes + FORM_OVERHEAD)
    files: list[tuple[str, bytes]] = []
    fields: dict[str, list[str]] = {}
    for name, file_name, payload in _parts(content_type, body):
        if name == file_field and file_name is not None:
            files.append((file_name, payload))
        else:
            fields.setdefault(name, []).append(_field(name, payload, file_name, allowed))
    if len(files) != 1:
        raise MalformedRequest(TEXT["files"], field=repr(file_field), count=len(files))
    file_name, data = files[0]
    if len(data) > max_file_bytes:
        raise PayloadTooLarge(TEXT["file_cap"], limit=max_file_bytes)
    return UploadedForm(PurePath(file_name.replace("\\", "/")).name or "document", data, fields)


def _parts(content_type: str, body: bytes) -> list[tuple[str, str | None, bytes]]:
    """(field name, file name or None, bytes) of each part of a multipart body."""
    boundary = _boundary(content_type)
    if body.count(b"--" + boundary) > MAX_PARTS + 1:  # counted before parsing: each part costs the parser memory
        raise MalformedRequest(TEXT["parts"], count=MAX_PARTS)
    head = b'Content-Type: multipart/form-data; boundary="' + boundary + b'"\r\n\r\n'
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    if not isinstance(message, EmailMessage) or not message.is_multipart() or message.defects:
        raise MalformedRequest(TEXT["unparsed"])
    found: list[tuple[str, str | None, bytes]] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or part.get_content_disposition() != "form-data":
            raise MalformedRequest(TEXT["disposition"])
        payload = part.get_payload(decode=True)
        file_name = part.get_filename()
        found.append(
            (_text(name), None if file_name is None else _text(file_name), payload if isinstance(payload, bytes) else b"")
        )
    return found


def _boundary(content_type: str) -> bytes:
    for parameter in content_type.split(";")[1:]:
        key, _, value = parameter.strip().partition("=")
        if key.strip().lower() == "boundary" and 0 < len(value.strip().strip('"')) <= 70:
            return value.strip().strip('"').encode("latin-1", "replace")
    raise MalformedRequest(TEXT["boundary"])


def _text(value: str) -> str:
    # Browsers send UTF-8 file and field names as raw bytes, which the MIME parser keeps as surrogate escapes.
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _field(name: str, payload: bytes, file_name: str | None, allowed: frozenset[str]) -> str:
    shown = repr(name[:80])
    if name not in allowed:
        raise MalformedRequest(TEXT["unknown"], name=shown, fields=", ".join(sorted(allowed)))
    if file_name is not None:
        raise MalformedRequest(TEXT["field_file"], name=shown)
    try:
        value = payload.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedRequest(TEXT["encoding"], name=shown, byte=error.start) from None
    if len(value) > MAX_FIELD_CHARS:
        raise MalformedRequest(TEXT["field_cap"], name=shown, length=len(value), cap=MAX_FIELD_CHARS)
    return value
