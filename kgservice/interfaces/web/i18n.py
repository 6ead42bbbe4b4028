"""The page language (cs, pl, en) and the words of the pages in each; labels from the graph fall back
to English in the queries, the words here fall back to English in `Words`."""

from __future__ import annotations

from fastapi import Request

from kgservice.rdf.namespaces import compact

LANGUAGES = ("en", "cs", "pl")
DEFAULT = "en"
COOKIE = "lang"

# Words of the page chrome. Labels of classes, relations and statuses come from the ontology instead.
_WORDS: dict[str, dict[str, str]] = {
    "strategies": {"cs": "Strategie", "pl": "Strategie", "en": "Strategies"},
    "editor": {"cs": "Editor dotazů", "pl": "Edytor zapytań", "en": "Query editor"},
    "coherence": {"cs": "Soulad strategií", "pl": "Spójność strategii", "en": "Coherence"},
    "validation": {"cs": "Kontrola dat", "pl": "Walidacja danych", "en": "Validation"},
    "api": {"cs": "API", "pl": "API", "en": "API"},
    "language": {"cs": "Jazyk", "pl": "Język", "en": "Language"},
    "title": {"cs": "Název", "pl": "Tytuł", "en": "Title"},
    "level": {"cs": "Úroveň", "pl": "Poziom", "en": "Level"},
    "territory": {"cs": "Území", "pl": "Terytorium", "en": "Territory"},
    "issuer": {"cs": "Vydavatel", "pl": "Wydawca", "en": "Issuer"},
    "period": {"cs": "Období", "pl": "Okres", "en": "Period"},
    "date": {"cs": "Datum", "pl": "Data", "en": "Date"},
    "status": {"cs": "Stav", "pl": "Status", "en": "Status"},
    "elements": {"cs": "Prvků", "pl": "Elementów", "en": "Elements"},
    "by_reference": {"cs": "známo jen z odkazu", "pl": "znany tylko z odwołania", "en": "known only by reference"},
    "intro": {
        "cs": "Graf znalostí veřejných rozvojových strategií: každý údaj odkazuje na řádky zdrojového dokumentu.",
        "pl": "Graf wiedzy o publicznych strategiach rozwoju: każdy fakt wskazuje wiersze dokumentu źródłowego.",
        "en": "A knowledge graph of public development strategies: every fact points to the lines of its source document.",
    },
    "type": {"cs": "Typ", "pl": "Typ", "en": "Type"},
    "notation": {"cs": "Označení", "pl": "Oznaczenie", "en": "Notation"},
    "strategy": {"cs": "Strategie", "pl": "Strategia", "en": "Strategy"},
    "description": {"cs": "Popis", "pl": "Opis", "en": "Description"},
    "properties": {"cs": "Vlastnosti", "pl": "Właściwości", "en": "Properties"},
    "outline": {"cs": "Osnova", "pl": "Struktura", "en": "Outline"},
    "children": {"cs": "Obsahuje", "pl": "Zawiera", "en": "Contains"},
    "actors": {"cs": "Aktéři", "pl": "Podmioty", "en": "Actors"},
    "role": {"cs": "Role", "pl": "Rola", "en": "Role"},
    "role_responsible": {"cs": "odpovídá", "pl": "odpowiedzialny", "en": "responsible"},
    "role_coImplementer": {"cs": "spolurealizátor", "pl": "współrealizator", "en": "co-implementer"},
    "role_partner": {"cs": "partner", "pl": "partner", "en": "partner"},
    "actor": {"cs": "Aktér", "pl": "Podmiot", "en": "Actor"},
    "declared_on": {"cs": "Uvedeno u", "pl": "Wskazane przy", "en": "Stated for"},
    "inherited": {"cs": "zděděno", "pl": "odziedziczone", "en": "inherited"},
    "alignments_out": {"cs": "Přispívá k", "pl": "Przyczynia się do", "en": "Alignments out"},
    "alignments_in": {"cs": "Podporováno prvky", "pl": "Wspierane przez", "en": "Alignments in"},
    "element": {"cs": "Prvek", "pl": "Element", "en": "Element"},
    "relation": {"cs": "Vazba", "pl": "Powiązanie", "en": "Relation"},
    "strength": {"cs": "Síla", "pl": "Siła", "en": "Strength"},
    "evidence": {"cs": "Doklad", "pl": "Uzasadnienie", "en": "Evidence"},
    "via": {"cs": "Přes", "pl": "Przez", "en": "Via"},
    "direct": {"cs": "přímo", "pl": "bezpośrednio", "en": "direct"},
    "sources": {"cs": "Zdroj", "pl": "Źródło", "en": "Source"},
    "lines": {"cs": "řádky", "pl": "wiersze", "en": "lines"},
    "line": {"cs": "řádek", "pl": "wiersz", "en": "line"},
    "referenced_by": {"cs": "Odkazují sem", "pl": "Odwołania", "en": "Referenced by"},
    "download": {"cs": "Stáhnout jako", "pl": "Pobierz jako", "en": "Download as"},
    "not_found": {"cs": "Nenalezeno", "pl": "Nie znaleziono", "en": "Not found"},
    "no_entity": {
        "cs": "Graf o tomto IRI nic neobsahuje.",
        "pl": "Graf nie zawiera nic o tym IRI.",
        "en": "The graph holds nothing about this IRI.",
    },
    "named_queries": {"cs": "Pojmenované dotazy", "pl": "Nazwane zapytania", "en": "Named queries"},
    "editor_help": {
        "cs": "Klepněte na dotaz, otevře se v nové záložce; spusťte jej tlačítkem ▶. "
        "Parametry ve tvaru VALUES ?x { UNDEF } znamenají „jakákoli hodnota“.",
        "pl": "Kliknij zapytanie, otworzy się w nowej karcie; uruchom je przyciskiem ▶. "
        "Parametry VALUES ?x { UNDEF } oznaczają „dowolna wartość”.",
        "en": 'Click a query to open it in a new tab; run it with ▶. Parameter slots VALUES ?x { UNDEF } mean "any value".',
    },
    "editor_missing": {
        "cs": "Editor (YASGUI) není sestaven: spusťte `make vendor` (potřebuje npm).",
        "pl": "Edytor (YASGUI) nie został zbudowany: uruchom `make vendor` (wymaga npm).",
        "en": "The editor (YASGUI) is not built: run `make vendor` (needs npm).",
    },
    "local": {"cs": "Místní strategie", "pl": "Strategia lokalna", "en": "Local strategy"},
    "higher": {"cs": "Nadřazená strategie", "pl": "Strategia nadrzędna", "en": "Higher-level strategy"},
    "show": {"cs": "Zobrazit", "pl": "Pokaż", "en": "Show"},
    "matrix": {"cs": "Matice vazeb", "pl": "Macierz powiązań", "en": "Alignment matrix"},
    "measure": {"cs": "Opatření", "pl": "Działanie", "en": "Measure"},
    "coverage": {"cs": "Pokrytí priorit", "pl": "Pokrycie priorytetów", "en": "Coverage of priorities"},
    "gaps": {"cs": "Mezery", "pl": "Luki", "en": "Gaps"},
    "network": {"cs": "Síť vazeb", "pl": "Sieć powiązań", "en": "Alignment network"},
    "export_csv": {"cs": "Matice jako CSV", "pl": "Macierz jako CSV", "en": "Matrix as CSV"},
    "table_coverage": {"cs": "pokrytí", "pl": "pokrycie", "en": "coverage"},
    "table_measures": {"cs": "opatření", "pl": "działania", "en": "measures"},
    "table_chains": {"cs": "řetězce", "pl": "łańcuchy", "en": "chains"},
    "unsupported": {"cs": "Opatření bez vazby", "pl": "Działania bez powiązań", "en": "Measures that support nothing"},
    "covered": {"cs": "pokryto", "pl": "pokryte", "en": "covered"},
    "no_gaps": {"cs": "Žádné mezery.", "pl": "Brak luk.", "en": "No gaps."},
    "none": {"cs": "Žádné.", "pl": "Brak.", "en": "None."},
    "legend": {"cs": "Legenda", "pl": "Legenda", "en": "Legend"},
    "choose_two": {
        "cs": "Vyberte místní strategii a strategii vyšší úrovně.",
        "pl": "Wybierz strategię lokalną i strategię wyższego poziomu.",
        "en": "Choose a local strategy and a higher-level strategy.",
    },
    "coherence_missing": {
        "cs": "Analýza souladu není v této instalaci k dispozici.",
        "pl": "Analiza spójności nie jest dostępna w tej instalacji.",
        "en": "The coherence analysis is not available in this installation.",
    },
    "conforms": {
        "cs": "Graf vyhovuje všem tvarům SHACL.",
        "pl": "Graf spełnia wszystkie kształty SHACL.",
        "en": "The graph conforms to every SHACL shape.",
    },
    "not_conforms": {
        "cs": "Graf nevyhovuje tvarům SHACL.",
        "pl": "Graf nie spełnia kształtów SHACL.",
        "en": "The graph does not conform to the SHACL shapes.",
    },
    "results": {"cs": "výsledků", "pl": "wyników", "en": "results"},
    "graph_version": {"cs": "verze grafu", "pl": "wersja grafu", "en": "graph version"},
    "shape": {"cs": "Tvar", "pl": "Kształt", "en": "Shape"},
    "focus_node": {"cs": "Uzel", "pl": "Węzeł", "en": "Focus node"},
    "path": {"cs": "Cesta", "pl": "Ścieżka", "en": "Path"},
    "value": {"cs": "Hodnota", "pl": "Wartość", "en": "Value"},
    "message": {"cs": "Zpráva", "pl": "Komunikat", "en": "Message"},
    "severity": {"cs": "Závažnost", "pl": "Waga", "en": "Severity"},
    "alignment_of": {"cs": "Vazba", "pl": "Powiązanie", "en": "Alignment"},
    "measures": {"cs": "opatření místní strategie", "pl": "działań strategii lokalnej", "en": "local measures"},
    "aligned_measures": {"cs": "opatření s vazbou", "pl": "działań z powiązaniem", "en": "measures that support a priority"},
    "priorities": {"cs": "priorit vyšší strategie", "pl": "priorytetów strategii nadrzędnej", "en": "higher-level priorities"},
    "covered_priorities": {"cs": "pokrytých priorit", "pl": "pokrytych priorytetów", "en": "priorities covered"},
    "conflicts": {"cs": "konfliktů", "pl": "konfliktów", "en": "conflicts"},
    "ignored": {
        "cs": "navržených vazeb (nezapočteno)",
        "pl": "sugerowanych powiązań (nieliczone)",
        "en": "suggested alignments (not counted)",
    },
    "inherited_link": {
        "cs": "přes nadřazený či podřízený prvek",
        "pl": "przez element nadrzędny lub podrzędny",
        "en": "through a parent or sub-element",
    },
    "pairs": {"cs": "Dvojice s vazbami", "pl": "Pary z powiązaniami", "en": "Pairs with alignments"},
    "checked_in": {"cs": "zkontrolováno za", "pl": "sprawdzono w", "en": "checked in"},
    "suggestions": {"cs": "Návrhy vazeb", "pl": "Propozycje powiązań", "en": "Suggestions"},
    "suggestions_intro": {
        "cs": "Pro každý prvek místní strategie prvky vyšší strategie, které nejspíš podporuje: podle společných slov "
        "(lematizovaných), společných pojmů slovníků témat a cílových skupin a slov nadřazených prvků. "
        "Počítá se při každém zobrazení; vazbu zaznamená až přijetí uloženého návrhu.",
        "pl": "Dla każdego elementu strategii lokalnej elementy strategii nadrzędnej, które najpewniej wspiera: według wspólnych "
        "słów (lematyzowanych), wspólnych pojęć słowników tematów i grup docelowych oraz słów elementów nadrzędnych. "
        "Liczone przy każdym wyświetleniu; powiązanie zapisuje dopiero akceptacja zapisanej propozycji.",
        "en": "For each element of the local strategy, the elements of the higher-level strategy it most likely supports: "
        "from shared words (lemmatized), shared concepts of the theme and target-group schemes, and the words of "
        "the parent elements. Computed on every visit; an alignment is recorded only when a stored suggestion is accepted.",
    },
    "suggest_pair": {
        "cs": "Návrhy vazeb pro tuto dvojici",
        "pl": "Propozycje powiązań dla tej pary",
        "en": "Suggest alignments for this pair",
    },
    "top": {"cs": "Kandidátů na prvek", "pl": "Kandydatów na element", "en": "Candidates per element"},
    "all_levels": {
        "cs": "všechny úrovně vyšší strategie",
        "pl": "wszystkie poziomy strategii nadrzędnej",
        "en": "every level of the higher strategy",
    },
    "ranked": {"cs": "Navržené prvky", "pl": "Proponowane elementy", "en": "Ranked candidates"},
    "ranked_elements": {"cs": "prvků místní strategie", "pl": "elementów strategii lokalnej", "en": "local elements ranked"},
    "candidates": {"cs": "kandidátů", "pl": "kandydatów", "en": "candidates"},
    "rank": {"cs": "Pořadí", "pl": "Pozycja", "en": "Rank"},
    "score": {"cs": "Skóre", "pl": "Wynik", "en": "Score"},
    "signal_lexical": {"cs": "slova", "pl": "słowa", "en": "words"},
    "signal_concepts": {"cs": "pojmy", "pl": "pojęcia", "en": "concepts"},
    "signal_context": {"cs": "kontext", "pl": "kontekst", "en": "context"},
    "why": {"cs": "Proč", "pl": "Dlaczego", "en": "Why"},
    "shared_concepts": {"cs": "společné pojmy", "pl": "wspólne pojęcia", "en": "shared concepts"},
    "shared_words": {"cs": "společná slova", "pl": "wspólne słowa", "en": "shared words"},
    "context_words": {"cs": "slova nadřazených prvků", "pl": "słowa elementów nadrzędnych", "en": "parent-context words"},
    "no_candidate": {"cs": "Žádný kandidát.", "pl": "Brak kandydatów.", "en": "No candidate."},
    "recorded": {"cs": "vazba už existuje", "pl": "powiązanie już istnieje", "en": "already recorded"},
    "stored": {"cs": "Uložené návrhy", "pl": "Zapisane propozycje", "en": "Stored suggestions"},
    "no_stored": {
        "cs": "Pro tuto dvojici nejsou uloženy žádné návrhy.",
        "pl": "Dla tej pary nie zapisano żadnych propozycji.",
        "en": "No suggestions are stored for this pair.",
    },
    "local_element": {"cs": "Místní prvek", "pl": "Element lokalny", "en": "Local element"},
    "higher_element": {"cs": "Prvek vyšší strategie", "pl": "Element strategii nadrzędnej", "en": "Higher-level element"},
    "confidence": {"cs": "Spolehlivost", "pl": "Pewność", "en": "Confidence"},
    "creator": {"cs": "Navrhl / posoudil", "pl": "Zaproponował / ocenił", "en": "Suggested / judged by"},
    "review": {"cs": "Posouzení", "pl": "Ocena", "en": "Review"},
    "status_pending": {"cs": "čeká na posouzení", "pl": "oczekuje na ocenę", "en": "pending"},
    "status_accepted": {"cs": "přijato", "pl": "zaakceptowana", "en": "accepted"},
    "status_rejected": {"cs": "zamítnuto", "pl": "odrzucona", "en": "rejected"},
    "accept": {"cs": "Přijmout", "pl": "Zaakceptuj", "en": "Accept"},
    "reject": {"cs": "Zamítnout", "pl": "Odrzuć", "en": "Reject"},
    "choose_strength": {"cs": "síla…", "pl": "siła…", "en": "strength…"},
    "nilsson_3": {"cs": "+3 neoddělitelné", "pl": "+3 nierozłączne", "en": "+3 indivisible"},
    "nilsson_2": {"cs": "+2 posilující", "pl": "+2 wzmacniające", "en": "+2 reinforcing"},
    "nilsson_1": {"cs": "+1 umožňující", "pl": "+1 umożliwiające", "en": "+1 enabling"},
    "nilsson_0": {"cs": "0 slučitelné", "pl": "0 zgodne", "en": "0 consistent"},
    "nilsson_-1": {"cs": "-1 omezující", "pl": "-1 ograniczające", "en": "-1 constraining"},
    "nilsson_-2": {"cs": "-2 působící proti", "pl": "-2 przeciwdziałające", "en": "-2 counteracting"},
    "nilsson_-3": {"cs": "-3 vylučující", "pl": "-3 wykluczające", "en": "-3 cancelling"},
    "write_token": {"cs": "Token pro zápis", "pl": "Token zapisu", "en": "Write token"},
    "reviewer": {"cs": "Posuzovatel", "pl": "Oceniający", "en": "Reviewer"},
    "store_pending": {
        "cs": "Uložit kandidáty jako návrhy",
        "pl": "Zapisz kandydatów jako propozycje",
        "en": "Store the candidates as pending suggestions",
    },
    "review_help": {
        "cs": "Přijetí, zamítnutí a uložení volá API s tokenem pro zápis; token zůstává jen v této záložce prohlížeče.",
        "pl": "Akceptacja, odrzucenie i zapis wywołują API z tokenem zapisu; token pozostaje tylko w tej karcie przeglądarki.",
        "en": "Accepting, rejecting and storing call the API with the write token; the token stays in this browser tab only.",
    },
    "needs_js": {
        "cs": "Posuzování návrhů potřebuje JavaScript; prohlížení ne.",
        "pl": "Ocena propozycji wymaga JavaScriptu; przeglądanie nie.",
        "en": "Judging suggestions needs JavaScript; reading them does not.",
    },
    "need_strength": {
        "cs": "Nejdřív vyberte sílu vazby (-3 až +3).",
        "pl": "Najpierw wybierz siłę powiązania (-3 do +3).",
        "en": "Choose a strength (-3 to +3) first.",
    },
    "need_reviewer": {
        "cs": "Vyplňte jméno posuzovatele.",
        "pl": "Podaj imię i nazwisko oceniającego.",
        "en": "Enter the reviewer's name.",
    },
    "refused": {"cs": "Odmítnuto", "pl": "Odrzucono", "en": "Refused"},
    "working": {"cs": "Pracuji…", "pl": "Trwa…", "en": "Working…"},
    "done_accepted": {"cs": "Návrh přijat.", "pl": "Propozycja zaakceptowana.", "en": "Suggestion accepted."},
    "done_rejected": {"cs": "Návrh zamítnut.", "pl": "Propozycja odrzucona.", "en": "Suggestion rejected."},
    "done_stored": {"cs": "Uloženo návrhů:", "pl": "Zapisano propozycji:", "en": "Suggestions stored:"},
}

# Labels of the properties and values from other vocabularies (the ontology labels its own terms).
_TERMS: dict[str, dict[str, str]] = {
    "rdf:type": {"cs": "typ", "pl": "typ", "en": "type"},
    "dcterms:contributor": {"cs": "přispěvatel", "pl": "współtwórca", "en": "contributor"},
    "dcterms:created": {"cs": "vytvořeno", "pl": "utworzono", "en": "created"},
    "dcterms:creator": {"cs": "autor", "pl": "autor", "en": "creator"},
    "dcterms:dateAccepted": {"cs": "datum schválení", "pl": "data przyjęcia", "en": "date accepted"},
    "dcterms:isVersionOf": {"cs": "edice řady", "pl": "wydanie serii", "en": "edition of"},
    "dcterms:language": {"cs": "jazyk", "pl": "język", "en": "language"},
    "dcterms:publisher": {"cs": "vydavatel", "pl": "wydawca", "en": "publisher"},
    "dcterms:replaces": {"cs": "nahrazuje", "pl": "zastępuje", "en": "replaces"},
    "dcterms:spatial": {"cs": "území", "pl": "terytorium", "en": "territory"},
    "skos:altLabel": {"cs": "jiný název", "pl": "inna nazwa", "en": "also called"},
    "skos:broader": {"cs": "širší pojem", "pl": "pojęcie szersze", "en": "broader concept"},
    "skos:definition": {"cs": "definice", "pl": "definicja", "en": "definition"},
    "skos:editorialNote": {"cs": "redakční poznámka", "pl": "uwaga redakcyjna", "en": "editorial note"},
    "skos:hasTopConcept": {"cs": "hlavní pojem", "pl": "pojęcie główne", "en": "top concept"},
    "skos:inScheme": {"cs": "ve slovníku", "pl": "w słowniku", "en": "in scheme"},
    "skos:note": {"cs": "poznámka", "pl": "uwaga", "en": "note"},
    "skos:topConceptOf": {"cs": "hlavní pojem slovníku", "pl": "pojęcie główne słownika", "en": "top concept of"},
    "org:member": {"cs": "člen", "pl": "członek", "en": "member"},
    "org:memberOf": {"cs": "člen skupiny", "pl": "członek grupy", "en": "member of"},
    "org:organization": {"cs": "organizace", "pl": "organizacja", "en": "organisation"},
    "org:role": {"cs": "role", "pl": "rola", "en": "role"},
    "org:subOrganizationOf": {"cs": "součást organizace", "pl": "część organizacji", "en": "part of organisation"},
    "org:unitOf": {"cs": "útvar organizace", "pl": "jednostka organizacji", "en": "unit of"},
    "foaf:familyName": {"cs": "příjmení", "pl": "nazwisko", "en": "family name"},
    "foaf:name": {"cs": "jméno", "pl": "imię i nazwisko", "en": "name"},
    "foaf:title": {"cs": "titul", "pl": "tytuł", "en": "title"},
    "skos:Concept": {"cs": "pojem", "pl": "pojęcie", "en": "concept"},
    "skos:ConceptScheme": {"cs": "slovník pojmů", "pl": "słownik pojęć", "en": "concept scheme"},
    "org:Organization": {"cs": "organizace", "pl": "organizacja", "en": "organisation"},
    "org:OrganizationalUnit": {"cs": "útvar", "pl": "jednostka organizacyjna", "en": "organisational unit"},
    "org:Membership": {"cs": "členství", "pl": "członkostwo", "en": "membership"},
    "foaf:Person": {"cs": "osoba", "pl": "osoba", "en": "person"},
    "cv:PublicOrganisation": {"cs": "veřejná instituce", "pl": "instytucja publiczna", "en": "public organisation"},
    "http://publications.europa.eu/resource/authority/language/CES": {"cs": "čeština", "pl": "czeski", "en": "Czech"},
    "http://publications.europa.eu/resource/authority/language/POL": {"cs": "polština", "pl": "polski", "en": "Polish"},
    "http://publications.europa.eu/resource/authority/language/ENG": {"cs": "angličtina", "pl": "angielski", "en": "English"},
}


def term_label(key: str, lang: str) -> str | None:
    """The label of a term of another vocabulary (compact name or IRI) in `lang`, else English; None if unknown."""
    entry = _TERMS.get(key)
    return None if entry is None else entry.get(lang) or entry[DEFAULT]


class Words:
    """The page words in one language: `words.key` or `words["key"]`, English where a word is missing."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __getitem__(self, key: str) -> str:
        entry = _WORDS.get(key)
        if entry is None:
            return key
        return entry.get(self.lang) or entry[DEFAULT]

    def __getattr__(self, key: str) -> str:
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
