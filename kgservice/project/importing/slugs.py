"""Slugs for IRIs and file names: lower-case ASCII with hyphens, diacritics removed (docs/modelling.md)."""

from __future__ import annotations

import re
import unicodedata

_MAX = 80


def slugify(text: str) -> str:
    """`Strategie rozvoje Liberce 2030` -> `strategie-rozvoje-liberce-2030`; `ł` -> `l`."""
    text = text.replace("ł", "l").replace("Ł", "L")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:_MAX].strip("-")


def is_slug(text: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", text)) and len(text) <= _MAX
