"""The coherence and comparison reports in Czech and Polish hold no English prose (checked against the
catalogues), their numbers take each language's plural forms, and the JSON keeps its keys and codes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from kgservice.analysis.coherence import StrategyGraph, analyse, compare, html, render
from kgservice.analysis.coherence.report import coherence_report, comparison_report
from kgservice.analysis.coherence.source import read_all
from kgservice.engine.embedded import OxigraphStore
from kgservice.interfaces.cli import main as cli
from kgservice.sparql.catalogue import Catalogue
from kgservice.translation import translator
from tests.english_prose import ShownText, leftovers, markdown_texts

ID = "https://w3id.org/kgservice/id/"
KALISZ, WIELKOPOLSKA, ZPORR = ID + "kalisz-strategy-2004", ID + "wielkopolska-strategy", ID + "zporr"
LIBEREC, REGION = ID + "liberec-strategy-2021", ID + "liberecky-kraj-social-2026"
PAIRS = [(KALISZ, WIELKOPOLSKA), (KALISZ, ZPORR), (LIBEREC, REGION)]


@pytest.fixture(scope="module")
def graph(store: OxigraphStore, catalogue: Catalogue) -> StrategyGraph:
    return read_all(store, catalogue)


def csv_texts(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.removeprefix("\ufeff"))) for cell in row if cell]


@pytest.mark.parametrize("lang", ["cs", "pl"])
@pytest.mark.parametrize(("local", "higher"), PAIRS)
def test_a_coherence_report_holds_no_english_prose(graph: StrategyGraph, lang: str, local: str, higher: str) -> None:
    report = coherence_report(graph, analyse(graph, local, higher), lang)  # type: ignore[arg-type]
    texts = markdown_texts(render.coherence_markdown(report))
    texts += ShownText(html.coherence_html(report)).texts
    for table in render.COHERENCE_TABLES:
        texts += csv_texts(render.coherence_csv(report, table))
    texts += [*report.summary.text, *report.notes, report.matrix.columns_rule, *(f.name for f in report.summary.figures)]
    assert leftovers(texts, lang) == []


@pytest.mark.parametrize("lang", ["cs", "pl"])
def test_a_comparison_report_holds_no_english_prose(graph: StrategyGraph, lang: str) -> None:
    report = comparison_report(graph, compare(graph, LIBEREC, KALISZ), lang)  # type: ignore[arg-type]
    texts = markdown_texts(render.comparison_markdown(report)) + csv_texts(render.comparison_csv(report))
    texts += ShownText(html.comparison_html(report)).texts
    assert leftovers(texts, lang) == []


def test_the_english_report_is_english(graph: StrategyGraph) -> None:
    # The check finds English where it is: an English report is all of it.
    report = coherence_report(graph, analyse(graph, KALISZ, ZPORR), "en")
    assert len(leftovers(markdown_texts(render.coherence_markdown(report)), "pl")) > 10


def test_the_measures_sentence_takes_the_polish_and_czech_plural_forms() -> None:
    singular = "%(local)s: %(count)s measure supports %(higher)s (of %(total)s, %(share)s)."
    plural = "%(local)s: %(count)s measures support %(higher)s (of %(total)s, %(share)s)."
    args = {"local": "L", "higher": "H", "total": 30, "share": "50 %"}

    def said(lang: str, n: int) -> str:
        return translator(lang).ngettext(singular, plural, n, **args)

    # 1 działanie wspiera, 2-4 działania wspierają (22-24 too), 5+ działań wspiera (12-14 too)
    assert [said("pl", n).split()[2] for n in (1, 2, 4, 5, 12, 22, 25)] == [
        "działanie",
        "działania",
        "działania",
        "działań",
        "działań",
        "działania",
        "działań",
    ]
    # 1 opatření podporuje, 2-4 opatření podporují, 5+ opatření podporuje
    assert [said("cs", n).split()[3] for n in (1, 3, 5, 22)] == ["podporuje", "podporují", "podporuje", "podporuje"]


def test_the_json_keeps_its_keys_and_codes_and_translates_its_prose(graph: StrategyGraph) -> None:
    english = coherence_report(graph, analyse(graph, KALISZ, WIELKOPOLSKA), "en").model_dump()
    polish = coherence_report(graph, analyse(graph, KALISZ, WIELKOPOLSKA), "pl").model_dump()

    def keys(value: object) -> object:
        if isinstance(value, dict):
            return {k: keys(v) for k, v in value.items()}
        return [keys(v) for v in value] if isinstance(value, list) else None

    assert keys(english) == keys(polish)
    assert [c["status"] for c in english["coverage"]] == [c["status"] for c in polish["coverage"]]
    assert [f["key"] for f in english["summary"]["figures"]] == [f["key"] for f in polish["summary"]["figures"]]
    assert [c["display"] for c in english["matrix"]["cells"]] == [c["display"] for c in polish["matrix"]["cells"]]
    assert english["summary"]["text"] != polish["summary"]["text"]
    assert leftovers(polish["summary"]["text"], "pl") == []


def test_the_command_line_writes_the_report_and_its_errors_in_the_language_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "report.md"
    assert cli.main(["coherence", "kgd:kalisz-strategy-2004", "kgd:zporr", "--lang", "cs", "--out", str(out)]) == 0
    assert leftovers(markdown_texts(out.read_text(encoding="utf-8")), "cs") == []
    capsys.readouterr()
    assert cli.main(["coherence", "kgd:no-such-strategy", "kgd:zporr", "--lang", "cs"]) == 2
    error = capsys.readouterr().err
    message = (
        "%(name)s is not a strategy document of the graph; the named query 'strategies' "
        "(kgservice query strategies, or /api/queries/strategies) lists them"
    )
    assert translator("cs").gettext(message, name="'kgd:no-such-strategy'") in error
    assert message.split("%(name)s ")[1].split(";")[0] not in error
    assert "Traceback" not in error
