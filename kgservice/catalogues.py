"""Keep the gettext catalogues in step with the code: extract every marked text from the Python modules and
the Jinja templates (Babel, configured by babel.cfg at the project root) and merge it into the .po files.

`make catalogues` (python -m kgservice.catalogues) adds the new texts (empty in cs and pl, the English text
in en), drops the texts no code uses any more, and keeps every translation already written. It needs the
source tree (babel.cfg), not an installed wheel; the service itself only reads the .po files.
"""

from __future__ import annotations

import copy
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from kgservice.translation import DOMAIN, LANGUAGES, catalogue_path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "babel.cfg"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "N_": None,
}

_CATALOGUE_HEADER = {
    "project": "kgservice",
    "copyright_holder": "the kgservice authors",
    "msgid_bugs_address": "",
    "last_translator": "the kgservice authors",
    "language_team": "the kgservice authors",
}


# The header of a named query as kgservice.sparql.catalogue reads it: its title and question are shown on
# the editor page, so they are texts of the catalogues too.
_HEADER = re.compile(rb"^#\s*(title|question|param):\s*(.*)$")
_CONTINUATION = re.compile(rb"^#\s{2,}(\S.*)$")


def extract_queries(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    """A Babel extraction method (babel.cfg) for queries/*.rq: the title and the question of the header."""
    found: dict[str, tuple[int, str]] = {}
    last: str | None = None
    for lineno, line in enumerate(fileobj, start=1):
        if not line.startswith(b"#"):
            break
        header, continuation = _HEADER.match(line.rstrip()), _CONTINUATION.match(line.rstrip())
        if header:
            last = header.group(1).decode()
            found.setdefault(last, (lineno, header.group(2).decode().strip()))
        elif continuation and last in found:
            start, text = found[last]
            found[last] = (start, text + " " + continuation.group(1).decode().strip())
    for field in ("title", "question"):
        if field in found and found[field][1]:
            yield found[field][0], "_", found[field][1], [f"the {field} of a named query"]


def extract(root: Path = ROOT) -> Catalog:
    """Every text the code marks for translation, as a catalogue template (msgid, msgctxt, plural, places)."""
    with CONFIG.open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config, str(CONFIG))  # type: ignore[no-untyped-call]
    template = Catalog(domain=DOMAIN, fuzzy=False, **_CATALOGUE_HEADER)
    found = extract_from_dir(str(root), method_map, options_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",))
    for filename, lineno, message, comments, context in found:
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def read(lang: str) -> Catalog:
    path = catalogue_path(lang)
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN, fuzzy=False, **_CATALOGUE_HEADER)
    with path.open("rb") as source:
        return read_po(source, locale=lang, domain=DOMAIN)


def untranslated(message: Message) -> bool:
    """Whether a text of a catalogue has an empty translation (or an empty plural form)."""
    forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return not all(forms)


def _english(message: Message) -> None:
    # English is the language of the msgids: its catalogue holds them as they are, with its plural rule.
    if isinstance(message.id, tuple):
        if untranslated(message):
            message.string = tuple(message.id)
    elif not message.string:
        message.string = message.id


def update(lang: str, template: Catalog) -> Catalog:
    """The catalogue of `lang` with the texts of `template`: new ones added, unused ones dropped."""
    catalogue = read(lang)
    created = catalogue.creation_date  # kept: a header that changed on every run would be noise in every diff
    # A copy: update() adopts the template's Message objects, and English fills them in.
    catalogue.update(copy.deepcopy(template), no_fuzzy_matching=True, update_header_comment=False)
    catalogue.creation_date = created
    catalogue.obsolete.clear()
    if lang == "en":
        for message in catalogue:
            if message.id:
                _english(message)
    return catalogue


def write(lang: str, catalogue: Catalog) -> None:
    path = catalogue_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        write_po(out, catalogue, width=120, no_location=True, include_previous=False)


def main() -> int:
    template = extract()
    for lang in LANGUAGES:
        catalogue = update(lang, template)
        write(lang, catalogue)
        empty = sum(1 for m in catalogue if m.id and untranslated(m))
        print(f"{catalogue_path(lang).relative_to(ROOT)}: {len(catalogue)} texts, {empty} to translate", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
