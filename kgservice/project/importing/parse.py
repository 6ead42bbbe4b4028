"""Parse one document into an `ImportedDocument`: choose the reader by the file's extension, render it to
lines, find the outline (or read the rows of a spreadsheet), and name the document and its elements."""

from __future__ import annotations

import re
from pathlib import PurePath

from kgservice.errors import ImportRefused
from kgservice.project.importing.levels import LevelMap
from kgservice.project.importing.limits import DEFAULT_LIMITS, Deadline, Limits, check_lines, check_size
from kgservice.project.importing.model import DocumentMeta, ImportedDocument, ImportWarning, ParsedElement
from kgservice.project.importing.readers.text import read_text
from kgservice.project.importing.rendering import Rendering
from kgservice.project.importing.slugs import is_slug, slugify
from kgservice.project.importing.tree import outline_elements
from kgservice.rdf.namespaces import ID
from kgservice.translation import LANGUAGES, likely_language

TEXT_FORMATS = ("txt", "md")
WORD_FORMATS = ("docx",)
PDF_FORMATS = ("pdf",)
SHEET_FORMATS = ("xlsx", "ods", "csv")
FORMATS = TEXT_FORMATS + WORD_FORMATS + PDF_FORMATS + SHEET_FORMATS
"""The extensions `parse_document` reads."""

# What a user reads, in one place (named arguments, so that the texts can be translated).
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")

TEXT = {
    "unknown_format": "unknown format %(suffix)s: import one of %(formats)s",
    "no_slug": "no slug for the document's IRI can be made from %(slug)s: give one (--slug)",
    "bad_iri": "%(iri)s is not an http(s) IRI without spaces",
    "language": "%(value)s is not one of %(choices)s",
    "no_language": "the language cannot be told from the text: give it (--lang cs|pl|en)",
    "detected": "language not given: detected as %(language)s from the text",
    "no_outline": "no outline found: no numbered items, level keywords, bullets under headings or headings with items",
    "elements": "%(count)s elements, over the cap of %(cap)s",
}


def file_format(file_name: str) -> str:
    """The format of a file by its extension, or `ImportRefused` naming the formats that are read."""
    suffix = PurePath(file_name).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ImportRefused(
            file_name, TEXT["unknown_format"], suffix=repr(suffix or "(no extension)"), formats=", ".join(FORMATS)
        )
    return suffix


def _render(file_name: str, fmt: str, data: bytes, limits: Limits, deadline: Deadline) -> Rendering:
    if fmt in TEXT_FORMATS:
        return read_text(file_name, data)
    if fmt in WORD_FORMATS:
        from kgservice.project.importing.readers.word import read_docx

        return read_docx(file_name, data, limits, deadline)
    if fmt in PDF_FORMATS:
        from kgservice.project.importing.readers.pdf import read_pdf

        return read_pdf(file_name, data, limits, deadline)
    from kgservice.project.importing.readers.sheets import read_sheet

    return read_sheet(file_name, fmt, data, limits, deadline).rendering


def _identity(file_name: str, meta: DocumentMeta) -> tuple[str, str]:
    """The document's slug and IRI: as given, else from the title, else from the file name."""
    if meta.iri:
        iri = meta.iri.rstrip("/")
        if not _IRI.match(iri):
            raise ImportRefused(file_name, TEXT["bad_iri"], iri=repr(meta.iri))
        slug = meta.slug or slugify(iri.rsplit("/", 1)[-1])
        if not is_slug(slug):
            raise ImportRefused(file_name, TEXT["no_slug"], slug=repr(slug))
        return slug, iri
    slug = meta.slug or slugify(meta.title or PurePath(file_name).stem)
    if not is_slug(slug):
        raise ImportRefused(file_name, TEXT["no_slug"], slug=repr(slug))
    return slug, ID + slug


def _language(meta: DocumentMeta, text: str, file_name: str, warnings: list[ImportWarning]) -> str:
    if meta.language:
        if meta.language not in LANGUAGES:
            raise ImportRefused("--lang", TEXT["language"], value=repr(meta.language), choices=", ".join(LANGUAGES))
        return meta.language
    found = likely_language(text[:200_000])  # the signs the notes of planners are told apart by, too
    if found is None:
        raise ImportRefused(file_name, TEXT["no_language"])
    warnings.append(ImportWarning(None, TEXT["detected"] % {"language": found}))
    return found


def _title_line(title: str | None, rendering: Rendering) -> int | None:
    if not title:
        return None
    folded = " ".join(title.split())
    return next((n for n, line in enumerate(rendering.lines, 1) if folded in " ".join(line.split())), None)


def _elements(
    name: str, fmt: str, data: bytes, rendering: Rendering, levels: LevelMap, iri: str, limits: Limits, deadline: Deadline
) -> tuple[list[ParsedElement], list[ImportWarning]]:
    if fmt in SHEET_FORMATS:
        from kgservice.project.importing.readers.sheets import read_sheet
        from kgservice.project.importing.table import table_elements

        return table_elements(name, read_sheet(name, fmt, data, limits, deadline), levels, iri)
    return outline_elements(
        name, list(rendering.lines), levels, iri, lambda s, e: rendering.ref(name, s, e), rendering.heading_ranks
    )


def parse_document(
    file_name: str, data: bytes, meta: DocumentMeta, levels: LevelMap | None = None, limits: Limits = DEFAULT_LIMITS
) -> ImportedDocument:
    """Read `data` (the file `file_name` as received) into a document and its elements, nothing stored.

    Raises `ImportRefused` naming the file and line, page or row: an unknown or unreadable format, a PDF
    without text, no outline, a notation printed twice with different names or whose parent is missing,
    a spreadsheet without a label column, or a file over the caps of `limits`."""
    name = PurePath(file_name).name
    fmt = file_format(name)
    check_size(name, data, limits)
    deadline = Deadline(name, limits.seconds)
    rendering = _render(name, fmt, data, limits, deadline)
    check_lines(name, list(rendering.lines), limits)
    slug, iri = _identity(name, meta)
    elements, warnings = _elements(name, fmt, data, rendering, levels or LevelMap(), iri, limits, deadline)
    if not elements:
        raise ImportRefused(name, TEXT["no_outline"])
    if len(elements) > limits.max_elements:
        raise ImportRefused(name, TEXT["elements"], count=len(elements), cap=limits.max_elements)
    lang = _language(meta, rendering.text, name, warnings)
    return ImportedDocument(
        iri=iri,
        slug=slug,
        title=meta.title,
        language=lang,
        elements=tuple(elements),
        warnings=tuple(warnings),
        file_name=name,
        original=data,
        rendering=rendering.text,
        meta=meta,
        format=fmt,
        title_line=_title_line(meta.title, rendering),
        pages=dict(rendering.pages),
        cells={line: (cell.sheet, cell.row) for line, cell in rendering.cells.items()},
    )
