"""The page language (cs, pl, en): chosen by ?lang=, a cookie or Accept-Language; the words of the pages
come from the gettext catalogues (kgservice.translation), labels from the graph fall back to English in
the queries.

How to add a word to a page: write it in the template as `{{ _("Search") }}` (with a number:
`{% trans count=n %}{{ count }} result{% pluralize %}{{ count }} results{% endtrans %}`; with a value:
`{{ _("Stated for %(name)s", name=x) }}`), in a router as `translator(lang).gettext("...")`; then run
`make catalogues` and fill its msgstr in kgservice/locale/{cs,pl,en}/LC_MESSAGES/kgservice.po
(tests/test_translation.py fails until every language has it). `w.key` still reads the words of `_WORDS`
below, a transitional table: move them into the catalogues.
"""

from __future__ import annotations

from fastapi import Request

from kgservice.rdf.namespaces import compact
from kgservice.translation import DEFAULT, LANGUAGES, N_, translator

__all__ = ["COOKIE", "DEFAULT", "LANGUAGES", "Words", "page_language", "term_label"]

COOKIE = "lang"

# Transitional: words of pages written before the catalogues, {key: {lang: text}}; new words go to the catalogues.
_WORDS: dict[str, dict[str, str]] = {}

# Transitional: the keys `w.key` had before the catalogues, to the English text (the msgid) they now read.
_KEYS: dict[str, str] = {
    "accept": N_("Accept"),
    "actor": N_("Actor"),
    "actors": N_("Actors"),
    "aligned_measures": N_("measures that support a priority"),
    "alignment_of": N_("Alignment"),
    "alignments_in": N_("Alignments in"),
    "alignments_out": N_("Alignments out"),
    "all_levels": N_("every level of the higher strategy"),
    "api": N_("API"),
    "by_reference": N_("known only by reference"),
    "candidates": N_("candidates"),
    "checked_in": N_("checked in"),
    "children": N_("Contains"),
    "choose_strength": N_("strength…"),
    "choose_two": N_("Choose a local strategy and a higher-level strategy."),
    "coherence": N_("Coherence"),
    "confidence": N_("Confidence"),
    "conflicts": N_("conflicts"),
    "conforms": N_("The graph conforms to every SHACL shape."),
    "context_words": N_("parent-context words"),
    "coverage": N_("Coverage of priorities"),
    "covered_priorities": N_("priorities covered"),
    "creator": N_("Suggested / judged by"),
    "date": N_("Date"),
    "declared_on": N_("Stated for"),
    "direct": N_("direct"),
    "done_accepted": N_("Suggestion accepted."),
    "done_rejected": N_("Suggestion rejected."),
    "done_stored": N_("Suggestions stored:"),
    "download": N_("Download as"),
    "editor": N_("Query editor"),
    "editor_help": N_(
        "Click a query to open it in a new tab; run it with ▶. Parameter slots VALUES ?x { UNDEF } mean “any value”."
    ),
    "editor_missing": N_("The editor (YASGUI) is not built: run `make vendor` (needs npm)."),
    "element": N_("Element"),
    "elements": N_("Elements"),
    "evidence": N_("Evidence"),
    "export_csv": N_("Matrix as CSV"),
    "focus_node": N_("Focus node"),
    "gaps": N_("Gaps"),
    "graph_version": N_("graph version"),
    "higher": N_("Higher-level strategy"),
    "higher_element": N_("Higher-level element"),
    "ignored": N_("suggested alignments (not counted)"),
    "inherited": N_("inherited"),
    "inherited_link": N_("through a parent or sub-element"),
    "intro": N_("A knowledge graph of public development strategies: every fact points to the lines of its source document."),
    "issuer": N_("Issuer"),
    "language": N_("Language"),
    "legend": N_("Legend"),
    "level": N_("Level"),
    "line": N_("line"),
    "lines": N_("lines"),
    "local": N_("Local strategy"),
    "local_element": N_("Local element"),
    "matrix": N_("Alignment matrix"),
    "measure": N_("Measure"),
    "measures": N_("local measures"),
    "message": N_("Message"),
    "named_queries": N_("Named queries"),
    "need_reviewer": N_("Enter the reviewer's name."),
    "need_strength": N_("Choose a strength (-3 to +3) first."),
    "needs_js": N_("Judging suggestions needs JavaScript; reading them does not."),
    "network": N_("Alignment network"),
    "nilsson_-1": N_("-1 constraining"),
    "nilsson_-2": N_("-2 counteracting"),
    "nilsson_-3": N_("-3 cancelling"),
    "nilsson_0": N_("0 consistent"),
    "nilsson_1": N_("+1 enabling"),
    "nilsson_2": N_("+2 reinforcing"),
    "nilsson_3": N_("+3 indivisible"),
    "no_candidate": N_("No candidate."),
    "no_entity": N_("The graph holds nothing about this IRI."),
    "no_gaps": N_("No gaps."),
    "no_stored": N_("No suggestions are stored for this pair."),
    "none": N_("None."),
    "not_conforms": N_("The graph does not conform to the SHACL shapes."),
    "not_found": N_("Not found"),
    "outline": N_("Outline"),
    "pairs": N_("Pairs with alignments"),
    "path": N_("Path"),
    "period": N_("Period"),
    "priorities": N_("higher-level priorities"),
    "properties": N_("Properties"),
    "rank": N_("Rank"),
    "ranked": N_("Ranked candidates"),
    "ranked_elements": N_("local elements ranked"),
    "recorded": N_("already recorded"),
    "referenced_by": N_("Referenced by"),
    "refused": N_("Refused"),
    "reject": N_("Reject"),
    "relation": N_("Relation"),
    "results": N_("results"),
    "review": N_("Review"),
    "review_help": N_(
        "Accepting, rejecting and storing call the API with the write token; the token stays in this browser tab only."
    ),
    "reviewer": N_("Reviewer"),
    "role": N_("Role"),
    "role_coImplementer": N_("co-implementer"),
    "role_partner": N_("partner"),
    "role_responsible": N_("responsible"),
    "score": N_("Score"),
    "severity": N_("Severity"),
    "shared_concepts": N_("shared concepts"),
    "shared_words": N_("shared words"),
    "show": N_("Show"),
    "signal_concepts": N_("concepts"),
    "signal_context": N_("context"),
    "signal_lexical": N_("words"),
    "sources": N_("Source"),
    "status": N_("Status"),
    "status_accepted": N_("accepted"),
    "status_pending": N_("pending"),
    "status_rejected": N_("rejected"),
    "store_pending": N_("Store the candidates as pending suggestions"),
    "stored": N_("Stored suggestions"),
    "strategies": N_("Strategies"),
    "strategy": N_("Strategy"),
    "strength": N_("Strength"),
    "suggest_pair": N_("Suggest alignments for this pair"),
    "suggestions": N_("Suggestions"),
    "suggestions_intro": N_(
        "For each element of the local strategy, the elements of the higher-level strategy it most likely "
        "supports: from shared words (lemmatized), shared concepts of the theme and target-group schemes, and "
        "the words of the parent elements. Computed on every visit; an alignment is recorded only when a "
        "stored suggestion is accepted."
    ),
    "table_chains": N_("chains"),
    "table_coverage": N_("coverage"),
    "table_measures": N_("measures"),
    "territory": N_("Territory"),
    "title": N_("Title"),
    "top": N_("Candidates per element"),
    "unsupported": N_("Measures that support nothing"),
    "validation": N_("Validation"),
    "value": N_("Value"),
    "via": N_("Via"),
    "why": N_("Why"),
    "working": N_("Working…"),
    "write_token": N_("Write token"),
}

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
    """The words of one page language for templates: `w.term(iri)`, and `w.key` / `w["key"]` for the
    transitional `_WORDS` and `_KEYS` (English where a word is missing, the key where it is unknown)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __getitem__(self, key: str) -> str:
        entry = _WORDS.get(key)
        if entry is not None:
            return entry.get(self.lang) or entry[DEFAULT]
        return translator(self.lang).gettext(_KEYS[key]) if key in _KEYS else key

    def __getattr__(self, key: str) -> str:
        if key.startswith("__"):
            raise AttributeError(key)
        return self[key]

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
