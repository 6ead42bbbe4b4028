"""What an import produces: the document's metadata as given, the elements parsed from its outline, the
warnings met on the way, and the preview a user reviews before anything is stored.

The RDF graph of an imported document is built by `importing.graph`; this module only holds the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rdflib import Graph


@dataclass(frozen=True)
class DocumentMeta:
    """What the user says about the document. Nothing here is guessed: what is not given stays unsaid
    (the language alone is detected from the text when not given, and a warning says so).

    `level` is municipal, regional, national or eu (or a kgo: level IRI); `territory` and `issuer` are IRIs,
    prefixed names (terr:..., orgs:...) or slugs of the shared vocabularies; `period` is `2021`, `2021-2027`
    or `2021+`; `status` is draft or approved."""

    slug: str | None = None
    iri: str | None = None
    title: str | None = None
    language: str | None = None
    level: str | None = None
    territory: tuple[str, ...] = ()
    issuer: str | None = None
    period: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class SourceRef:
    """Where an element was read: the file as received and the lines of its plain-text rendering
    (1-based, inclusive), with the page of a PDF and the sheet and row of a spreadsheet (None elsewhere)."""

    file: str
    start_line: int
    end_line: int
    page: int | None = None
    row: int | None = None
    sheet: str | None = None

    def preview(self) -> dict[str, Any]:
        return {"file": self.file, "start_line": self.start_line, "end_line": self.end_line, "page": self.page, "row": self.row}


@dataclass(frozen=True)
class Quote:
    """A passage of the rendering that states a fact about an element: its lines and the exact text."""

    start_line: int
    end_line: int
    exact: str


@dataclass(frozen=True)
class ParsedElement:
    """One element of the outline. `type` is the kgo: class's local name, `parent` the IRI of the element or
    document above it; `notation_assigned` is true where the source prints no number and the notation comes
    from the element's position. `quotes` are every passage cited (the label's first), `responsible` and
    `target_groups` the IRIs matched in the shared vocabularies (spreadsheets only)."""

    iri: str
    notation: str
    type: str
    label: str
    parent: str
    source: SourceRef
    description: str | None = None
    notation_assigned: bool = False
    quotes: tuple[Quote, ...] = ()
    responsible: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()

    def preview(self) -> dict[str, Any]:
        return {
            "iri": self.iri,
            "notation": self.notation,
            "type": self.type,
            "label": self.label,
            "parent": self.parent,
            "source": self.source.preview(),
        }


@dataclass(frozen=True)
class ImportWarning:
    """Something the reader noticed and decided on its own (a line read as text, a detected language); the
    line is the rendering's, None for the document as a whole."""

    line: int | None
    message: str

    def preview(self) -> dict[str, Any]:
        return {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class ImportedDocument:
    """A parsed document, not yet stored: its IRI and metadata, its elements in reading order, the warnings,
    the original bytes and the plain-text rendering whose lines the excerpts cite."""

    iri: str
    slug: str
    title: str | None
    language: str
    elements: tuple[ParsedElement, ...]
    warnings: tuple[ImportWarning, ...]
    file_name: str
    original: bytes
    rendering: str
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    format: str = "txt"
    title_line: int | None = None
    pages: dict[int, int] = field(default_factory=dict)
    cells: dict[int, tuple[str, int]] = field(default_factory=dict)

    def line_refs(self) -> dict[int, SourceRef]:
        """For each line with a page or a spreadsheet row, where it is."""
        refs = {line: SourceRef(self.file_name, line, line, page=page) for line, page in self.pages.items()}
        for line, (sheet, row) in self.cells.items():
            refs[line] = SourceRef(self.file_name, line, line, row=row, sheet=sheet)
        return refs

    def preview(self) -> dict[str, Any]:
        """The review of the import, exactly: document, elements (type = kgo local name, parent = IRI), warnings."""
        return {
            "document": {"iri": self.iri, "title": self.title, "language": self.language},
            "elements": [element.preview() for element in self.elements],
            "warnings": [warning.preview() for warning in self.warnings],
        }

    @property
    def source_stem(self) -> str:
        """The file stem the original and the rendering are stored under (and the source file IRI's end)."""
        return self.slug

    @property
    def original_name(self) -> str:
        """The name the original is stored under: the stem with the original's own extension."""
        suffix = self.file_name.rsplit(".", 1)[-1].lower() if "." in self.file_name else "bin"
        return f"{self.source_stem}.original.{suffix}"

    def graph(self, sources_path: str = "sources") -> Graph:
        """The document as RDF, with its source file at `<sources_path>/<stem>.txt` (relative to the folder the
        graph is loaded from: `sources` in the user data directory, `data/sources` in the project)."""
        from kgservice.project.importing.graph import document_graph

        return document_graph(self, sources_path)

    def turtle(self, sources_path: str = "sources") -> bytes:
        """The graph of `graph()` as Turtle."""
        from kgservice.project.importing.graph import turtle

        return turtle(self, sources_path)
