"""Tell Czech, Polish and English apart when the user does not say which language a document is in.

By letters only one of the languages has (ř ů ě for Czech, ł ą ę ś ź ż for Polish) and by frequent short
words; the caller says in a warning that the language was detected, not given."""

from __future__ import annotations

import re
from collections import Counter

LANGUAGES = ("cs", "pl", "en")

_LETTERS = {"cs": set("řůěťďň"), "pl": set("łąęśźżń"), "en": set()}
_WORDS = {
    "cs": {"a", "v", "se", "na", "je", "pro", "ve", "že", "jako", "které", "který", "podpora", "rozvoj", "města"},
    "pl": {"i", "w", "się", "na", "jest", "dla", "oraz", "że", "nie", "do", "przez", "miasta", "rozwoju"},
    "en": {"the", "and", "of", "to", "in", "for", "is", "with", "on", "development", "support"},
}
_WORD = re.compile(r"[^\W\d_]+")


def detect(text: str) -> str | None:
    """The most likely of cs, pl, en for `text`, or None when nothing tells them apart."""
    sample = text[:200_000].casefold()
    letters = Counter(c for c in sample if not c.isascii())
    words = Counter(_WORD.findall(sample))
    scores = {lang: 3 * sum(letters[c] for c in _LETTERS[lang]) + sum(words[w] for w in _WORDS[lang]) for lang in LANGUAGES}
    best = max(LANGUAGES, key=lambda lang: scores[lang])
    return best if scores[best] > 0 else None
