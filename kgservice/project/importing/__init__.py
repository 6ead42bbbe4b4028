"""Import strategy documents (.txt, .md, .docx, .pdf, .xlsx, .ods, .csv) into strategy graphs with
line-level provenance, nothing stored: `parse_document` reads a file into an `ImportedDocument` to review
(`preview()`) and to turn into RDF (`graph()`, `turtle()`). Storing it, validated, is
`kgservice.analysis.importing`. The rules are in docs/import.md.
"""

from __future__ import annotations

from kgservice.project.importing.levels import LevelMap, load_profile, parse_levels
from kgservice.project.importing.limits import DEFAULT_LIMITS, Limits
from kgservice.project.importing.model import DocumentMeta, ImportedDocument, ImportWarning, ParsedElement, Quote, SourceRef
from kgservice.project.importing.parse import FORMATS, file_format, parse_document

__all__ = [
    "DEFAULT_LIMITS",
    "FORMATS",
    "DocumentMeta",
    "ImportWarning",
    "ImportedDocument",
    "LevelMap",
    "Limits",
    "ParsedElement",
    "Quote",
    "SourceRef",
    "file_format",
    "load_profile",
    "parse_document",
    "parse_levels",
]
