"""From what the outline reader found to elements: parents of printed notations, the classes of the levels,
notations for unnumbered items (docs/modelling.md, "IRI patterns"), and the checks that refuse an outline.

Assigned notations: a bullet or unnumbered keyword item under a numbered element is `<parent>.<n>` (n in
reading order from 1); a heading, a vision, or an unnumbered item under the document takes the initial of
its name (`U`, `P.V`), made unique among its siblings.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from kgservice.errors import ImportRefused
from kgservice.project.importing.levels import GENERIC, LevelMap
from kgservice.project.importing.lines import depth, parent_notation
from kgservice.project.importing.model import ImportWarning, ParsedElement, Quote, SourceRef
from kgservice.project.importing.outline import Node, Reader

RefMaker = Callable[[int, int], SourceRef]

# What a user reads, in one place (named arguments, so that the texts can be translated).
TEXT = {
    "no_parent": "notation %(notation)s: its parent %(parent)s is not in the document",
    "starts_at": "the outline starts at %(notation)s: its parents are not in the document",
    "too_deep": "%(label)s is deeper than the levels (%(levels)s): read as text",
}


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).upper()


def _initials(label: str) -> Iterator[str]:
    words = [w for w in (_ascii(word) for word in label.split()) if w and w[0].isalpha()]
    if words:
        yield words[0][0]
        if len(words) > 1:
            yield words[0][0] + words[1][0]
        yield words[0][:2]


@dataclass
class Tree:
    """The nodes of one reading, made into elements."""

    reader: Reader
    doc_iri: str
    refs: RefMaker

    @property
    def levels(self) -> LevelMap:
        return self.reader.levels

    def elements(self) -> list[ParsedElement]:
        nodes = self.reader.nodes
        self._parents(nodes)
        nodes = self._prune(nodes)
        for node in nodes:
            self._type(node)
        nodes = self._fold_too_deep(nodes)
        taken: set[str] = {n.notation for n in nodes if n.notation}
        counters: dict[int, int] = {}
        for node in nodes:
            self._notation(node, taken, counters)
        return [self._element(node) for node in nodes]

    # ------------------------------------------------------------ parents of printed notations

    def _parents(self, nodes: list[Node]) -> None:
        by_notation = self.reader.by_notation
        printed_depths = {depth(n) for n in by_notation}
        for node in nodes:
            if node.kind != "numbered" or node.notation is None:
                continue
            above = parent_notation(node.notation)
            while above is not None and above not in by_notation:
                if depth(above) in printed_depths:
                    raise ImportRefused(self.reader.file, TEXT["no_parent"], line=node.line, notation=node.notation, parent=above)
                above = parent_notation(above)
            if above is not None:
                node.parent = by_notation[above]
                node.parent.children.append(node)
            elif depth(node.notation) > 1 and depth(node.notation) == min(printed_depths):
                self._top_warning(node)

    def _top_warning(self, node: Node) -> None:
        starts = TEXT["starts_at"].split("%", 1)[0]
        if not any(w.message.startswith(starts) for w in self.reader.warnings):
            self.reader.warn(node.line, TEXT["starts_at"] % {"notation": node.notation})

    def _prune(self, nodes: list[Node]) -> list[Node]:
        """Headings that hold no item are titles, not elements."""
        while True:
            kept = {id(n) for n in nodes}
            empty = {id(n) for n in nodes if n.kind == "heading" and not any(id(c) in kept for c in n.children)}
            if not empty:
                return nodes
            nodes = [n for n in nodes if id(n) not in empty]

    # ------------------------------------------------------------ classes

    def _type(self, node: Node) -> str | None:
        if node.type is None:
            node.type = self._choose_type(node)
        return node.type

    def _choose_type(self, node: Node) -> str | None:
        if node.kind == "vision":
            return "Vision"
        if node.kind == "heading":
            # a heading under a heading (Word's heading levels) is one level below it
            return self.levels.unnumbered if node.parent is None else self.levels.below(self._type(node.parent), 1)
        if node.keyword_type and node.keyword_type != GENERIC:
            return node.keyword_type
        parent_type = self._type(node.parent) if node.parent is not None else None
        if node.kind == "bullet":
            chosen = node.list_type or self.levels.bullets
            if chosen:
                return chosen
            if node.parent is not None and node.parent.kind == "heading":
                return "Activity"
        if node.parent is not None and parent_type is None:
            return None
        return self.levels.below(parent_type, depth(node.notation) if node.notation else 1)

    def _fold_too_deep(self, nodes: list[Node]) -> list[Node]:
        """Items deeper than the level map are read as their parent's description (with a warning)."""
        kept: list[Node] = []
        folded: set[int] = set()
        for node in nodes:
            if node.type is not None and (node.parent is None or id(node.parent) not in folded):
                kept.append(node)
                continue
            folded.add(id(node))
            self.reader.warn(node.line, TEXT["too_deep"] % {"label": repr(node.label), "levels": ", ".join(self.levels.depths)})
            if node.parent is not None:
                node.parent.description.append(node.label)
                node.parent.description_lines.append(node.line)
        return kept

    # ------------------------------------------------------------ notations

    def _notation(self, node: Node, taken: set[str], counters: dict[int, int]) -> None:
        if node.notation is not None:
            return
        base = node.parent.notation if node.parent is not None else None
        by_name = node.kind in ("heading", "vision") or (node.parent is None and node.kind == "keyword")
        segment = self._by_initial(node.label, base, taken) if by_name else None
        while segment is None:
            counters[id(node.parent)] = counters.get(id(node.parent), 0) + 1
            candidate = str(counters[id(node.parent)])
            if self._join(base, candidate) not in taken:
                segment = candidate
        node.notation, node.assigned = self._join(base, segment), True
        taken.add(node.notation)

    @staticmethod
    def _join(base: str | None, segment: str) -> str:
        return f"{base}.{segment}" if base else segment

    def _by_initial(self, label: str, base: str | None, taken: set[str]) -> str | None:
        return next((s for s in _initials(label) if self._join(base, s) not in taken), None)

    # ------------------------------------------------------------ elements

    def _iri(self, node: Node | None) -> str:
        return self.doc_iri if node is None else f"{self.doc_iri}/{node.notation}"

    def _quotes(self, node: Node) -> tuple[Quote, ...]:
        quotes = [Quote(node.line, node.end_line, node.exact), *node.quotes]
        if node.description_lines:
            first, last = min(node.description_lines), max(node.description_lines)
            quotes.append(Quote(first, last, self.reader.lines[first - 1].strip()))
        unique: dict[tuple[int, int, str], Quote] = {(q.start_line, q.end_line, q.exact): q for q in quotes}
        return tuple(unique.values())

    def _element(self, node: Node) -> ParsedElement:
        description = " ".join(dict.fromkeys(node.description)) or None
        return ParsedElement(
            iri=self._iri(node),
            notation=node.notation or "",
            type=node.type or "",
            label=node.label,
            parent=self._iri(node.parent),
            source=self.refs(node.line, node.end_line),
            description=description,
            notation_assigned=node.assigned,
            quotes=self._quotes(node),
        )


def outline_elements(
    file: str, lines: list[str], levels: LevelMap, doc_iri: str, refs: RefMaker, ranks: dict[int, int] | None = None
) -> tuple[list[ParsedElement], list[ImportWarning]]:
    """Read the outline of `lines` into elements of the document `doc_iri`, with the warnings met."""
    reader = Reader(file, lines, levels, ranks)
    reader.read()
    elements = Tree(reader, doc_iri, refs).elements()
    return elements, reader.warnings
