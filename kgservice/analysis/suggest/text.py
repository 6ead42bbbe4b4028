"""Words to comparable keys: tokenize, lemmatize (simplemma, offline, Czech, Polish, English), truncate.

A key is the lemma cut to KEY_LENGTH characters: Czech and Polish build nouns, adjectives and verbs on one
stem ("dostupnost", "dostupný"; "bezdomovectví", "bezdomovec"), and lemmatization alone keeps them apart.
Every key remembers the surface forms it came from, so that an explanation can quote the words as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import simplemma

KEY_LENGTH = 6
LANGUAGES = ("cs", "pl", "en")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
# Function words of three letters or more (shorter tokens are dropped anyway); generic content words such
# as "podpora" (support) are not listed: the IDF weights of the ranker discount them.
_SPLIT = str.split
STOPWORDS: dict[str, frozenset[str]] = {
    "cs": frozenset(
        _SPLIT(
            "pro při pod nad mezi před přes jako také tak nebo ani než jejich jeho její který která které kteří "
            "tento tato toto této tohoto těchto ten být mít jsou bude další dalších všech všechny atd apod "
            "zejména např resp včetně rámci oblasti oblast"
        )
    ),
    "pl": frozenset(
        _SPLIT(
            "dla oraz przez jako lub albo także też jest być są się tym tego tej ten która który które których "
            "jego jej ich przy nad pod przed między poprzez wszystkich wszystkie innych inne itp np zakresie "
            "obszarze obszar"
        )
    ),
    "en": frozenset(
        _SPLIT(
            "the and for with from into that this these those are was were been being has have had its their "
            "which who whom all any such other own also than not per via including area"
        )
    ),
}


@dataclass(frozen=True)
class Token:
    """A word of a text: its surface form and its key."""

    surface: str
    key: str


@lru_cache(maxsize=200_000)
def key_of(word: str, lang: str) -> str:
    """The comparison key of one lower-cased word in `lang` (cs, pl or en)."""
    lemma = simplemma.lemmatize(word, lang=lang).lower() if lang in LANGUAGES else word
    return lemma[:KEY_LENGTH]


def tokens(text: str, lang: str) -> Iterator[Token]:
    """The content words of `text` with their keys; function words and words under three letters dropped."""
    stop = STOPWORDS.get(lang, frozenset())
    for match in _WORD.finditer(text):
        word = match.group(0).lower()
        if len(word) < 3 or word in stop:
            continue
        yield Token(match.group(0), key_of(word, lang))


def keys(text: str, lang: str) -> list[str]:
    """The keys of the content words of `text`, in order, repeats kept."""
    return [token.key for token in tokens(text, lang)]


def warm(languages: tuple[str, ...] = LANGUAGES) -> None:
    """Load the lemmatization dictionaries now (Polish takes a few seconds) rather than on first use."""
    for lang in languages:
        simplemma.lemmatize("a", lang=lang)
