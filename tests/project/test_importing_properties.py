"""Whatever lines a document holds, the reader either refuses it naming the file, or gives elements with
unique, well-formed notations, names, parents read before them and quotes found in their lines."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgservice.checks.provenance import check_excerpts
from kgservice.errors import ImportRefused
from kgservice.project.importing import DocumentMeta, parse_document

# Pieces of lines as strategy documents print them: notations, keywords, bullets, separators, artefacts.
PIECES = [
    "1", "1.1", "2.1.1", "II-4", "A.1", "I.", "- ", "• ", "▶ ", "1) ", "a) ", "Opatření", "VIZE", "Vize", "Cíl:",
    "Strategický cíl 2 \u2013", "Priorita A:", "Aktivity:", "Podpora bydlení", "podpora dopravy.",
    "Text věty, který končí tečkou a je dlouhý přes šest slov.", "**", "[image: x.wmf]", " \u2013 ", ":", "", "   ",
    "Kierunki działań:", "Zadanie II-4.1.", "UŽIVATELÉ SLUŽEB", "#", "## 3 Oblast", "Oblast \u2013 Doprava",
]  # fmt: skip
NOTATION = re.compile(r"^[A-Z0-9]+([.-][A-Z0-9]+)*$")
lines = st.lists(st.lists(st.sampled_from(PIECES), max_size=4).map(" ".join), min_size=1, max_size=25)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines)
def test_any_outline_is_refused_or_well_formed(document_lines: list[str]) -> None:
    text = "\n".join(document_lines)
    try:
        document = parse_document("f.txt", text.encode(), DocumentMeta(language="cs", slug="f"))
    except ImportRefused as refused:
        assert str(refused).startswith("f.txt")
        return
    seen = {document.iri}
    for element in document.elements:
        assert element.label and NOTATION.match(element.notation), element
        assert element.iri not in seen and element.parent in seen | {e.iri for e in document.elements}
        seen.add(element.iri)
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "sources").mkdir()
        (Path(scratch) / "sources" / "f.txt").write_text(document.rendering, encoding="utf-8")
        assert check_excerpts(document.graph(), Path(scratch)) == []
