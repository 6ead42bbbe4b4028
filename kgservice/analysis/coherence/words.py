"""The words of the reports for the codes their documents carry (relation, alignment status, coverage status,
side of a theme), from the gettext catalogues. The JSON documents keep the codes; md, csv and html show these.

The relation and status words are the ontology's labels of the same terms (ontology/alignment.ttl)."""

from __future__ import annotations

from kgservice.translation import N_, translator

RELATIONS = {
    "contributesTo": N_("contributes to"),
    "implements": N_("implements"),
    "consistentWith": N_("consistent with"),
    "conflictsWith": N_("conflicts with"),
    "refersTo": N_("refers to"),
    "pursuesSameAimAs": N_("pursues the same aim as"),
}
STATUSES = {
    "AssertedInDocument": N_("Asserted in document"),
    "Curated": N_("Curated"),
    "Suggested": N_("Suggested"),
    "Rejected": N_("Rejected"),
}
COVERAGE = {"direct": N_("direct"), "through children": N_("through children"), "gap": N_("gap")}
SIDES = {"both": N_("both"), "only A": N_("only A"), "only B": N_("only B")}
# The shared schemes, by the last segment of their IRI (data/vocabularies/).
SCHEMES = {"theme": N_("theme"), "target-group": N_("target group")}
# How a link reaches a matrix cell (kgservice.analysis.coherence.analysis): the measure's own, its parent's,
# an element's below it; the priority's own or a sub-priority's.
ROUTES = {
    "direct": N_("direct"),
    "through parent": N_("through parent"),
    "through activity": N_("through activity"),
    "through project": N_("through project"),
    "through expectedoutcome": N_("through expected outcome"),
    "through sub-priority": N_("through sub-priority"),
}


def word(table: dict[str, str], code: str, lang: str) -> str:
    """The word for `code` in `lang`; the code itself where the table has none (a term newer than this table)."""
    english = table.get(code)
    return translator(lang).gettext(english) if english else code


def scheme(iri: str, lang: str) -> str:
    return word(SCHEMES, iri.rsplit("/", 1)[-1], lang)


def relation(code: str, lang: str) -> str:
    return word(RELATIONS, code, lang)


def status(code: str, lang: str) -> str:
    return word(STATUSES, code, lang)
