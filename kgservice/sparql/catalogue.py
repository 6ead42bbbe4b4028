"""Named, parameterised SPARQL queries kept as files in queries/.

Each file opens with a comment block:

    # title: Measures that support a priority
    # question: Which measures and activities support a given priority, directly or through
    #   their parent goal?
    # param: priority iri optional  The supported higher-level element.
    # param: lang lang default=en  Language of the labels, falling back to English.

and marks each parameter's slot in the query as `VALUES ?name { UNDEF }`, valid SPARQL meaning "any
value". Binding replaces that slot with one RDF term that pyoxigraph has validated and serialized, so
user input never becomes SPARQL text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgservice.errors import NotFound, ParameterError, UnknownQueryError
from kgservice.rdf.namespaces import PREFIXES, XSD, expand
from kgservice.translation import N_

PARAM_TYPES = ("iri", "literal", "lang", "integer")
_LANG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
_HEADER = re.compile(r"^#\s*(title|question|param):\s*(.*)$")
_CONTINUATION = re.compile(r"^#\s{2,}(\S.*)$")


@dataclass(frozen=True)
class Parameter:
    """A declared query parameter."""

    name: str
    type: str
    required: bool
    default: str | None
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A query file with its header."""

    name: str
    path: Path
    title: str
    question: str
    parameters: tuple[Parameter, ...]
    text: str = field(repr=False)

    def bind(self, values: Mapping[str, str]) -> str:
        """The query text with each given (or default) parameter bound in its VALUES slot."""
        declared = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(declared))
        if unknown:
            raise self._unknown(unknown)
        text = self.text
        for param in self.parameters:
            raw = values.get(param.name, param.default)
            if raw is None:
                if param.required:
                    raise ParameterError(
                        N_("query %(query)r needs --param %(name)s=...: %(description)s"),
                        query=self.name,
                        name=param.name,
                        description=param.description,
                    )
                continue
            text = _fill_slot(text, param.name, serialize(param, raw))
        return text

    def _unknown(self, unknown: list[str]) -> ParameterError:
        given, names = ", ".join(unknown), ", ".join(p.name for p in self.parameters)
        if not names:
            return ParameterError(N_("query %(query)r takes no parameters (given: %(given)s)"), query=self.name, given=given)
        return ParameterError(
            N_("query %(query)r has no parameter %(given)s; it takes: %(names)s"), query=self.name, given=given, names=names
        )


def serialize(param: Parameter, raw: str) -> str:
    """Validate a raw parameter value against its declared type and serialize it as an RDF term."""
    try:
        if param.type == "iri":
            return str(ox.NamedNode(_iri(param, raw)))
        if param.type == "integer":
            return str(ox.Literal(str(int(raw)), datatype=ox.NamedNode(XSD + "integer")))
        if param.type == "lang":
            if not _LANG.match(raw):
                raise ParameterError(
                    N_("parameter %(name)s=%(raw)r is not a language tag such as cs, pl or en"), name=param.name, raw=raw
                )
            return str(ox.Literal(raw.lower()))
        return str(ox.Literal(raw))
    except ValueError as error:
        raise ParameterError(
            N_("parameter %(name)s=%(raw)r is not a valid %(type)s: %(error)s"),
            name=param.name,
            raw=raw,
            type=param.type,
            error=error,
        ) from None


# IRI schemes written without "//" that a user may give unbracketed; any other `word:` is taken as a prefix.
_SCHEMES = ("urn", "mailto", "tag")


UNKNOWN_PREFIX = N_(
    "parameter %(name)s=%(value)s: unknown prefix %(prefix)s: (known prefixes: %(known)s); or give a full IRI in <...>"
)
NO_FILE = N_("%(path)s: no such file")
NOT_A_FILE = N_("%(path)s: not a file")


def _iri(param: Parameter, raw: str) -> str:
    """An IRI given in <...>, as a full IRI, or as a prefixed name of a known prefix; an unknown prefix is
    an error naming it, not an IRI of a scheme nobody uses that matches nothing."""
    text = raw.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    prefix, sep, local = text.partition(":")
    if sep and prefix not in PREFIXES and not local.startswith("//") and prefix.lower() not in _SCHEMES:
        known = ", ".join(f"{p}:" for p in PREFIXES)
        raise ParameterError(UNKNOWN_PREFIX, name=param.name, value=repr(raw), prefix=prefix, known=known)
    return expand(text)


def _slot(name: str) -> re.Pattern[str]:
    return re.compile(r"VALUES\s+\?" + re.escape(name) + r"\s*\{\s*UNDEF\s*\}")


def _fill_slot(text: str, name: str, term: str) -> str:
    return _slot(name).sub(lambda _: f"VALUES ?{name} {{ {term} }}", text, count=1)


def _parse_param(spec: str, source: Path) -> Parameter:
    words = spec.split()
    if len(words) < 2 or words[1] not in PARAM_TYPES:
        raise ValueError(
            f"{source}: bad parameter declaration {spec!r}; expected 'name type [optional|required] [default=v] text'"
        )
    name, kind, rest = words[0], words[1], words[2:]
    required, default = False, None
    while rest and (rest[0] in ("optional", "required") or rest[0].startswith("default=")):
        flag = rest.pop(0)
        required = required or flag == "required"
        default = flag.removeprefix("default=") if flag.startswith("default=") else default
    return Parameter(name, kind, required, default, " ".join(rest))


def parse_query_file(path: Path, name: str | None = None) -> NamedQuery:
    """Read a query file and its header; each declared parameter must have exactly one slot."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, list[str]] = {"title": [], "question": [], "param": []}
    last: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header, continuation = _HEADER.match(line), _CONTINUATION.match(line)
        if header:
            last = header.group(1)
            fields[last].append(header.group(2).strip())
        elif continuation and last:
            fields[last][-1] += " " + continuation.group(1).strip()
    params = tuple(_parse_param(spec, path) for spec in fields["param"])
    for param in params:
        if len(_slot(param.name).findall(text)) != 1:
            raise ValueError(f"{path}: parameter {param.name} needs exactly one 'VALUES ?{param.name} {{ UNDEF }}' slot")
    title = " ".join(fields["title"]) or path.stem
    return NamedQuery(name or path.stem, path, title, " ".join(fields["question"]), params, text)


class Catalogue:
    """The named queries of a queries/ folder (top level only; subfolders hold internal checks)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.queries = {p.stem: parse_query_file(p) for p in sorted(folder.glob("*.rq"))}

    def get(self, name: str) -> NamedQuery:
        """The named query, or UnknownQueryError listing the known names."""
        try:
            return self.queries[name]
        except KeyError:
            known = ", ".join(sorted(self.queries))
            raise UnknownQueryError(N_("no named query %(name)r; known queries: %(known)s"), name=name, known=known) from None

    def resolve(self, name_or_file: str) -> NamedQuery:
        """A named query by name, or a query file given by path."""
        if name_or_file in self.queries:
            return self.queries[name_or_file]
        path = Path(name_or_file)
        if path.suffix == ".rq" or len(path.parts) > 1:  # a path, not a name: say what is wrong with the file
            if not path.is_file():
                raise NotFound(NOT_A_FILE if path.exists() else NO_FILE, path=str(path))
            return parse_query_file(path)
        return self.get(name_or_file)
