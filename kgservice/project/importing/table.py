"""Elements from a spreadsheet, one per row: the header row names the columns (case-insensitive, in cs, pl
or en), the parent comes from its column or else from the notation, and responsible bodies and target
groups become IRIs where they match a label of the shared vocabularies (else a warning: nothing invented)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SKOS

from kgservice.errors import ImportRefused
from kgservice.project.importing.levels import GENERIC, TYPES, LevelMap
from kgservice.project.importing.lines import clean_label, depth, parent_notation
from kgservice.project.importing.model import ImportWarning, ParsedElement, Quote, SourceRef
from kgservice.project.importing.readers.sheets import Row, Sheets
from kgservice.project.layout import default_layout

HEADERS: dict[str, tuple[str, ...]] = {
    "notation": ("notation", "code", "kód", "kod", "číslo", "cislo", "numer", "oznaczenie", "no", "id"),
    "type": ("type", "typ", "úroveň", "uroven", "poziom", "rodzaj", "level"),
    "label": ("label", "name", "title", "název", "nazev", "nazwa"),
    "description": ("description", "popis", "opis"),
    "parent": ("parent", "nadřazený", "nadrazeny", "nadrzędny", "nadrzedny"),
    "responsible": ("responsible", "odpovědnost", "odpovednost", "gestor", "odpowiedzialny"),
    "target_group": ("target group", "cílová skupina", "cilova skupina", "grupa docelowa"),
}
"""The header of each column, as the cell may read (case-insensitive; the first matching column wins)."""

_HEADER_ROWS = 10
_SPLIT = ";"
_NOTATION = re.compile(r"^[A-Z0-9]+(?:[.-][A-Z0-9]+)*$")

# What a user reads, in one place (named arguments, so that the texts can be translated).
TEXT = {
    "bad_notation": "notation %(notation)s: write digits and capitals joined by . or - (2.1.1, II-4.1, A.1)",
    "no_label": "no label column: name one of the first rows' cells %(headers)s",
    "bad_type": "row %(row)s: type %(type)s is not a level: taken from the place",
    "too_deep": "%(notation)s is deeper than the levels (%(levels)s)",
    "no_parent": "notation %(notation)s: its parent %(parent)s is not in the table",
    "twice": "notation %(notation)s is also in row %(first)s",
    "no_match": "row %(row)s: %(what)s %(value)s matches no label of the vocabulary: not recorded",
    "responsible": "responsible body",
    "target_group": "target group",
}


def _columns(row: Row) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(row.cells):
        folded = cell.strip().casefold().rstrip(":")
        for name, synonyms in HEADERS.items():
            if folded in synonyms and name not in columns:
                columns[name] = index
    return columns


def _header(file: str, sheets: Sheets) -> tuple[Row, dict[str, int]]:
    for row in sheets.rows[:_HEADER_ROWS]:
        columns = _columns(row)
        if "label" in columns:
            return row, columns
    raise ImportRefused(file, TEXT["no_label"], row=1, headers=", ".join(HEADERS["label"]))


@lru_cache(maxsize=4)
def _labels(path: Path) -> Mapping[str, str]:
    """Every prefLabel and altLabel of a vocabulary file, folded, -> the concept's IRI."""
    graph = Graph().parse(path, format="turtle")
    found: dict[str, str] = {}
    for predicate in (SKOS.prefLabel, SKOS.altLabel):
        for subject, label in graph.subject_objects(predicate):
            found.setdefault(str(label).casefold().strip(), str(subject))
    return found


@dataclass(frozen=True)
class Vocabularies:
    """Labels of organisations and target groups to match table cells against."""

    organisations: Mapping[str, str] = field(default_factory=dict)
    target_groups: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def bundled(cls) -> Vocabularies:
        folder = default_layout().data_dir / "vocabularies"
        return cls(_labels(folder / "organisations.ttl"), _labels(folder / "target-groups.ttl"))


@dataclass
class _Table:
    file: str
    levels: LevelMap
    doc_iri: str
    columns: dict[str, int]
    vocabularies: Vocabularies
    warnings: list[ImportWarning] = field(default_factory=list)
    by_notation: dict[str, ParsedElement] = field(default_factory=dict)
    rows_of: dict[str, int] = field(default_factory=dict)
    counter: int = 0

    def cell(self, row: Row, name: str) -> str:
        index = self.columns.get(name)
        return row.cells[index].strip() if index is not None and index < len(row.cells) else ""

    def _type(self, row: Row, parent: ParsedElement | None, notation: str) -> str:
        given = self.cell(row, "type")
        if given:
            local = given.removeprefix("kgo:")
            if local in TYPES:
                return local
            keyword = self.levels.keywords.get(given.casefold())
            if keyword and keyword != GENERIC:
                return keyword
            self.warnings.append(ImportWarning(row.line, TEXT["bad_type"] % {"row": row.number, "type": repr(given)}))
        below = self.levels.below(parent.type if parent else None, depth(notation))
        if below is None:
            raise ImportRefused(
                self.file, TEXT["too_deep"], row=row.number, notation=notation, levels=", ".join(self.levels.depths)
            )
        return below

    def _notation(self, row: Row) -> tuple[str, bool]:
        printed = self.cell(row, "notation").rstrip(".")
        if printed and not _NOTATION.match(printed):
            raise ImportRefused(self.file, TEXT["bad_notation"], row=row.number, notation=repr(printed))
        if printed:
            return printed, False
        self.counter += 1
        return str(self.counter), True

    def _parent(self, row: Row, notation: str) -> ParsedElement | None:
        above = self.cell(row, "parent").rstrip(".") or parent_notation(notation)
        if not above:
            return None
        if above in self.by_notation:
            return self.by_notation[above]
        if self.cell(row, "parent") or any(depth(n) == depth(above) for n in self.by_notation):
            raise ImportRefused(self.file, TEXT["no_parent"], row=row.number, notation=notation, parent=above)
        return None

    def _match(self, row: Row, name: str, labels: Mapping[str, str], what: str) -> tuple[str, ...]:
        found = []
        for value in (v.strip() for v in self.cell(row, name).split(_SPLIT)):
            if not value:
                continue
            iri = labels.get(value.casefold())
            if iri is None:
                self.warnings.append(
                    ImportWarning(row.line, TEXT["no_match"] % {"row": row.number, "what": what, "value": repr(value)})
                )
            else:
                found.append(iri)
        return tuple(found)

    def element(self, row: Row, ref: SourceRef) -> ParsedElement | None:
        label = clean_label(self.cell(row, "label"))
        if not label:
            return None
        notation, assigned = self._notation(row)
        if notation in self.by_notation:
            first = self.rows_of[notation]
            raise ImportRefused(self.file, TEXT["twice"], row=row.number, notation=notation, first=first)
        parent = self._parent(row, notation)
        description = self.cell(row, "description") or None
        element = ParsedElement(
            iri=f"{self.doc_iri}/{notation}",
            notation=notation,
            type=self._type(row, parent, notation),
            label=label,
            parent=parent.iri if parent else self.doc_iri,
            source=ref,
            description=description,
            notation_assigned=assigned,
            quotes=(Quote(row.line, row.line, label),),
            responsible=self._match(row, "responsible", self.vocabularies.organisations, TEXT["responsible"]),
            target_groups=self._match(row, "target_group", self.vocabularies.target_groups, TEXT["target_group"]),
        )
        self.by_notation[notation], self.rows_of[notation] = element, row.number
        return element


def table_elements(
    file: str, sheets: Sheets, levels: LevelMap, doc_iri: str, vocabularies: Vocabularies | None = None
) -> tuple[list[ParsedElement], list[ImportWarning]]:
    """One element per row below the header row that has a label."""
    header, columns = _header(file, sheets)
    table = _Table(file, levels, doc_iri, columns, vocabularies or Vocabularies.bundled())
    elements = []
    for row in sheets.rows:
        if row.line <= header.line:
            continue
        ref = sheets.rendering.ref(file, row.line, row.line)
        element = table.element(row, ref)
        if element is not None:
            elements.append(element)
    return elements, table.warnings
