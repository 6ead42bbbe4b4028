"""`kgservice tags`: the tags suggested for elements that have no curated tag of a scheme (a CLI extension).

kgservice tags                                   # every strategy, as text
kgservice tags kgd:kalisz-strategy-2004 --lang pl --format json
kgservice tags --save                            # rewrite tags/<strategy>.ttl of the user data directory
kgservice tags --save --curated                  # rewrite data/tags/<strategy>.ttl of the bundled strategies

With --save, the tag graphs of the strategies of the user data directory (imported ones) are replaced by the
current suggestions, in that directory; with --curated, those of the bundled strategies, in data/tags/. The
result is validated with the shapes before any file is written; a change that does not conform writes nothing.
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
    TAGS_HEADER,
    TagSuggestion,
    coverage,
    in_user_data,
    quads,
    replace_tags,
    suggest_tags,
    tags_folder,
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
from kgservice.translation import N_, translator

_NONE_OF_THE_USER = (
    "no strategy of the user data directory to tag; the tags of the bundled strategies ({folder}/) are rewritten "
    "only with --curated"
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `tags` to the kgservice command line."""
    tags = subparsers.add_parser("tags", help="themes and target groups suggested for elements without curated ones")
    tags.add_argument("strategy", nargs="*", help="strategy documents, e.g. kgd:kalisz-strategy-2004 (default: all)")
    tags.add_argument("--lang", choices=common.LANGS, default="en", help="language of the concept labels (default en)")
    tags.add_argument("--format", "-f", choices=("text", "json"), default="text")
    tags.add_argument(
        "--save", action="store_true", help="rewrite tags/<strategy>.ttl of the user data directory for each of its strategies"
    )
    tags.add_argument(
        "--curated", action="store_true", help=f"with --save: rewrite {TAGS_FOLDER}/ for the bundled strategies instead"
    )
    tags.set_defaults(run=cmd_tags)


def cmd_tags(args: argparse.Namespace) -> int:
    if args.save and args.strategy:
        raise ParameterError(N_("--save rewrites the tags of every strategy; name no strategy with it"))
    if args.curated and not args.save:
        raise ParameterError(N_("--curated says which tags --save rewrites; give it with --save"))
    layout = common.layout(args)
    with common.progress("loading the graph"):
        warm()
        store = open_store(layout)
        corpus = checked(read_every_strategy(store, Catalogue(layout.queries_dir)), args.strategy)
    index = ConceptIndex(corpus.concepts.values())
    strategies = [s for s in sorted(corpus.strategies) if not args.strategy or _named(s, args.strategy)]
    with common.progress(f"suggesting tags for {len(strategies)} strategies"):
        found = {s: suggest_tags(corpus, s, index) for s in strategies}
    if args.format == "json":
        sys.stdout.write(json.dumps(_json(corpus, found, args.lang), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(_text(corpus, found, args.lang))
    if args.save:
        for path in _save(layout, store.engine, found, args.curated):
            print(f"{path}: written", file=sys.stderr)
    return 0


def _named(strategy: str, names: Sequence[str]) -> bool:
    return strategy in {normalize(n) for n in names}


def _save(layout: Layout, engine: ox.Store, found: dict[str, list[TagSuggestion]], curated: bool) -> list[Path]:
    """Replace the tags of the user's strategies in the user data directory, or with `curated` those of the
    bundled strategies in data/tags/; each strategy's tags go beside its document."""
    user = not curated
    owned = {s: tags for s, tags in found.items() if in_user_data(engine, s) == user}
    if user and not owned:
        print(_NONE_OF_THE_USER.format(folder=TAGS_FOLDER), file=sys.stderr)
    graphs = {tags_graph(s, user): quads(tags, tags_graph(s, user)) for s, tags in owned.items()}
    sink = GraphFiles(layout, tags_folder(user), TAGS_HEADER)
    try:
        return commit_change(engine, lambda store: replace_tags(store, graphs, user), shacl_validator(layout), sink)
    except WriteRejected as rejected:
        raise ParameterError(
            N_("the tags would make the graph invalid, nothing written:\n%(report)s"), report=rejected.report_text
        ) from None


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
    t, lines = translator(lang), []
    for strategy, tags in found.items():
        if not corpus.of(strategy):
            continue
        lines.append(f"{compact(strategy)}")
        for c in coverage(corpus, strategy, tags):
            name = t.gettext("themes") if c.scheme == THEME_SCHEME else t.gettext("target groups")
            counts = {"curated": c.curated, "suggested": c.suggested, "without": len(c.untagged)}
            lines.append(
                "  "
                + t.ngettext(
                    "%(scheme)s: of %(count)s element, %(curated)s curated, %(suggested)s suggested, %(without)s without",
                    "%(scheme)s: of %(count)s elements, %(curated)s curated, %(suggested)s suggested, %(without)s without",
                    c.elements,
                    scheme=name,
                    **counts,
                )
            )
            if c.untagged:
                untagged = ", ".join(_notation(corpus, e) for e in c.untagged)
                lines.append("    " + t.gettext("without: %(elements)s", elements=untagged))
        for tag in tags:
            matched = t.gettext("label %(label)s matched %(words)s", label=repr(tag.label), words=repr(" ".join(tag.words)))
            lines.append(f"  {_notation(corpus, tag.element)}  {_label(corpus, tag.concept, lang)}  ({matched})")
    return "\n".join(lines) + "\n"
