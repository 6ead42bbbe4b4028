"""A planner's note (accept --note, reject --reason) is stored tagged with the language it is written in:
the one given, else the one detected; English, said to be unsure, when the text does not tell."""

from __future__ import annotations

from datetime import UTC, datetime

import pyoxigraph as ox
import pytest

from kgservice.analysis.suggest.records import COMMENT, STATUS, SUGGESTED, accept, reject
from kgservice.translation import note_language

ALIGNMENT = ox.NamedNode("https://w3id.org/kgservice/id/alignment/a--b")
GRAPH = ox.NamedNode("https://w3id.org/kgservice/graph/user/suggestions/a--b")
EVIDENCE = ox.NamedNode("https://w3id.org/kgservice/ontology#evidence")
WHEN = datetime(2026, 5, 26, 12, 0, tzinfo=UTC)


def pending() -> ox.Store:
    store = ox.Store()
    store.add(ox.Quad(ALIGNMENT, STATUS, SUGGESTED, GRAPH))
    return store


def literals(store: ox.Store, prop: ox.NamedNode) -> list[tuple[str, str | None]]:
    found = [q.object for q in store.quads_for_pattern(ALIGNMENT, prop, None, GRAPH)]
    return [(o.value, o.language) for o in found if isinstance(o, ox.Literal)]


@pytest.mark.parametrize(
    ("reason", "given", "tag"),
    [
        ("Opatření míří na jinou cílovou skupinu než priorita.", None, "cs"),
        ("Działanie dotyczy innej grupy docelowej niż priorytet.", None, "pl"),
        ("The measure is for a different target group than the priority.", None, "en"),
        ("jiná cílová skupina", "pl", "pl"),  # the language given wins over the detected one
    ],
)
def test_a_reason_is_tagged_with_its_language(reason: str, given: str | None, tag: str) -> None:
    store = pending()
    reject(ALIGNMENT.value, "Jana Nováková", WHEN, reason, lang=note_language(reason, given).lang)(store)
    assert literals(store, COMMENT) == [(reason, tag)]


def test_an_accepting_note_is_tagged_with_its_language() -> None:
    note = "Obě opatření podporují dostupnost sociálních služeb v kraji."
    store = pending()
    accept(ALIGNMENT.value, "Jana Nováková", 2, WHEN, note, lang=note_language(note).lang)(store)
    assert literals(store, EVIDENCE) == [(note, "cs")]


def test_a_note_that_does_not_tell_is_english_and_unsure() -> None:
    detected = note_language("OK")
    assert (detected.lang, detected.sure) == ("en", False)
    assert note_language("OK", "cs").sure
