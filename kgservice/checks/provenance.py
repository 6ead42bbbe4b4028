"""Check that every source excerpt in a graph quotes its source file within the lines it names.

Each `kgo:SourceExcerpt` points to a `kgo:SourceFile` (with `kgo:filePath`), a 1-based inclusive line
range and an `oa:TextQuoteSelector`; the quote must occur in those lines (whitespace runs folded). A file
path under data/ is relative to the project root, any other (an imported document's sources/...) to the
user data directory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Namespace
from rdflib.term import Node

from kgservice.rdf import namespaces

KGO, OA, PROV = Namespace(namespaces.KGO), Namespace(namespaces.OA), Namespace(namespaces.PROV)

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ExcerptProblem:
    """One excerpt whose quote is not where it says it is."""

    subject: str
    source: str
    lines: str
    quote: str
    reason: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.reason} ({self.source} lines {self.lines}: {self.quote!r})"


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _source_lines(graph: Graph, source: Node, roots: tuple[Path, Path], cache: dict[Node, list[str]]) -> list[str] | None:
    if source not in cache:
        path = graph.value(source, KGO.filePath)
        base = roots[0] if path is None or str(path).startswith("data/") else roots[1]
        if path is None or not (base / str(path)).is_file():
            return None
        cache[source] = (base / str(path)).read_text(encoding="utf-8").splitlines()
    return cache[source]


def _reason(text: list[str] | None, start: int | None, end: int | None, quote: str) -> str | None:
    """Why an excerpt does not hold, or None when its quote is in its lines."""
    if text is None:
        return "source file unknown or missing"
    if start is None or end is None or not quote:
        return "excerpt lacks a line range or a quote"
    if not 1 <= start <= end <= len(text):
        return f"line range outside the file's {len(text)} lines"
    if _fold(quote) not in _fold(" ".join(text[start - 1 : end])):
        return "quote not found in those lines"
    return None


def _number(node: Node | None) -> int | None:
    return int(str(node)) if node is not None else None


def check_excerpts(graph: Graph, root: Path, user_dir: Path | None = None) -> list[ExcerptProblem]:
    """Return the excerpts of `graph` whose quote is not found in the lines they name (source files under
    data/ read from `root`, others from `user_dir`, by default `root` too)."""
    problems: list[ExcerptProblem] = []
    cache: dict[Node, list[str]] = {}
    for subject, excerpt in graph.subject_objects(PROV.wasDerivedFrom):
        source = graph.value(excerpt, OA.hasSource)
        if source is None:
            continue
        start, end = _number(graph.value(excerpt, KGO.startLine)), _number(graph.value(excerpt, KGO.endLine))
        selector = graph.value(excerpt, OA.hasSelector)
        quote = str(graph.value(selector, OA.exact)) if selector is not None else ""
        reason = _reason(_source_lines(graph, source, (root, user_dir or root), cache), start, end, quote)
        if reason is not None:
            problems.append(ExcerptProblem(str(subject), str(source), f"{start}-{end}", quote, reason))
    return problems
