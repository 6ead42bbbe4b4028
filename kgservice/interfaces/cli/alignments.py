"""`kgservice alignments export|import`: alignment sets to SSSOM/TSV mapping tables and back to Turtle.

Registered by `kgservice.interfaces.cli.main.build_parser`; errors go through the CLI's handler
(one line, exit 2).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from kgservice.analysis.sssom import STATUSES, AlignmentSet, alignment_sets, alignments_graph, read_sssom, to_sssom, write_sssom
from kgservice.errors import EXIT_OK, ParameterError
from kgservice.interfaces.cli import common
from kgservice.project.loading import open_store
from kgservice.rdf.namespaces import compact
from kgservice.translation import N_, Translator, translator


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `alignments export` and `alignments import` to the kgservice command line."""
    parser = subparsers.add_parser("alignments", help="export alignment sets as SSSOM mapping tables, or import one")
    commands = parser.add_subparsers(dest="alignments_command", required=True)
    _add_export(commands)
    _add_import(commands)


def _add_export(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser("export", help="write each (subject strategy, object strategy) set as SSSOM/TSV")
    export.add_argument("--subject", metavar="DOC", help="only sets from this strategy (kgd:doc, its IRI, or just doc)")
    export.add_argument("--object", metavar="DOC", help="only sets to this strategy, document or series")
    export.add_argument("--status", choices=tuple(STATUSES), help="only alignments of this status (a set of its own)")
    export.add_argument(
        "--lang", choices=common.LANGS, default="en", help="language of the labels and messages (default en, the fallback)"
    )
    export.add_argument(
        "--out",
        type=Path,
        metavar="DIR|FILE",
        help="a directory: one FILE per set; a .tsv file: the one matching set (default: stdout)",
    )
    export.add_argument(
        "--date", type=date.fromisoformat, metavar="YYYY-MM-DD", help="publication_date of the tables (default today)"
    )
    export.set_defaults(run=cmd_export)


def _add_import(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imported = commands.add_parser("import", help="read an SSSOM/TSV table into kgo:Alignment nodes (Turtle)")
    imported.add_argument("file", type=Path, metavar="FILE.tsv", help="the SSSOM/TSV table")
    imported.add_argument("--out", type=Path, metavar="FILE.ttl", help="write the Turtle here (default: stdout)")
    imported.add_argument("--lang", choices=common.LANGS, default="en", help="language of the messages (default en)")
    imported.set_defaults(run=cmd_import)


def _strategy(value: str | None) -> str | None:
    """A strategy as the user names it: a full IRI, a prefixed name, or a bare document slug (kgd:)."""
    if value is None or ":" in value:
        return value
    return "kgd:" + value


def cmd_export(args: argparse.Namespace) -> int:
    layout = common.layout(args)
    store = open_store(layout)
    status = STATUSES[args.status] if args.status else None
    sets = alignment_sets(store, layout, _strategy(args.subject), _strategy(args.object), status, args.lang)
    if not sets:
        known = alignment_sets(store, layout)
        raise ParameterError(N_("no alignment matches these filters; the sets are: %(sets)s"), sets=_names(known))
    published = args.date or date.today()
    if args.out is not None and args.out.suffix != ".tsv":
        _write_each(sets, args.out, published, translator(args.lang))
    else:
        _write_one(sets, args.out, published)
    return EXIT_OK


def _names(sets: list[AlignmentSet]) -> str:
    return ", ".join(f"{compact(s.subject_strategy)} -> {compact(s.object_strategy)}" for s in sets) or "none"


def _write_each(sets: list[AlignmentSet], folder: Path, published: date, t: Translator) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for mapping_set in sets:
        path = folder / mapping_set.filename
        with path.open("w", encoding="utf-8", newline="") as out:
            write_sssom(mapping_set, out, published)
        count = len(mapping_set.rows)
        print(t.ngettext("%(path)s: %(count)s alignment", "%(path)s: %(count)s alignments", count, path=path), file=sys.stderr)


def _write_one(sets: list[AlignmentSet], path: Path | None, published: date) -> None:
    if len(sets) > 1:
        raise ParameterError(
            N_(
                "alignment sets that match: %(count)s, and an SSSOM table holds one: narrow with --subject/--object, "
                "or give --out DIR for one file per set. The sets: %(sets)s"
            ),
            count=len(sets),
            sets=_names(sets),
        )
    common.write(to_sssom(sets[0], published), path)


def cmd_import(args: argparse.Namespace) -> int:
    source: Path = args.file
    result = read_sssom(source.read_text(encoding="utf-8"), str(source))
    common.write(alignments_graph(result.alignments).serialize(format="turtle"), args.out)
    t = translator(args.lang)
    if result.ignored_columns:
        ignored = ", ".join(result.ignored_columns)
        print(
            t.gettext("%(file)s: not kept (no place in kgo:Alignment): %(columns)s", file=source, columns=ignored),
            file=sys.stderr,
        )
    read = t.ngettext(
        "%(file)s: %(count)s alignment read; validate before committing it",
        "%(file)s: %(count)s alignments read; validate before committing them",
        len(result.alignments),
        file=source,
    )
    print(read, file=sys.stderr)
    return EXIT_OK
