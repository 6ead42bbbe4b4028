"""The `kgservice coherence` and `kgservice compare` subcommands (a CLI extension: register(subparsers)).

kgservice coherence kgd:kalisz-strategy-2004 kgd:wielkopolska-strategy --format html --out k.html
kgservice coherence LOCAL HIGHER --format csv --table coverage --lang pl
kgservice compare kgd:liberec-strategy-2021 kgd:kalisz-strategy-2004 --format md
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kgservice.analysis.coherence import analyse, compare, html, render
from kgservice.analysis.coherence.report import Lang, coherence_report, comparison_report
from kgservice.analysis.coherence.source import normalize, read_scope, strategy_iri
from kgservice.interfaces.cli import common
from kgservice.project.loading import open_store
from kgservice.sparql.catalogue import Catalogue


def _lang(args: argparse.Namespace) -> Lang:
    lang: Lang = args.lang
    return lang


def cmd_coherence(args: argparse.Namespace) -> int:
    layout = common.layout(args)
    local, higher = normalize(args.local), normalize(args.higher)
    graph = read_scope(open_store(layout), Catalogue(layout.queries_dir), [local, higher], [local])
    result = analyse(
        graph,
        strategy_iri(graph, args.local),
        strategy_iri(graph, args.higher),
        columns="all" if args.all_priorities else "targeted",
    )
    report = coherence_report(graph, result, _lang(args))
    text = {
        "md": lambda: render.coherence_markdown(report),
        "csv": lambda: render.coherence_csv(report, args.table),
        "json": lambda: report.model_dump_json(indent=1),
        "html": lambda: html.coherence_html(report),
    }[args.format]()
    common.write(text, args.out)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    layout = common.layout(args)
    a, b = normalize(args.a), normalize(args.b)
    graph = read_scope(open_store(layout), Catalogue(layout.queries_dir), [a, b], [a, b], hops=1)
    report = comparison_report(graph, compare(graph, strategy_iri(graph, args.a), strategy_iri(graph, args.b)), _lang(args))
    text = {
        "md": lambda: render.comparison_markdown(report),
        "csv": lambda: render.comparison_csv(report),
        "json": lambda: report.model_dump_json(indent=1),
        "html": lambda: html.comparison_html(report),
    }[args.format]()
    common.write(text, args.out)
    return 0


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        "-f",
        choices=render.FORMATS,
        default="md",
        help="md (default), csv (one table, UTF-8 with BOM), json, or html (a self-contained page)",
    )
    parser.add_argument(
        "--lang",
        choices=common.LANGS,
        default="en",
        help="language of the report and its errors (labels: English where one is missing)",
    )
    parser.add_argument("--out", "-o", type=Path, help="write to this file instead of the standard output")


def register(subparsers: Any) -> None:
    """Add `coherence` and `compare` to the kgservice command line."""
    coherence: argparse.ArgumentParser = subparsers.add_parser(
        "coherence", help="how a local strategy supports a higher-level one: matrix, coverage, gaps, chains"
    )
    coherence.add_argument("local", help="the local strategy, e.g. kgd:kalisz-strategy-2004")
    coherence.add_argument("higher", help="the higher-level strategy, e.g. kgd:wielkopolska-strategy")
    _common(coherence)
    coherence.add_argument(
        "--table",
        choices=render.COHERENCE_TABLES,
        default="matrix",
        help="with --format csv: which table to write (default matrix)",
    )
    coherence.add_argument(
        "--all-priorities",
        action="store_true",
        help="matrix columns for every element of the higher strategy, not only those that receive alignments",
    )
    coherence.set_defaults(run=cmd_coherence)

    comparison: argparse.ArgumentParser = subparsers.add_parser(
        "compare", help="shared and distinct themes and target groups of two strategies, with overlap scores"
    )
    comparison.add_argument("a", help="the first strategy, e.g. kgd:liberec-strategy-2021")
    comparison.add_argument("b", help="the second strategy, e.g. kgd:kalisz-strategy-2004")
    _common(comparison)
    comparison.set_defaults(run=cmd_compare)
