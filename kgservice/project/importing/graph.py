"""The RDF of an imported document, modelled as the curated data is (docs/modelling.md): the document with
only the metadata given, its elements with their source-language labels, and for every fact an excerpt
citing the lines of the stored rendering (and the page, or the sheet and row) with a quote found there."""

from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from kgservice.errors import ImportRefused
from kgservice.project.importing.model import ImportedDocument, ParsedElement, Quote, SourceRef
from kgservice.rdf import namespaces as ns

KGO, SKOS, DCT, DCAT = Namespace(ns.KGO), Namespace(ns.SKOS), Namespace(ns.DCTERMS), Namespace(ns.DCAT)
PROV, OA = Namespace(ns.PROV), Namespace(ns.OA)
LANG = Namespace("http://publications.europa.eu/resource/authority/language/")
SRC = Namespace(ns.PREFIXES["src"])

LANGUAGE_IRIS = {"cs": LANG.CES, "pl": LANG.POL, "en": LANG.ENG}
LEVELS = {
    "municipal": KGO.MunicipalLevel,
    "regional": KGO.RegionalLevel,
    "national": KGO.NationalLevel,
    "eu": KGO.EUProgrammeLevel,
}
STATUSES = {"draft": KGO.Draft, "approved": KGO.Approved}
_PERIOD = re.compile(r"^(\d{4})(?:\s*(\+)|\s*[-\u2013]\s*(\d{4}))?$")

# What a user reads, in one place (named arguments, so that the texts can be translated).
TEXT = {
    "not_iri": "%(value)s is not an IRI, a %(prefix)s: name or a slug",
    "not_one_of": "%(value)s is not one of %(choices)s",
    "period": "%(value)s is not a period: write 2021, 2021-2027 or 2021+",
}


def _vocabulary_iri(value: str, prefix: str, option: str) -> URIRef:
    """An IRI, a prefixed name or a slug of the shared vocabulary `prefix` (terr:, orgs:)."""
    expanded = ns.expand(value.strip())
    if expanded.startswith(("https://", "http://")):
        return URIRef(expanded)
    if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value.strip()):
        return URIRef(ns.PREFIXES[prefix] + value.strip())
    raise ImportRefused(option, TEXT["not_iri"], value=repr(value), prefix=prefix)


def _choice(value: str, table: dict[str, URIRef], option: str) -> URIRef:
    key = value.strip().lower().removeprefix("kgo:").removesuffix("level")
    for name, iri in table.items():
        if key in (name, str(iri).rsplit("#", 1)[-1].lower().removesuffix("level")):
            return iri
    raise ImportRefused(option, TEXT["not_one_of"], value=repr(value), choices=", ".join(table))


def _period(graph: Graph, doc: URIRef, period: str) -> None:
    match = _PERIOD.match(period.strip())
    if match is None:
        raise ImportRefused("--period", TEXT["period"], value=repr(period))
    node = BNode()
    graph.add((doc, DCT.temporal, node))
    graph.add((node, RDF.type, DCT.PeriodOfTime))
    graph.add((node, DCAT.startDate, Literal(match.group(1), datatype=XSD.gYear)))
    if match.group(3):
        graph.add((node, DCAT.endDate, Literal(match.group(3), datatype=XSD.gYear)))


def _excerpt(graph: Graph, subject: URIRef, source: URIRef, quote: Quote, ref: SourceRef) -> None:
    excerpt, selector = BNode(), BNode()
    graph.add((subject, PROV.wasDerivedFrom, excerpt))
    graph.add((excerpt, RDF.type, KGO.SourceExcerpt))
    graph.add((excerpt, OA.hasSource, source))
    graph.add((excerpt, KGO.startLine, Literal(quote.start_line)))
    graph.add((excerpt, KGO.endLine, Literal(quote.end_line)))
    if ref.page is not None:
        graph.add((excerpt, KGO.page, Literal(ref.page)))
    if ref.row is not None:
        graph.add((excerpt, KGO.row, Literal(ref.row)))
    if ref.sheet is not None:
        graph.add((excerpt, KGO.sheet, Literal(ref.sheet)))
    graph.add((excerpt, OA.hasSelector, selector))
    graph.add((selector, RDF.type, OA.TextQuoteSelector))
    graph.add((selector, OA.exact, Literal(quote.exact)))


def _source_file(graph: Graph, document: ImportedDocument, sources_path: str) -> URIRef:
    source = SRC[document.source_stem]
    graph.add((source, RDF.type, KGO.SourceFile))
    graph.add((source, KGO.filePath, Literal(f"{sources_path}/{document.source_stem}.txt")))
    graph.add((source, KGO.originalFilePath, Literal(f"{sources_path}/{document.original_name}")))
    graph.add((source, DCT.language, LANGUAGE_IRIS[document.language]))
    if document.title:
        graph.add((source, DCT.title, Literal(document.title, lang=document.language)))
    return source


def _document(graph: Graph, document: ImportedDocument, source: URIRef, refs: dict[int, SourceRef]) -> None:
    doc, meta, lang = URIRef(document.iri), document.meta, document.language
    graph.add((doc, RDF.type, KGO.StrategyDocument))
    graph.add((doc, DCT.language, LANGUAGE_IRIS[lang]))
    if document.title:
        graph.add((doc, DCT.title, Literal(document.title, lang=lang)))
        graph.add((doc, SKOS.prefLabel, Literal(document.title, lang=lang)))
    if meta.level:
        graph.add((doc, KGO.planningLevel, _choice(meta.level, LEVELS, "--level")))
    if meta.status:
        graph.add((doc, KGO.documentStatus, _choice(meta.status, STATUSES, "--status")))
    for territory in meta.territory:
        graph.add((doc, DCT.spatial, _vocabulary_iri(territory, "terr", "--territory")))
    if meta.issuer:
        graph.add((doc, DCT.publisher, _vocabulary_iri(meta.issuer, "orgs", "--issuer")))
    if meta.period:
        _period(graph, doc, meta.period)
    line = document.title_line or _first_line(document.rendering)
    text = document.rendering.splitlines()[line - 1].strip()
    exact = document.title if document.title and document.title_line else text
    _excerpt(graph, doc, source, Quote(line, line, exact), refs.get(line) or SourceRef(document.file_name, line, line))


def _first_line(rendering: str) -> int:
    return next((n for n, line in enumerate(rendering.splitlines(), 1) if line.strip()), 1)


def _element(graph: Graph, element: ParsedElement, source: URIRef, lang: str, refs: dict[int, SourceRef]) -> None:
    subject = URIRef(element.iri)
    graph.add((subject, RDF.type, KGO[element.type]))
    graph.add((subject, KGO.partOf, URIRef(element.parent)))
    datatype = KGO.AssignedNotation if element.notation_assigned else None
    graph.add((subject, SKOS.notation, Literal(element.notation, datatype=datatype)))
    graph.add((subject, SKOS.prefLabel, Literal(element.label, lang=lang)))
    if element.description:
        graph.add((subject, DCT.description, Literal(element.description, lang=lang)))
    for iri in element.responsible:
        graph.add((subject, KGO.responsible, URIRef(iri)))
    for iri in element.target_groups:
        graph.add((subject, KGO.targetGroup, URIRef(iri)))
    for quote in element.quotes:
        ref = refs.get(quote.start_line) or element.source
        _excerpt(graph, subject, source, quote, ref)


def document_graph(document: ImportedDocument, sources_path: str) -> Graph:
    """The document, its source file and its elements, as RDF."""
    graph = Graph()
    for prefix in ("kgo", "kgd", "src", "skos", "dcterms", "dcat", "prov", "oa", "xsd"):
        graph.bind(prefix, ns.PREFIXES[prefix])
    graph.bind("lang", str(LANG))
    refs = document.line_refs()
    source = _source_file(graph, document, sources_path)
    _document(graph, document, source, refs)
    for element in document.elements:
        _element(graph, element, source, document.language, refs)
    return graph


def turtle(document: ImportedDocument, sources_path: str) -> bytes:
    return document_graph(document, sources_path).serialize(format="turtle", encoding="utf-8")
