"""The index of the shared schemes: /themes and /target-groups list every concept as a tree (broader above
narrower), with how many strategy elements carry it (or a narrower concept) in how many strategies, and the
elements tagged with it directly, linked to their pages."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from fastapi import APIRouter, Request, Response

from kgservice.interfaces.web.data import PageData, PageDataDep, natural_key
from kgservice.interfaces.web.i18n import page_language
from kgservice.interfaces.web.templating import render
from kgservice.rdf.namespaces import ID
from kgservice.rdf.terms import Record

router = APIRouter(tags=["Web pages"])
SCHEMES = {"themes": ID + "theme", "target-groups": ID + "target-group"}


@dataclass
class ConceptNode:
    """A concept with its counts, the elements tagged with it directly, and its narrower concepts."""

    row: Record
    elements: list[Record] = field(default_factory=list)
    children: list[ConceptNode] = field(default_factory=list)


def _label(row: Record) -> str:
    term = row.get("label")
    return term.value.casefold() if term else ""


def concept_tree(concepts: list[Record], tagged: list[Record]) -> list[ConceptNode]:
    """The concepts as a forest under their broader concepts, each level by label; elements by strategy and notation."""
    nodes = {row["concept"].value: ConceptNode(row) for row in concepts}
    for row in sorted(
        tagged,
        key=lambda r: (
            (r.get("strategy") and r["strategy"].value) or "",
            natural_key((r.get("notation") and r["notation"].value) or ""),
        ),
    ):
        if row["concept"].value in nodes:
            nodes[row["concept"].value].elements.append(row)
    top: list[ConceptNode] = []
    for node in sorted(nodes.values(), key=lambda n: _label(n.row)):
        broader = node.row.get("broader")
        (nodes[broader.value].children if broader and broader.value in nodes else top).append(node)
    return top


async def _index(request: Request, data: PageData, which: str) -> Response:
    lang = page_language(request)
    scheme = SCHEMES[which]
    concepts, tagged, header = await asyncio.gather(
        data.rows("concept-index", scheme=scheme, lang=lang),
        data.rows("concept-elements", scheme=scheme, lang=lang),
        data.rows("entity-header", resource=scheme, lang=lang),
    )
    title = header[0]["label"].value if header and "label" in header[0] else which
    return render(
        request,
        "concepts.html",
        title=title,
        scheme=scheme,
        which=which,
        tree=concept_tree(concepts, tagged),
        total=len(concepts),
    )


@router.get("/themes", summary="The themes of the shared scheme and what addresses them (HTML)", response_class=Response)
async def themes(request: Request, data: PageDataDep) -> Response:
    """Every theme as a tree, with the elements of every strategy tagged with it."""
    return await _index(request, data, "themes")


@router.get(
    "/target-groups", summary="The target groups of the shared scheme and what serves them (HTML)", response_class=Response
)
async def target_groups(request: Request, data: PageDataDep) -> Response:
    """Every target group as a tree, with the elements of every strategy tagged with it."""
    return await _index(request, data, "target-groups")
