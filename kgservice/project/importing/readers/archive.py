"""Check a zip container (.docx, .xlsx, .ods) before any library opens it: a zip bomb, or a container of
thousands of parts, is refused by what its directory declares (a part's reader stops at its declared size,
and a part that unpacks to more fails its check)."""

from __future__ import annotations

import io
import zipfile

from kgservice.errors import ImportRefused
from kgservice.project.importing.limits import Limits

# What a user reads, in one place (named arguments, so that the texts can be translated).
TEXT = {
    "not_zip": "unreadable: not a valid zip container (%(error)s)",
    "parts": "the container holds %(count)s parts, over the cap of %(cap)s",
    "unpacked": "the container unpacks to %(size)s bytes, over the cap of %(cap)s",
    "xml": "the container's XML unpacks to %(size)s bytes, over the cap of %(cap)s",
}


def check_zip(file: str, data: bytes, limits: Limits) -> None:
    """Refuse a container that is not a zip, has too many members, or unpacks past the cap."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise ImportRefused(file, TEXT["not_zip"], error=str(error)) from None
    if len(members) > limits.max_zip_members:
        raise ImportRefused(file, TEXT["parts"], count=len(members), cap=limits.max_zip_members)
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unpacked_bytes:
        raise ImportRefused(file, TEXT["unpacked"], size=unpacked, cap=limits.max_unpacked_bytes)
    xml = sum(m.file_size for m in members if m.filename.lower().endswith((".xml", ".rels")))
    if xml > limits.max_xml_bytes:
        raise ImportRefused(file, TEXT["xml"], size=xml, cap=limits.max_xml_bytes)
