"""Check that every source excerpt in a graph quotes its source file within the lines it names.

Each `kgo:SourceExcerpt` points to a `kgo:SourceFile` (with `kgo:filePath`), a 1-based inclusive line
range and an `oa:TextQuoteSelector`; the quote must occur in those lines (whitespace runs folded).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Namespace
from rdflib.term import Node

KGO = Namespace("https://w3id.org/kgservice/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")

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


def _source_lines(graph: Graph, source: Node, root: Path, cache: dict[Node, list[str]]) -> list[str] | None:
    if source not in cache:
        path = graph.value(source, KGO.filePath)
        if path is None or not (root / str(path)).is_file():
            return None
        cache[source] = (root / str(path)).read_text(encoding="utf-8").splitlines()
    return cache[source]


def check_excerpts(graph: Graph, root: Path) -> list[ExcerptProblem]:
    """Return the excerpts of `graph` whose quote is not found in the lines they name."""
    problems: list[ExcerptProblem] = []
    cache: dict[Node, list[str]] = {}
    for subject, excerpt in graph.subject_objects(PROV.wasDerivedFrom):
        if (excerpt, None, None) not in graph or graph.value(excerpt, OA.hasSource) is None:
            continue
        source = graph.value(excerpt, OA.hasSource)
        start, end = graph.value(excerpt, KGO.startLine), graph.value(excerpt, KGO.endLine)
        selector = graph.value(excerpt, OA.hasSelector)
        quote = str(graph.value(selector, OA.exact)) if selector is not None else ""
        lines = f"{start}-{end}"

        def problem(reason: str) -> ExcerptProblem:
            return ExcerptProblem(str(subject), str(source), lines, quote, reason)

        text = _source_lines(graph, source, root, cache) if source is not None else None
        if text is None:
            problems.append(problem("source file unknown or missing"))
        elif start is None or end is None or not quote:
            problems.append(problem("excerpt lacks a line range or a quote"))
        elif not 1 <= int(start) <= int(end) <= len(text):
            problems.append(problem(f"line range outside the file's {len(text)} lines"))
        elif _fold(quote) not in _fold(" ".join(text[int(start) - 1 : int(end)])):
            problems.append(problem("quote not found in those lines"))
    return problems
