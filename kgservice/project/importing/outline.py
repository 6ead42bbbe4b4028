"""Find the outline of a document in the lines of its rendering: which lines are elements, which element
each belongs to, and which text describes it.

The rules, in the order a line meets them (docs/import.md explains each):

- a printed notation (`2.1.1`, `II-4.1`, `A.1`) makes an element; the first one sets the numbering scheme,
  and a number of another scheme later (a list of another document's goals) is read as text;
- a notation printed again is the same element stated again: a heading restating a summary sentence gives
  it its name; two different names under one notation are refused;
- a level keyword with a separator and a name ("Opatření: ...") makes an unnumbered element of that level;
  a keyword alone ("Opatření", "VIZE") titles a section: a list right under it is of that level, and in a
  vision section each paragraph under a heading is the vision of that heading's topic;
- a bullet under an element is its child (nested bullets by their marks); a list after a lead-in line
  ending in ':' that is not a keyword is text;
- in a document without printed notations, a heading that holds items is an element (an area); the
  same heading printed again (say, in capitals) is the same element;
- other text under an element is its description.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kgservice.errors import ImportRefused
from kgservice.project.importing.levels import GENERIC, TYPES, LevelMap
from kgservice.project.importing.lines import (
    Kind,
    Parsed,
    classify,
    depth,
    is_heading,
    is_statement,
    keyword_table,
    parent_notation,
    plain,
    scheme,
)
from kgservice.project.importing.model import ImportWarning, Quote

_CLAUSE = re.compile(r"\s+[\u2013\u2014]\s+|[,;]\s+|\.\s+|\.$")
_MIN_CLAUSE_WORDS = 3
_RANK = {kind: rank for rank, kind in enumerate(TYPES)}  # Vision, StrategicArea, ... Project: top down

# What a user reads, in one place (named arguments, so that the texts can be translated).
TEXT = {
    "other_numbering": "%(notation)s does not continue this document's numbering: read as text",
    "twice": "notation %(notation)s is printed twice with different names (line %(first_line)s: %(first)s; here: %(second)s)",
    "list_after_lead_in": "list item read as text: it follows a lead-in that is not a level keyword",
    "list_without_element": "list item read as text: no element above it",
}


@dataclass(eq=False)
class Node:
    """An element being read: where its name is, what it is, and what was said about it."""

    kind: str  # numbered, keyword, heading, vision, bullet
    line: int
    end_line: int
    label: str
    exact: str
    notation: str | None = None
    keyword: str | None = None
    keyword_type: str | None = None
    parent: Node | None = None
    statement: bool = False
    caps: bool = False
    type: str | None = None
    assigned: bool = False
    quotes: list[Quote] = field(default_factory=list)
    description: list[str] = field(default_factory=list)
    description_lines: list[int] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    list_type: str | None = None


def first_clause(text: str) -> str:
    """The first clause of a sentence that names something, of at least three words: up to a dash, a comma,
    a semicolon or a full stop."""
    for match in _CLAUSE.finditer(text):
        head = text[: match.start()].strip()
        if len(head.split()) >= _MIN_CLAUSE_WORDS:
            return head
    return text.strip().rstrip(".")


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _exact(label: str, texts: Sequence[str]) -> str:
    """A quote that occurs in the lines: the label when it does, else the first line's text."""
    joined = _fold(" ".join(texts))
    return label if label and _fold(label) in joined else _fold(texts[0])


class Reader:
    """One pass over the lines, then the parents, classes and notations of what was found."""

    def __init__(self, file: str, lines: Sequence[str], levels: LevelMap, heading_ranks: dict[int, int] | None = None) -> None:
        self.file, self.lines, self.levels = file, lines, levels
        self.ranks = heading_ranks or {}
        table = keyword_table(levels.keywords)
        self.parsed = [classify(line, table) for line in lines]
        self.nodes: list[Node] = []
        self.warnings: list[ImportWarning] = []
        self.by_notation: dict[str, Node] = {}
        self.current: Node | None = None
        self.marks: list[tuple[str, Node]] = []
        self.scheme = self._scheme()
        self.consumed: set[int] = set()
        self.describing = False
        self.text_list = False
        self.list_type: str | None = None
        self.section: tuple[str, bool, int] | None = None  # keyword class, in capitals, line
        self.headings: dict[str, Node] = {}  # by label, case folded
        self.open_headings: list[tuple[int, Node]] = []  # Word heading levels above the current line

    # ------------------------------------------------------------ the pass over the lines

    def _scheme(self) -> str | None:
        for parsed in self.parsed:
            if parsed.kind is Kind.ITEM and parsed.notation is not None:
                return scheme(parsed.notation)
        return None

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(ImportWarning(line, message))

    def read(self) -> list[Node]:
        handlers: dict[Kind, Callable[[int, Parsed], None]] = {
            Kind.ITEM: self._item,
            Kind.KEYWORD: self._keyword,
            Kind.BULLET: self._bullet,
            Kind.HEADING: self._heading,
            Kind.TEXT: self._text,
        }
        for index, parsed in enumerate(self.parsed):
            if parsed.kind is Kind.BLANK or index + 1 in self.consumed:
                continue
            handlers[parsed.kind](index + 1, parsed)
        return self.nodes

    def _open(self, node: Node) -> None:
        self.current, self.marks, self.describing, self.text_list, self.list_type = node, [], True, False, None

    def _item(self, line: int, parsed: Parsed) -> None:
        if parsed.notation is None:
            self._keyword_item(line, parsed)
            return
        if scheme(parsed.notation) != self.scheme:
            self.warn(line, TEXT["other_numbering"] % {"notation": parsed.notation})
            self._text(line, parsed)
            return
        node = self._numbered(line, parsed)
        existing = self.by_notation.get(node.notation or "")
        if existing is not None:
            self._restate(existing, node)
            self._open(existing)
            return
        self.by_notation[node.notation or ""] = node
        self.nodes.append(node)
        self._open(node)

    def _numbered(self, line: int, parsed: Parsed) -> Node:
        label, end, statement = parsed.label, line, False
        if not label:
            label, end = self._label_below(line, parsed)
        elif is_statement(parsed.body):
            statement = True
        node = Node("numbered", line, end, label, "", parsed.notation, parsed.keyword, parsed.keyword_type)
        if statement:
            node.label, node.statement = first_clause(plain(parsed.body)), True
            node.description.append(plain(parsed.body))
        node.exact = _exact(node.label, self.lines[line - 1 : end])
        node.caps = label.isupper()
        return node

    def _label_below(self, line: int, parsed: Parsed) -> tuple[str, int]:
        """The name of an item whose line has only its number: the next line if it is a heading, else the
        keyword and number as printed."""
        for index in range(line, min(line + 3, len(self.parsed))):
            below = self.parsed[index]
            if below.kind is Kind.BLANK:
                continue
            if below.kind is Kind.HEADING or (below.kind is Kind.TEXT and is_heading(below.label)):
                self.consumed.add(index + 1)
                return below.label, index + 1
            break
        printed = " ".join(part for part in (parsed.keyword, parsed.notation) if part)
        return _fold(printed), line

    def _restate(self, existing: Node, again: Node) -> None:
        """A notation printed a second time: the same element, which may get its name from the heading."""
        existing.quotes.append(Quote(again.line, again.end_line, again.exact))
        same = again.label.casefold() == existing.label.casefold()
        if existing.statement and not again.statement:
            existing.label, existing.statement, existing.caps = again.label, False, again.caps
        elif again.statement and not existing.statement:
            existing.description.extend(d for d in again.description if d not in existing.description)
        elif not same:
            raise ImportRefused(
                self.file,
                TEXT["twice"],
                line=again.line,
                notation=again.notation,
                first_line=existing.line,
                first=repr(existing.label),
                second=repr(again.label),
            )
        if again.keyword_type and not existing.keyword_type:
            existing.keyword, existing.keyword_type = again.keyword, again.keyword_type

    def _keyword_item(self, line: int, parsed: Parsed) -> None:
        parent = self._keyword_parent(parsed.keyword_type)
        node = Node("keyword", line, line, parsed.label, "", None, parsed.keyword, parsed.keyword_type, parent=parent)
        node.exact = _exact(node.label, [self.lines[line - 1]])
        self._add_child(node)
        self._open(node)

    def _keyword_parent(self, kind: str | None) -> Node | None:
        """The element an unnumbered keyword item belongs to: the nearest one above the current line whose
        level is above the keyword's ("Opatření: ..." after a measure belongs to that measure's goal)."""
        node = self.current
        while node is not None and (node.kind == "bullet" or self._holds_no(node, kind)):
            node = node.parent or self._printed_parent(node)
        return node

    def _printed_parent(self, node: Node) -> Node | None:
        above = parent_notation(node.notation) if node.notation and node.kind == "numbered" else None
        while above is not None and above not in self.by_notation:
            above = parent_notation(above)
        return self.by_notation.get(above) if above else None

    def _holds_no(self, node: Node, kind: str | None) -> bool:
        """Whether `node` cannot hold an item of class `kind`: its own class is as deep or deeper."""
        own = node.keyword_type or {"heading": self.levels.unnumbered, "vision": "Vision"}.get(node.kind)
        if own is None and node.notation and node.kind == "numbered":
            own = self.levels.below(None, depth(node.notation))
        if not kind or kind == GENERIC or not own or own == GENERIC:
            return False
        return _RANK[own] >= _RANK[kind]

    def _add_child(self, node: Node) -> None:
        self.nodes.append(node)
        if node.parent is not None:
            node.parent.children.append(node)

    def _keyword(self, line: int, parsed: Parsed) -> None:
        self.describing, self.text_list, self.marks = False, False, []
        self.list_type = parsed.keyword_type or None
        self.section = (parsed.keyword_type or GENERIC, parsed.text.isupper(), line)

    def _bullet(self, line: int, parsed: Parsed) -> None:
        if not parsed.label:  # a bullet mark with nothing after it names nothing
            return
        anchor = self.current
        while anchor is not None and anchor.kind == "bullet":
            anchor = anchor.parent
        if self.text_list or anchor is None:
            self.warn(line, TEXT["list_after_lead_in" if anchor is not None else "list_without_element"])
            return
        parent = self._bullet_parent(parsed.marks or "", anchor)
        node = Node("bullet", line, line, parsed.label, "", parent=parent, list_type=self.list_type)
        node.exact = _exact(node.label, [self.lines[line - 1]])
        self._add_child(node)
        self.marks.append((parsed.marks or "", node))
        self.current, self.describing = node, True

    def _bullet_parent(self, marks: str, anchor: Node) -> Node:
        """Bullets of the marks already open are siblings; new marks nest under the last bullet."""
        for index, (open_marks, _) in enumerate(self.marks):
            if open_marks == marks:
                del self.marks[index:]
                return self.marks[-1][1] if self.marks else anchor
        return self.marks[-1][1] if self.marks else anchor

    def _heading(self, line: int, parsed: Parsed) -> None:
        caps = parsed.label.isupper()
        if self.section is not None and caps == self.section[1]:
            self.section = None
        self.describing, self.text_list, self.list_type = False, False, None
        if self.scheme is not None:
            return
        existing = self.headings.get(parsed.label.casefold())
        if existing is not None:
            existing.quotes.append(Quote(line, line, _exact(parsed.label, [self.lines[line - 1]])))
            if existing.caps and not caps:
                existing.label, existing.caps = parsed.label, False
            self._open(existing)
            return
        node = Node("heading", line, line, parsed.label, "", caps=caps, parent=self._heading_parent(line))
        node.exact = _exact(node.label, [self.lines[line - 1]])
        self.headings[parsed.label.casefold()] = node
        if line in self.ranks:
            self.open_headings.append((self.ranks[line], node))
        self._add_child(node)
        self._open(node)

    def _heading_parent(self, line: int) -> Node | None:
        """Under a heading of a higher rank (Word's heading levels); plain-text headings are all top-level."""
        rank = self.ranks.get(line)
        if rank is None:
            return None
        while self.open_headings and self.open_headings[-1][0] >= rank:
            self.open_headings.pop()
        return self.open_headings[-1][1] if self.open_headings else None

    def _text(self, line: int, parsed: Parsed) -> None:
        if parsed.lead_in:
            self.describing, self.text_list = False, True
            return
        if self._vision(line, parsed):
            return
        if self.describing and self.current is not None:
            self.current.description.append(plain(parsed.text))
            self.current.description_lines.append(line)

    def _vision(self, line: int, parsed: Parsed) -> bool:
        """In a vision section, a paragraph under a heading is the vision of that heading's topic."""
        if self.section is None or self.section[0] != "Vision" or not is_statement(parsed.text):
            return False
        heading = self.current if self.current is not None and self.current.kind == "heading" else None
        if heading is not None and heading.line < self.section[2]:
            heading = None
        siblings = heading.children if heading is not None else [n for n in self.nodes if n.parent is None]
        existing = next((n for n in siblings if n.kind == "vision"), None)
        if existing is not None:
            existing.description.append(plain(parsed.text))
            existing.description_lines.append(line)
            return True
        keyword = self._section_word()
        label = f"{keyword} \u2013 {heading.label}" if heading is not None else keyword
        node = Node("vision", line, line, label, first_clause(parsed.text), parent=heading, keyword_type="Vision")
        node.description.append(plain(parsed.text))
        self._add_child(node)
        self.describing = False
        return True

    def _section_word(self) -> str:
        assert self.section is not None
        word = self.parsed[self.section[2] - 1].keyword or "Vision"
        return word.capitalize() if word.isupper() else word
