"""Find English left in a Czech or Polish page or report, by the catalogues rather than by sentences written
into the tests: a text that reads exactly as an English message (its arguments matching anything) whose
translation in the language is different is English that should have been translated."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from html.parser import HTMLParser

from babel.messages.catalog import Message

from kgservice import catalogues

PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0]*\d*(?:\.\d+)?[sdfr]")
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


def _pattern(text: str) -> re.Pattern[str]:
    """`text` with each argument matching anything, and a count (`%(count)s`, `%(n)d`) a number only."""
    out, at = [], 0
    for match in PLACEHOLDER.finditer(text):
        number = match.group().startswith(("%(count)", "%(n)")) or match.group().endswith("d")
        out += [re.escape(text[at : match.start()]), r"[+-]?\d[\d.,  ]*" if number else ".+?"]
        at = match.end()
    return re.compile("".join([*out, re.escape(text[at:])]), re.DOTALL)


def _forms(message: Message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string or ())


@functools.cache
def english_messages(lang: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The English messages (each plural form) that `lang` translates differently, as whole-text patterns;
    short ones (a letter or two, "of", "A") are left out: they are not prose and a label may hold them."""
    found = []
    for message in catalogues.read(lang):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        forms = _forms(message)
        for english in ids:
            if english in forms or len(PLACEHOLDER.sub("", english).strip()) < 4:
                continue
            found.append((english, _pattern(english)))
    return tuple(found)


@functools.cache
def translated_messages(lang: str) -> tuple[re.Pattern[str], ...]:
    """Every translation of `lang`, as whole-text patterns: Czech "priority" (priorities) is not English."""
    found = []
    for message in catalogues.read(lang):
        forms = _forms(message)
        # (a pattern of arguments with little fixed text between them would excuse anything)
        found += [_pattern(form) for form in forms if message.id and len(PLACEHOLDER.sub("", form).strip()) >= 4]
    return tuple(found)


def leftovers(texts: Iterable[str], lang: str) -> list[tuple[str, str]]:
    """(text, English message) for each text that is an English message untranslated in `lang` (and not
    also a translation in `lang` that happens to be written alike)."""
    messages, translations = english_messages(lang), translated_messages(lang)
    found = [(text, english) for text in texts for english, pattern in messages if pattern.fullmatch(text)]
    return [(text, english) for text, english in found if not any(p.fullmatch(text) for p in translations)]


class ShownText(HTMLParser):
    """The texts a reader sees on a page: each text node and each shown attribute, stripped, outside
    <script>, <style> and <code> (identifiers), and outside an element marked as written in another language than the page
    (`<span lang="en">` in a list of the labels in every language, an autonym such as "English")."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0
        self._langs: list[tuple[str, str]] = []  # (tag, lang) of the open elements that set a language
        self.feed(html)

    def _foreign(self) -> bool:
        return len(self._langs) > 1 and self._langs[-1][1] != self._langs[0][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("script", "style", "code")
        lang = (dict(attrs).get("lang") or "").strip()
        if lang:
            self._langs.append((tag, lang[:2]))
        if not self._foreign():
            self.texts += [v.strip() for k, v in attrs if k in SHOWN_ATTRIBUTES and v and v.strip()]

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style", "code")
        if self._langs and self._langs[-1][0] == tag and len(self._langs) > 1:
            self._langs.pop()

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip() and not self._foreign():
            self.texts.append(" ".join(data.split()))


def markdown_texts(text: str) -> list[str]:
    """The lines of a Markdown report and the cells of its tables, without the Markdown marks."""
    found = []
    for line in text.splitlines():
        stripped = line.strip().lstrip("#>-").strip()
        if line.startswith("|"):
            found += [cell.strip() for cell in stripped.strip("|").split("|") if cell.strip() and set(cell.strip()) != {"-"}]
        elif stripped:
            found.append(stripped)
    return found
