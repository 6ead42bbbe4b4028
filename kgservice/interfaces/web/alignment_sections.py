"""The alignments of an entity page, grouped so that each heading says exactly what its links are: the
direction, the relation, the strength and, for a link that does not count, its status. A strength-0
"pursues the same aim as" link is then never shown under a heading of support.

Within a section the links are grouped by the strategy of the other end, in notation order."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kgservice.interfaces.web.data import natural_key
from kgservice.rdf.namespaces import KGO
from kgservice.rdf.terms import Record, Term
from kgservice.translation import N_, Translator, translator

# What the links of one relation say, seen from the page's element: links that start at it ("out"), and
# links that end at it ("in"). The relations are the ontology's (ontology/alignment.ttl).
HEADINGS = {
    ("out", "contributesTo"): N_("Contributes to"),
    ("in", "contributesTo"): N_("Elements that contribute to this one"),
    ("out", "implements"): N_("Implements"),
    ("in", "implements"): N_("Elements that implement this one"),
    ("out", "consistentWith"): N_("Consistent with"),
    ("in", "consistentWith"): N_("Elements consistent with this one"),
    ("out", "conflictsWith"): N_("Conflicts with"),
    ("in", "conflictsWith"): N_("Elements that conflict with this one"),
    ("out", "refersTo"): N_("Refers to"),
    ("in", "refersTo"): N_("Elements that refer to this one"),
    ("out", "pursuesSameAimAs"): N_("Pursues the same aim as"),
    ("in", "pursuesSameAimAs"): N_("Elements that pursue the same aim as this one"),
}
DIRECTIONS = {"out": N_("from this element"), "in": N_("to this element")}
RELATION_ORDER = ("implements", "contributesTo", "pursuesSameAimAs", "consistentWith", "refersTo", "conflictsWith")
# The Nilsson et al. (2016) scale, as the suggestions page words it.
STRENGTHS = {
    3: N_("+3 indivisible"),
    2: N_("+2 reinforcing"),
    1: N_("+1 enabling"),
    0: N_("0 consistent"),
    -1: N_("-1 constraining"),
    -2: N_("-2 counteracting"),
    -3: N_("-3 cancelling"),
}
# Links that do not count as stated support say so in their heading.
NOT_COUNTED = {"Suggested": N_("suggested, not counted"), "Rejected": N_("rejected, not counted")}


@dataclass
class AlignmentGroup:
    """The links of one section that reach one other strategy, in notation order of the other end."""

    strategy: Term
    label: Term | None
    rows: list[Record]


@dataclass
class AlignmentSection:
    """The links of one direction, relation, strength and status, under a heading that says so."""

    direction: str
    heading: str
    groups: list[AlignmentGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(g.rows) for g in self.groups)


Key = tuple[str, str, int | None, str]


def _local(term: Term | None) -> str:
    return term.value.removeprefix(KGO) if term else ""


def _key(row: Record) -> Key:
    strength = row.get("strength")
    return row["direction"].value, _local(row["relation"]), int(strength.value) if strength else None, _local(row.get("status"))


def heading(key: Key, relation_label: str, t: Translator) -> str:
    """'Elements that pursue the same aim as this one — 0 consistent', in the page language."""
    direction, relation, strength, status = key
    english = HEADINGS.get((direction, relation))
    if english:
        what = t.gettext(english)
    else:  # a relation newer than the table above: its own label, and the direction
        where = t.gettext(DIRECTIONS[direction])
        what = t.gettext("%(relation)s (%(direction)s)", relation=relation_label, direction=where)
    graded = t.gettext(STRENGTHS[strength]) if strength in STRENGTHS else t.gettext("strength not graded")
    text = t.gettext("%(relation)s — %(strength)s", relation=what, strength=graded)
    return (
        t.gettext("%(heading)s (%(status)s)", heading=text, status=t.gettext(NOT_COUNTED[status]))
        if status in NOT_COUNTED
        else text
    )


def _order(key: Key) -> tuple[int, int, int, int]:
    direction, relation, strength, status = key
    rank = RELATION_ORDER.index(relation) if relation in RELATION_ORDER else len(RELATION_ORDER)
    return (0 if direction == "out" else 1, status in NOT_COUNTED, rank, -(strength if strength is not None else -9))


def _group(section: AlignmentSection, row: Record) -> None:
    # The other end is itself a document or a series of plans when it belongs to no strategy.
    strategy, label = (
        (row["otherStrategy"], row.get("otherStrategyLabel")) if "otherStrategy" in row else (row["other"], row.get("otherLabel"))
    )
    found = next((g for g in section.groups if g.strategy.value == strategy.value), None)
    if found is None:
        found = AlignmentGroup(strategy, label, [])
        section.groups.append(found)
    found.rows.append(row)


def alignment_sections(rows: list[Record], lang: str) -> list[AlignmentSection]:
    """The rows of the entity-alignments query as sections: out before in, counted before not counted,
    then by relation and by strength, strongest first."""
    t = translator(lang)
    by_key: dict[Key, list[Record]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: natural_key(r["otherNotation"].value if "otherNotation" in r else "")):
        by_key[_key(row)].append(row)
    sections = []
    for key in sorted(by_key, key=_order):
        label = by_key[key][0].get("relationLabel")
        section = AlignmentSection(key[0], heading(key, label.value if label else key[1], t))
        for row in by_key[key]:
            _group(section, row)
        section.groups.sort(key=lambda g: g.label.value if g.label else "")
        sections.append(section)
    return sections
