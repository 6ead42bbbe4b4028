"""Full-text search over the labels, notations and descriptions of the graph, in every language, with the
suggester's lemmatiser (kgservice.analysis.suggest.text): "sociálních služeb" finds "sociální služby",
"seniorzy" finds "seniorów". The graph's texts are read by one named query (no user input reaches SPARQL);
the words of a search are matched in Python against an index of keys built from them.

Each word of the search is read as Czech, Polish and English alike (a search box does not say its language),
and a text's words in the language of the text. A resource matches when every word of the search matches
one of its keys (a key that begins with the word's key, so a word being typed matches too); its score adds,
per word, the weight of the best field it matched in (label over alternative label over description), and a
search of no content word (a notation such as "2.1.3") matches notations and labels that contain it.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from kgservice.analysis.suggest.text import LANGUAGES, tokens

FIELD_WEIGHTS = {"label": 3.0, "notation": 3.0, "altLabel": 2.0, "description": 1.0}
"""How much a match counts by the field it is in."""
MAX_QUERY_CHARS = 200
MAX_WORDS = 12


class Text(NamedTuple):
    """One literal of the graph: its resource, which field it is, its language ("" if none) and its value.

    A tuple of strings, as the postings are tuples of numbers: Python's collector stops tracking such tuples
    (and dicts holding only them), so that an index of a 1M-triple graph (182,290 texts) does not make every
    full collection walk it. With dataclasses and sets, one took 0.3-0.5 s, in the middle of some request."""

    resource: str
    field: str
    lang: str
    value: str


@dataclass
class Hit:
    """A resource that matches every word of a search, its score and the texts it matched in."""

    resource: str
    score: float
    texts: list[Text] = field(default_factory=list)


def query_keys(query: str) -> list[set[str]]:
    """Per content word of the search (at most MAX_WORDS), its keys as a Czech, Polish and English word."""
    words: dict[str, set[str]] = {}
    for lang in LANGUAGES:
        for token in tokens(query[:MAX_QUERY_CHARS], lang):
            words.setdefault(token.surface.lower(), set()).add(token.key)
    return list(words.values())[:MAX_WORDS]


class SearchIndex:
    """The keys of every text of the graph, sorted so that a prefix finds its keys by bisection."""

    def __init__(self, texts: Iterable[Text]) -> None:
        self.texts: tuple[Text, ...] = tuple(texts)
        postings: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        for i, text in enumerate(self.texts):
            for token in tokens(text.value, text.lang if text.lang in LANGUAGES else "en"):
                postings[token.key][text.resource].add(i)
        self.postings: dict[str, dict[str, tuple[int, ...]]] = {
            key: {resource: tuple(sorted(numbers)) for resource, numbers in found.items()} for key, found in postings.items()
        }
        self.keys = sorted(self.postings)

    def _with_prefix(self, prefix: str) -> Iterable[str]:
        start = bisect.bisect_left(self.keys, prefix)
        for key in self.keys[start:]:
            if not key.startswith(prefix):
                return
            yield key

    def _word(self, keys: set[str]) -> dict[str, set[int]]:
        """Resource -> the texts it has that hold a key beginning with one of `keys`."""
        found: dict[str, set[int]] = defaultdict(set)
        for prefix in keys:
            for key in self._with_prefix(prefix):
                for resource, texts in self.postings[key].items():
                    found[resource].update(texts)
        return found

    def _literal(self, query: str) -> list[Hit]:
        needle = query.strip().casefold()
        if not needle:
            return []
        hits: dict[str, Hit] = {}
        for text in self.texts:
            if text.field in ("label", "notation") and needle in text.value.casefold():
                hit = hits.setdefault(text.resource, Hit(text.resource, 0.0))
                hit.score = max(hit.score, FIELD_WEIGHTS[text.field] + (1.0 if text.value.casefold() == needle else 0.0))
                hit.texts.append(text)
        return list(hits.values())

    def search(self, query: str, limit: int = 100) -> list[Hit]:
        """The resources matching every word of `query`, best first (then by resource IRI)."""
        words = query_keys(query)
        hits = self._combine([self._word(keys) for keys in words]) if words else self._literal(query[:MAX_QUERY_CHARS])
        return sorted(hits, key=lambda h: (-h.score, h.resource))[:limit]

    def _combine(self, per_word: list[dict[str, set[int]]]) -> list[Hit]:
        common = set.intersection(*(set(found) for found in per_word)) if per_word else set()
        hits = []
        for resource in common:
            score, matched = 0.0, set()
            for found in per_word:
                score += max(FIELD_WEIGHTS.get(self.texts[i].field, 1.0) for i in found[resource])
                matched |= found[resource]
            hits.append(Hit(resource, score, [self.texts[i] for i in sorted(matched)]))
        return hits
