"""The ontology at its namespace: https://w3id.org/kgservice/ontology# is served at /ontology, as a page for
a browser (every class and property with its cs/pl/en labels, definitions and the shapes that apply) and as
Turtle, RDF/XML, JSON-LD or N-Triples for any other client (Accept or ?format=). A term's IRI
(/ontology#Measure) needs nothing more; /ontology/Measure, and a module's IRI (/ontology/actors), are
sent there with 303 See Other."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from kgservice.errors import NotAcceptable, NotFound
from kgservice.interfaces.deps import FormatParam
from kgservice.interfaces.web.ontology_view import OntologyDoc, read_ontology
from kgservice.interfaces.web.routers.sources import layout_of
from kgservice.interfaces.web.templating import render
from kgservice.rdf.media import choose, requested
from kgservice.rdf.namespaces import KGO
from kgservice.translation import N_

router = APIRouter(tags=["Web pages"])

HTML = "text/html"
RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}


async def ontology_doc(request: Request) -> OntologyDoc:
    """The documented ontology of this app, read from its files on first use and kept on app.state."""
    state = request.app.state
    if getattr(state, "ontology_doc", None) is None:
        layout = layout_of(request)
        state.ontology_doc = await run_in_threadpool(read_ontology, layout.ontology_dir, layout.shapes_dir)
    doc: OntologyDoc = state.ontology_doc
    return doc


def _serialize(doc: OntologyDoc, rdf_format: str) -> bytes:
    return doc.graph.serialize(format=rdf_format, encoding="utf-8")


@router.get("/ontology", summary="The ontology: HTML for browsers, RDF for other clients", response_class=Response)
async def ontology(request: Request, format_: FormatParam = None) -> Response:
    """The kgo: vocabulary documented (text/html) or as Turtle, RDF/XML, JSON-LD or N-Triples."""
    available = [*RDF_FORMATS, HTML]
    media = choose(requested(format_, request.headers.get("accept")), available)
    if media is None:
        raise NotAcceptable(N_("the ontology is available as: %(formats)s"), formats=", ".join(available))
    doc = await ontology_doc(request)
    response: Response
    if media == HTML:
        response = render(request, "ontology.html", doc=doc, kgo=KGO)
    else:
        body = await run_in_threadpool(_serialize, doc, RDF_FORMATS[media])
        response = Response(body, media_type=media)
    response.headers["Vary"] = "Accept, Cookie, Accept-Language"
    return response


@router.get(
    "/ontology/{name}", summary="A term or module of the ontology: 303 to its place on /ontology", response_class=Response
)
async def ontology_term(request: Request, name: str) -> Response:
    """/ontology/Measure -> /ontology#Measure; /ontology/actors -> /ontology#module-actors; 404 for a name the ontology lacks."""
    doc = await ontology_doc(request)
    if doc.find(name) is not None:
        fragment = name
    elif name in doc.modules:
        fragment = f"module-{name}"
    else:
        raise NotFound(N_("the ontology has no term or module %(name)s"), name=repr(name))
    lang = request.query_params.get("lang")
    query = f"?lang={lang}" if lang in ("cs", "pl", "en") else ""
    return RedirectResponse(f"/ontology{query}#{fragment}", status_code=303)
