"""Plan of a synthetic graph: territories, organisations, strategies with their element trees, alignments.

A plan holds no quads, only the decisions that fix the graph's size and shape (the tree of every
strategy and every alignment), so it can be sized to a number of triples before anything is written
and its summary is known before the first quad. `emit` words the plan into quads.
"""

# ruff: noqa: S311 -- seeded pseudo-random numbers make the graph reproducible, nothing here is secret

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import IntEnum

from benchmarks.synthetic import profile as pr
from benchmarks.synthetic import words as w
from benchmarks.synthetic.vocab import Vocabularies

ID = "https://w3id.org/kgservice/id/"
SEMAPV = "https://w3id.org/semapv/vocab/"
MIN_STRATEGIES_FOR_TRIPLES = 10  # smallest layout with an EU programme, two countries and a plan series


class Level(IntEnum):
    """Planning levels; the values are the skos:notation of the levels in ontology/schemes.ttl."""

    MUNICIPAL = 1
    REGIONAL = 2
    NATIONAL = 3
    EU = 4


LEVEL_CONCEPT = {
    Level.MUNICIPAL: "MunicipalLevel",
    Level.REGIONAL: "RegionalLevel",
    Level.NATIONAL: "NationalLevel",
    Level.EU: "EUProgrammeLevel",
}
KIND_NAME = {
    "Vision": "vision",
    "StrategicArea": "strategic area",
    "StrategicGoal": "strategic goal",
    "SpecificGoal": "specific goal",
    "Measure": "measure",
    "Activity": "activity",
    "Project": "project",
}


@dataclass(frozen=True)
class Place:
    """A territory: country, region, city or small municipality."""

    slug: str
    kind: str
    name: str
    stem: str
    lang: str
    labels: dict[str, str]
    parent: str | None
    country: int


@dataclass(frozen=True)
class Country:
    """A country with its language, currency and code (used in programme titles)."""

    index: int
    place: Place
    code: str
    currency: str


@dataclass(frozen=True)
class Organisation:
    """A public organisation, one of its units, or a named group of actors."""

    slug: str
    kind: str  # "public", "unit" or "group"
    labels: dict[str, str]
    parent: str | None  # org:unitOf of a unit
    place: str | None  # dcterms:spatial of a public organisation
    cites: int  # the strategy whose source file the excerpt quotes


@dataclass
class Measure:
    """A measure: how many activity bullets and projects it has."""

    activities: int
    projects: int = 0


@dataclass
class Goal:
    """A strategic goal: its policy topic (a theme IRI), its area and its specific goals' measures."""

    topic: str
    area: int | None
    specifics: list[list[Measure]]


@dataclass(frozen=True)
class Element:
    """One element in document order, as the emitter and the alignment planner see it."""

    kind: str
    notation: str
    parent: str | None  # the parent's notation; None when the parent is the document
    topic: str
    assigned: bool  # notation assigned from position (^^kgo:AssignedNotation)
    path: tuple[int, ...]
    measure: Measure | None = None


@dataclass(frozen=True)
class Alignment:
    """A planned kgo:Alignment."""

    iri: str
    subject: str
    obj: str
    relation: str
    status: str
    strength: int | None
    justification: str
    evidence: str
    graph: str  # path of the named graph under graph/data/
    source: int  # the strategy whose source file the excerpt quotes


@dataclass
class Strategy:
    """A strategy document and everything the emitter needs to write it."""

    index: int
    doc: str
    kind: str  # municipal, regional, national, eu, eu-single, social-plan
    level: Level
    langs: tuple[str, ...]
    titles: dict[str, str]
    spatial: tuple[str, ...]
    home: str
    countries: tuple[int, ...]
    publisher: str
    start: int
    end: int | None
    status: str | None
    roman: bool
    vision: bool
    areas: list[tuple[str, bool]] = field(default_factory=list)  # (topic, has a vision)
    goals: list[Goal] = field(default_factory=list)
    series: str | None = None
    series_titles: dict[str, str] | None = None
    edition: int = 0
    higher: tuple[int, ...] = ()
    alignments: list[Alignment] = field(default_factory=list)

    @property
    def labels(self) -> tuple[str, ...]:
        """Languages of the prefLabels: the source's languages and English."""
        return self.langs if "en" in self.langs else (*self.langs, "en")

    def iri(self, notation: str | None = None) -> str:
        return ID + self.doc + ("" if notation is None else "/" + notation)


@dataclass(frozen=True)
class Designated:
    """The strategies and elements the summary names as query parameters."""

    local: int | None
    higher: int | None
    other: int | None
    series: tuple[int, int] | None
    target_group: str


@dataclass
class Plan:
    """Everything decided before the first quad."""

    seed: int
    vocab: Vocabularies
    countries: list[Country]
    places: list[Place]
    strategies: list[Strategy]
    organisations: list[Organisation]
    roles: dict[int, tuple[list[str], list[str], list[str]]]  # strategy -> responsible, co-implementers, partners
    programme_of: dict[int, int]  # country -> its first EU programme
    horizontal: list[Alignment]
    designated: Designated
    estimated_triples: int = 0
    key: str = ""  # short digest of the arguments: blank node labels of two different graphs never meet


# ================================================================ element trees


def area_letter(area: int) -> str:
    return chr(ord("A") + area)


def goal_notations(strategy: Strategy) -> list[str]:
    """Notations of the strategic goals: per area (A.1, A.2, B.1), else 1, 2, 3 or I, II, III."""
    notations, per_area = [], [0] * len(strategy.areas)
    for number, goal in enumerate(strategy.goals, start=1):
        if goal.area is not None:
            per_area[goal.area] += 1
            notations.append(f"{area_letter(goal.area)}.{per_area[goal.area]}")
        else:
            notations.append(w.roman(number) if strategy.roman else str(number))
    return notations


def elements(strategy: Strategy) -> Iterator[Element]:
    """The elements of a strategy in document order (projects are written with their measure)."""
    if strategy.vision:
        yield Element("Vision", "0", None, strategy.goals[0].topic if strategy.goals else "", True, ())
    notations = goal_notations(strategy)
    if not strategy.areas:
        for gi in range(len(strategy.goals)):
            yield from _goal_elements(strategy, gi, notations[gi], None)
        return
    for ai, (topic, has_vision) in enumerate(strategy.areas):
        letter = area_letter(ai)
        yield Element("StrategicArea", letter, None, topic, True, (ai,))
        if has_vision:
            yield Element("Vision", f"{letter}.V", letter, topic, True, (ai,))
        for gi, goal in enumerate(strategy.goals):
            if goal.area == ai:
                yield from _goal_elements(strategy, gi, notations[gi], letter)


def _goal_elements(strategy: Strategy, gi: int, notation: str, area: str | None) -> Iterator[Element]:
    goal = strategy.goals[gi]
    yield Element("StrategicGoal", notation, area, goal.topic, False, (gi,))
    for si, measures in enumerate(goal.specifics):
        specific = f"{notation}.{si + 1}"
        yield Element("SpecificGoal", specific, notation, goal.topic, False, (gi, si))
        for mi, measure in enumerate(measures):
            code = f"{specific}.{mi + 1}"
            yield Element("Measure", code, specific, goal.topic, False, (gi, si, mi), measure)
            for ai in range(measure.activities):
                yield Element("Activity", f"{code}.{ai + 1}", code, goal.topic, True, (gi, si, mi, ai))


def _tree(strategy: Strategy, vocab: Vocabularies, focus: Sequence[str], rng: random.Random) -> None:
    """Draw the strategy's areas, visions and goal tree (full size; the sizer trims it later)."""
    goals = rng.randint(*pr.STRATEGIC_GOALS)
    topics = rng.sample(list(focus), min(goals, len(focus)))
    topics += [rng.choice(list(focus)) for _ in range(goals - len(topics))]
    strategy.roman = rng.random() < pr.P_ROMAN
    strategy.vision = rng.random() < pr.P_DOCUMENT_VISION
    if rng.random() < pr.P_AREAS:
        count = min(rng.randint(*pr.AREAS), goals)
        strategy.areas = [(topics[a], rng.random() < pr.P_AREA_VISION) for a in range(count)]
    for gi, topic in enumerate(topics):
        area = gi * len(strategy.areas) // goals if strategy.areas else None
        goal_topic = strategy.areas[area][0] if area is not None else topic
        specifics = [_measures(rng, strategy.level) for _ in range(rng.randint(*pr.SPECIFIC_GOALS))]
        strategy.goals.append(Goal(rng.choice(vocab.themes.subtree[goal_topic]), area, specifics))


def _measures(rng: random.Random, level: Level) -> list[Measure]:
    measures = [Measure(rng.randint(*pr.ACTIVITIES)) for _ in range(rng.randint(*pr.MEASURES))]
    for measure in measures:
        if rng.random() < pr.P_PROJECT.get(level, 0.0):
            measure.projects = 1
    return measures


# ================================================================ territories


class _Names:
    """Unique place names and slugs, drawn from per-language stems and endings."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def draw(self, lang: str) -> tuple[str, str]:
        """A new (name, stem) in `lang`."""
        for _ in range(40):
            stem = self.rng.choice(w.PLACE_STEMS[lang])
            name = stem + self.rng.choice(w.PLACE_ENDINGS[lang])
            if w.slugify(name) not in self.used:
                return self._take(name), stem
        number = 2
        while w.slugify(f"{name} {number}") in self.used:
            number += 1
        return self._take(f"{name} {number}"), stem

    def _take(self, name: str) -> str:
        self.used.add(w.slugify(name))
        return name

    def unique_slug(self, slug: str) -> str:
        candidate, number = slug, 2
        while candidate in self.used:
            candidate, number = f"{slug}-{number}", number + 1
        self.used.add(candidate)
        return candidate


def _country(index: int, languages: Sequence[str], names: _Names) -> Country:
    templates = [t for t in w.COUNTRIES if t.lang in languages]
    if index < len(templates):
        t = templates[index]
        names.used.add(t.slug)
        place = Place(t.slug, "country", t.names["en"], t.names["en"], t.lang, dict(t.names), None, index)
        return Country(index, place, t.code, t.currency)
    lang = languages[index % len(languages)]
    name, stem = names.draw(lang)
    name += "ia"
    labels = {lang: name, "en": name}
    place = Place(names.unique_slug(w.slugify(name)), "country", name, stem, lang, labels, None, index)
    return Country(index, place, name[:2].upper(), w.CURRENCY[lang])


def _region(country: Country, names: _Names) -> Place:
    lang = country.place.lang
    name, stem = names.draw(lang)
    fill = {"name": name, "stem": stem, "stem_lower": stem.lower()}
    labels = {lang: w.REGION_NAME[lang].format(**fill), "en": w.REGION_NAME_EN.format(**fill)}
    if lang == "en":
        labels = {"en": w.REGION_NAME["en"].format(**fill)}
    return Place(w.slugify(name), "region", name, stem, lang, labels, country.place.slug, country.index)


def _city(region: Place, kind: str, names: _Names) -> Place:
    name, stem = names.draw(region.lang)
    labels = {region.lang: name} if region.lang == "en" else {region.lang: name, "en": name}
    return Place(w.slugify(name), kind, name, stem, region.lang, labels, region.slug, region.country)


# ================================================================ layout


@dataclass(frozen=True)
class _Slots:
    """How many strategies of each kind one country gets."""

    regions: tuple[int, ...]  # municipal slots per region
    series_region: bool  # region 0 holds a plan series of two editions


def _country_slots(share: int) -> _Slots:
    rest = share - 1  # the national strategy
    if rest <= 0:
        return _Slots((), False)
    if rest == 1:
        return _Slots((0,), False)
    regions = max(1, min(rest // 2, round(math.sqrt(rest) / 2)))
    local = rest - regions
    slots = tuple(local // regions + (1 if r < local % regions else 0) for r in range(regions))
    return _Slots(slots, slots[0] >= 3)


def _shares(n: int) -> tuple[int, list[int]]:
    """Number of EU programmes and the strategies per country for `n` strategies."""
    eu = 0 if n < 7 else max(1, n // 40)
    rest = n - eu
    countries = 1 if rest < 6 else max(2, round(rest / 28))
    return eu, [rest // countries + (1 if i < rest % countries else 0) for i in range(countries)]


class _Builder:
    """Builds the territories and strategies of a layout for a number of strategies."""

    def __init__(self, n: int, seed: int, vocab: Vocabularies, languages: Sequence[str]) -> None:
        self.seed, self.vocab, self.languages = seed, vocab, languages
        self.rng = random.Random(f"{seed}/layout")
        self.names = _Names(self.rng)
        self.countries: list[Country] = []
        self.places: list[Place] = []
        self.strategies: list[Strategy] = []
        self.docs: set[str] = set()
        eu, shares = _shares(n)
        for index, share in enumerate(shares):
            self._country(index, share)
        for e in range(eu):
            self._programme(e)
        self.strategies.sort(key=lambda s: (-s.level, s.index))  # higher levels first: their targets exist
        for position, strategy in enumerate(self.strategies):
            strategy.index = position

    def _country(self, index: int, share: int) -> None:
        country = _country(index, self.languages, self.names)
        self.countries.append(country)
        self.places.append(country.place)
        self._strategy("national", Level.NATIONAL, country.place, (country.place.slug,), (index,))
        slots = _country_slots(share)
        for r, municipal in enumerate(slots.regions):
            region = _region(country, self.names)
            self.places.append(region)
            self._strategy("regional", Level.REGIONAL, region, (region.slug,), (index,))
            cities = municipal - 2 if r == 0 and slots.series_region else municipal
            for _ in range(cities):
                city = _city(region, "city", self.names)
                self.places.append(city)
                self._strategy("municipal", Level.MUNICIPAL, city, (city.slug,), (index,))
            if r == 0 and slots.series_region:
                self._series(region)

    def _series(self, region: Place) -> None:
        """Two editions of a community plan of the region's first city with changing member municipalities."""
        city = next(p for p in self.places if p.parent == region.slug and p.kind == "city")
        members = [_city(region, "municipality", self.names) for _ in range(4)]
        self.places.extend(members)
        start = self.rng.randint(2012, 2016)
        series = w.slugify(f"{city.name} social plan")
        for edition, group in enumerate((members[:3], members[1:])):
            spatial = (city.slug, *(m.slug for m in group))
            s = self._strategy("social-plan", Level.MUNICIPAL, city, spatial, (region.country,), start + 4 * edition, 3)
            s.series, s.edition = series, edition + 1
            fill = {"name": city.name}
            s.series_titles = {lang: w.TITLES["social-series"][0][lang].format(**fill) for lang in s.langs}
            if "en" not in s.langs:
                s.series_titles["en"] = w.TITLES["social-series"][1].format(**fill)

    def _programme(self, e: int) -> None:
        count = len(self.countries)
        pair = (e % count, (e + 1) % count) if count > 1 else (0,)
        kind = "eu" if count > 1 else "eu-single"
        places = tuple(self.countries[i].place for i in pair)
        self._strategy(kind, Level.EU, places[0], tuple(p.slug for p in places), pair)

    def _strategy(
        self,
        kind: str,
        level: Level,
        home: Place,
        spatial: tuple[str, ...],
        countries: tuple[int, ...],
        start: int | None = None,
        length: int | None = None,
    ) -> Strategy:
        rng = self.rng
        start = start if start is not None else rng.randint(2014, 2023)
        end = start + (length if length is not None else rng.randint(5, 10)) if rng.random() < pr.P_END_YEAR else None
        langs = tuple(dict.fromkeys(self.countries[c].place.lang for c in countries))
        titles = self._titles(kind, home, countries, start, end, langs)
        doc = self._doc_slug(kind, home, countries, start)
        status = rng.choice(("Approved", "Approved", "Draft")) if rng.random() < pr.P_STATUS else None
        strategy = Strategy(
            len(self.strategies),
            doc,
            kind,
            level,
            langs,
            titles,
            spatial,
            home.slug,
            countries,
            "",
            start,
            end,
            status,
            False,
            False,
        )
        self.strategies.append(strategy)
        return strategy

    def _titles(
        self, kind: str, home: Place, countries: tuple[int, ...], start: int, end: int | None, langs: tuple[str, ...]
    ) -> dict[str, str]:
        codes = [self.countries[c].code for c in countries] + [""]
        fill = {
            "name": home.name,
            "stem": home.stem,
            "y1": str(start),
            "y2": str(end or start + 10),
            "country": self.countries[countries[0]].place.labels["en"],
            "a": codes[0],
            "b": codes[1],
        }
        local, english = w.TITLES[kind]
        titles = {lang: local[lang].format(**fill) for lang in langs}
        if "en" not in titles:
            titles["en"] = english.format(**fill)
        return titles

    def _doc_slug(self, kind: str, home: Place, countries: tuple[int, ...], start: int) -> str:
        codes = "-".join(self.countries[c].code.lower() for c in countries)
        base = {
            "national": f"{home.slug}-regional-development-strategy-{start}",
            "eu": f"interreg-{codes}-{start}",
            "eu-single": f"{home.slug}-esf-plus-{start}",
            "social-plan": f"{home.slug}-social-plan-{start}",
        }.get(kind, f"{home.slug}-strategy-{start}")
        slug, number = base, 2
        while slug in self.docs:
            slug, number = f"{base}-{number}", number + 1
        self.docs.add(slug)
        return slug


# ================================================================ organisations and roles


class _Organisations:
    """Publishers, their units and the groups of actors of each country, and who may hold which role."""

    def __init__(self, builder: _Builder, seed: int) -> None:
        self.builder = builder
        self.rng = random.Random(f"{seed}/organisations")
        self.items: list[Organisation] = []
        self.units: dict[str, list[str]] = {}
        self.by_place: dict[str, str] = {}
        first = _first_strategy_of_places(builder.strategies)
        for country in builder.countries:
            self._public(country.place, first[country.place.slug], w.MINISTRY, w.MINISTRY_EN)
            self._groups(country, first[country.place.slug])
        for place in builder.places:
            if place.kind == "region" and place.slug in first:
                self._public(place, first[place.slug], w.REGION_ORG, w.REGION_ORG_EN)
            elif place.kind == "city" and place.slug in first:
                self._public(place, first[place.slug], w.CITY_ORG, w.CITY_ORG_EN)

    def _public(self, place: Place, cites: int, local: w.Phrase, english: str) -> None:
        fill = {"name": place.name, "stem": place.stem, "region": place.labels.get(place.lang, ""), "country": place.labels["en"]}
        labels = _labels(local, english, place.lang, fill)
        slug = w.slugify(labels[place.lang])
        if place.kind == "country":
            slug = f"{place.slug}-{slug}"
        slug = self.builder.names.unique_slug(slug)
        self.items.append(Organisation(slug, "public", labels, None, place.slug, cites))
        self.by_place[place.slug] = slug
        chosen = self.rng.sample(range(len(w.UNITS)), 4)
        self.units[slug] = []
        for u in sorted(chosen):
            key, names = w.UNITS[u]
            unit = Organisation(f"{slug}-{key}", "unit", _labels(names, names["en"], place.lang, fill), slug, None, cites)
            self.items.append(unit)
            self.units[slug].append(unit.slug)

    def _groups(self, country: Country, cites: int) -> None:
        lang = country.place.lang
        for key, names in w.ACTOR_GROUPS:
            self.items.append(
                Organisation(f"{country.place.slug}-{key}", "group", _labels(names, names["en"], lang, {}), None, None, cites)
            )

    def roles(self, strategy: Strategy) -> tuple[list[str], list[str], list[str]]:
        """Who may be responsible for, co-implement or partner in the elements of `strategy`."""
        country = self.builder.countries[strategy.countries[0]].place.slug
        groups = [f"{country}-{key}" for key, _ in w.ACTOR_GROUPS]
        responsible = self.units[strategy.publisher] or [strategy.publisher]
        home = self._place(strategy.home)
        parent = self.by_place.get(home.parent or "") if home.parent else None
        partners = groups + ([parent] if parent else [])
        return responsible, responsible + groups, partners

    def _place(self, slug: str) -> Place:
        return next(p for p in self.builder.places if p.slug == slug)


def _labels(local: w.Phrase, english: str, lang: str, fill: dict[str, str]) -> dict[str, str]:
    labels = {lang: local[lang].format(**fill)}
    if lang != "en":
        labels["en"] = english.format(**fill)
    return labels


def _first_strategy_of_places(strategies: Sequence[Strategy]) -> dict[str, int]:
    """For each territory, the first strategy made for it (its source file names the territory)."""
    first: dict[str, int] = {}
    for strategy in strategies:
        for slug in (strategy.home, *strategy.spatial):
            first.setdefault(slug, strategy.index)
    return first


def _assign_publishers(builder: _Builder, orgs: _Organisations) -> None:
    for strategy in builder.strategies:
        home = builder.countries[strategy.countries[0]].place.slug if strategy.level == Level.EU else strategy.home
        strategy.publisher = orgs.by_place[home]


def _higher(builder: _Builder) -> None:
    """Link each strategy to the strategies above it in its territory chain (region, country, EU)."""
    by_home: dict[str, list[int]] = {}
    for s in builder.strategies:
        if s.level < Level.EU and s.kind != "social-plan":
            by_home.setdefault(s.home, []).append(s.index)
    programmes = [s for s in builder.strategies if s.level == Level.EU]
    parent = {p.slug: p.parent for p in builder.places}
    for s in builder.strategies:
        if s.level == Level.EU:
            continue
        chain, place = [], parent.get(s.home)
        while place is not None:
            chain.extend(by_home.get(place, []))
            place = parent.get(place)
        chain.extend(p.index for p in programmes if s.countries[0] in p.countries)
        s.higher = tuple(chain)


# ================================================================ sizing


def _unit_costs(strategy: Strategy, has_programme: bool) -> dict[str, float]:
    """Expected triples of one element of each kind in `strategy`, alignments and projects included."""
    labels = len(strategy.labels)
    aligns = bool(strategy.higher)
    costs = {
        kind: pr.element_triples(kind, labels) + (pr.expected_alignment_triples(kind) if aligns else 0.0) for kind in pr.PROFILES
    }
    may_align = strategy.level == Level.MUNICIPAL and bool(strategy.higher)
    costs["Project"] = pr.project_triples(labels, has_programme, may_align)
    return costs


def _measure_cost(measure: Measure, costs: dict[str, float]) -> float:
    return costs["Measure"] + measure.activities * costs["Activity"] + measure.projects * costs["Project"]


def _tree_cost(strategy: Strategy, costs: dict[str, float]) -> float:
    total = 0.0
    for element in elements(strategy):
        total += costs[element.kind]
        if element.measure is not None:
            total += element.measure.projects * costs["Project"]
    return total


def _fixed_cost(strategy: Strategy) -> float:
    """Document (with its period and excerpt), source file and series node."""
    labels, langs = len(strategy.labels), len(strategy.langs)
    document = 6 + pr.P_END_YEAR + 2 * labels + len(strategy.spatial) + langs + pr.P_STATUS + pr.EXCERPT_TRIPLES
    source = 3 + langs
    series = (1 + labels + pr.EXCERPT_TRIPLES) if strategy.edition == 1 else 0
    return document + source + series + (1 if strategy.series else 0)


def _places_and_orgs_cost(places: Sequence[Place], orgs: Sequence[Organisation]) -> float:
    total = 0.0
    for place in places:
        total += 1 + len(place.labels) + (0 if place.kind == "country" else 1 + pr.EXCERPT_TRIPLES)
    for org in orgs:
        total += {"public": 3, "unit": 2, "group": 1}[org.kind] + len(org.labels) + pr.EXCERPT_TRIPLES
    return total


class _Sizer:
    """Trims element trees until the expected size fits the requested number of triples."""

    def __init__(self, plan: Plan, protected: tuple[int, int] | None) -> None:
        self.plan = plan
        self.protected = protected  # (local strategy, higher strategy): keep goal 1, 1.1 and measure 1.1.1
        self.rng = random.Random(f"{plan.seed}/size")
        self.costs = {s.index: _unit_costs(s, s.countries[0] in plan.programme_of) for s in plan.strategies}

    def estimate(self) -> float:
        fixed = _places_and_orgs_cost(self.plan.places, self.plan.organisations)
        fixed += sum(_fixed_cost(s) for s in self.plan.strategies)
        fixed += len(self.plan.horizontal) * (pr.ALIGNMENT_TRIPLES + pr.CURATED_EXTRA_TRIPLES)
        return fixed + sum(_tree_cost(s, self.costs[s.index]) for s in self.plan.strategies)

    def trim(self, target: float) -> float:
        """Drop measures, then specific goals, of higher-level strategies first, then of municipal ones,
        then strategic goals, until the expected size is `target` (local documents stay detailed longest)."""
        total = self.estimate()
        steps = (
            (self._drop_measures, Level.REGIONAL),
            (self._drop_specifics, Level.REGIONAL),
            (self._drop_measures, Level.MUNICIPAL),
            (self._drop_specifics, Level.MUNICIPAL),
            (self._drop_goals, Level.MUNICIPAL),
        )
        for step, lowest in steps:
            if total <= target:
                break
            total = step(total, target, [s for s in self.plan.strategies if s.level >= lowest])
        return total

    def _order(self, refs: Sequence[tuple[Strategy, tuple[int, ...]]]) -> list[tuple[Strategy, tuple[int, ...]]]:
        keyed = [(-s.level, self.rng.random(), s.index, path) for s, path in refs]
        keyed.sort()
        return [(self.plan.strategies[i], path) for _, _, i, path in keyed]

    def _drop_measures(self, total: float, target: float, strategies: list[Strategy]) -> float:
        refs = [
            (s, (gi, si))
            for s in strategies
            for gi, g in enumerate(s.goals)
            for si, measures in enumerate(g.specifics)
            for _ in measures
        ]
        for strategy, (gi, si) in self._order(refs):
            measures = strategy.goals[gi].specifics[si]
            if total <= target:
                break
            if len(measures) <= self._keep_measures(strategy, gi, si):
                continue
            total -= _measure_cost(measures.pop(), self.costs[strategy.index])
        return total

    def _drop_specifics(self, total: float, target: float, strategies: list[Strategy]) -> float:
        refs = [(s, (gi,)) for s in strategies for gi, g in enumerate(s.goals) for _ in g.specifics[1:]]
        for strategy, (gi,) in self._order(refs):
            if total <= target:
                break
            specifics = strategy.goals[gi].specifics
            if len(specifics) > 1:
                costs = self.costs[strategy.index]
                total -= costs["SpecificGoal"] + sum(_measure_cost(m, costs) for m in specifics.pop())
        return total

    def _drop_goals(self, total: float, target: float, strategies: list[Strategy]) -> float:
        refs = [(s, ()) for s in strategies for _ in s.goals[1:]]
        for strategy, _ in self._order(refs):
            if total <= target:
                break
            if len(strategy.goals) > 1 and not (strategy.areas and len(strategy.goals) <= len(strategy.areas)):
                total -= self._goal_cost(strategy, strategy.goals.pop())
        return total

    def _goal_cost(self, strategy: Strategy, goal: Goal) -> float:
        costs = self.costs[strategy.index]
        specifics = goal.specifics
        return costs["StrategicGoal"] + sum(costs["SpecificGoal"] + sum(_measure_cost(m, costs) for m in ms) for ms in specifics)

    def _keep_measures(self, strategy: Strategy, gi: int, si: int) -> int:
        if self.protected and strategy.index == self.protected[0] and (gi, si) == (0, 0):
            return 1
        return 0


# ================================================================ alignments


class _Targets:
    """Alignable elements of a higher-level strategy, by top-level theme of their topic."""

    def __init__(self, strategy: Strategy, vocab: Vocabularies) -> None:
        self.strategy = strategy
        self.by_top: dict[str, list[Element]] = {}
        self.all: list[Element] = []
        for element in elements(strategy):
            if element.kind in ("StrategicGoal", "SpecificGoal", "Measure"):
                self.all.append(element)
                self.by_top.setdefault(vocab.themes.top_of[element.topic], []).append(element)

    def pick(self, top: str, rng: random.Random) -> Element | None:
        pool = self.by_top.get(top) or self.all
        if not pool:
            return None
        goals = [e for e in pool if e.kind != "Measure"]
        return rng.choice(goals if goals and rng.random() < 0.85 else pool)


class _Aligner:
    """Plans the alignments of local elements to elements of higher-level strategies."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.targets: dict[int, _Targets] = {}

    def target_index(self, index: int) -> _Targets:
        if index not in self.targets:
            self.targets[index] = _Targets(self.plan.strategies[index], self.plan.vocab)
        return self.targets[index]

    def plan_strategy(self, strategy: Strategy, forced: list[Alignment]) -> None:
        rng = random.Random(f"{self.plan.seed}/align/{strategy.doc}")
        seen = {a.iri for a in forced}
        strategy.alignments.extend(forced)
        if not strategy.higher:
            return
        weights = [3.0 if self.plan.strategies[h].level == strategy.level + 1 else 1.0 for h in strategy.higher]
        for element in elements(strategy):
            if rng.random() >= pr.P_ALIGN.get(element.kind, 0.0):
                continue
            for _ in range(2 if rng.random() < pr.P_SECOND_TARGET else 1):
                higher = rng.choices(strategy.higher, weights)[0]
                target = self.target_index(higher).pick(self.plan.vocab.themes.top_of[element.topic], rng)
                if target is None:
                    continue
                alignment = self._random(strategy, element, self.plan.strategies[higher], target, rng)
                if alignment.iri not in seen:
                    seen.add(alignment.iri)
                    strategy.alignments.append(alignment)
        self._projects(strategy, rng, seen)

    def _random(self, local: Strategy, element: Element, higher: Strategy, target: Element, rng: random.Random) -> Alignment:
        status = _weighted(pr.STATUS_WEIGHTS, rng)
        relation = _weighted(pr.RELATION_WEIGHTS[status], rng)
        strength = rng.choice(pr.STRENGTHS[relation]) if status == pr.CURATED else None
        return self.alignment(local, element.kind, element.notation, higher, target, relation, status, strength, rng)

    def alignment(
        self,
        local: Strategy,
        kind: str,
        notation: str,
        higher: Strategy,
        target: Element,
        relation: str,
        status: str,
        strength: int | None,
        rng: random.Random,
        subject_iri: str | None = None,
    ) -> Alignment:
        subject = subject_iri or local.iri(notation)
        prefix = f"project/{subject.rsplit('/', 1)[-1]}" if subject_iri else f"{local.doc}/{notation}"
        iri = f"{ID}alignment/{prefix}--{higher.doc}/{target.notation}"
        theme = self.plan.vocab.themes.index[target.topic].labels.get("en", target.topic)
        evidence = _evidence(status, relation, (kind, notation, local), (target.kind, target.notation, higher), theme)
        justification = (
            "ManualMappingCuration"
            if status != pr.SUGGESTED
            else rng.choice(("LexicalMatching", "SemanticSimilarityThresholdMatching"))
        )
        graph = (
            f"strategies/{local.doc}"
            if status == pr.ASSERTED
            else f"alignments/{self.plan.countries[local.countries[0]].place.slug}"
        )
        return Alignment(
            iri,
            subject,
            higher.iri(target.notation),
            relation,
            status,
            strength,
            SEMAPV + justification,
            evidence,
            graph,
            local.index,
        )

    def _projects(self, strategy: Strategy, rng: random.Random, seen: set[str]) -> None:
        """Some municipal projects implement a measure of the regional strategy (a curated judgement)."""
        regional = [h for h in strategy.higher if self.plan.strategies[h].level == Level.REGIONAL]
        if strategy.level != Level.MUNICIPAL or not regional:
            return
        higher = self.plan.strategies[regional[0]]
        for element in elements(strategy):
            if element.measure is None:
                continue
            for number in range(1, element.measure.projects + 1):
                if rng.random() >= pr.P_PROJECT_ALIGNMENT:
                    continue
                measures = [e for e in self.target_index(higher.index).all if e.kind == "Measure"]
                target = rng.choice(measures) if measures else None
                if target is None:
                    continue
                iri = ID + "project/" + project_slug(strategy, element.notation, number)
                alignment = self.alignment(
                    strategy,
                    "Project",
                    element.notation,
                    higher,
                    target,
                    "implements",
                    pr.CURATED,
                    rng.choice(pr.STRENGTHS["implements"]),
                    rng,
                    iri,
                )
                if alignment.iri not in seen:
                    seen.add(alignment.iri)
                    strategy.alignments.append(alignment)


def project_slug(strategy: Strategy, measure: str, number: int) -> str:
    return w.slugify(f"{strategy.doc} {measure.replace('.', ' ')} p{number}")


def _weighted(weights: dict[str, float], rng: random.Random) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


_RELATION_NOUN = {
    "contributesTo": "contribution to",
    "implements": "implementation of",
    "consistentWith": "consistency with",
    "refersTo": "reference to",
    "conflictsWith": "conflict with",
    "pursuesSameAimAs": "shared aim with",
}
_RELATION_VERB = {
    "contributesTo": "contributes to",
    "implements": "implements",
    "consistentWith": "is consistent with",
    "conflictsWith": "conflicts with",
    "refersTo": "refers to",
    "pursuesSameAimAs": "pursues the same aim as",
}


def _evidence(status: str, relation: str, subject: tuple[str, str, Strategy], obj: tuple[str, str, Strategy], theme: str) -> str:
    s_kind, s_notation, s_doc = subject
    o_kind, o_notation, o_doc = obj
    own = f"{KIND_NAME[s_kind]} {s_notation} of the {s_doc.titles['en']}"
    other = f"{KIND_NAME[o_kind]} {o_notation} of the {o_doc.titles['en']}"
    if status == pr.ASSERTED:
        return f"The {own} states its {_RELATION_NOUN[relation]} {other}."
    if status == pr.CURATED:
        return f"A curator judged from both texts that the {own} {_RELATION_VERB[relation]} {other}; both address {theme}."
    return f"Suggested by software: the {own} and {other} share the theme '{theme}'."


def _horizontal(plan: Plan, aligner: _Aligner) -> list[Alignment]:
    """A few pursuesSameAimAs links between specific goals of cities in different countries."""
    rng = random.Random(f"{plan.seed}/horizontal")
    cities = [s for s in plan.strategies if s.kind == "municipal"]
    if len({s.countries[0] for s in cities}) < 2:
        return []
    links: list[Alignment] = []
    seen: set[str] = set()
    for _ in range(max(1, len(cities) // 8)):
        a = rng.choice(cities)
        b = rng.choice([s for s in cities if s.countries[0] != a.countries[0]])
        specifics = [e for e in elements(a) if e.kind == "SpecificGoal"]
        source = rng.choice(specifics)
        target = aligner.target_index(b.index).pick(plan.vocab.themes.top_of[source.topic], rng)
        if target is None:
            continue
        status = pr.SUGGESTED if rng.random() < 0.7 else pr.CURATED
        strength = rng.choice(pr.STRENGTHS["pursuesSameAimAs"]) if status == pr.CURATED else None
        link = aligner.alignment(a, source.kind, source.notation, b, target, "pursuesSameAimAs", status, strength, rng)
        if link.iri not in seen:
            seen.add(link.iri)
            links.append(
                Alignment(
                    link.iri,
                    link.subject,
                    link.obj,
                    link.relation,
                    link.status,
                    link.strength,
                    link.justification,
                    link.evidence,
                    "alignments/horizontal",
                    link.source,
                )
            )
    return links


# ================================================================ the plan


def _designate(strategies: Sequence[Strategy], vocab: Vocabularies, seed: int) -> Designated:
    municipal = [s for s in strategies if s.kind == "municipal"]
    local = next((s for s in municipal if any(strategies[h].level == Level.REGIONAL for h in s.higher)), None)
    higher = next((strategies[h] for h in local.higher if strategies[h].level == Level.REGIONAL), None) if local else None
    other = next((s for s in municipal if local and s.countries[0] != local.countries[0]), None)
    editions = [s for s in strategies if s.kind == "social-plan"]
    series = (editions[0].index, editions[1].index) if len(editions) >= 2 else None
    groups = [c.iri for c in vocab.target_groups.concepts if c.broader is not None]
    target_group = random.Random(f"{seed}/designate").choice(groups or [vocab.target_groups.concepts[0].iri])
    return Designated(
        local.index if local else None, higher.index if higher else None, other.index if other else None, series, target_group
    )


def _build(n: int, seed: int, vocab: Vocabularies, languages: Sequence[str]) -> Plan:
    builder = _Builder(n, seed, vocab, languages)
    orgs = _Organisations(builder, seed)
    _assign_publishers(builder, orgs)
    _higher(builder)
    social = max(vocab.themes.tops, key=lambda t: len(vocab.themes.subtree[t]))
    for s in builder.strategies:
        focus = vocab.themes.subtree[social] if s.kind == "social-plan" else vocab.themes.tops
        _tree(s, vocab, focus, random.Random(f"{seed}/tree/{s.doc}"))
    programme_of: dict[int, int] = {}
    for s in builder.strategies:
        if s.level == Level.EU:
            for c in s.countries:
                programme_of.setdefault(c, s.index)
    roles = {s.index: orgs.roles(s) for s in builder.strategies}
    designated = _designate(builder.strategies, vocab, seed)
    return Plan(
        seed, vocab, builder.countries, builder.places, builder.strategies, orgs.items, roles, programme_of, [], designated
    )


def _protect(plan: Plan) -> tuple[int, int] | None:
    """Make sure the designated local measure 1.1.1 has an activity and a project."""
    d = plan.designated
    if d.local is None or d.higher is None:
        return None
    local = plan.strategies[d.local]
    measure = local.goals[0].specifics[0][0]
    measure.activities = max(1, measure.activities)
    measure.projects = max(1, measure.projects)
    return d.local, d.higher


def _forced_alignment(plan: Plan, aligner: _Aligner) -> dict[int, list[Alignment]]:
    """The designated local measure 1.1.1 contributes to the higher strategy's first specific goal (curated)."""
    d = plan.designated
    if d.local is None or d.higher is None:
        return {}
    local, higher = plan.strategies[d.local], plan.strategies[d.higher]
    measure = next(e for e in elements(local) if e.kind == "Measure")
    target = next(e for e in elements(higher) if e.kind == "SpecificGoal")
    rng = random.Random(f"{plan.seed}/forced")
    return {
        local.index: [aligner.alignment(local, "Measure", measure.notation, higher, target, "contributesTo", pr.CURATED, 2, rng)]
    }


def make_plan(
    vocab: Vocabularies, *, triples: int | None, strategies: int | None, seed: int, languages: Sequence[str] = w.LANGUAGES
) -> Plan:
    """Plan a graph of about `triples` triples, or of exactly `strategies` strategies (full element trees)."""
    if (triples is None) == (strategies is None):
        raise ValueError("give either triples or strategies, not both and not neither")
    unknown = sorted(set(languages) - set(w.LANGUAGES))
    if unknown or not languages:
        raise ValueError(f"languages must be some of {', '.join(w.LANGUAGES)}; got {', '.join(languages) or 'none'}")
    if strategies is not None:
        if strategies < 1:
            raise ValueError("strategies must be at least 1")
        plan = _build(strategies, seed, vocab, languages)
        protected = _protect(plan)
        sizer = _Sizer(plan, protected)
    else:
        if triples is None or triples < 1:
            raise ValueError("triples must be at least 1")
        plan, sizer = _fit(vocab, triples, seed, languages)
    aligner = _Aligner(plan)
    forced = _forced_alignment(plan, aligner)
    for strategy in plan.strategies:
        aligner.plan_strategy(strategy, forced.get(strategy.index, []))
    plan.horizontal = _horizontal(plan, aligner)
    plan.estimated_triples = round(sizer.estimate())
    plan.key = hashlib.sha256(f"{seed}/{triples}/{strategies}/{','.join(languages)}".encode()).hexdigest()[:8]
    return plan


def _fit(vocab: Vocabularies, triples: int, seed: int, languages: Sequence[str]) -> tuple[Plan, _Sizer]:
    """The smallest layout whose full trees reach `triples`, trimmed down to it."""
    n = max(MIN_STRATEGIES_FOR_TRIPLES, math.ceil(triples / 7000))
    while True:
        plan = _build(n, seed, vocab, languages)
        sizer = _Sizer(plan, _protect(plan))
        full = sizer.estimate()
        if full >= triples or n > triples:
            sizer.trim(triples)
            return plan, sizer
        n = max(n + 1, math.ceil(n * triples / full))
