"""`kgservice tags`: the tags suggested for elements that have no curated tag of a scheme (a CLI extension).

kgservice tags                                   # every strategy, as text
kgservice tags kgd:kalisz-strategy-2004 --lang pl --format json
kgservice tags --save                            # rewrite data/tags/<strategy>.ttl for every strategy

With --save, the tag graphs of the whole graph are replaced by the current suggestions and the result is
validated with the shapes before any file is written; a change that does not conform writes nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from kgservice.analysis.coherence.source import normalize
from kgservice.analysis.suggest.concepts import ConceptIndex
from kgservice.analysis.suggest.corpus import THEME_SCHEME, Corpus
from kgservice.analysis.suggest.source import checked, read_every_strategy
from kgservice.analysis.suggest.tagging import (
    TAGS_FOLDER,
    TagSuggestion,
    coverage,
    quads,
    replace_tags,
    suggest_tags,
    tags_graph,
)
from kgservice.analysis.suggest.text import warm
from kgservice.checks.validation import shacl_validator
from kgservice.engine.commit import commit_change
from kgservice.errors import ParameterError, WriteRejected
from kgservice.interfaces.cli import common
from kgservice.project.layout import Layout
from kgservice.project.loading import open_store
from kgservice.project.writeback import GraphFiles
from kgservice.rdf.namespaces import compact
from kgservice.sparql.catalogue import Catalogue

_HEADER = (
    b"# Theme and target-group tags suggested by `kgservice tags --save` for the elements whose text has no\n"
    b"# curated tag of that scheme: kgo:TagSuggestion nodes with the concept label and the words that matched.\n"
    b"# Generated from the texts and the vocabularies; do not edit, run the command again.\n"
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `tags` to the kgservice command line."""
    tags = subparsers.add_parser("tags", help="themes and target groups suggested for elements without curated ones")
    tags.add_argument("strategy", nargs="*", help="strategy documents, e.g. kgd:kalisz-strategy-2004 (default: all)")
    tags.add_argument("--lang", choices=common.LANGS, default="en", help="language of the concept labels (default en)")
    tags.add_argument("--format", "-f", choices=("text", "json"), default="text")
    tags.add_argument("--save", action="store_true", help=f"rewrite {TAGS_FOLDER}/<strategy>.ttl for every strategy of the graph")
    tags.set_defaults(run=cmd_tags)


def cmd_tags(args: argparse.Namespace) -> int:
    if args.save and args.strategy:
        raise ParameterError("--save rewrites the tags of every strategy; name no strategy with it")
    layout = common.layout(args)
    warm()
    store = open_store(layout)
    corpus = checked(read_every_strategy(store, Catalogue(layout.queries_dir)), args.strategy)
    index = ConceptIndex(corpus.concepts.values())
    strategies = [s for s in sorted(corpus.strategies) if not args.strategy or _named(s, args.strategy)]
    found = {s: suggest_tags(corpus, s, index) for s in strategies}
    if args.format == "json":
        sys.stdout.write(json.dumps(_json(corpus, found, args.lang), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(_text(corpus, found, args.lang))
    if args.save:
        for path in _save(layout, store.engine, found):
            print(f"{path}: written", file=sys.stderr)
    return 0


def _named(strategy: str, names: Sequence[str]) -> bool:
    return strategy in {normalize(n) for n in names}


def _save(layout: Layout, engine: ox.Store, found: dict[str, list[TagSuggestion]]) -> list[Path]:
    graphs = {tags_graph(s): quads(tags, tags_graph(s)) for s, tags in found.items()}
    sink = GraphFiles(layout, f"{TAGS_FOLDER}/", _HEADER)
    try:
        return commit_change(engine, lambda store: replace_tags(store, graphs), shacl_validator(layout), sink)
    except WriteRejected as rejected:
        raise ParameterError(f"the tags would make the graph invalid, nothing written:\n{rejected.report_text}") from None


def _label(corpus: Corpus, iri: str, lang: str) -> str:
    concept = corpus.concepts.get(iri)
    return concept.display(lang) if concept else iri


def _notation(corpus: Corpus, iri: str) -> str:
    return corpus.elements[iri].notation or compact(iri)


def _json(corpus: Corpus, found: dict[str, list[TagSuggestion]], lang: str) -> dict[str, object]:
    suggestions = [
        {
            "strategy": strategy,
            "element": t.element,
            "notation": corpus.elements[t.element].notation,
            "concept": t.concept,
            "conceptLabel": _label(corpus, t.concept, lang),
            "scheme": t.scheme,
            "matchedLabel": t.label,
            "matchedText": " ".join(t.words),
            "iri": t.iri,
        }
        for strategy, tags in found.items()
        for t in tags
    ]
    covered = [
        {
            "strategy": strategy,
            "scheme": c.scheme,
            "elements": c.elements,
            "curated": c.curated,
            "suggested": c.suggested,
            "without": list(c.untagged),
        }
        for strategy, tags in found.items()
        if corpus.of(strategy)
        for c in coverage(corpus, strategy, tags)
    ]
    return {"suggestions": suggestions, "coverage": covered}


def _text(corpus: Corpus, found: dict[str, list[TagSuggestion]], lang: str) -> str:
    lines: list[str] = []
    for strategy, tags in found.items():
        if not corpus.of(strategy):
            continue
        lines.append(f"{compact(strategy)}")
        for c in coverage(corpus, strategy, tags):
            name = "themes" if c.scheme == THEME_SCHEME else "target groups"
            counts = f"{c.curated} curated, {c.suggested} suggested, {len(c.untagged)} without"
            lines.append(f"  {name}: of {c.elements} elements, {counts}")
            if c.untagged:
                lines.append(f"    without: {', '.join(_notation(corpus, e) for e in c.untagged)}")
        for t in tags:
            lines.append(
                f"  {_notation(corpus, t.element)}  {_label(corpus, t.concept, lang)}"
                f"  (label {t.label!r} matched {' '.join(t.words)!r})"
            )
    return "\n".join(lines) + "\n"
