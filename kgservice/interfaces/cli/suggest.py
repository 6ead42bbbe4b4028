"""`kgservice suggest` and `kgservice suggestions list|accept|reject` (a CLI extension: register(subparsers)).

kgservice suggest kgd:liberec-strategy-2021 kgd:liberecky-kraj-social-2026 --lang cs --top 3
kgservice suggest LOCAL HIGHER --save            # store them, pending, in <user data>/suggestions/LOCAL--HIGHER.ttl
kgservice suggestions list --status pending
kgservice suggestions accept kgd:alignment/... --by "Jana Nováková" --strength 2
kgservice suggestions reject kgd:alignment/... --by "Jana Nováková" --reason "different target group"

Stored suggestions are files of the user data directory (--user-data), one per pair of strategies; a curator
stores them in the bundled data/suggestions/ with --curated. Every change is validated with the shapes before
the file is written, and a change that does not conform writes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyoxigraph as ox

from kgservice.analysis.coherence.words import status
from kgservice.analysis.model import notation_key
from kgservice.analysis.suggest.ranker import Candidate
from kgservice.analysis.suggest.records import (
    STATUS_NAMES,
    SUGGESTIONS_HEADER,
    accept,
    graph_folder,
    now,
    pending_graph,
    reject,
    replace_pending,
    suggestions_graph,
)
from kgservice.analysis.suggest.report import build_report, to_text
from kgservice.analysis.suggest.service import Inputs, reading
from kgservice.analysis.suggest.text import warm
from kgservice.checks.validation import shacl_validator
from kgservice.engine.commit import Change, commit_change
from kgservice.errors import ParameterError, WriteRejected
from kgservice.interfaces.cli import common
from kgservice.project.layout import USER_GRAPH, Layout
from kgservice.project.loading import open_store
from kgservice.project.writeback import GraphFiles, OneGraphFile
from kgservice.rdf.namespaces import expand
from kgservice.rdf.terms import Table
from kgservice.sparql.catalogue import Catalogue
from kgservice.translation import N_, note_language, translator

_CURATED_HELP = "store in the bundled data/suggestions/ (a curator's change of the project), not the user data directory"
_BUNDLED = N_(
    "%(alignment)s is a pending suggestion of the bundled data (%(path)s): an alignment has one status in the whole graph, "
    "so judging it rewrites that file. Add --curated to change the bundled data, or judge the suggestions stored in "
    "your user data directory by `kgservice suggest LOCAL HIGHER --save`"
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `suggest` and `suggestions` to the kgservice command line."""
    suggest = subparsers.add_parser(
        "suggest", help="rank, for each element of a local strategy, the higher-level elements it may support"
    )
    suggest.add_argument("local", help="the lower-level strategy, e.g. kgd:liberec-strategy-2021")
    suggest.add_argument("higher", help="the higher-level strategy, e.g. kgd:liberecky-kraj-social-2026")
    suggest.add_argument("--top", type=int, default=3, help="candidates per element (default 3)")
    suggest.add_argument("--element", action="append", metavar="IRI", help="only this local element (repeatable)")
    suggest.add_argument("--all-levels", action="store_true", help="offer every higher element, not only the most specific ones")
    suggest.add_argument("--lang", choices=common.LANGS, default="en", help="language of labels and explanations (default en)")
    suggest.add_argument("--format", "-f", choices=("text", "md", "json"), default="text")
    suggest.add_argument(
        "--save",
        action="store_true",
        help="store the candidates not yet recorded as pending suggestions in suggestions/ of the user data directory",
    )
    suggest.add_argument("--curated", action="store_true", help=_CURATED_HELP)
    suggest.set_defaults(run=cmd_suggest)

    stored = subparsers.add_parser("suggestions", help="list, accept or reject stored suggestions")
    commands = stored.add_subparsers(dest="suggestions_command", required=True)
    listing = commands.add_parser("list", help="the stored suggestions, pending first")
    listing.add_argument("--local", help="only from this strategy")
    listing.add_argument("--higher", help="only to this strategy")
    listing.add_argument("--status", choices=(*STATUS_NAMES, "all"), default="pending")
    listing.add_argument("--lang", choices=common.LANGS, default="en")
    listing.set_defaults(run=cmd_list)
    accepting = commands.add_parser("accept", help="make a pending suggestion a curated alignment")
    accepting.add_argument("alignment", help="the suggestion's IRI (kgd:alignment/...)")
    accepting.add_argument("--by", required=True, help="who accepts it (recorded as dcterms:creator)")
    accepting.add_argument(
        "--strength", type=int, required=True, help="Nilsson et al. score, -3..+3 (e.g. 2 reinforcing, 1 enabling)"
    )
    accepting.add_argument("--note", help="a sentence of evidence to add, in Czech, Polish or English")
    accepting.add_argument("--lang", choices=common.LANGS, help=NOTE_LANG_HELP)
    accepting.add_argument("--curated", action="store_true", help="allow judging a suggestion of the bundled data")
    accepting.set_defaults(run=cmd_accept)
    rejecting = commands.add_parser("reject", help="reject a pending suggestion (it is not suggested again)")
    rejecting.add_argument("alignment", help="the suggestion's IRI (kgd:alignment/...)")
    rejecting.add_argument("--by", required=True, help="who rejects it (recorded as dcterms:creator)")
    rejecting.add_argument("--reason", help="why, in Czech, Polish or English (recorded as rdfs:comment)")
    rejecting.add_argument("--lang", choices=common.LANGS, help=NOTE_LANG_HELP)
    rejecting.add_argument("--curated", action="store_true", help="allow judging a suggestion of the bundled data")
    rejecting.set_defaults(run=cmd_reject)


def _read_inputs(layout: Layout, local: str, higher: str) -> tuple[Inputs, ox.Store]:
    store = open_store(layout)
    plan = reading(Catalogue(layout.queries_dir), local, higher)
    tables = [store.select(text, source="suggestion query") for text in plan.texts]
    return Inputs.from_tables(plan, tables), store.engine


def _in_document_order(inputs: Inputs, ranked: dict[str, list[Candidate]]) -> dict[str, list[Candidate]]:
    """The local elements as their document numbers them (1, 1.1, 1.1.1, 1.2, ..., 2.1.9, 2.1.10), not as found."""
    return dict(sorted(ranked.items(), key=lambda item: notation_key(inputs.corpus.elements[item[0]].notation)))


def cmd_suggest(args: argparse.Namespace) -> int:
    if args.top < 1:
        raise ParameterError(N_("--top must be at least 1"))
    if args.curated and not args.save:
        raise ParameterError(N_("--curated says where --save stores the suggestions; give it with --save"))
    layout = common.layout(args)
    warm()
    inputs, engine = _read_inputs(layout, args.local, args.higher)
    ranked = inputs.suggester(all_levels=args.all_levels).rank(args.top, inputs.subjects(args.element))
    ranked = _in_document_order(inputs, ranked)
    report = build_report(inputs.corpus, inputs.local, inputs.higher, ranked, args.lang, inputs.recorded)
    if args.format == "json":
        sys.stdout.write(report.model_dump_json(indent=1) + "\n")
    else:
        sys.stdout.write(to_text(report, markdown=args.format == "md"))
    if args.save:
        _save(layout, engine, inputs, inputs.quads(inputs.fresh(ranked), now(), args.curated), args.curated)
    return 0


def _save(layout: Layout, engine: ox.Store, inputs: Inputs, quads: list[ox.Quad], curated: bool) -> None:
    graph, stored = suggestions_graph(inputs.local, inputs.higher, curated), list[int]()
    path = _commit(layout, engine, lambda s: stored.append(replace_pending(s, graph, quads)), graph, graph_folder(curated))
    print(f"{path}: {sum(stored)} pending suggestions stored", file=sys.stderr)


def _commit(
    layout: Layout, engine: ox.Store, change: Change, graph: ox.NamedNode | None = None, folder: str = graph_folder(True)
) -> Path:
    """Commit `change`: validate the whole graph, write the one suggestions graph it touched under `folder`
    (relative to graph/: "user/suggestions/" for the user data directory, "data/suggestions/" for the bundled data)."""
    files = GraphFiles(layout, folder, SUGGESTIONS_HEADER)
    sink = OneGraphFile(files, "the change touched no single suggestions graph; nothing written", graph)
    try:
        return commit_change(engine, change, shacl_validator(layout), sink)
    except WriteRejected as rejected:
        report = rejected.report_text
        raise ParameterError(N_("the change would make the graph invalid, nothing written:\n%(report)s"), report=report) from None


def _judge(args: argparse.Namespace, judging: Change) -> Path:
    """Commit a judgment to the file of the graph holding the pending suggestion: the user's, or with --curated
    the bundled one."""
    layout = common.layout(args)
    engine = open_store(layout).engine
    graph = pending_graph(engine, ox.NamedNode(expand(args.alignment)))
    in_user_data = graph.value.startswith(USER_GRAPH)
    if not in_user_data and not args.curated:
        path = layout.file_of_graph(graph.value).relative_to(layout.root)
        raise ParameterError(_BUNDLED, alignment=args.alignment, path=path)
    return _commit(layout, engine, judging, graph, graph_folder(not in_user_data))


def cmd_list(args: argparse.Namespace) -> int:
    layout = common.layout(args)
    params = {"lang": args.lang}
    params.update({k: v for k, v in (("local", args.local), ("higher", args.higher)) if v})
    if args.status != "all":
        params["status"] = STATUS_NAMES[args.status]
    text = Catalogue(layout.queries_dir).get("suggestions").bind(params)
    table = open_store(layout).select(text, source="suggestions")
    sys.stdout.write(_listing(table, args.lang))
    return 0


def _listing(table: Table, lang: str) -> str:
    t, lines = translator(lang), []
    for r in table.records():
        code = r["status"].value.rsplit("#", 1)[-1]
        state = status(code, lang)
        if code != "Suggested":
            state = t.gettext("%(status)s by %(who)s at %(when)s", status=state, who=r["creator"].value, when=r["created"].value)
        lines.append(state + "  " + t.gettext("confidence %(confidence).2f", confidence=float(r["confidence"].value)))
        lines.append(f"  {r.get('subjectNotation', r['subject']).value} {r['subjectLabel'].value if 'subjectLabel' in r else ''}")
        lines.append(f"  -> {r.get('objectNotation', r['object']).value} {r['objectLabel'].value if 'objectLabel' in r else ''}")
        lines.append(f"  {r['alignment'].value}")
    return "\n".join(lines) + "\n" if lines else t.gettext("no stored suggestion matches") + "\n"


NOTE_LANG_HELP = "the language of the text (cs, pl or en); default: detected from its letters and words, else en"


def _note_lang(text: str | None, given: str | None) -> str:
    """The language tag of a note: the one given, else the detected one; said on stderr when unsure."""
    detected = note_language(text or "", given)
    if text and not detected.sure:
        print(f"kgservice: the language of {text!r} is unclear; stored as {detected.lang} (give --lang)", file=sys.stderr)
    return detected.lang


def cmd_accept(args: argparse.Namespace) -> int:
    lang = _note_lang(args.note, args.lang)
    path = _judge(args, accept(expand(args.alignment), args.by, args.strength, now(), args.note, lang=lang))
    print(f"{path}: accepted {args.alignment}", file=sys.stderr)
    return 0


def cmd_reject(args: argparse.Namespace) -> int:
    path = _judge(args, reject(expand(args.alignment), args.by, now(), args.reason, lang=_note_lang(args.reason, args.lang)))
    print(f"{path}: rejected {args.alignment}", file=sys.stderr)
    return 0
