"""Importing the plain-text sources: the outline found is the one the .txt prints, every quote is in its
lines, and bad outlines are refused with the file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Literal

from kgservice.checks.provenance import check_excerpts
from kgservice.errors import ImportRefused
from kgservice.project.importing import DocumentMeta, ImportedDocument, LevelMap, load_profile, parse_document, parse_levels
from tests.conftest import KALISZ, LIBEREC_STRATEGY, REGION_WORKSHOP, SOURCES, source_lines


def imported(stem: str, **meta: str) -> ImportedDocument:
    return parse_document(f"{stem}.txt", (SOURCES / f"{stem}.txt").read_bytes(), DocumentMeta(**meta))  # type: ignore[arg-type]


def of_type(document: ImportedDocument, kind: str) -> list[str]:
    return [e.notation for e in document.elements if e.type == kind]


def test_liberec_measures_are_the_printed_three_part_numbers() -> None:
    printed = [m.group(1) for line in source_lines(LIBEREC_STRATEGY) if (m := re.match(r"^-?\s*(\d+\.\d+\.\d+)", line))]
    assert of_type(imported(LIBEREC_STRATEGY), "Measure") == printed


def test_liberec_activities_are_the_arrow_bullets_numbered_under_their_measure() -> None:
    document = imported(LIBEREC_STRATEGY)
    bullets = [n for n, line in enumerate(source_lines(LIBEREC_STRATEGY), 1) if "▶" in line]
    activities = [e for e in document.elements if e.type == "Activity"]
    assert [a.source.start_line for a in activities] == bullets
    assert all(a.notation_assigned and a.notation.startswith(a.parent.rsplit("/", 1)[-1] + ".") for a in activities)


def test_liberec_goals_summary_and_detail_are_one_element_each() -> None:
    document = imported(LIBEREC_STRATEGY)
    printed = {m.group(1) for line in source_lines(LIBEREC_STRATEGY) if (m := re.match(r"^(\d)\s+\u2013", line))}
    assert set(of_type(document, "StrategicGoal")) == printed
    goal = next(e for e in document.elements if e.notation == "2.1")
    lines = source_lines(LIBEREC_STRATEGY)
    heading = next(n for n, line in enumerate(lines, 1) if line.startswith("2.1 Specifický cíl"))
    assert goal.label == lines[heading - 1].split("\u2013", 1)[1].strip()
    assert heading in {q.start_line for q in goal.quotes}


def test_kalisz_tasks_take_their_names_from_the_line_below() -> None:
    lines = source_lines(KALISZ)
    tasks = [n for n, line in enumerate(lines, 1) if line.startswith("Zadanie II-4.")]
    document = imported(KALISZ)
    measures = [e for e in document.elements if e.type == "Measure"]
    assert [m.source.start_line for m in measures] == tasks
    for measure in measures:
        assert measure.label in lines[measure.source.end_line - 1]
        assert "[image" not in measure.label


def test_kalisz_numbers_of_other_documents_are_read_as_text() -> None:
    document = imported(KALISZ)
    assert {e.notation for e in document.elements} == {"II-4", "II-4.1", "II-4.2", "II-4.3", "II-4.4"}
    numbered = [n for n, line in enumerate(source_lines(KALISZ), 1) if re.match(r"^\d\.\d?\.?\s", line)]
    assert numbered and all(any(w.line == n for w in document.warnings) for n in numbered)


def test_region_workshop_areas_visions_and_bullets() -> None:
    lines = source_lines(REGION_WORKSHOP)
    proposals = next(n for n, line in enumerate(lines, 1) if line == "NÁVRHY AKTIVIT")
    bullets = [n for n, line in enumerate(lines, 1) if n > proposals and line.startswith("- ")]
    document = imported(REGION_WORKSHOP)
    assert [e.source.start_line for e in document.elements if e.type == "Activity"] == bullets
    areas = [e for e in document.elements if e.type == "StrategicArea"]
    caps = [line for line in lines[proposals:] if line.isupper()]
    assert sorted(a.label.upper() for a in areas) == sorted(caps)
    assert len([e for e in document.elements if e.type == "Vision"]) == len(areas)


def test_every_quote_is_in_its_lines(tmp_path: Path) -> None:
    for stem in (LIBEREC_STRATEGY, KALISZ, REGION_WORKSHOP):
        document = imported(stem, title=source_lines(stem)[0].strip() or "Strategie")
        (tmp_path / "sources").mkdir(exist_ok=True)
        (tmp_path / "sources" / f"{document.source_stem}.txt").write_text(document.rendering, encoding="utf-8")
        assert check_excerpts(document.graph(), tmp_path) == []


def test_only_source_language_labels_and_nothing_unsaid() -> None:
    graph = imported(KALISZ).graph()
    languages = {o.language for o in graph.objects(None, None) if isinstance(o, Literal) and o.language}
    assert languages == {"pl"}
    document = next(iter(graph.subjects(predicate=None, object=None)))
    assert document is not None
    text = graph.serialize(format="turtle")
    for unsaid in ("planningLevel", "publisher", "documentStatus", "temporal", "spatial", "dcterms:title"):
        assert unsaid not in text


def test_language_detected_is_said_in_a_warning() -> None:
    document = imported(KALISZ)
    assert document.language == "pl"
    assert any(w.line is None and "detected" in w.message for w in document.warnings)


def test_preview_has_exactly_the_review_schema() -> None:
    preview = imported(KALISZ, title="Strategia Rozwoju Miasta Kalisza na lata 2004-2013").preview()
    assert set(preview) == {"document", "elements", "warnings"}
    assert set(preview["document"]) == {"iri", "title", "language"}
    assert all(set(e) == {"iri", "notation", "type", "label", "parent", "source"} for e in preview["elements"])
    assert all(set(e["source"]) == {"file", "start_line", "end_line", "page", "row"} for e in preview["elements"])
    assert all(set(w) == {"line", "message"} for w in preview["warnings"])


def refused(text: str, name: str = "doc.txt") -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        parse_document(name, text.encode(), DocumentMeta(language="cs"))
    return caught.value


def test_duplicate_notations_are_refused_with_the_line() -> None:
    error = refused("1 \u2013 Doprava\n\n1.1 Silnice\n\n1.1 Železnice\n")
    assert error.line == 5 and "doc.txt" in str(error) and "1.1" in str(error)


def test_a_notation_whose_parent_is_missing_is_refused() -> None:
    error = refused("1 \u2013 Doprava\n1.1 Silnice\n2.1 Bydlení\n")
    assert error.line == 3 and "parent 2" in str(error)


def test_no_outline_unknown_format_and_size_cap() -> None:
    assert "no outline" in str(refused("Jen text bez osnovy, žádná čísla ani odrážky.\n"))
    assert "unknown format" in str(refused("1 \u2013 Doprava\n", name="doc.rtf"))
    with pytest.raises(ImportRefused, match="not UTF-8"):
        parse_document("doc.txt", "1 \u2013 Doprava\n".encode("cp1250") + b"\x9a\xe8", DocumentMeta(language="cs"))
    from kgservice.project.importing import Limits

    with pytest.raises(ImportRefused, match="over the cap"):
        parse_document("doc.txt", b"1 - A\n" * 100, DocumentMeta(language="cs"), limits=Limits(max_bytes=100))


def test_levels_option_and_profile(tmp_path: Path) -> None:
    levels = parse_levels("StrategicArea,StrategicGoal,Measure,Activity")
    document = parse_document("d.txt", "1 \u2013 Doprava\n1.1 Silnice\n".encode(), DocumentMeta(language="cs"), levels)
    assert [e.type for e in document.elements] == ["StrategicArea", "StrategicGoal"]
    profile = tmp_path / "profile.toml"
    profile.write_text('levels = ["StrategicGoal", "Measure"]\n[keywords]\n"směr" = "SpecificGoal"\n', encoding="utf-8")
    loaded = load_profile(profile)
    assert loaded.depths == ("StrategicGoal", "Measure") and loaded.keywords["směr"] == "SpecificGoal"
    yaml_profile = tmp_path / "profile.yaml"
    yaml_profile.write_text("levels: [Vision]\nbullets: Measure\n", encoding="utf-8")
    assert load_profile(yaml_profile).bullets == "Measure"
    with pytest.raises(ImportRefused, match="unknown level"):
        parse_levels("Goalish")
    assert LevelMap().below("Activity", 1) is None


def test_markdown_headings_and_ordered_bullets() -> None:
    text = "# Plán\n\n## 1 Doprava\n\n1) oprava silnic\n2) nové chodníky\n   a) u škol\n"
    document = parse_document("plan.md", text.encode(), DocumentMeta(language="cs", slug="plan"))
    assert [(e.notation, e.type, e.label) for e in document.elements] == [
        ("1", "StrategicGoal", "Doprava"),
        ("1.1", "SpecificGoal", "oprava silnic"),
        ("1.2", "SpecificGoal", "nové chodníky"),
        ("1.2.1", "Measure", "u škol"),
    ]


def test_time_and_page_caps() -> None:
    from kgservice.project.importing import Limits

    with pytest.raises(ImportRefused, match="longer than"):
        parse_document("d.docx", _tiny_docx(), DocumentMeta(language="cs"), limits=Limits(seconds=0))


def _tiny_docx() -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("1 \u2013 Doprava")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


CZECH_PLAN = """Strategie rozvoje obce Nové Město 2030

Strategický cíl 1: Kvalitní život obyvatel

Specifický cíl 1.1: Dostupné bydlení
Obec podporuje výstavbu bytů.

Opatření 1.1.1: Výstavba nájemních bytů
Aktivity:
- příprava pozemků
- výběr dodavatele

Opatření 1.1.2: Podpora rekonstrukcí
"""

POLISH_PLAN = """Strategia Rozwoju Gminy

Cel strategiczny I. Rozwój gospodarczy

Cel operacyjny I.1. Wsparcie przedsiębiorczości

Kierunki działań:
• tworzenie inkubatora przedsiębiorczości,
• promocja terenów inwestycyjnych.

Cel strategiczny II. Kapitał społeczny
"""

ENGLISH_PLAN = """Development Strategy

Priority A: Economy
A.1 Support for small businesses
A.1.1 Advisory services

Priority B: Environment
"""


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            CZECH_PLAN,
            "cs",
            [
                ("1", "StrategicGoal", "Kvalitní život obyvatel"),
                ("1.1", "SpecificGoal", "Dostupné bydlení"),
                ("1.1.1", "Measure", "Výstavba nájemních bytů"),
                ("1.1.1.1", "Activity", "příprava pozemků"),
                ("1.1.1.2", "Activity", "výběr dodavatele"),
                ("1.1.2", "Measure", "Podpora rekonstrukcí"),
            ],
        ),
        (
            POLISH_PLAN,
            "pl",
            [
                ("I", "StrategicGoal", "Rozwój gospodarczy"),
                ("I.1", "SpecificGoal", "Wsparcie przedsiębiorczości"),
                ("I.1.1", "Measure", "tworzenie inkubatora przedsiębiorczości"),
                ("I.1.2", "Measure", "promocja terenów inwestycyjnych"),
                ("II", "StrategicGoal", "Kapitał społeczny"),
            ],
        ),
        (
            ENGLISH_PLAN,
            "en",
            [
                ("A", "StrategicGoal", "Economy"),
                ("A.1", "SpecificGoal", "Support for small businesses"),
                ("A.1.1", "Measure", "Advisory services"),
                ("B", "StrategicGoal", "Environment"),
            ],
        ),
    ],
)
def test_keyword_outlines_in_three_languages(text: str, language: str, expected: list[tuple[str, str, str]]) -> None:
    document = parse_document("plan.txt", text.encode(), DocumentMeta(slug="plan"))
    assert document.language == language
    assert [(e.notation, e.type, e.label) for e in document.elements] == expected


def test_a_given_iri_must_be_an_iri() -> None:
    with pytest.raises(ImportRefused, match="not an http"):
        parse_document("d.txt", "1 \u2013 Doprava\n".encode(), DocumentMeta(language="cs", iri="https://example.org/a b"))
    document = parse_document(
        "d.txt", "1 \u2013 Doprava\n".encode(), DocumentMeta(language="cs", iri="https://example.org/plans/doprava-2030")
    )
    assert (document.slug, document.elements[0].iri) == ("doprava-2030", "https://example.org/plans/doprava-2030/1")


def test_an_unnumbered_keyword_item_belongs_to_the_nearest_element_above_its_level() -> None:
    text = "1 \u2013 Doprava\n1.1 Silnice\n1.1.1 Oprava mostů\n- nátěr zábradlí\n"
    text += "Opatření: Nové chodníky\nAktivita: Projekt chodníků\n"
    document = parse_document("plan.txt", text.encode(), DocumentMeta(language="cs", slug="plan"))
    assert [(e.notation, e.type, e.parent.rsplit("/", 1)[-1]) for e in document.elements] == [
        ("1", "StrategicGoal", "plan"),
        ("1.1", "SpecificGoal", "1"),
        ("1.1.1", "Measure", "1.1"),
        ("1.1.1.1", "Activity", "1.1.1"),
        ("1.1.2", "Measure", "1.1"),
        ("1.1.2.1", "Activity", "1.1.2"),
    ]
