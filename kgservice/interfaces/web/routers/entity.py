"""Every IRI of our namespace, https://w3id.org/kgservice/id/..., dereferenced at /id/...: an HTML page for
a browser, the resource's description (its triples and its excerpt blank nodes) in Turtle, JSON-LD,
N-Triples or RDF/XML for any other client, by content negotiation or ?format=."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field

from fastapi import APIRouter, Request, Response

from kgservice.errors import NotAcceptable, NotFound, ParameterError
from kgservice.interfaces.deps import FormatParam
from kgservice.interfaces.web.alignment_sections import alignment_sections
from kgservice.interfaces.web.data import PageData, PageDataDep, natural_key
from kgservice.interfaces.web.i18n import page_language
from kgservice.interfaces.web.templating import render
from kgservice.rdf.media import choose, requested
from kgservice.rdf.namespaces import ID, KGO, compact
from kgservice.rdf.terms import Record, Term
from kgservice.translation import N_, translator

router = APIRouter(tags=["Web pages"])

HTML = "text/html"
RDF_MEDIA = ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DOCUMENT = KGO + "StrategyDocument"
ROLE_ORDER = {KGO + "responsible": 0, KGO + "coImplementer": 1, KGO + "partner": 2}


@dataclass
class OutlineNode:
    """One element of a strategy's outline with the elements directly below it."""

    row: Record
    children: list[OutlineNode] = field(default_factory=list)


def _notation(row: Record, key: str = "notation") -> tuple[tuple[int, int | str], ...]:
    term = row.get(key)
    return natural_key(term.value if term else "")


def outline(strategy: str, rows: list[Record]) -> list[OutlineNode]:
    """The outline rows (element, parent) as a tree under the strategy, each level in notation order."""
    nodes = {row["element"].value: OutlineNode(row) for row in rows}
    top: list[OutlineNode] = []
    for node in sorted(nodes.values(), key=lambda n: _notation(n.row)):
        parent = node.row["parent"].value
        (top if parent == strategy or parent not in nodes else nodes[parent].children).append(node)
    return top


def group_facts(rows: list[Record]) -> tuple[list[Record], dict[str, tuple[Term | None, list[Record]]]]:
    """The kinds (rdf:type rows) apart, and the other facts grouped by property, in query order."""
    kinds = [r for r in rows if r["property"].value == RDF_TYPE]
    grouped: dict[str, tuple[Term | None, list[Record]]] = {}
    for row in rows:
        prop = row["property"].value
        if prop != RDF_TYPE:
            grouped.setdefault(prop, (row.get("propertyLabel"), []))[1].append(row)
    return kinds, grouped


def page_title(header: Record, properties: dict[str, tuple[Term | None, list[Record]]], iri: str, lang: str) -> str:
    """The label of the resource; for an alignment, which has none, "Alignment: subject → object"."""
    if "label" in header:
        return header["label"].value
    ends = [properties.get(KGO + end, (None, []))[1] for end in ("subjectElement", "objectElement")]
    if all(ends):
        subject, target = (_end_label(rows[0]) for rows in ends)
        return translator(lang).gettext("Alignment: %(subject)s → %(object)s", subject=subject, object=target)
    return compact(iri)


def _end_label(row: Record) -> str:
    label = row.get("valueLabel")
    return label.value if label else compact(row["value"].value)


def by_alignment(rows: list[Record]) -> dict[str, list[Record]]:
    """The source lines (file, start, end) of each alignment, by alignment IRI."""
    found: dict[str, list[Record]] = defaultdict(list)
    for row in rows:
        found[row["alignment"].value].append(row)
    return dict(found)


async def _page_rows(data: PageData, iri: str, lang: str, is_document: bool) -> dict[str, list[Record]]:
    names = ["entity-header", "entity-breadcrumbs", "entity-alignments", "entity-references"]
    queries = {name: data.rows(name, resource=iri, lang=lang) for name in names}
    queries["entity-excerpts"] = data.rows("entity-excerpts", resource=iri)
    queries["entity-alignment-sources"] = data.rows("entity-alignment-sources", resource=iri)
    queries["element-actors"] = data.rows("element-actors", element=iri, lang=lang)
    if is_document:
        queries["strategy-outline"] = data.rows("strategy-outline", strategy=iri, lang=lang)
        queries["kind-labels"] = data.rows("kind-labels", lang=lang)
    else:
        queries["entity-children"] = data.rows("entity-children", resource=iri, lang=lang)
    answers = await asyncio.gather(*queries.values())
    return dict(zip(queries, answers, strict=True))


async def entity_page(request: Request, data: PageData, iri: str) -> Response:
    lang = page_language(request)
    facts = await data.rows("entity-facts", resource=iri, lang=lang)
    kinds, properties = group_facts(facts)
    is_document = any(k["value"].value == DOCUMENT for k in kinds)
    found = await _page_rows(data, iri, lang, is_document)
    kind_labels = {r["kind"].value: r["label"].value for r in found.get("kind-labels", []) if "label" in r}
    header = (found["entity-header"] or [{}])[0]
    return render(
        request,
        "entity.html",
        iri=iri,
        page_title=page_title(header, properties, iri, lang),
        header=header,
        kinds=kinds,
        properties=properties,
        breadcrumbs=found["entity-breadcrumbs"],
        ancestors={row["ancestor"].value: row for row in found["entity-breadcrumbs"]},
        children=found.get("entity-children", []),
        outline=outline(iri, found.get("strategy-outline", [])),
        kind_labels=kind_labels,
        actors=sorted(found["element-actors"], key=lambda r: ROLE_ORDER.get(r["role"].value, 9)),
        alignments=alignment_sections(found["entity-alignments"], lang),
        references=found["entity-references"],
        excerpts=found["entity-excerpts"],
        alignment_sources=by_alignment(found["entity-alignment-sources"]),
        formats={"Turtle": "turtle", "JSON-LD": "jsonld", "N-Triples": "nt", "RDF/XML": "rdfxml"},
    )


@router.get(
    "/id/{path:path}", summary="A resource of the graph: HTML for browsers, RDF for other clients", response_class=Response
)
async def entity(path: str, request: Request, data: PageDataDep, format_: FormatParam = None) -> Response:
    """The page (text/html) or the description (Turtle, JSON-LD, N-Triples, RDF/XML) of https://w3id.org/kgservice/id/{path}."""
    media = choose(requested(format_, request.headers.get("accept")), [*RDF_MEDIA, HTML])
    if media is None:
        raise NotAcceptable(N_("resources are available as: %(formats)s"), formats=", ".join([*RDF_MEDIA, HTML]))
    iri = ID + path
    try:
        known = bool(path) and await data.ask("entity-exists", resource=iri)
    except ParameterError:
        known = False
    if not known and media == HTML:
        return render(request, "not_found.html", status_code=404, iri=iri)
    if not known:
        raise NotFound(N_("the graph holds nothing about <%(iri)s>"), iri=iri)
    if media == HTML:
        return await entity_page(request, data, iri)
    described = await data.graph("entity-describe", media, resource=iri)
    return Response(described.body, media_type=described.media_type, headers={"Vary": "Accept"})
