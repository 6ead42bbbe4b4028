"""The ranked suggestions of a pair of strategies as a planner reviews them: one ranking and one report,
the same for the HTTP API and the web page, from the inputs that `kgservice.analysis.suggest.service` reads."""

from __future__ import annotations

from collections.abc import Sequence

from kgservice.analysis.suggest.report import Lang, SuggestionReport, build_report
from kgservice.analysis.suggest.service import Inputs
from kgservice.analysis.suggest.text import warm


def ranked_report(
    inputs: Inputs, lang: Lang, top: int = 3, subjects: Sequence[str] | None = None, all_levels: bool = False
) -> SuggestionReport:
    """The best `top` higher elements for each local element (or each of `subjects`), labels in `lang`.

    Blocking (the first call loads the lemmatizer dictionaries, a few seconds): run it in a thread."""
    warm()
    ranked = inputs.suggester(all_levels=all_levels).rank(top, subjects)
    return build_report(inputs.corpus, inputs.local, inputs.higher, ranked, lang, inputs.recorded)
