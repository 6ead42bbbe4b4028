"""Per-language phrases the synthetic graph is worded with: place names, titles, goal and measure wording.

Each phrase maps a language code (cs, pl, de, sk, en) to its text; the "en" text doubles as the English
translation of the other languages. Theme and target-group names come from the shared schemes (see
`vocab`), except German and Slovak names of the top-level themes, which the schemes do not carry.
"""

# ruff: noqa: RUF001, RUF003 -- the en dash is the sources' own ("2014 – 2016"), not a typo for "-"

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

Phrase = dict[str, str]

LANGUAGES = ("cs", "pl", "sk", "de", "en")

#: "Working group", for the working groups of plan series.
WORKING_GROUP = {
    "cs": "Pracovní skupina",
    "pl": "Grupa robocza",
    "sk": "Pracovná skupina",
    "de": "Arbeitsgruppe",
    "en": "Working group",
}

#: EU Publications Office language authority codes.
AUTHORITY = {"cs": "CES", "pl": "POL", "sk": "SLK", "de": "DEU", "en": "ENG"}


@dataclass(frozen=True)
class CountryTemplate:
    """A country the generator can place strategies in: its slug, language, currency and names."""

    slug: str
    code: str
    lang: str
    currency: str
    names: Phrase


#: Real countries first (cs and pl as in the project's data); labels of the Czech Republic and Poland
#: equal those of data/vocabularies/territories.ttl, so loading both graphs adds no conflicting label.
COUNTRIES = (
    CountryTemplate("czech-republic", "CZ", "cs", "CZK", {"cs": "Česká republika", "en": "Czech Republic", "pl": "Czechy"}),
    CountryTemplate("poland", "PL", "pl", "PLN", {"pl": "Polska", "en": "Poland", "cs": "Polsko"}),
    CountryTemplate("slovakia", "SK", "sk", "EUR", {"sk": "Slovenská republika", "en": "Slovakia"}),
    CountryTemplate("germany", "DE", "de", "EUR", {"de": "Deutschland", "en": "Germany"}),
    CountryTemplate("ireland", "IE", "en", "EUR", {"en": "Ireland"}),
    CountryTemplate("austria", "AT", "de", "EUR", {"de": "Österreich", "en": "Austria"}),
)

#: Currency of a synthetic country beyond the templates, by language.
CURRENCY = {"cs": "CZK", "pl": "PLN", "sk": "EUR", "de": "EUR", "en": "EUR"}

#: Stems and endings of place names, by language.
PLACE_STEMS = {
    "cs": (
        "Bystř",
        "Lib",
        "Hrad",
        "Kam",
        "Dub",
        "Jav",
        "Lip",
        "Bor",
        "Ostr",
        "Ryb",
        "Hlin",
        "Sad",
        "Kras",
        "Vys",
        "Ném",
        "Lesn",
        "Mal",
        "Star",
        "Tiš",
        "Bran",
    ),
    "pl": (
        "Brzez",
        "Kal",
        "Gniez",
        "Lesz",
        "Ostr",
        "Wol",
        "Krasn",
        "Star",
        "Biel",
        "Dąbr",
        "Grod",
        "Jarosł",
        "Lub",
        "Mił",
        "Pruszk",
        "Sokoł",
        "Trzeb",
        "Wierzb",
        "Zawierc",
        "Żyr",
    ),
    "sk": (
        "Bystr",
        "Zvol",
        "Lev",
        "Pieš",
        "Tren",
        "Hlo",
        "Pri",
        "Senic",
        "Brez",
        "Dub",
        "Kež",
        "Lip",
        "Micha",
        "Nitr",
        "Rim",
        "Skal",
        "Topoľ",
        "Turč",
        "Žar",
        "Sob",
    ),
    "de": (
        "Rosen",
        "Eichen",
        "Berg",
        "Wald",
        "Neu",
        "Alt",
        "Stein",
        "Lin",
        "Hohen",
        "Kirch",
        "Mühl",
        "Schön",
        "Tann",
        "Wies",
        "Gold",
        "Buch",
        "Linden",
        "Sonnen",
        "Fried",
        "Ober",
    ),
    "en": (
        "Ash",
        "Bally",
        "Kil",
        "Castle",
        "Carrick",
        "Dun",
        "Bal",
        "Clon",
        "Glen",
        "Kin",
        "Lis",
        "Mull",
        "New",
        "Rath",
        "Tully",
        "Water",
        "Ennis",
        "Mount",
        "Port",
        "Bel",
    ),
}
PLACE_ENDINGS = {
    "cs": ("ice", "ov", "any", "ín", "ec", "nice", "ná", "ovice"),
    "pl": ("ów", "no", "ice", "owo", "in", "sko", "ek", "owice"),
    "sk": ("ica", "any", "ov", "ce", "in", "né", "ovce", "ík"),
    "de": ("dorf", "burg", "heim", "feld", "stadt", "bach", "hausen", "au"),
    "en": ("ford", "more", "ton", "bridge", "field", "mel", "town", "lough"),
}

# ---------------------------------------------------------------- territories and organisations
# Templates take {name} (a place name), {stem} (its stem), {country} (the English country name).

REGION_NAME: Phrase = {
    "cs": "{stem}ský kraj",
    "pl": "Województwo {stem_lower}skie",
    "sk": "{stem}ský kraj",
    "de": "Landkreis {name}",
    "en": "County {name}",
}
REGION_NAME_EN = "{name} Region"

CITY_ORG: Phrase = {
    "cs": "Město {name}",
    "pl": "Miasto {name}",
    "sk": "Mesto {name}",
    "de": "Stadt {name}",
    "en": "{name} City Council",
}
CITY_ORG_EN = "City of {name}"
REGION_ORG: Phrase = {
    "cs": "{region}",
    "pl": "Samorząd Województwa {stem}skiego",
    "sk": "{stem}ský samosprávny kraj",
    "de": "Landratsamt {name}",
    "en": "{name} County Council",
}
REGION_ORG_EN = "{name} Regional Authority"
MINISTRY: Phrase = {
    "cs": "Ministerstvo pro místní rozvoj",
    "pl": "Ministerstwo Funduszy i Polityki Regionalnej",
    "sk": "Ministerstvo investícií, regionálneho rozvoja a informatizácie",
    "de": "Bundesministerium für Wohnen, Stadtentwicklung und Bauwesen",
    "en": "Department of Housing, Local Government and Heritage",
}
MINISTRY_EN = "Ministry of Regional Development ({country})"

#: Departments (units) of a public organisation: slug and names.
UNITS: tuple[tuple[str, Phrase], ...] = (
    (
        "social-affairs",
        {
            "cs": "Odbor sociálních věcí",
            "pl": "Wydział Spraw Społecznych",
            "sk": "Odbor sociálnych vecí",
            "de": "Sozialamt",
            "en": "Department of Social Affairs",
        },
    ),
    (
        "education",
        {
            "cs": "Odbor školství",
            "pl": "Wydział Edukacji",
            "sk": "Odbor školstva",
            "de": "Schulamt",
            "en": "Department of Education",
        },
    ),
    (
        "development",
        {
            "cs": "Odbor strategického rozvoje",
            "pl": "Wydział Rozwoju",
            "sk": "Odbor strategického rozvoja",
            "de": "Amt für Stadtentwicklung",
            "en": "Department of Strategic Development",
        },
    ),
    (
        "transport",
        {
            "cs": "Odbor dopravy",
            "pl": "Wydział Komunikacji",
            "sk": "Odbor dopravy",
            "de": "Verkehrsamt",
            "en": "Department of Transport",
        },
    ),
    (
        "environment",
        {
            "cs": "Odbor životního prostředí",
            "pl": "Wydział Ochrony Środowiska",
            "sk": "Odbor životného prostredia",
            "de": "Umweltamt",
            "en": "Department of the Environment",
        },
    ),
    (
        "health",
        {
            "cs": "Odbor zdravotnictví",
            "pl": "Wydział Zdrowia",
            "sk": "Odbor zdravotníctva",
            "de": "Gesundheitsamt",
            "en": "Department of Health",
        },
    ),
)

#: Groups of actors a country's documents name as a whole.
ACTOR_GROUPS: tuple[tuple[str, Phrase], ...] = (
    (
        "ngos",
        {
            "cs": "nestátní neziskové organizace",
            "pl": "organizacje pozarządowe",
            "sk": "mimovládne neziskové organizácie",
            "de": "Nichtregierungsorganisationen",
            "en": "non-governmental organisations",
        },
    ),
    (
        "social-service-providers",
        {
            "cs": "poskytovatelé sociálních služeb",
            "pl": "dostawcy usług społecznych",
            "sk": "poskytovatelia sociálnych služieb",
            "de": "Träger sozialer Dienste",
            "en": "social service providers",
        },
    ),
    (
        "schools",
        {
            "cs": "školy a školská zařízení",
            "pl": "szkoły i placówki oświatowe",
            "sk": "školy a školské zariadenia",
            "de": "Schulen und Bildungseinrichtungen",
            "en": "schools and educational establishments",
        },
    ),
    ("businesses", {"cs": "podnikatelé", "pl": "przedsiębiorcy", "sk": "podnikatelia", "de": "Unternehmen", "en": "businesses"}),
)

# ---------------------------------------------------------------- documents
# Templates take {name}, {region}, {country}, {y1}, {y2}, {a}, {b} (country codes of a programme).

TITLES: dict[str, tuple[Phrase, str]] = {
    "municipal": (
        {
            "cs": "Strategie rozvoje města {name} {y1}–{y2}",
            "pl": "Strategia Rozwoju Miasta {name} na lata {y1}–{y2}",
            "sk": "Program rozvoja mesta {name} na roky {y1}–{y2}",
            "de": "Integriertes Stadtentwicklungskonzept {name} {y1}–{y2}",
            "en": "{name} Local Economic and Community Plan {y1}–{y2}",
        },
        "Development Strategy of the City of {name} {y1}–{y2}",
    ),
    "regional": (
        {
            "cs": "Strategie rozvoje {stem}ského kraje {y1}–{y2}",
            "pl": "Strategia Rozwoju Województwa {stem}skiego do roku {y2}",
            "sk": "Program rozvoja {stem}ského kraja na roky {y1}–{y2}",
            "de": "Regionales Entwicklungskonzept Landkreis {name} {y1}–{y2}",
            "en": "{name} Regional Spatial and Economic Strategy {y1}–{y2}",
        },
        "Development Strategy of the {name} Region {y1}–{y2}",
    ),
    "national": (
        {
            "cs": "Strategie regionálního rozvoje {y1}–{y2}",
            "pl": "Krajowa Strategia Rozwoju Regionalnego {y2}",
            "sk": "Národná stratégia regionálneho rozvoja {y1}–{y2}",
            "de": "Nationale Strategie für die ländlichen und städtischen Räume {y1}–{y2}",
            "en": "National Development Plan {y1}–{y2}",
        },
        "Regional Development Strategy of {country} {y1}–{y2}",
    ),
    "eu": (
        {
            "cs": "Program Interreg {a}–{b} {y1}–{y2}",
            "pl": "Program Interreg {a}–{b} {y1}–{y2}",
            "sk": "Program Interreg {a}–{b} {y1}–{y2}",
            "de": "Programm Interreg {a}–{b} {y1}–{y2}",
            "en": "Interreg {a}–{b} Programme {y1}–{y2}",
        },
        "Interreg {a}–{b} Cooperation Programme {y1}–{y2}",
    ),
    "eu-single": (
        {
            "cs": "Operační program Zaměstnanost plus {y1}–{y2}",
            "pl": "Program Fundusze Europejskie dla Rozwoju Społecznego {y1}–{y2}",
            "sk": "Program Slovensko {y1}–{y2}",
            "de": "ESF Plus Programm {y1}–{y2}",
            "en": "Employment, Inclusion, Skills and Training Programme {y1}–{y2}",
        },
        "European Social Fund Plus Programme of {country} {y1}–{y2}",
    ),
    "social-plan": (
        {
            "cs": "Komunitní plán sociálních služeb {name} {y1}–{y2}",
            "pl": "Strategia Rozwiązywania Problemów Społecznych {name} na lata {y1}–{y2}",
            "sk": "Komunitný plán sociálnych služieb {name} na roky {y1}–{y2}",
            "de": "Sozialplan {name} {y1}–{y2}",
            "en": "{name} Community Plan of Social Services {y1}–{y2}",
        },
        "Community Plan of Social Services of {name} {y1}–{y2}",
    ),
    "social-series": (
        {
            "cs": "Komunitní plán sociálních služeb {name}",
            "pl": "Strategia Rozwiązywania Problemów Społecznych {name}",
            "sk": "Komunitný plán sociálnych služieb {name}",
            "de": "Sozialplan {name}",
            "en": "{name} Community Plan of Social Services",
        },
        "Community Plan of Social Services of {name}",
    ),
}

VISION: Phrase = {"cs": "Vize", "pl": "Wizja", "sk": "Vízia", "de": "Leitbild", "en": "Vision"}
VISION_TEXT: Phrase = {
    "cs": "{name} je místem, kde se dobře žije všem generacím a kde služby odpovídají potřebám lidí.",
    "pl": "{name} jest miejscem dobrym do życia dla wszystkich pokoleń, a usługi odpowiadają potrzebom ludzi.",
    "sk": "{name} je miestom, kde sa dobre žije všetkým generáciám a kde služby zodpovedajú potrebám ľudí.",
    "de": "{name} ist ein Ort, an dem alle Generationen gut leben und die Angebote dem Bedarf der Menschen entsprechen.",
    "en": "{name} is a place where all generations live well and where services meet people's needs.",
}

# ---------------------------------------------------------------- elements
# A goal is "<Theme> – <frame>", a measure "<action>: <theme>", an activity "<step> – <theme or group>".

GOAL_FRAMES: tuple[Phrase, ...] = (
    {
        "cs": "dostupnost a kvalita",
        "pl": "dostępność i jakość",
        "sk": "dostupnosť a kvalita",
        "de": "Zugang und Qualität",
        "en": "access and quality",
    },
    {
        "cs": "rozvoj a modernizace",
        "pl": "rozwój i modernizacja",
        "sk": "rozvoj a modernizácia",
        "de": "Entwicklung und Modernisierung",
        "en": "development and modernisation",
    },
    {
        "cs": "podpora a spolupráce",
        "pl": "wsparcie i współpraca",
        "sk": "podpora a spolupráca",
        "de": "Förderung und Zusammenarbeit",
        "en": "support and cooperation",
    },
    {
        "cs": "efektivní řízení",
        "pl": "efektywne zarządzanie",
        "sk": "efektívne riadenie",
        "de": "wirksame Steuerung",
        "en": "effective management",
    },
    {
        "cs": "prevence a osvěta",
        "pl": "profilaktyka i edukacja",
        "sk": "prevencia a osveta",
        "de": "Prävention und Aufklärung",
        "en": "prevention and awareness",
    },
    {
        "cs": "udržitelné financování",
        "pl": "stabilne finansowanie",
        "sk": "udržateľné financovanie",
        "de": "nachhaltige Finanzierung",
        "en": "sustainable funding",
    },
    {
        "cs": "infrastruktura a vybavení",
        "pl": "infrastruktura i wyposażenie",
        "sk": "infraštruktúra a vybavenie",
        "de": "Infrastruktur und Ausstattung",
        "en": "infrastructure and equipment",
    },
    {
        "cs": "místo pro všechny",
        "pl": "miejsce dla wszystkich",
        "sk": "miesto pre všetkých",
        "de": "ein Ort für alle",
        "en": "a place for everyone",
    },
)

MEASURE_ACTIONS: tuple[Phrase, ...] = (
    {
        "cs": "Rozšíření kapacit",
        "pl": "Zwiększenie potencjału",
        "sk": "Rozšírenie kapacít",
        "de": "Ausbau der Kapazitäten",
        "en": "Expanding capacities",
    },
    {
        "cs": "Zvýšení kvality",
        "pl": "Podniesienie jakości",
        "sk": "Zvýšenie kvality",
        "de": "Steigerung der Qualität",
        "en": "Raising the quality",
    },
    {
        "cs": "Koordinace a spolupráce",
        "pl": "Koordynacja i współpraca",
        "sk": "Koordinácia a spolupráca",
        "de": "Koordination und Kooperation",
        "en": "Coordination and cooperation",
    },
    {
        "cs": "Modernizace zařízení",
        "pl": "Modernizacja obiektów",
        "sk": "Modernizácia zariadení",
        "de": "Modernisierung der Einrichtungen",
        "en": "Modernising facilities",
    },
    {
        "cs": "Podpora dostupnosti",
        "pl": "Wspieranie dostępności",
        "sk": "Podpora dostupnosti",
        "de": "Förderung der Erreichbarkeit",
        "en": "Supporting accessibility",
    },
    {
        "cs": "Informovanost a osvěta",
        "pl": "Informacja i promocja",
        "sk": "Informovanosť a osveta",
        "de": "Information und Öffentlichkeitsarbeit",
        "en": "Information and awareness",
    },
    {
        "cs": "Vzdělávání pracovníků",
        "pl": "Szkolenie kadr",
        "sk": "Vzdelávanie pracovníkov",
        "de": "Qualifizierung des Personals",
        "en": "Training staff",
    },
    {
        "cs": "Stabilní financování",
        "pl": "Stabilne finansowanie",
        "sk": "Stabilné financovanie",
        "de": "Verlässliche Finanzierung",
        "en": "Stable funding",
    },
    {
        "cs": "Digitalizace služeb",
        "pl": "Cyfryzacja usług",
        "sk": "Digitalizácia služieb",
        "de": "Digitalisierung der Angebote",
        "en": "Digitalising services",
    },
    {
        "cs": "Prevence rizik",
        "pl": "Zapobieganie zagrożeniom",
        "sk": "Prevencia rizík",
        "de": "Vorbeugung von Risiken",
        "en": "Preventing risks",
    },
)

ACTIVITY_STEPS: tuple[Phrase, ...] = (
    {
        "cs": "Zpracování analýzy potřeb",
        "pl": "Opracowanie diagnozy potrzeb",
        "sk": "Spracovanie analýzy potrieb",
        "de": "Erstellung einer Bedarfsanalyse",
        "en": "Preparing a needs analysis",
    },
    {"cs": "Pilotní projekt", "pl": "Projekt pilotażowy", "sk": "Pilotný projekt", "de": "Pilotprojekt", "en": "Pilot project"},
    {
        "cs": "Pravidelná setkání aktérů",
        "pl": "Regularne spotkania partnerów",
        "sk": "Pravidelné stretnutia aktérov",
        "de": "Regelmäßige Treffen der Akteure",
        "en": "Regular meetings of stakeholders",
    },
    {"cs": "Dotační program", "pl": "Program grantowy", "sk": "Dotačný program", "de": "Förderprogramm", "en": "Grant scheme"},
    {
        "cs": "Rekonstrukce objektu",
        "pl": "Przebudowa obiektu",
        "sk": "Rekonštrukcia objektu",
        "de": "Sanierung eines Gebäudes",
        "en": "Refurbishing a building",
    },
    {
        "cs": "Informační kampaň",
        "pl": "Kampania informacyjna",
        "sk": "Informačná kampaň",
        "de": "Informationskampagne",
        "en": "Information campaign",
    },
    {
        "cs": "Vzdělávací kurzy",
        "pl": "Kursy szkoleniowe",
        "sk": "Vzdelávacie kurzy",
        "de": "Fortbildungskurse",
        "en": "Training courses",
    },
    {
        "cs": "Monitoring a vyhodnocení",
        "pl": "Monitoring i ewaluacja",
        "sk": "Monitoring a vyhodnotenie",
        "de": "Monitoring und Evaluierung",
        "en": "Monitoring and evaluation",
    },
    {
        "cs": "Zřízení kontaktního místa",
        "pl": "Utworzenie punktu kontaktowego",
        "sk": "Zriadenie kontaktného miesta",
        "de": "Einrichtung einer Anlaufstelle",
        "en": "Setting up a contact point",
    },
    {
        "cs": "Sdílení dobré praxe",
        "pl": "Wymiana dobrych praktyk",
        "sk": "Zdieľanie dobrej praxe",
        "de": "Austausch guter Praxis",
        "en": "Sharing good practice",
    },
)

DESCRIPTIONS: tuple[Phrase, ...] = (
    {
        "cs": "Cílem je zlepšit situaci v této oblasti a posílit spolupráci všech aktérů.",
        "pl": "Celem jest poprawa sytuacji w tym obszarze i wzmocnienie współpracy wszystkich podmiotów.",
        "sk": "Cieľom je zlepšiť situáciu v tejto oblasti a posilniť spoluprácu všetkých aktérov.",
        "de": "Ziel ist es, die Lage in diesem Bereich zu verbessern und die Zusammenarbeit aller Akteure zu stärken.",
        "en": "The aim is to improve the situation in this area and to strengthen the cooperation of all actors.",
    },
    {
        "cs": "Opatření navazuje na analýzu potřeb obyvatel a bude pravidelně vyhodnocováno.",
        "pl": "Działanie wynika z analizy potrzeb mieszkańców i będzie regularnie oceniane.",
        "sk": "Opatrenie nadväzuje na analýzu potrieb obyvateľov a bude pravidelne vyhodnocované.",
        "de": "Die Maßnahme beruht auf einer Analyse des Bedarfs der Bevölkerung und wird regelmäßig ausgewertet.",
        "en": "The measure builds on an analysis of residents' needs and will be evaluated regularly.",
    },
    {
        "cs": "Důraz je kladen na dostupnost služeb na celém území.",
        "pl": "Nacisk kładzie się na dostępność usług na całym obszarze.",
        "sk": "Dôraz sa kladie na dostupnosť služieb na celom území.",
        "de": "Der Schwerpunkt liegt auf der Erreichbarkeit der Angebote im gesamten Gebiet.",
        "en": "Emphasis is placed on the availability of services across the whole territory.",
    },
    {
        "cs": "Realizace bude financována z rozpočtu a z evropských fondů.",
        "pl": "Realizacja będzie finansowana z budżetu i funduszy europejskich.",
        "sk": "Realizácia bude financovaná z rozpočtu a z európskych fondov.",
        "de": "Die Umsetzung wird aus dem Haushalt und aus EU-Fördermitteln finanziert.",
        "en": "Implementation will be financed from the budget and from European funds.",
    },
)

PROJECTS: tuple[Phrase, ...] = (
    {
        "cs": "Centrum sociálních služeb",
        "pl": "Centrum Usług Społecznych",
        "sk": "Centrum sociálnych služieb",
        "de": "Sozialzentrum",
        "en": "Social Services Centre",
    },
    {
        "cs": "Komunitní centrum",
        "pl": "Centrum społeczne",
        "sk": "Komunitné centrum",
        "de": "Stadtteilzentrum",
        "en": "Community Centre",
    },
    {
        "cs": "Revitalizace veřejného prostranství",
        "pl": "Rewitalizacja przestrzeni publicznej",
        "sk": "Revitalizácia verejného priestranstva",
        "de": "Neugestaltung des öffentlichen Raums",
        "en": "Public Space Regeneration",
    },
    {
        "cs": "Chytrý úřad",
        "pl": "Inteligentny urząd",
        "sk": "Inteligentný úrad",
        "de": "Digitales Rathaus",
        "en": "Smart Town Hall",
    },
    {
        "cs": "Sdílené dílny",
        "pl": "Warsztaty wspólne",
        "sk": "Zdieľané dielne",
        "de": "Offene Werkstätten",
        "en": "Shared Workshops",
    },
    {
        "cs": "Nízkoprahový klub",
        "pl": "Klub młodzieżowy",
        "sk": "Nízkoprahový klub",
        "de": "Jugendtreff",
        "en": "Drop-in Youth Club",
    },
)
FUNDING: Phrase = {
    "cs": "Financování projektu {project}",
    "pl": "Finansowanie projektu {project}",
    "sk": "Financovanie projektu {project}",
    "de": "Finanzierung des Projekts {project}",
    "en": "Funding of the project {project}",
}

OUTCOMES: tuple[Phrase, ...] = (
    {
        "cs": "zvýšení spokojenosti obyvatel",
        "pl": "wzrost zadowolenia mieszkańców",
        "sk": "zvýšenie spokojnosti obyvateľov",
        "de": "höhere Zufriedenheit der Bevölkerung",
        "en": "higher satisfaction of residents",
    },
    {
        "cs": "rozšíření kapacity služeb",
        "pl": "zwiększenie dostępności usług",
        "sk": "rozšírenie kapacity služieb",
        "de": "mehr Kapazität der Angebote",
        "en": "larger capacity of services",
    },
    {
        "cs": "snížení počtu osob v krizi",
        "pl": "spadek liczby osób w kryzysie",
        "sk": "zníženie počtu osôb v kríze",
        "de": "weniger Menschen in Krisen",
        "en": "fewer people in crisis",
    },
    {
        "cs": "vyšší informovanost veřejnosti",
        "pl": "wyższa świadomość społeczna",
        "sk": "vyššia informovanosť verejnosti",
        "de": "bessere Information der Öffentlichkeit",
        "en": "better public awareness",
    },
    {
        "cs": "lepší spolupráce aktérů",
        "pl": "lepsza współpraca podmiotów",
        "sk": "lepšia spolupráca aktérov",
        "de": "bessere Zusammenarbeit der Akteure",
        "en": "better cooperation of actors",
    },
)

#: German and Slovak names of top-level themes, by theme slug (the shared scheme has cs, pl and en only).
#: A theme missing here is named by its English label.
THEME_NAMES: dict[str, dict[str, str]] = {
    "de": {
        "social-affairs": "Soziales",
        "housing": "Wohnen",
        "employment": "Beschäftigung",
        "health-care": "Gesundheitsversorgung",
        "public-safety": "öffentliche Sicherheit",
        "cooperation": "Zusammenarbeit der Akteure",
        "quality-of-life": "Lebensqualität",
        "education": "Bildung",
        "human-resources": "Personalentwicklung",
        "business-and-research": "Wirtschaft und Forschung",
        "culture": "Kultur",
        "sport-and-leisure": "Sport und Freizeit",
        "tourism": "Tourismus",
        "transport": "Verkehr",
        "technical-infrastructure": "technische Infrastruktur",
        "social-infrastructure": "soziale Infrastruktur",
        "environment": "Umwelt und Energie",
        "urban-development": "Stadtentwicklung",
        "public-administration": "öffentliche Verwaltung",
        "digitalisation": "Digitalisierung",
        "information-and-awareness": "Information und Bewusstsein",
        "local-development": "lokale Entwicklung",
        "sustainable-development": "nachhaltige Entwicklung",
    },
    "sk": {
        "social-affairs": "sociálna oblasť",
        "housing": "bývanie",
        "employment": "zamestnanosť",
        "health-care": "zdravotná starostlivosť",
        "public-safety": "bezpečnosť",
        "cooperation": "spolupráca aktérov",
        "quality-of-life": "kvalita života",
        "education": "vzdelávanie",
        "human-resources": "rozvoj ľudských zdrojov",
        "business-and-research": "podnikanie a výskum",
        "culture": "kultúra",
        "sport-and-leisure": "šport a voľný čas",
        "tourism": "cestovný ruch",
        "transport": "doprava",
        "technical-infrastructure": "technická infraštruktúra",
        "social-infrastructure": "sociálna infraštruktúra",
        "environment": "životné prostredie",
        "urban-development": "rozvoj mesta a verejný priestor",
        "public-administration": "verejná správa",
        "digitalisation": "digitalizácia",
        "information-and-awareness": "informovanosť a osveta",
        "local-development": "miestny rozvoj",
        "sustainable-development": "udržateľný rozvoj",
    },
}

# ---------------------------------------------------------------- helpers

_ASCII = str.maketrans({"ł": "l", "Ł": "L", "ß": "ss", "đ": "d", "ø": "o", "æ": "ae", "–": "-"})


def slugify(text: str) -> str:
    """Lower-case ASCII with hyphens, diacritics removed (modelling guide: 'Šimonovice' -> 'simonovice')."""
    plain = unicodedata.normalize("NFKD", text.translate(_ASCII)).encode("ascii", "ignore").decode("ascii")
    words = "".join(ch if ch.isalnum() else " " for ch in plain.lower()).split()
    return "-".join(words)


def capitalise(text: str) -> str:
    """Upper-case the first letter only (theme names are lower-case in the schemes)."""
    return text[:1].upper() + text[1:]


def roman(number: int) -> str:
    """Roman numeral of a positive integer (I, II, ... for goals of some documents)."""
    values = (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    digits = []
    for value, numeral in values:
        count, number = divmod(number, value)
        digits.append(numeral * count)
    return "".join(digits)
