"""The texts a user reads in Czech, Polish and English, from the gettext catalogues in kgservice/locale/
(read from the .po sources with Babel, so no build step is needed), with each language's plural rules.

How to add a text (any layer may import this module; it imports nothing of kgservice):
- Python: `translator(lang).gettext("The graph holds %(n)s files.", n=3)`, or `.ngettext(singular, plural,
  count)` for a text with a number in it (`%(count)s` is the number); `N_("text")` marks a text that is
  translated later (a table of labels, an error's fixed message); `pgettext(context, text)` where one English
  word needs two translations.
- Jinja templates: `{{ _("Strategies") }}`, `{{ _("%(n)s files", n=3) }}`, `{% trans count=n %}...{% pluralize
  %}...{% endtrans %}` (the environment gets `install(env)`; the template context holds `lang`).
- Then `make catalogues` (extracts with Babel per babel.cfg and updates kgservice/locale/*/LC_MESSAGES/
  kgservice.po) and write the msgstr of cs, pl and en; tests/test_translation.py fails on a text missing or
  empty in a language, and on a catalogue entry that no code uses.
Named arguments (`%(name)s`) and never text glued together in code: a translation may reorder them.
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Babel and Jinja2 are imported when a catalogue is read: every process imports this module
    from babel.support import Translations
    from jinja2 import Environment
    from jinja2.runtime import Context

LANGUAGES = ("en", "cs", "pl")
"""The languages of the texts and labels; English is also the fallback where a label is missing."""
DEFAULT = "en"
DOMAIN = "kgservice"
LOCALE = Path(__file__).resolve().parent / "locale"


def N_(message: str) -> str:
    """Mark `message` for the catalogues where it is written; it is translated where it is shown."""
    return message


def catalogue_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _load(lang: str) -> Translations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    # A .po compiled in memory: the catalogues are their own sources, and a wheel carries them as they are.
    with catalogue_path(lang).open("rb") as source:
        catalogue = read_po(source, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


def _format(text: str, args: dict[str, Any]) -> str:
    return text % args if args else text


class Translator:
    """The texts of one language: gettext, ngettext and pgettext with named arguments (`%(name)s`)."""

    def __init__(self, lang: str, catalogue: Translations) -> None:
        self.lang, self.catalogue = lang, catalogue

    def gettext(self, message: str, /, **args: Any) -> str:
        return _format(self.catalogue.gettext(message), args)

    def ngettext(self, singular: str, plural: str, count: int, /, **args: Any) -> str:
        """The form of the text for `count` by the language's plural rule; `%(count)s` is the number."""
        return _format(self.catalogue.ngettext(singular, plural, count), {"count": count, **args})

    def pgettext(self, context: str, message: str, /, **args: Any) -> str:
        return _format(str(self.catalogue.pgettext(context, message)), args)

    def npgettext(self, context: str, singular: str, plural: str, count: int, /, **args: Any) -> str:
        return _format(self.catalogue.npgettext(context, singular, plural, count), {"count": count, **args})


def language(lang: str | None) -> str:
    """`lang` if it is one of LANGUAGES (any case, region ignored: cs-CZ is cs), else the default."""
    code = (lang or "").strip().lower()[:2]
    return code if code in LANGUAGES else DEFAULT


@functools.cache
def translator(lang: str) -> Translator:
    """The translator of `lang` (one of LANGUAGES; another code gets English)."""
    code = language(lang)
    return Translator(code, _load(code))


def gettext(lang: str, message: str, /, **args: Any) -> str:
    """`message` in `lang`, formatted with `args`."""
    return translator(lang).gettext(message, **args)


# ---------------------------------------------------------------- Jinja2


def _lang_of(context: Context) -> str:
    value = context.get("lang")
    return language(value if isinstance(value, str) else None)


def install(env: Environment) -> None:
    """Give `env` the i18n extension whose texts follow the `lang` of each template context (no global
    language: concurrent pages in different languages share the environment)."""
    from jinja2 import pass_context

    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True  # babel.cfg extracts {% trans %} blocks trimmed too

    @pass_context
    def _gettext(context: Context, message: str) -> str:
        return translator(_lang_of(context)).catalogue.gettext(message)

    @pass_context
    def _ngettext(context: Context, singular: str, plural: str, count: int) -> str:
        return translator(_lang_of(context)).catalogue.ngettext(singular, plural, count)

    @pass_context
    def _pgettext(context: Context, ctx: str, message: str) -> str:
        return str(translator(_lang_of(context)).catalogue.pgettext(ctx, message))

    @pass_context
    def _npgettext(context: Context, ctx: str, singular: str, plural: str, count: int) -> str:
        return translator(_lang_of(context)).catalogue.npgettext(ctx, singular, plural, count)

    install_callables: Callable[..., None] = env.install_gettext_callables  # type: ignore[attr-defined]
    install_callables(_gettext, _ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext)


# ---------------------------------------------------------------- the language of a note


@dataclass(frozen=True)
class Detected:
    """The language a text seems written in; `sure` is False when the signs are too few or point two ways."""

    lang: str
    sure: bool


# Letters that only one of the languages writes (ó is both Czech and Polish, so it tells nothing).
_LETTERS = {"cs": set("ěščřžýáíéúůďťň"), "pl": set("ąęłńśźżć")}
# Frequent short words that are not words of the other two languages.
_STOPWORDS = {
    "cs": {"v", "je", "se", "že", "pro", "není", "jsou", "jako", "které", "který", "která", "jen", "už", "nebo", "také", "při"},
    "pl": {"w", "jest", "się", "że", "dla", "nie", "są", "jak", "które", "który", "która", "tylko", "już", "oraz", "przez"},
    "en": {"the", "and", "is", "of", "for", "not", "it", "with", "that", "this", "are", "but", "only", "or", "does"},
}
_WORD = re.compile(r"\w+")


def _scores(text: str) -> dict[str, int]:
    lowered = unicodedata.normalize("NFC", text.lower())
    words = _WORD.findall(lowered)
    scores = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    for lang, letters in _LETTERS.items():
        scores[lang] += 2 * sum(ch in letters for ch in lowered)
    return scores


def note_language(text: str, given: str | None = None) -> Detected:
    """The language to tag a planner's note with: the one given (`--lang`, the request's `lang`), else the
    one detected in the text; English, unsure, when the text does not tell."""
    return Detected(language(given), sure=True) if given else detect_language(text)


def likely_language(text: str) -> str | None:
    """The language a document is most likely written in, by the same signs as `detect_language`: a whole
    document is judged on more of them, so the best score wins when it is ahead; None on no sign or a tie."""
    ranked = sorted(_scores(text).items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    return best if top > 0 and top > second else None


def detect_language(text: str, fallback: str = DEFAULT) -> Detected:
    """The language of a short note (cs, pl or en) from letters only Czech or Polish write and frequent words
    of each; unsure (and `fallback`) when the signs are fewer than two or two languages score within one point."""
    ranked = sorted(_scores(text).items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < 2 or top - second < 2:
        return Detected(language(fallback), sure=False)
    return Detected(best, sure=True)
