"""`kgservice import FILE...`: read strategy documents into strategy graphs, review them, store them.

Without --save it prints the outline as parsed (a tree, or with --format json exactly the preview of
`ImportedDocument.preview`; several files give one JSON object per line). With --save each document is
validated with the graph and written into the user data directory (with --curated into data/). A folder
imports every file of a supported format in it. Every file is read before any is stored, so an error in
one (one line naming the file and the line, page or row; exit 2) stores nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from kgservice.errors import EXIT_OK, ParameterError, WriteRejected
from kgservice.interfaces.cli import common
from kgservice.project.importing import (
    FORMATS,
    DocumentMeta,
    ImportedDocument,
    LevelMap,
    load_profile,
    parse_document,
    parse_levels,
)

# User-facing words of this command, in one place so that they can be translated.
TEXT = {
    "saved": "{path}: {elements} elements stored ({changes})",
    "several": "--slug and --title name one document: give them with one file only",
    "empty": "{path}: no file of a supported format ({formats})",
    "warning": "  ! line {line}: {message}",
    "warning_doc": "  ! {message}",
    "rejected": "{file}: the graph would not conform to the shapes, nothing written:\n{report}",
    "no_title": "(no title given)",
    "line": "line {line}",
    "page": ", page {page}",
    "row": ", sheet {sheet}, row {row}",
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("import", help="read strategy documents (.txt .md .docx .pdf .xlsx .ods .csv) into strategy graphs")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a document, or a folder of documents")
    parser.add_argument("--dry-run", action="store_true", help="print the outline as parsed and store nothing (the default)")
    parser.add_argument("--format", "-f", choices=("text", "json"), default="text", help="text: a tree; json: the preview")
    parser.add_argument("--save", action="store_true", help="validate and store into the user data directory")
    parser.add_argument("--curated", action="store_true", help="with --save: store into the project's data/ instead")
    parser.add_argument("--levels", help="classes top down, and keyword=Class entries (see docs/import.md)")
    parser.add_argument("--profile", type=Path, help="a YAML or TOML profile of levels and keywords")
    parser.add_argument("--slug", help="the document's IRI slug (default: from the title, else the file name)")
    parser.add_argument("--title", help="the document's title, as printed")
    parser.add_argument("--lang", choices=common.LANGS, help="the document's language (default: detected from the text)")
    parser.add_argument("--level", help="planning level: municipal, regional, national or eu")
    parser.add_argument("--territory", action="append", default=[], help="a territory (terr:slug or IRI; repeatable)")
    parser.add_argument("--issuer", help="the issuing organisation (orgs:slug or IRI)")
    parser.add_argument("--period", help="2021, 2021-2027 or 2021+")
    parser.add_argument("--status", help="draft or approved")
    parser.set_defaults(run=cmd_import)


def _files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower().lstrip(".") in FORMATS)
        if not found:
            raise ParameterError(TEXT["empty"].format(path=path, formats=", ".join(FORMATS)))
        files.extend(found)
    return files


def _meta(args: argparse.Namespace) -> DocumentMeta:
    return DocumentMeta(
        slug=args.slug,
        title=args.title,
        language=args.lang,
        level=args.level,
        territory=tuple(args.territory),
        issuer=args.issuer,
        period=args.period,
        status=args.status,
    )


def _levels(args: argparse.Namespace) -> LevelMap:
    levels = load_profile(args.profile) if args.profile else LevelMap()
    return parse_levels(args.levels, levels) if args.levels else levels


def _progress(done: int, total: int, name: str) -> None:
    if total > 1 and sys.stderr.isatty():
        width = 30
        bar = "#" * (width * done // total)
        sys.stderr.write(f"\r[{bar:<{width}}] {done}/{total} {name[:40]:<40}")
        sys.stderr.flush()
        if done == total:
            sys.stderr.write("\n")


def parse_all(files: list[Path], meta: DocumentMeta, levels: LevelMap) -> list[ImportedDocument]:
    """Read every file (each with its own slug when several), before anything is stored."""
    documents = []
    for index, path in enumerate(files, 1):
        documents.append(parse_document(path.name, path.read_bytes(), meta, levels))
        _progress(index, len(files), path.name)
    return documents


def tree_text(document: ImportedDocument) -> str:
    """The outline as an indented tree: notation, class, label and lines; then the warnings."""
    depth = {document.iri: -1}
    lines = [f"{document.iri}  {document.title or TEXT['no_title']}  [{document.language}]"]
    for element in document.elements:
        depth[element.iri] = depth.get(element.parent, -1) + 1
        source = element.source
        where = TEXT["line"].format(line=source.start_line)
        where += TEXT["page"].format(page=source.page) if source.page else ""
        where += TEXT["row"].format(sheet=source.sheet, row=source.row) if source.row else ""
        lines.append(f"{'  ' * (depth[element.iri] + 1)}{element.notation}  {element.type}  {element.label}  ({where})")
    for warning in document.warnings:
        key = "warning" if warning.line is not None else "warning_doc"
        lines.append(TEXT[key].format(line=warning.line, message=warning.message))
    return "\n".join(lines)


def _print(documents: list[ImportedDocument], fmt: str) -> None:
    if fmt == "json":
        indent = 1 if len(documents) == 1 else None
        for document in documents:
            sys.stdout.write(json.dumps(document.preview(), ensure_ascii=False, indent=indent) + "\n")
        return
    sys.stdout.write("\n\n".join(tree_text(d) for d in documents) + "\n")


def _save(documents: list[ImportedDocument], args: argparse.Namespace) -> None:
    from kgservice.analysis.importing import save_all  # reads the shapes: only when storing

    try:
        stored = save_all(documents, common.layout(args), curated=args.curated)
    except WriteRejected as rejected:
        names = ", ".join(d.file_name for d in documents)
        raise ParameterError(TEXT["rejected"].format(file=names, report=rejected.report_text)) from None
    for saved in stored:
        print(
            TEXT["saved"].format(path=saved.target.turtle, elements=saved.elements, changes=saved.changes.summary()),
            file=sys.stderr,
        )


def cmd_import(args: argparse.Namespace) -> int:
    files = _files(args.files)
    if len(files) > 1 and (args.slug or args.title):
        raise ParameterError(TEXT["several"])
    meta = _meta(args)
    documents = parse_all(files, meta if len(files) == 1 else replace(meta, slug=None), _levels(args))
    if args.save and not args.dry_run:
        _save(documents, args)
    if not args.save or args.dry_run or args.format == "json":
        _print(documents, args.format)
    return EXIT_OK
