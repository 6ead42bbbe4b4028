"""The suggester's text output and the stored suggestions' listing hold no English prose in Czech or Polish
(checked against the catalogues)."""

from __future__ import annotations

import pytest

from kgservice.interfaces.cli import main as cli
from tests.english_prose import leftovers


@pytest.mark.parametrize("lang", ["cs", "pl"])
def test_the_suggestions_text_is_in_the_language_asked(capsys: pytest.CaptureFixture[str], lang: str) -> None:
    pair = ["kgd:liberec-strategy-2021", "kgd:liberecky-kraj-social-2026"]
    assert cli.main(["suggest", *pair, "--lang", lang, "--top", "2", "--element", "kgd:liberec-strategy-2021/2.1.3"]) == 0
    assert cli.main(["suggestions", "list", "--status", "all", "--lang", lang]) == 0
    out = capsys.readouterr().out
    # Each line, and each part of an explanation line ("pojmy: ...; slova: ...").
    texts = [part.strip() for line in out.splitlines() for part in line.split(";") if part.strip()]
    assert len(texts) > 3
    assert leftovers(texts, lang) == []
