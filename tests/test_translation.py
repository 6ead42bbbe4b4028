"""The catalogues against the code (every text the code marks is translated in cs, pl and en, with the same
named arguments, and no catalogue entry is unused), the plural rules, the Jinja integration and the
detection of a note's language."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from jinja2 import Environment

from kgservice import catalogues
from kgservice.translation import LANGUAGES, catalogue_path, detect_language, install, language, translator
from tests.english_prose import ShownText

PLACEHOLDER = re.compile(r"%\((\w+)\)")


@pytest.fixture(scope="module")
def template() -> Catalog:
    return catalogues.extract()


def _key(message: Message) -> tuple[str | None, str]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return message.context, msgid


def _texts(message: Message) -> list[str]:
    if isinstance(message.string, tuple | list):
        return list(message.string)
    return [message.string or ""]


def _ids(message: Message) -> list[str]:
    return [message.id] if isinstance(message.id, str) else list(message.id)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_the_code_marks_is_translated(template: Catalog, lang: str) -> None:
    catalogue = catalogues.read(lang)
    nplurals = catalogue.num_plurals
    problems = []
    for message in template:
        if not message.id:
            continue
        found = catalogue.get(message.id, message.context)
        if found is None:
            problems.append(f"missing: {_key(message)} ({message.locations[0][0]})")
            continue
        forms = _texts(found)
        if isinstance(message.id, tuple) and len(forms) != nplurals:
            problems.append(f"{len(forms)} plural forms, {nplurals} wanted: {_key(message)}")
        if not all(form.strip() for form in forms):
            problems.append(f"empty: {_key(message)}")
        if found.fuzzy:  # the service skips fuzzy translations, as gettext does: the reader would get English
            problems.append(f"fuzzy: {_key(message)}")
    assert not problems, f"{catalogue_path(lang)}: {len(problems)} problems:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_catalogue_entry_is_unused(template: Catalog, lang: str) -> None:
    used = {_key(m) for m in template if m.id}
    unused = [_key(m) for m in catalogues.read(lang) if m.id and _key(m) not in used]
    assert not unused, f"{catalogue_path(lang)}: no code uses {unused} (run `make catalogues`)"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_named_arguments(lang: str) -> None:
    # A translation that drops or renames %(name)s fails at run time (KeyError) or loses a value.
    wrong = []
    for message in catalogues.read(lang):
        if not message.id:
            continue
        wanted = {frozenset(PLACEHOLDER.findall(text)) for text in _ids(message)}
        for form in filter(None, _texts(message)):  # an empty one is the completeness test's finding
            # A plural form may leave out the number ("one measure") but never invent an argument.
            names = set(PLACEHOLDER.findall(form))
            if not any(names <= w for w in wanted) or not names >= min(wanted, key=len) - {"count"}:
                wrong.append((_key(message), form))
    assert not wrong, f"{lang}: {wrong}"


@pytest.mark.parametrize(
    ("lang", "count", "form"),
    [
        # Polish: 1 wynik, 2-4 wyniki (also 22-24, not 12-14), 5+ wyników (and 0, 11-14, 25).
        ("pl", 1, "1 wynik"),
        ("pl", 3, "3 wyniki"),
        ("pl", 5, "5 wyników"),
        ("pl", 12, "12 wyników"),
        ("pl", 22, "22 wyniki"),
        ("pl", 25, "25 wyników"),
        ("pl", 0, "0 wyników"),
        # Czech: 1 výsledek, 2-4 výsledky, 5+ výsledků (and 0).
        ("cs", 1, "1 výsledek"),
        ("cs", 4, "4 výsledky"),
        ("cs", 5, "5 výsledků"),
        ("cs", 22, "22 výsledků"),
        ("cs", 0, "0 výsledků"),
        ("en", 1, "1 result"),
        ("en", 2, "2 results"),
    ],
)
def test_plural_forms_follow_each_language(lang: str, count: int, form: str) -> None:
    assert translator(lang).ngettext("%(count)s result", "%(count)s results", count) == form


def test_plural_rules_are_the_languages_own() -> None:
    assert catalogues.read("pl").num_plurals == 3
    assert catalogues.read("cs").num_plurals == 3
    assert catalogues.read("en").num_plurals == 2


def test_templates_of_one_environment_render_each_in_its_own_language() -> None:
    env = Environment(autoescape=True)
    install(env)
    page = env.from_string("{% trans count=n %}{{ count }} result{% pluralize %}{{ count }} results{% endtrans %}")
    assert page.render(lang="pl", n=4) == "4 wyniki"
    assert page.render(lang="cs", n=4) == "4 výsledky"
    assert page.render(lang="en", n=4) == "4 results"
    assert page.render(n=1) == "1 result"  # no language in the context: English


def test_an_unknown_or_regional_language_code() -> None:
    assert language("cs-CZ") == "cs"
    assert language("PL") == "pl"
    assert language("de") == "en"
    assert language(None) == "en"


@pytest.mark.parametrize(
    ("note", "lang"),
    [
        ("Opatření se týká jiné cílové skupiny než priorita.", "cs"),
        ("Jiná cílová skupina", "cs"),
        ("Działanie dotyczy innej grupy docelowej niż priorytet.", "pl"),
        ("Inny cel niż priorytet, nie ta grupa", "pl"),
        ("The measure is for a different target group than the priority.", "en"),
    ],
)
def test_a_note_is_detected_in_its_language(note: str, lang: str) -> None:
    detected = detect_language(note)
    assert (detected.lang, detected.sure) == (lang, True)


@pytest.mark.parametrize("note", ["ok", "different target group", "Plan 2030", "Inna grupa docelowa", ""])
def test_a_note_with_too_few_signs_is_unsure_and_takes_the_fallback(note: str) -> None:
    detected = detect_language(note, fallback="pl")
    assert not detected.sure and detected.lang == "pl"


# What a template may write outside gettext, word by word: names of formats and standards (JSON-LD, RDF/XML,
# Turtle), the strategies A and B, prefixed names and paths, numbers and punctuation.
NOT_PROSE = re.compile(r"^([A-Z][A-Z0-9]*([/-][A-Z0-9]+)*:?|Turtle|kgservice|[\w-]+:[\w:./-]+|/[\w/.-]*|[\W\d_]*)$")
JINJA = [re.compile(p, re.DOTALL) for p in (r"{#.*?#}", r"{%-? *trans\b.*?endtrans *-?%}", r"{%.*?%}", r"{{.*?}}")]
TEMPLATES = sorted((catalogues.ROOT / "kgservice").glob("**/templates/*.html"))


def _untranslated(template: Path) -> list[str]:
    source = template.read_text(encoding="utf-8")
    source = re.sub(r"{%-? *block body_class *%}.*?{%-? *endblock *%}", "", source)  # a CSS class, not text
    for pattern in JINJA:
        source = pattern.sub(" ", source)
    # The page's language is the template's `lang`: an element marked with a language of its own is foreign.
    texts = ShownText(f'<html lang="xx">{source}</html>').texts
    return [text for text in texts if not all(NOT_PROSE.match(word) for word in text.split())]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(catalogues.ROOT)))
def test_a_template_writes_no_text_outside_the_catalogues(template: Path) -> None:
    # Text in a template outside _() and {% trans %} reaches every reader in English.
    assert _untranslated(template) == []


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(catalogues.ROOT)))
def test_a_template_reads_its_words_from_the_catalogues(template: Path) -> None:
    # `w` is left with the labels of other vocabularies' terms (w.term); a word of a page is _("...").
    assert re.findall(r"\bw(?:\.(?!term\()\w+|\[)", template.read_text(encoding="utf-8")) == []


@pytest.mark.install
def test_a_wheel_carries_the_catalogues(tmp_path: Path) -> None:
    # The service reads the .po files themselves: a wheel without them would show English only.
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", str(catalogues.ROOT), "-w", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("kgservice-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"kgservice/locale/{lang}/LC_MESSAGES/kgservice.po" for lang in LANGUAGES} <= names
