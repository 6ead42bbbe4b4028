"""The page language (cs, pl, en): chosen by ?lang=, a cookie or Accept-Language; the words of the pages
come from the gettext catalogues (kgservice.translation), labels from the graph fall back to English in
the queries.

How to add a word to a page: write it in the template as `{{ _("Search") }}` (with a number:
`{% trans count=n %}{{ count }} result{% pluralize %}{{ count }} results{% endtrans %}`; with a value:
`{{ _("Stated for %(name)s", name=x) }}`), in a router as `translator(lang).gettext("...")`; then run
`make catalogues` and fill its msgstr in kgservice/locale/{cs,pl,en}/LC_MESSAGES/kgservice.po
(tests/test_translation.py fails until every language has it). Labels of other vocabularies' terms are
`w.term(iri)`.
"""

from __future__ import annotations

from fastapi import Request

from kgservice.rdf.namespaces import compact
from kgservice.translation import DEFAULT, LANGUAGES, N_, translator

__all__ = ["COOKIE", "DEFAULT", "LANGUAGES", "Words", "page_language", "term_label"]

COOKIE = "lang"

# Labels of the properties and values from other vocabularies (the ontology labels its own terms), translated
# through the catalogues.
_TERMS: dict[str, str] = {
    "rdf:type": N_("type"),
    "dcterms:contributor": N_("contributor"),
    "dcterms:created": N_("created"),
    "dcterms:creator": N_("creator"),
    "dcterms:dateAccepted": N_("date accepted"),
    "dcterms:isVersionOf": N_("edition of"),
    "dcterms:language": N_("language"),
    "dcterms:publisher": N_("publisher"),
    "dcterms:replaces": N_("replaces"),
    "dcterms:spatial": N_("territory"),
    "skos:altLabel": N_("also called"),
    "skos:broader": N_("broader concept"),
    "skos:definition": N_("definition"),
    "skos:editorialNote": N_("editorial note"),
    "skos:hasTopConcept": N_("top concept"),
    "skos:inScheme": N_("in scheme"),
    "skos:note": N_("note"),
    "skos:topConceptOf": N_("top concept of"),
    "org:member": N_("member"),
    "org:memberOf": N_("member of"),
    "org:organization": N_("organisation"),
    "org:role": N_("role"),
    "org:subOrganizationOf": N_("part of organisation"),
    "org:unitOf": N_("unit of"),
    "foaf:familyName": N_("family name"),
    "foaf:name": N_("name"),
    "foaf:title": N_("title"),
    "skos:Concept": N_("concept"),
    "skos:ConceptScheme": N_("concept scheme"),
    "org:Organization": N_("organisation"),
    "org:OrganizationalUnit": N_("organisational unit"),
    "org:Membership": N_("membership"),
    "foaf:Person": N_("person"),
    "cv:PublicOrganisation": N_("public organisation"),
    "http://publications.europa.eu/resource/authority/language/CES": N_("Czech"),
    "http://publications.europa.eu/resource/authority/language/POL": N_("Polish"),
    "http://publications.europa.eu/resource/authority/language/ENG": N_("English"),
}


def term_label(key: str, lang: str) -> str | None:
    """The label of a term of another vocabulary (compact name or IRI) in `lang`; None if unknown."""
    english = _TERMS.get(key)
    return None if english is None else translator(lang).gettext(english)


class Words:
    """The labels of other vocabularies' terms in one page language, for templates: `w.term(iri)`. The words
    of the pages themselves are `_("...")` in the templates."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def term(self, iri: str) -> str | None:
        """The label of a property or value of another vocabulary, by full IRI; None if unknown."""
        return term_label(compact(iri), self.lang) or term_label(iri, self.lang)


def _from_accept_language(header: str | None) -> str | None:
    for part in (header or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return None


def page_language(request: Request) -> str:
    """The language asked for by ?lang=, else the remembered cookie, else the browser's Accept-Language, else English."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if candidate and candidate.lower() in LANGUAGES:
            return candidate.lower()
    return _from_accept_language(request.headers.get("accept-language")) or DEFAULT
