"""Quads of a planned synthetic graph: territories, organisations, documents, element trees, alignments.

Everything follows docs/modelling.md: IRI patterns, one named graph per strategy document
(graph/data/strategies/<doc>), labels in the source language and English, an excerpt of a (synthetic)
source file for every described node. Quads are produced one strategy at a time, so memory does not
grow with the size of the graph.
"""

# ruff: noqa: S311, RUF001 -- seeded pseudo-random numbers make the graph reproducible; en dashes as in the sources

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from benchmarks.synthetic import profile as pr
from benchmarks.synthetic import words as w
from benchmarks.synthetic.plan import (
    ID,
    LEVEL_CONCEPT,
    Alignment,
    Element,
    Organisation,
    Place,
    Plan,
    Strategy,
    elements,
    project_slug,
)

GRAPH = "https://w3id.org/kgservice/graph/"
TERRITORIES_GRAPH = GRAPH + "data/vocabularies/synthetic-territories"
ORGANISATIONS_GRAPH = GRAPH + "data/vocabularies/synthetic-organisations"

_KGO = "https://w3id.org/kgservice/ontology#"
_XSD = "http://www.w3.org/2001/XMLSchema#"


def _ns(base: str, *names: str) -> dict[str, NamedNode]:
    return {name: NamedNode(base + name) for name in names}


KGO = _ns(
    _KGO,
    "StrategyDocument",
    "StrategySeries",
    "SourceFile",
    "SourceExcerpt",
    "Alignment",
    "Funding",
    "ExpectedOutcome",
    "ActorGroup",
    "Country",
    "Region",
    "Voivodeship",
    "City",
    "Municipality",
    "Vision",
    "StrategicArea",
    "StrategicGoal",
    "SpecificGoal",
    "Measure",
    "Activity",
    "Project",
    "partOf",
    "theme",
    "targetGroup",
    "responsible",
    "coImplementer",
    "partner",
    "expectedOutcome",
    "planningLevel",
    "documentStatus",
    "withinTerritory",
    "filePath",
    "startLine",
    "endLine",
    "subjectElement",
    "objectElement",
    "relation",
    "alignmentStatus",
    "strength",
    "evidence",
    "justification",
    "confidence",
    "fundedBy",
    "amount",
    "currency",
    "funder",
    "recipient",
    "fundingProgramme",
    "fiscalYear",
    "fundingStatus",
    "AssignedNotation",
    "Approved",
    "Draft",
    "Requested",
    "Expected",
    "Allocated",
    "AssertedInDocument",
    "Curated",
    "Suggested",
    "contributesTo",
    "implements",
    "consistentWith",
    "conflictsWith",
    "refersTo",
    "pursuesSameAimAs",
    "WorkingGroup",
    "Meeting",
    "meetingOf",
    "venue",
    "assignedLabel",
    *LEVEL_CONCEPT.values(),
)
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PREF_LABEL = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
NOTATION = NamedNode("http://www.w3.org/2004/02/skos/core#notation")
DCT = _ns(
    "http://purl.org/dc/terms/",
    "title",
    "description",
    "publisher",
    "spatial",
    "language",
    "temporal",
    "isVersionOf",
    "PeriodOfTime",
    "creator",
    "created",
    "contributor",
    "date",
)
START_DATE = NamedNode("http://www.w3.org/ns/dcat#startDate")
END_DATE = NamedNode("http://www.w3.org/ns/dcat#endDate")
DERIVED_FROM = NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
OA = _ns("http://www.w3.org/ns/oa#", "hasSource", "hasSelector", "TextQuoteSelector", "exact")
ORG = _ns("http://www.w3.org/ns/org#", "Organization", "OrganizationalUnit", "unitOf")
PUBLIC_ORGANISATION = NamedNode("http://data.europa.eu/m8g/PublicOrganisation")
XSD = _ns(_XSD, "gYear", "decimal", "date", "dateTime")
LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
CURRENCY = "http://publications.europa.eu/resource/authority/currency/"
PLACE_CLASS = {"country": "Country", "region": "Region", "city": "City", "municipality": "Municipality"}


@dataclass
class _Doc:
    """What the emitter knows while writing one strategy."""

    strategy: Strategy
    graph: NamedNode
    source: NamedNode
    rng: random.Random
    line: int = 1

    def next_line(self) -> int:
        self.line += self.rng.randint(1, 4)
        return self.line


def source_iri(strategy: Strategy) -> str:
    return f"{ID}source/synthetic-{strategy.doc}"


def strategy_graph(strategy: Strategy) -> str:
    return f"{GRAPH}data/strategies/{strategy.doc}"


class Emitter:
    """Writes the quads of a plan, strategy by strategy."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.blank = 0
        self.names = _names(plan)
        self.public = {o.place: o.slug for o in plan.organisations if o.kind == "public" and o.place}
        self.first = _first_strategy(plan)
        self.places = {p.slug: p for p in plan.places}
        self.documents = {s.doc: s for s in plan.strategies}

    def quads(self) -> Iterator[Quad]:
        """Every quad of the plan: territories, then each strategy with the organisations it names first."""
        by_source: dict[int, list[Organisation]] = defaultdict(list)
        for organisation in self.plan.organisations:
            by_source[organisation.cites].append(organisation)
        yield from self._places()
        for strategy in self.plan.strategies:
            yield from self._organisations(by_source[strategy.index])
            yield from self._strategy(strategy)
        rng = random.Random(f"{self.plan.seed}/emit/horizontal")
        for alignment in self.plan.horizontal:
            yield from self._alignment(alignment, rng)

    # ------------------------------------------------------------ shared nodes

    def _excerpt(
        self, subject: NamedNode | BlankNode, source: str, line: int, quote: str, graph: NamedNode, span: int = 0
    ) -> list[Quad]:
        self.blank += 1
        excerpt, selector = BlankNode(f"x{self.plan.key}n{self.blank}"), BlankNode(f"q{self.plan.key}n{self.blank}")
        return [
            Quad(subject, DERIVED_FROM, excerpt, graph),
            Quad(excerpt, RDF_TYPE, KGO["SourceExcerpt"], graph),
            Quad(excerpt, OA["hasSource"], NamedNode(source), graph),
            Quad(excerpt, KGO["startLine"], Literal(line), graph),
            Quad(excerpt, KGO["endLine"], Literal(line + span), graph),
            Quad(excerpt, OA["hasSelector"], selector, graph),
            Quad(selector, RDF_TYPE, OA["TextQuoteSelector"], graph),
            Quad(selector, OA["exact"], Literal(quote), graph),
        ]

    def _labels(self, subject: NamedNode, labels: dict[str, str], graph: NamedNode) -> list[Quad]:
        return [Quad(subject, PREF_LABEL, Literal(text, language=lang), graph) for lang, text in labels.items()]

    def _places(self) -> Iterator[Quad]:
        graph = NamedNode(TERRITORIES_GRAPH)
        rng = random.Random(f"{self.plan.seed}/emit/places")
        for place in self.plan.places:
            node = NamedNode(f"{ID}territory/{place.slug}")
            yield Quad(node, RDF_TYPE, KGO[_place_class(place, self.plan)], graph)
            yield from self._labels(node, place.labels, graph)
            if place.parent is not None:
                yield Quad(node, KGO["withinTerritory"], NamedNode(f"{ID}territory/{place.parent}"), graph)
                source = source_iri(self.plan.strategies[self.first[place.slug]])
                yield from self._excerpt(node, source, rng.randint(1, 40), place.labels[place.lang], graph)

    def _organisations(self, organisations: list[Organisation]) -> Iterator[Quad]:
        graph = NamedNode(ORGANISATIONS_GRAPH)
        for organisation in organisations:
            node = NamedNode(f"{ID}org/{organisation.slug}")
            rng = random.Random(f"{self.plan.seed}/emit/org/{organisation.slug}")
            if organisation.kind == "public":
                yield Quad(node, RDF_TYPE, ORG["Organization"], graph)
                yield Quad(node, RDF_TYPE, PUBLIC_ORGANISATION, graph)
                yield Quad(node, DCT["spatial"], NamedNode(f"{ID}territory/{organisation.place}"), graph)
            elif organisation.kind == "unit":
                yield Quad(node, RDF_TYPE, ORG["OrganizationalUnit"], graph)
                yield Quad(node, ORG["unitOf"], NamedNode(f"{ID}org/{organisation.parent}"), graph)
            else:
                yield Quad(node, RDF_TYPE, KGO["ActorGroup"], graph)
            yield from self._labels(node, organisation.labels, graph)
            quote = next(iter(organisation.labels.values()))
            yield from self._excerpt(node, source_iri(self.plan.strategies[organisation.cites]), rng.randint(1, 60), quote, graph)

    # ------------------------------------------------------------ documents

    def _strategy(self, strategy: Strategy) -> Iterator[Quad]:
        doc = _Doc(
            strategy,
            NamedNode(strategy_graph(strategy)),
            NamedNode(source_iri(strategy)),
            random.Random(f"{self.plan.seed}/emit/{strategy.doc}"),
        )
        yield from self._source_file(doc)
        yield from self._document(doc)
        if strategy.series is not None:  # a plan series is made with working groups of its planning body
            yield from self._working_groups(doc)
        for element in elements(strategy):
            yield from self._element(doc, element)
        for alignment in strategy.alignments:
            yield from self._alignment(alignment, doc.rng)

    def _source_file(self, doc: _Doc) -> Iterator[Quad]:
        s, g = doc.strategy, doc.graph
        yield Quad(doc.source, RDF_TYPE, KGO["SourceFile"], g)
        yield Quad(doc.source, KGO["filePath"], Literal(f"data/sources/synthetic-{s.doc}.txt"), g)
        for lang in s.langs:
            yield Quad(doc.source, DCT["language"], NamedNode(LANGUAGE + w.AUTHORITY[lang]), g)
        yield Quad(doc.source, DCT["title"], Literal(s.titles[s.langs[0]], language=s.langs[0]), g)

    def _document(self, doc: _Doc) -> Iterator[Quad]:
        s, g = doc.strategy, doc.graph
        node = NamedNode(s.iri())
        yield Quad(node, RDF_TYPE, KGO["StrategyDocument"], g)
        for lang in s.labels:
            yield Quad(node, DCT["title"], Literal(s.titles[lang], language=lang), g)
            yield Quad(node, PREF_LABEL, Literal(s.titles[lang], language=lang), g)
        yield Quad(node, DCT["publisher"], NamedNode(f"{ID}org/{s.publisher}"), g)
        for place in s.spatial:
            yield Quad(node, DCT["spatial"], NamedNode(f"{ID}territory/{place}"), g)
        yield Quad(node, KGO["planningLevel"], KGO[LEVEL_CONCEPT[s.level]], g)
        if s.status is not None:
            yield Quad(node, KGO["documentStatus"], KGO[s.status], g)
        for lang in s.langs:
            yield Quad(node, DCT["language"], NamedNode(LANGUAGE + w.AUTHORITY[lang]), g)
        yield from self._period(node, s, g)
        if s.series is not None:
            series = NamedNode(ID + s.series)
            yield Quad(node, DCT["isVersionOf"], series, g)
            if s.edition == 1 and s.series_titles:
                yield Quad(series, RDF_TYPE, KGO["StrategySeries"], g)
                yield from self._labels(series, s.series_titles, g)
                yield from self._excerpt(series, doc.source.value, 1, s.series_titles[s.langs[0]], g)
        yield from self._excerpt(node, doc.source.value, 1, s.titles[s.langs[0]], g)

    def _working_groups(self, doc: _Doc) -> Iterator[Quad]:
        """The plan's planning body (its publisher) contributes to it; two working groups of that body, each
        serving a target group, meet once for this edition (as the community plans' minutes record)."""
        s, g, rng = doc.strategy, doc.graph, doc.rng
        body = NamedNode(f"{ID}org/{s.publisher}")
        yield Quad(NamedNode(s.iri()), DCT["contributor"], body, g)
        for number in (1, 2):
            group = NamedNode(f"{ID}org/{s.doc}-wg-{number}")
            labels = {lang: f"{w.WORKING_GROUP[lang]} {number}" for lang in s.labels}
            yield Quad(group, RDF_TYPE, KGO["WorkingGroup"], g)
            yield Quad(group, ORG["unitOf"], body, g)
            yield Quad(group, KGO["targetGroup"], NamedNode(rng.choice(self.plan.vocab.target_groups.concepts).iri), g)
            yield from self._labels(group, labels, g)
            yield from self._excerpt(group, doc.source.value, doc.next_line(), labels[s.langs[0]], g)
            day = f"{s.start}-10-{10 + number}"
            meeting = NamedNode(f"{ID}meeting/{s.doc}-wg-{number}/{day}")
            yield Quad(meeting, RDF_TYPE, KGO["Meeting"], g)
            yield Quad(meeting, KGO["meetingOf"], group, g)
            yield Quad(meeting, DCT["date"], Literal(day, datatype=XSD["date"]), g)
            yield Quad(meeting, KGO["assignedLabel"], Literal("true", datatype=NamedNode(_XSD + "boolean")), g)
            yield from self._labels(meeting, {lang: f"{labels[lang]} – {day}" for lang in s.labels}, g)
            yield from self._excerpt(meeting, doc.source.value, doc.next_line(), day, g)

    def _period(self, node: NamedNode, s: Strategy, g: NamedNode) -> Iterator[Quad]:
        self.blank += 1
        period = BlankNode(f"t{self.plan.key}n{self.blank}")
        yield Quad(node, DCT["temporal"], period, g)
        yield Quad(period, RDF_TYPE, DCT["PeriodOfTime"], g)
        yield Quad(period, START_DATE, Literal(str(s.start), datatype=XSD["gYear"]), g)
        if s.end is not None:
            yield Quad(period, END_DATE, Literal(str(s.end), datatype=XSD["gYear"]), g)

    # ------------------------------------------------------------ elements

    def _element(self, doc: _Doc, element: Element) -> Iterator[Quad]:
        s, g, rng = doc.strategy, doc.graph, doc.rng
        profile = pr.PROFILES[element.kind]
        node = NamedNode(s.iri(element.notation))
        themes = self._themes(element, profile, rng)
        groups = self._groups(doc, element, profile, rng)
        labels = self._element_labels(doc, element, themes, groups)
        yield Quad(node, RDF_TYPE, KGO[element.kind], g)
        yield Quad(node, KGO["partOf"], NamedNode(s.iri(element.parent)), g)
        notation = Literal(element.notation, datatype=KGO["AssignedNotation"]) if element.assigned else Literal(element.notation)
        yield Quad(node, NOTATION, notation, g)
        yield from self._labels(node, labels, g)
        if rng.random() < profile.description:
            yield from self._description(node, doc, element, rng)
        for theme in themes:
            yield Quad(node, KGO["theme"], NamedNode(theme), g)
        for group in groups:
            yield Quad(node, KGO["targetGroup"], NamedNode(group), g)
        yield from self._roles(node, doc, element, profile)
        if rng.random() < profile.outcome:
            yield from self._outcomes(node, doc, themes, rng)
        quote = labels[s.langs[0]]
        yield from self._excerpt(node, doc.source.value, doc.next_line(), quote, g)
        if rng.random() < profile.second_excerpt:
            yield from self._excerpt(node, doc.source.value, doc.next_line(), quote, g, span=rng.randint(0, 2))
        if element.measure is not None:
            for number in range(1, element.measure.projects + 1):
                yield from self._project(doc, element, node, number, themes)

    def _themes(self, element: Element, profile: pr.KindProfile, rng: random.Random) -> list[str]:
        count = rng.randint(*profile.themes)
        if count == 0:
            return []
        vocab = self.plan.vocab.themes
        if element.kind == "StrategicGoal":
            others = [t for t in vocab.tops if t != vocab.top_of[element.topic]]
            return [element.topic, *rng.sample(others, min(count - 1, len(others)))]
        pool = vocab.subtree[element.topic]
        return rng.sample(pool, min(count, len(pool)))

    def _groups(self, doc: _Doc, element: Element, profile: pr.KindProfile, rng: random.Random) -> list[str]:
        groups: list[str] = []
        if rng.random() < profile.target_group:
            concepts = self.plan.vocab.target_groups.concepts
            groups = [c.iri for c in rng.sample(concepts, rng.randint(*pr.TARGET_GROUPS_PER_ELEMENT))]
        if self._designated_measure(doc, element):
            wanted = self.plan.designated.target_group
            groups = [wanted, *(g for g in groups if g != wanted)]
        return groups

    def _designated_measure(self, doc: _Doc, element: Element) -> bool:
        return doc.strategy.index == self.plan.designated.local and element.path == (0, 0, 0)

    def _element_labels(self, doc: _Doc, element: Element, themes: list[str], groups: list[str]) -> dict[str, str]:
        s, rng = doc.strategy, doc.rng
        theme = themes[0] if themes else element.topic
        frame, action, step = rng.choice(w.GOAL_FRAMES), rng.choice(w.MEASURE_ACTIONS), rng.choice(w.ACTIVITY_STEPS)
        labels = {}
        for lang in s.labels:
            name = self.names[(theme, lang)]
            group = self.names.get((groups[0], lang)) if groups else None
            if element.kind == "Vision":
                area = self.names[(element.topic, lang)]
                labels[lang] = (
                    f"{w.VISION[lang]} – {w.capitalise(area)}" if element.parent else f"{w.VISION[lang]} {s.end or s.start + 10}"
                )
            elif element.kind == "StrategicArea":
                labels[lang] = w.capitalise(self.names[(element.topic, lang)])
            elif element.kind in ("StrategicGoal", "SpecificGoal"):
                labels[lang] = f"{w.capitalise(name)} – {frame[lang]}"
            elif element.kind == "Measure":
                labels[lang] = f"{action[lang]}: {name}" + (f" – {group}" if group else "")
            else:
                labels[lang] = f"{step[lang]} – {group or name}"
        return labels

    def _description(self, node: NamedNode, doc: _Doc, element: Element, rng: random.Random) -> Iterator[Quad]:
        s = doc.strategy
        sentence = rng.choice(w.DESCRIPTIONS)
        home = self.places[s.home] if element.kind == "Vision" else None
        for lang in s.labels:
            text = w.VISION_TEXT[lang].format(name=home.name) if home else sentence[lang]
            yield Quad(node, DCT["description"], Literal(text, language=lang), doc.graph)

    def _roles(self, node: NamedNode, doc: _Doc, element: Element, profile: pr.KindProfile) -> Iterator[Quad]:
        responsible, co_implementers, partners = self.plan.roles[doc.strategy.index]
        rng, g = doc.rng, doc.graph
        if rng.random() < profile.responsible or self._designated_measure(doc, element):
            yield Quad(node, KGO["responsible"], NamedNode(f"{ID}org/{rng.choice(responsible)}"), g)
        if rng.random() < profile.co_implementer:
            yield Quad(node, KGO["coImplementer"], NamedNode(f"{ID}org/{rng.choice(co_implementers)}"), g)
        if rng.random() < profile.partner:
            yield Quad(node, KGO["partner"], NamedNode(f"{ID}org/{rng.choice(partners)}"), g)

    def _outcomes(self, node: NamedNode, doc: _Doc, themes: list[str], rng: random.Random) -> Iterator[Quad]:
        s, g = doc.strategy, doc.graph
        for number in range(1, rng.randint(*pr.OUTCOMES_PER_ELEMENT) + 1):
            outcome = NamedNode(f"{node.value}/outcome/{number}")
            phrase = rng.choice(w.OUTCOMES)
            yield Quad(node, KGO["expectedOutcome"], outcome, g)
            yield Quad(outcome, RDF_TYPE, KGO["ExpectedOutcome"], g)
            yield from self._labels(outcome, {lang: phrase[lang] for lang in s.labels}, g)
            yield Quad(outcome, KGO["theme"], NamedNode(themes[0] if themes else self.plan.vocab.themes.tops[0]), g)
            yield from self._excerpt(outcome, doc.source.value, doc.next_line(), phrase[s.langs[0]], g)

    # ------------------------------------------------------------ projects and funding

    def _project(self, doc: _Doc, element: Element, measure: NamedNode, number: int, themes: list[str]) -> Iterator[Quad]:
        s, g, rng = doc.strategy, doc.graph, doc.rng
        slug = project_slug(s, element.notation, number)
        project, funding = NamedNode(f"{ID}project/{slug}"), NamedNode(f"{ID}funding/{slug}")
        home = self.places[s.home]
        phrase = rng.choice(w.PROJECTS)
        labels = {lang: f"{phrase[lang]} {home.name}" for lang in s.labels}
        yield Quad(project, RDF_TYPE, KGO["Project"], g)
        yield Quad(project, KGO["partOf"], measure, g)
        yield from self._labels(project, labels, g)
        yield Quad(project, KGO["theme"], NamedNode(themes[0] if themes else element.topic), g)
        yield Quad(project, KGO["fundedBy"], funding, g)
        yield Quad(project, KGO["responsible"], NamedNode(f"{ID}org/{s.publisher}"), g)
        yield from self._excerpt(project, doc.source.value, doc.next_line(), labels[s.langs[0]], g)
        yield from self._funding(doc, funding, labels)

    def _funding(self, doc: _Doc, funding: NamedNode, project: dict[str, str]) -> Iterator[Quad]:
        s, g, rng = doc.strategy, doc.graph, doc.rng
        country = self.plan.countries[s.countries[0]]
        labels = {lang: w.FUNDING[lang].format(project=project[lang]) for lang in s.labels}
        yield Quad(funding, RDF_TYPE, KGO["Funding"], g)
        yield from self._labels(funding, labels, g)
        if rng.random() < pr.P_AMOUNT:
            amount = rng.randint(20, 4000) * (25_000 if country.currency == "CZK" else 1_000)
            yield Quad(funding, KGO["amount"], Literal(f"{amount}.00", datatype=XSD["decimal"]), g)
            yield Quad(funding, KGO["currency"], NamedNode(CURRENCY + country.currency), g)
        yield Quad(funding, KGO["fundingStatus"], KGO[rng.choice(("Requested", "Expected", "Allocated"))], g)
        yield Quad(funding, KGO["funder"], NamedNode(f"{ID}org/{self.public[country.place.slug]}"), g)
        yield Quad(funding, KGO["recipient"], NamedNode(f"{ID}org/{s.publisher}"), g)
        yield Quad(funding, KGO["fiscalYear"], Literal(str(s.start + rng.randint(0, 3)), datatype=XSD["gYear"]), g)
        programme = self.plan.programme_of.get(country.index)
        if programme is not None and rng.random() < pr.P_PROGRAMME:
            yield Quad(funding, KGO["fundingProgramme"], NamedNode(self.plan.strategies[programme].iri()), g)
        yield from self._excerpt(funding, doc.source.value, doc.next_line(), labels[s.langs[0]], g)

    # ------------------------------------------------------------ alignments

    def _alignment(self, alignment: Alignment, rng: random.Random) -> Iterator[Quad]:
        g = NamedNode(f"{GRAPH}data/{alignment.graph}")
        node = NamedNode(alignment.iri)
        yield Quad(node, RDF_TYPE, KGO["Alignment"], g)
        yield Quad(node, KGO["subjectElement"], NamedNode(alignment.subject), g)
        yield Quad(node, KGO["objectElement"], NamedNode(alignment.obj), g)
        yield Quad(node, KGO["relation"], KGO[alignment.relation], g)
        yield Quad(node, KGO["alignmentStatus"], KGO[alignment.status], g)
        yield Quad(node, KGO["justification"], NamedNode(alignment.justification), g)
        yield Quad(node, KGO["evidence"], Literal(alignment.evidence, language="en"), g)
        if alignment.status == pr.CURATED:
            yield Quad(node, KGO["strength"], Literal(alignment.strength or 0), g)
            yield Quad(node, DCT["creator"], Literal("kgservice synthetic curation"), g)
            created = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            yield Quad(node, DCT["created"], Literal(created, datatype=XSD["date"]), g)
        if alignment.status == pr.SUGGESTED:
            yield Quad(node, KGO["confidence"], Literal(f"0.{rng.randint(10, 99)}", datatype=XSD["decimal"]), g)
            yield Quad(node, DCT["creator"], Literal("kgservice suggester"), g)
            created = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T12:00:00Z"
            yield Quad(node, DCT["created"], Literal(created, datatype=XSD["dateTime"]), g)
        source = self.plan.strategies[alignment.source]
        target = self._target_title(alignment, source)
        yield from self._excerpt(node, source_iri(source), rng.randint(2, 400), target, g)

    def _target_title(self, alignment: Alignment, source: Strategy) -> str:
        """The quote of an alignment's excerpt: the title of the target document, as the source names it."""
        target = self.documents[alignment.obj[len(ID) :].split("/", 1)[0]]
        return target.titles.get(source.langs[0], target.titles["en"])


def _names(plan: Plan) -> dict[tuple[str, str], str]:
    """Names of every theme and target group in every language the plan writes."""
    languages = {lang for s in plan.strategies for lang in s.labels}
    names: dict[tuple[str, str], str] = {}
    themes = plan.vocab.themes
    for concept in themes.concepts:
        top = themes.index[themes.top_of[concept.iri]]
        for lang in languages:
            glosses = w.THEME_NAMES.get(lang, {})
            names[(concept.iri, lang)] = (
                concept.labels.get(lang)
                or glosses.get(concept.slug)
                or glosses.get(top.slug)
                or concept.labels.get("en")
                or concept.slug
            )
    for concept in plan.vocab.target_groups.concepts:
        for lang in languages:
            if lang in concept.labels:
                names[(concept.iri, lang)] = concept.labels[lang]
    return names


def _first_strategy(plan: Plan) -> dict[str, int]:
    first: dict[str, int] = {}
    for strategy in plan.strategies:
        for slug in (strategy.home, *strategy.spatial):
            first.setdefault(slug, strategy.index)
    return first


def _place_class(place: Place, plan: Plan) -> str:
    if place.kind == "region" and plan.countries[place.country].place.lang == "pl":
        return "Voivodeship"
    return PLACE_CLASS[place.kind]
