"""Check a zip container (.docx, .xlsx, .ods) before any library opens it: a zip bomb, or a container of
thousands of parts, is refused by what its directory declares."""

from __future__ import annotations

import io
import zipfile

from kgservice.errors import ImportRefused
from kgservice.project.importing.limits import Limits


def check_zip(file: str, data: bytes, limits: Limits) -> None:
    """Refuse a container that is not a zip, has too many members, or unpacks past the cap."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise ImportRefused(file, f"unreadable: not a valid zip container ({error})") from None
    if len(members) > limits.max_zip_members:
        raise ImportRefused(file, f"the container holds {len(members)} parts, over the cap of {limits.max_zip_members}")
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unpacked_bytes:
        raise ImportRefused(file, f"the container unpacks to {unpacked} bytes, over the cap of {limits.max_unpacked_bytes}")
