"""Tell Czech, Polish and English apart when the user does not say which language a document is in.

By letters only one of the languages has (ř ů ě for Czech, ł ą ę ś ź ż for Polish) and by frequent short
words; the caller says in a warning that the language was detected, not given."""

from __future__ import annotations

import re
from collections import Counter

LANGUAGES = ("cs", "pl", "en")

# Letters of one of the languages only (Czech writes č š ž, Polish cz sz ż), and frequent words of two or
# more letters that the other two do not share (one-letter words are also notations: "Priority A").
_LETTERS = {"cs": set("áčďéěíňřšťúůýž"), "pl": set("ąćęłńóśźż"), "en": set()}
_WORDS = {
    "cs": {"se", "je", "pro", "ve", "že", "jako", "které", "který", "která", "jsou", "nebo", "při", "také", "jejich"},
    "pl": {"się", "jest", "dla", "oraz", "nie", "przez", "są", "jak", "także", "ich", "który", "która"},
    "en": {"the", "and", "of", "to", "in", "for", "is", "with", "on", "by", "as", "are", "be", "this", "that", "from"},
}
_WORD = re.compile(r"[^\W\d_]+")


def detect(text: str) -> str | None:
    """The most likely of cs, pl, en for `text`, or None when nothing tells them apart."""
    sample = text[:200_000].casefold()
    letters = Counter(c for c in sample if not c.isascii())
    words = Counter(w for w in _WORD.findall(sample) if len(w) > 1)
    scores = {lang: 3 * sum(letters[c] for c in _LETTERS[lang]) + sum(words[w] for w in _WORDS[lang]) for lang in LANGUAGES}
    best = max(LANGUAGES, key=lambda lang: scores[lang])
    return best if scores[best] > 0 else None
