"""Alignment sets as SSSOM mapping tables (https://w3id.org/sssom/spec, SSSOM/TSV 1.0): export and import.

An alignment set is every kgo:Alignment between one subject strategy and one object strategy, where the
strategy of an element is the kgo:StrategyDocument above it by kgo:partOf+, or the element itself when
nothing is above it (a document, a kgo:StrategySeries or a stand-alone project). Columns:

    kgo:subjectElement, kgo:objectElement   subject_id, object_id (CURIEs; labels in subject_label, object_label)
    kgo:relation                            predicate_id (a kgo: property: SSSOM allows non-SKOS predicates)
    kgo:justification                       mapping_justification (a semapv: term)
    kgo:evidence (the one @en literal)      comment
    dcterms:creator                         author_id when IRIs, author_label when names (literals)
    dcterms:created                         mapping_date (its SSSOM slot_uri is dcterms:created)
    strategies of subject and object        subject_source, object_source (documents and series only)
    kgo:alignmentStatus, kgo:strength       other, as "kgo:alignmentStatus=kgo:Curated|kgo:strength=2"

`confidence` stays empty: a Nilsson strength (-3..+3) grades how one aim helps or hinders another, not
how sure anyone is that the link holds. Status and strength go in `other`, the SSSOM 1.0 slot for
key-value pairs outside the spec, and not in declared extension slots, because sssom-py 0.4 drops every
extension column with a warning (mapping-commons/sssom-py#583); the importer reads both forms.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

import pyoxigraph as ox
import yaml
from rdflib import XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from kgservice.analysis.model import NOT_UNDER_ID, alignment_iri
from kgservice.engine.base import QueryEngine
from kgservice.errors import ParameterError, SssomExportError, SssomFormatError
from kgservice.project.layout import Layout
from kgservice.rdf.namespaces import ID, KGO, PREFIXES, compact, expand
from kgservice.rdf.terms import Term
from kgservice.sparql.catalogue import parse_query_file
from kgservice.translation import N_

MAPPING_SET_BASE = ID + "mapping-set/"
LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"
STATUSES: dict[str, str] = {
    "asserted": KGO + "AssertedInDocument",
    "curated": KGO + "Curated",
    "suggested": KGO + "Suggested",
}
STATUS, STRENGTH, CREATED = KGO + "alignmentStatus", KGO + "strength", str(DCTERMS.created)
XSD_DATE, XSD_DATETIME = str(XSD.date), str(XSD.dateTime)
# The prefixes SSSOM declares built in: a table may use them without a curie_map entry.
SSSOM_BUILT_IN: dict[str, str] = {
    **{name: PREFIXES[name] for name in ("owl", "rdf", "rdfs", "semapv", "skos")},
    "sssom": "https://w3id.org/sssom/",
}
_ALWAYS_DECLARED = ("dcterms", "kgd", "kgo", "semapv", "skos")
_REQUIRED = ("subject_id", "predicate_id", "object_id", "mapping_justification")
_DESCRIPTION = (
    "Alignments (kgo:Alignment) exported by kgservice. 'comment' is the English evidence; 'other' holds "
    "kgo:alignmentStatus (AssertedInDocument, Curated or Suggested) and, where judged, kgo:strength on the "
    "-3..+3 scale of Nilsson et al. (2016), which is not a confidence, as pipe-separated property=value pairs."
)
_QUERY = Path("internal") / "alignments.rq"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class AlignmentRecord:
    """The facts of one kgo:Alignment that an SSSOM row carries, and that a round trip must keep."""

    subject: str
    object: str
    relation: str
    status: str
    justification: str
    evidence: str | None = None
    strength: int | None = None
    creators: tuple[str, ...] = ()
    creator_names: tuple[str, ...] = ()
    created: tuple[str, str] | None = None  # (lexical form, datatype IRI)

    @property
    def iri(self) -> str:
        """id/alignment/{subject}--{object}, the pattern of docs/modelling.md."""
        return alignment_iri(self.subject, self.object)


@dataclass(frozen=True)
class MappingRow:
    """An alignment with what a reader of the table needs besides it: labels and the two strategies."""

    alignment: AlignmentRecord
    subject_label: str
    object_label: str
    relation_label: str
    subject_source: str | None
    object_source: str | None


@dataclass(frozen=True)
class AlignmentSet:
    """The alignments from one strategy to another, optionally of one status."""

    subject_strategy: str
    object_strategy: str
    subject_title: str
    object_title: str
    status: str | None
    rows: tuple[MappingRow, ...]

    @property
    def pair(self) -> str:
        return f"{_local(self.subject_strategy)}--{_local(self.object_strategy)}"

    @property
    def id(self) -> str:
        """The mapping_set_id: mapping-set/{subject strategy}--{object strategy}[/{status}]."""
        return MAPPING_SET_BASE + self.pair + (f"/{status_name(self.status)}" if self.status else "")

    @property
    def filename(self) -> str:
        """{subject strategy}--{object strategy}[.{status}].sssom.tsv, with '/' and other unsafe characters as '_'."""
        return _UNSAFE.sub("_", self.pair) + (f".{status_name(self.status)}" if self.status else "") + ".sssom.tsv"

    @property
    def title(self) -> str:
        status = f" ({status_name(self.status)})" if self.status else ""
        return f"Alignments of {self.subject_title} to {self.object_title}{status}"


def status_name(status: str) -> str:
    """asserted, curated or suggested for the kgo status IRI."""
    names = {iri: name for name, iri in STATUSES.items()}
    if status not in names:
        raise ParameterError(
            N_("unknown alignment status %(status)s; known: %(known)s"), status=status, known=", ".join(STATUSES)
        )
    return names[status]


def _local(iri: str) -> str:
    return iri.removeprefix(ID)


# ---------------------------------------------------------------------------------------------- export: read


def alignment_sets(
    store: QueryEngine,
    layout: Layout,
    subject: str | None = None,
    object_: str | None = None,
    status: str | None = None,
    lang: str = "en",
) -> list[AlignmentSet]:
    """The alignment sets of the graph, filtered by subject and object strategy and status (IRIs or CURIEs).

    The filters are bound as validated IRIs in the VALUES slots of queries/internal/alignments.rq.
    """
    status = expand(status) if status is not None else None
    if status is not None:
        status_name(status)  # refuses anything but the three statuses
    query = parse_query_file(layout.queries_dir / _QUERY)
    params = {"subjectStrategy": subject, "objectStrategy": object_, "status": status, "lang": lang}
    text = query.bind({k: v for k, v in params.items() if v is not None})
    records = store.select(text, source=str(query.path)).records()
    return _group_sets(records, status)


def _group_sets(records: Sequence[Mapping[str, Term]], status: str | None) -> list[AlignmentSet]:
    by_alignment: dict[str, list[Mapping[str, Term]]] = defaultdict(list)
    for record in records:
        by_alignment[record["alignment"].value].append(record)
    by_set: dict[tuple[str, str], list[Sequence[Mapping[str, Term]]]] = defaultdict(list)
    for group in by_alignment.values():
        by_set[(group[0]["subjectStrategy"].value, group[0]["objectStrategy"].value)].append(group)
    return [_alignment_set(groups, status) for _, groups in sorted(by_set.items())]


def _alignment_set(groups: Sequence[Sequence[Mapping[str, Term]]], status: str | None) -> AlignmentSet:
    rows = tuple(sorted((_row(group) for group in groups), key=lambda r: (r.alignment.subject, r.alignment.object)))
    first = groups[0]
    return AlignmentSet(
        first[0]["subjectStrategy"].value,
        first[0]["objectStrategy"].value,
        _label(first, "subjectStrategy"),
        _label(first, "objectStrategy"),
        status,
        rows,
    )


def _row(group: Sequence[Mapping[str, Term]]) -> MappingRow:
    first = group[0]
    return MappingRow(
        _alignment(group),
        _label(group, "subject"),
        _label(group, "object"),
        _label(group, "relation"),
        first["subjectStrategy"].value if "subjectSourceClass" in first else None,
        first["objectStrategy"].value if "objectSourceClass" in first else None,
    )


def _values(group: Sequence[Mapping[str, Term]], name: str) -> list[Term]:
    return sorted({r[name] for r in group if name in r}, key=lambda t: (t.kind, t.value, t.datatype or "", t.lang or ""))


def _one(group: Sequence[Mapping[str, Term]], name: str) -> Term | None:
    values = _values(group, name)
    if len(values) > 1:
        where = compact(group[0]["alignment"].value)
        raise SssomExportError(
            N_("%(alignment)s has %(count)s values of %(name)s (%(values)s); it takes one"),
            alignment=where,
            count=len(values),
            name=name,
            values=", ".join(v.value for v in values),
        )
    return values[0] if values else None


def _label(group: Sequence[Mapping[str, Term]], name: str) -> str:
    labels = _values(group, name + "Label")
    return labels[0].value if labels else compact(group[0][name].value)


def _alignment(group: Sequence[Mapping[str, Term]]) -> AlignmentRecord:
    where = compact(group[0]["alignment"].value)
    creators = _values(group, "creator")
    strength = _one(group, "strength")
    return AlignmentRecord(
        subject=group[0]["subject"].value,
        object=group[0]["object"].value,
        relation=_required(group, "relation").value,
        status=_required(group, "status").value,
        justification=_required(group, "justification").value,
        evidence=_evidence(group, where),
        strength=_integer(strength.value, where) if strength else None,
        creators=tuple(c.value for c in creators if c.kind == "uri"),
        creator_names=tuple(c.value for c in creators if c.kind == "literal"),
        created=_created_term(_one(group, "created"), where),
    )


def _required(group: Sequence[Mapping[str, Term]], name: str) -> Term:
    value = _one(group, name)
    if value is None:
        raise SssomExportError(N_("%(alignment)s has no %(name)s"), alignment=compact(group[0]["alignment"].value), name=name)
    return value


def _integer(text: str, where: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise SssomExportError(
            N_("%(alignment)s: kgo:strength %(value)r is not an integer"), alignment=where, value=text
        ) from None


def _evidence(group: Sequence[Mapping[str, Term]], where: str) -> str | None:
    evidence = _values(group, "evidence")
    if len(evidence) > 1 or any(e.lang != "en" for e in evidence):
        found = ", ".join(f"@{e.lang}" if e.lang else '""' for e in evidence)  # no English word in a translated text
        raise SssomExportError(
            N_("%(alignment)s has kgo:evidence %(found)s; SSSOM has one comment per mapping: keep one English evidence"),
            alignment=where,
            found=found,
        )
    return evidence[0].value if evidence else None


def _created_term(term: Term | None, where: str) -> tuple[str, str] | None:
    if term is None:
        return None
    if term.kind != "literal" or term.datatype not in (XSD_DATE, XSD_DATETIME):
        raise SssomExportError(
            N_("%(alignment)s: dcterms:created %(value)r is not an xsd:date or xsd:dateTime (SSSOM mapping_date)"),
            alignment=where,
            value=term.value,
        )
    return (term.value, term.datatype)


# ---------------------------------------------------------------------------------------------- export: write


@dataclass
class CurieMap:
    """Compacts IRIs with the project prefixes and remembers which prefixes the table used."""

    used: set[str] = field(default_factory=lambda: set(_ALWAYS_DECLARED))

    def __call__(self, iri: str) -> str:
        curie = compact(iri)
        prefix = curie.partition(":")[0]
        if curie != iri:
            self.used.add(prefix)
        return curie

    def declared(self) -> dict[str, str]:
        return {p: PREFIXES[p] for p in sorted(self.used)}


def write_sssom(mapping_set: AlignmentSet, out: TextIO, published: date) -> None:
    """Write one alignment set as SSSOM/TSV: the '#' YAML metadata block, a header, one row per alignment."""
    curie = CurieMap()
    rows = [_cells(row, curie) for row in mapping_set.rows]
    columns = [c for c in _COLUMNS if c in _REQUIRED or any(r.get(c) for r in rows)]
    out.write(_metadata_block(mapping_set, curie.declared(), published))
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[r.get(c, "") for c in columns] for r in rows])


def to_sssom(mapping_set: AlignmentSet, published: date) -> str:
    """The SSSOM/TSV text of one alignment set."""
    out = io.StringIO()
    write_sssom(mapping_set, out, published)
    return out.getvalue()


_COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "predicate_label",
    "object_id",
    "object_label",
    "mapping_justification",
    "author_id",
    "author_label",
    "mapping_date",
    "subject_source",
    "object_source",
    "comment",
    "other",
)
# Columns the importer reads: every column the exporter writes, and two it reads when another tool wrote them.
_READ = frozenset(_COLUMNS) | {"record_id", "predicate_modifier"}


def _cells(row: MappingRow, curie: CurieMap) -> dict[str, str]:
    a = row.alignment
    _check_creators(a)
    return {
        "subject_id": curie(a.subject),
        "subject_label": row.subject_label,
        "predicate_id": curie(a.relation),
        "predicate_label": row.relation_label,
        "object_id": curie(a.object),
        "object_label": row.object_label,
        "mapping_justification": curie(a.justification),
        "author_id": "|".join(curie(c) for c in a.creators),
        "author_label": "|".join(a.creator_names),
        "mapping_date": a.created[0][:10] if a.created else "",
        "subject_source": curie(row.subject_source) if row.subject_source else "",
        "object_source": curie(row.object_source) if row.object_source else "",
        "comment": a.evidence or "",
        "other": _other(a, curie),
    }


def _check_creators(a: AlignmentRecord) -> None:
    where = compact(a.iri)
    if a.creators and a.creator_names:
        raise SssomExportError(
            N_(
                "%(alignment)s has creators both as IRIs and as names; SSSOM's author_label labels author_id, "
                "so give every dcterms:creator as an IRI, or every one as a name"
            ),
            alignment=where,
        )
    if any("|" in name for name in a.creator_names):
        raise SssomExportError(
            N_("%(alignment)s: a dcterms:creator name contains '|', the SSSOM separator of multiple authors"), alignment=where
        )


def _other(a: AlignmentRecord, curie: CurieMap) -> str:
    pairs = [(STATUS, curie(a.status))]
    if a.strength is not None:
        pairs.append((STRENGTH, str(a.strength)))
    if a.created and a.created[1] == XSD_DATETIME:  # mapping_date holds only the day
        pairs.append((CREATED, a.created[0]))
    return "|".join(f"{curie(key)}={value}" for key, value in pairs)


def _metadata_block(mapping_set: AlignmentSet, curie_map: Mapping[str, str], published: date) -> str:
    metadata: dict[str, Any] = {
        "curie_map": dict(curie_map),
        "mapping_set_id": mapping_set.id,
        "mapping_set_title": mapping_set.title,
        "mapping_set_description": _DESCRIPTION,
        "license": LICENSE,
        "creator_label": ["kgservice"],
        "publication_date": published,
    }
    text = yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True, width=1000)
    return "".join("#" + line + "\n" for line in text.splitlines())


# ---------------------------------------------------------------------------------------------- import


@dataclass(frozen=True)
class ImportResult:
    """The alignments read from a table, and the filled columns that have no place in the model."""

    alignments: tuple[AlignmentRecord, ...]
    ignored_columns: tuple[str, ...]


@dataclass(frozen=True)
class _Context:
    source: str
    prefixes: Mapping[str, str]
    extension_columns: Mapping[str, str]  # property IRI -> column
    mapping_date: str | None  # set-level, propagated to rows without one


@dataclass(frozen=True)
class _TsvLine:
    number: int
    line: int
    cells: Mapping[str, str]
    context: _Context

    def error(self, column: str, message: str, /, **args: object) -> SssomFormatError:
        """The error at `column` of this row: `message` is a text of the catalogues, `args` its named arguments."""
        return SssomFormatError(self.context.source, message, self.number, self.line, column, **args)

    def text(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def iri(self, column: str, value: str | None = None) -> str:
        value = self.text(column) if value is None else value
        if not value:
            raise self.error(column, N_("is empty; SSSOM requires a value") if column in _REQUIRED else N_("is empty"))
        expanded = _expanded(value, self.context.prefixes)
        if isinstance(expanded, _NoIri):
            raise self.error(column, expanded.message, **expanded.args)
        return expanded


@dataclass(frozen=True)
class _NoIri:
    """Why a text is no IRI: a text of the catalogues (`message`) and its named arguments."""

    message: str
    args: Mapping[str, object]


def _expanded(value: str, prefixes: Mapping[str, str]) -> str | _NoIri:
    """The IRI of a CURIE (with `prefixes`) or of a full http(s) IRI, validated, or why it is none."""
    prefix, sep, local = value.partition(":")
    if value.startswith(("http://", "https://")):
        iri = value
    elif sep and prefix in prefixes:
        iri = prefixes[prefix] + local
    else:
        return _NoIri(N_("%(value)r is neither a CURIE with a prefix of the curie_map nor an http(s) IRI"), {"value": value})
    try:
        return ox.NamedNode(iri).value
    except ValueError as error:
        # pyoxigraph's reason is its own English text, given as it is.
        return _NoIri(N_("%(value)r is not a valid IRI: %(problem)s"), {"value": value, "problem": str(error)})


def expand_curie(value: str, prefixes: Mapping[str, str]) -> str:
    """The IRI of a CURIE (with `prefixes`) or of a full http(s) IRI, validated; ValueError says why not."""
    expanded = _expanded(value, prefixes)
    if isinstance(expanded, _NoIri):
        raise ValueError(expanded.message % expanded.args)
    return expanded


def read_sssom(text: str, source: str) -> ImportResult:
    """Read an SSSOM/TSV table (metadata block optional) into alignments; nothing is validated against the shapes."""
    metadata_lines, body = _split_metadata(text)
    metadata = _metadata(metadata_lines, source)
    context = _Context(source, _prefixes(metadata, source), _extension_columns(metadata, source), _set_date(metadata))
    header, rows = _table(body, len(metadata_lines), context)
    alignments = tuple(_read_alignment(row) for row in rows)
    _check_unique(alignments, rows)
    ignored = [c for c in header if c not in _READ and c not in context.extension_columns.values()]
    return ImportResult(alignments, tuple(c for c in ignored if any(r.text(c) for r in rows)))


def _split_metadata(text: str) -> tuple[list[str], str]:
    lines = text.removeprefix("\ufeff").splitlines(keepends=True)
    count = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    return [line[1:] for line in lines[:count]], "".join(lines[count:])


def _metadata(lines: Sequence[str], source: str) -> Mapping[str, Any]:
    try:
        metadata = yaml.safe_load("".join(lines)) if lines else {}
    except yaml.YAMLError as error:
        raise _yaml_error(error, source) from None
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise SssomFormatError(source, N_("the metadata block (lines starting with '#') must be a YAML mapping of SSSOM slots"))
    return metadata


def _yaml_error(error: yaml.YAMLError, source: str) -> SssomFormatError:
    """The error of a metadata block that is not YAML; PyYAML's problem is its own English text, given as it is."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    if mark is None:
        return SssomFormatError(
            source, N_("the metadata block (lines starting with '#') is not valid YAML: %(problem)s"), problem=problem
        )
    # YAML line n is file line n; its columns start after the '#'.
    return SssomFormatError(
        source,
        N_(
            "the metadata block (lines starting with '#') is not valid YAML: "
            "%(problem)s at line %(yaml_line)s, column %(yaml_column)s"
        ),
        problem=problem,
        yaml_line=mark.line + 1,
        yaml_column=mark.column + 2,
    )


def _prefixes(metadata: Mapping[str, Any], source: str) -> dict[str, str]:
    curie_map = metadata.get("curie_map") or {}
    if not isinstance(curie_map, dict) or not all(isinstance(v, str) for v in curie_map.values()):
        raise SssomFormatError(source, N_("curie_map in the metadata block must map each prefix to an IRI string"))
    return {**SSSOM_BUILT_IN, **{str(k): v for k, v in curie_map.items()}}


def _extension_columns(metadata: Mapping[str, Any], source: str) -> dict[str, str]:
    """Declared SSSOM extension slots whose property is one the importer understands: property IRI -> column."""
    prefixes = _prefixes(metadata, source)
    found: dict[str, str] = {}
    for definition in metadata.get("extension_definitions") or []:
        if not isinstance(definition, dict) or "slot_name" not in definition:
            raise SssomFormatError(source, N_("each extension_definitions entry needs a slot_name (and a property)"))
        try:
            prop = expand_curie(str(definition.get("property", "")), prefixes)
        except ValueError:
            continue  # an extension we do not know cannot be one of ours
        if prop in (STATUS, STRENGTH, CREATED):
            found[prop] = str(definition["slot_name"])
    return found


def _set_date(metadata: Mapping[str, Any]) -> str | None:
    value = metadata.get("mapping_date")
    return str(value) if value else None


def _table(body: str, offset: int, context: _Context) -> tuple[list[str], list[_TsvLine]]:
    reader = csv.reader(io.StringIO(body), delimiter="\t")
    header = [c.strip() for c in next(reader, [])]
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise SssomFormatError(
            context.source,
            N_("the header (line %(header_line)s) lacks column %(missing)s; SSSOM requires %(required)s"),
            header_line=offset + 1,
            missing=", ".join(missing),
            required=", ".join(_REQUIRED),
        )
    rows: list[_TsvLine] = []
    for cells in reader:
        if any(c.strip() for c in cells):
            rows.append(_make_row(cells, len(rows) + 1, offset + reader.line_num, header, context))
    return header, rows


def _make_row(cells: Sequence[str], number: int, line: int, header: Sequence[str], context: _Context) -> _TsvLine:
    if len(cells) != len(header):
        raise SssomFormatError(
            context.source,
            N_("%(cells)s cells, but the header has %(columns)s columns"),
            number,
            line,
            cells=len(cells),
            columns=len(header),
        )
    return _TsvLine(number, line, dict(zip(header, cells, strict=True)), context)


def _read_alignment(row: _TsvLine) -> AlignmentRecord:
    if row.text("predicate_modifier"):
        raise row.error(
            "predicate_modifier", N_("%(value)r: a negated mapping is no kgo:Alignment"), value=row.text("predicate_modifier")
        )
    extras = _extras(row)
    subject, object_ = row.iri("subject_id"), row.iri("object_id")
    _check_pattern(row, subject, object_)
    creators, names = _authors(row)
    return AlignmentRecord(
        subject=subject,
        object=object_,
        relation=row.iri("predicate_id"),
        status=row.iri(extras[STATUS][0], extras[STATUS][1]) if STATUS in extras else KGO + "Suggested",
        justification=row.iri("mapping_justification"),
        evidence=row.text("comment") or None,
        strength=_read_strength(row, extras.get(STRENGTH)),
        creators=creators,
        creator_names=names,
        created=_read_created(row, extras.get(CREATED)),
    )


def _check_pattern(row: _TsvLine, subject: str, object_: str) -> None:
    """Both ends under id/, as alignment_iri needs them; checked here for a text of the catalogues."""
    for column, iri in (("subject_id", subject), ("object_id", object_)):
        if not iri.startswith(ID):
            raise row.error(
                column,
                NOT_UNDER_ID,
                iri=iri,
                base=ID,
            )


def _extras(row: _TsvLine) -> dict[str, tuple[str, str]]:
    """Status, strength and created from `other` ("prop=value|...") and declared extension columns: prop -> (column, value)."""
    found: dict[str, tuple[str, str]] = {}
    for pair in row.text("other").split("|"):
        key, sep, value = pair.partition("=")
        try:
            prop = expand_curie(key.strip(), row.context.prefixes) if sep else ""
        except ValueError:
            continue  # foreign key-value pairs are not ours to read
        if prop in (STATUS, STRENGTH, CREATED):
            found[prop] = ("other", value.strip())
    for prop, column in row.context.extension_columns.items():
        if row.text(column):
            found[prop] = (column, row.text(column))
    return found


def _read_strength(row: _TsvLine, extra: tuple[str, str] | None) -> int | None:
    if extra is None:
        return None
    try:
        return int(extra[1])
    except ValueError:
        raise row.error(extra[0], N_("kgo:strength %(value)r is not an integer (-3..+3)"), value=extra[1]) from None


def _read_created(row: _TsvLine, extra: tuple[str, str] | None) -> tuple[str, str] | None:
    if extra is not None:
        return _parse_date(row, extra[0], extra[1])
    if row.text("mapping_date"):
        return _parse_date(row, "mapping_date", row.text("mapping_date"))
    return _parse_date(row, "mapping_date", row.context.mapping_date) if row.context.mapping_date else None


def _parse_date(row: _TsvLine, column: str, value: str) -> tuple[str, str]:
    try:
        if "T" in value:
            datetime.fromisoformat(value)
            return (value, XSD_DATETIME)
        date.fromisoformat(value)
        return (value, XSD_DATE)
    except ValueError:
        raise row.error(column, N_("%(value)r is not a date (YYYY-MM-DD) or date-time"), value=value) from None


def _authors(row: _TsvLine) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """author_id gives IRIs (author_label then only labels them); without it, author_label gives names."""
    ids = [v.strip() for v in row.text("author_id").split("|") if v.strip()]
    if ids:
        return tuple(sorted(row.iri("author_id", v) for v in ids)), ()
    return (), tuple(sorted(v.strip() for v in row.text("author_label").split("|") if v.strip()))


def _check_unique(alignments: Sequence[AlignmentRecord], rows: Sequence[_TsvLine]) -> None:
    seen: dict[str, _TsvLine] = {}
    for alignment, row in zip(alignments, rows, strict=True):
        if alignment.iri in seen:
            raise row.error(
                "object_id",
                N_(
                    "same subject_id and object_id as row %(first)s: "
                    "one alignment per pair (its IRI is id/alignment/{subject}--{object})"
                ),
                first=seen[alignment.iri].number,
            )
        seen[alignment.iri] = row


# ---------------------------------------------------------------------------------------------- to RDF


def alignments_graph(alignments: Iterable[AlignmentRecord]) -> Graph:
    """The kgo:Alignment nodes, named by the IRI pattern of docs/modelling.md."""
    graph = Graph()
    for prefix in ("kgo", "kgd", "semapv", "dcterms", "xsd"):
        graph.bind(prefix, Namespace(PREFIXES[prefix]))
    for alignment in alignments:
        _add_alignment(graph, alignment)
    return graph


def _add_alignment(graph: Graph, a: AlignmentRecord) -> None:
    node, kgo = URIRef(a.iri), Namespace(KGO)
    graph.add((node, RDF.type, kgo.Alignment))
    for prop, value in (
        (kgo.subjectElement, a.subject),
        (kgo.objectElement, a.object),
        (kgo.relation, a.relation),
        (kgo.alignmentStatus, a.status),
        (kgo.justification, a.justification),
    ):
        graph.add((node, prop, URIRef(value)))
    if a.evidence is not None:
        graph.add((node, kgo.evidence, Literal(a.evidence, lang="en")))
    if a.strength is not None:
        graph.add((node, kgo.strength, Literal(str(a.strength), datatype=XSD.integer)))
    for creator in a.creators:
        graph.add((node, DCTERMS.creator, URIRef(creator)))
    for name in a.creator_names:
        graph.add((node, DCTERMS.creator, Literal(name)))
    if a.created is not None:
        graph.add((node, DCTERMS.created, Literal(a.created[0], datatype=URIRef(a.created[1]))))
