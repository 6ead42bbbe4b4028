"""The `kgservice` command line: validate the graph, run named queries, print statistics.

Exit codes: 0 success (valid), 1 the graph is invalid, 2 the command could not run (bad input,
malformed Turtle or SPARQL, unknown query). Errors are one line with file, line and column; no
tracebacks.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kgservice.errors import EXIT_INVALID, EXIT_OK, KgServiceError, ParameterError, QuerySyntaxError
from kgservice.interfaces.cli import alignments, coherence, common, helptext, importing, suggest, tags
from kgservice.interfaces.cli.formats import FORMATS, render
from kgservice.project.loading import open_store, union_graph
from kgservice.sparql.catalogue import Catalogue
from kgservice.sparql.diagnosis import clarified
from kgservice.translation import N_

# The request line and headers together; 64 KiB holds any browser's cookies and a long GET query. h11 checks
# the bound when a read leaves the headers incomplete, so a request may pass it by up to one read (64 KiB).
MAX_HEADER_BYTES = 64 * 1024


def cmd_validate(args: argparse.Namespace) -> int:
    from kgservice.checks.validation import load_shapes, validate_graph

    layout = common.layout(args)
    with common.progress("loading the graph"):
        store = open_store(layout)
        shapes = load_shapes(layout.shapes_dir)
    with common.progress(f"validating {len(store)} triples against the shapes in {layout.shapes_dir}"):
        report = validate_graph(union_graph(store), shapes)
    print(report.text())
    return EXIT_OK if report.conforms else EXIT_INVALID


def _parse_params(pairs: Sequence[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ParameterError(N_("--param takes name=value, got %(pair)r"), pair=pair)
        params[name] = value
    return params


def cmd_query(args: argparse.Namespace) -> int:
    layout = common.layout(args)
    query = Catalogue(layout.queries_dir).resolve(args.query)
    params = _parse_params(args.param)
    if args.lang:
        params["lang"] = args.lang
    text = query.bind(params)
    store = open_store(layout)
    try:
        table = store.select(text, source=str(query.path))
    except QuerySyntaxError as error:
        raise clarified(error, text) from None
    print(render(table, args.format), end="" if args.format == "csv" else "\n")
    return EXIT_OK


def cmd_queries(args: argparse.Namespace) -> int:
    for query in Catalogue(common.layout(args).queries_dir).queries.values():
        print(f"{query.name}\n  {query.title}\n  {query.question}")
        for p in query.parameters:
            flag = "required" if p.required else (f"default {p.default}" if p.default else "optional")
            print(f"  --param {p.name}=<{p.type}>  ({flag}) {p.description}")
        print()
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    layout = common.layout(args)
    store = open_store(layout)
    stats = Catalogue(layout.queries_dir / "stats")
    print(f"{len(store)} triples in {len(store.graphs())} named graphs\n")
    for name in ("graphs", "classes", "strategies"):
        query = stats.get(name)
        print(f"{query.title}\n{render(store.select(query.text), args.format)}\n")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from kgservice.config import Settings
    from kgservice.interfaces.app import create_app
    from kgservice.interfaces.http.transport import bounded_protocol

    overrides = {
        k: v
        for k, v in {
            "store_path": args.store,
            "root": args.root,
            "user_data": args.user_data,
            "workers": args.workers,
            "query_timeout": args.timeout,
            "remote_query_url": args.remote_query_url,
            "remote_update_url": args.remote_update_url,
            "remote_store_url": args.remote_store_url,
            "remote_credentials": args.remote_credentials,
            "remote_auth": args.remote_auth,
        }.items()
        if v is not None
    }
    settings = Settings(**overrides)
    # httptools, bounded here: the request line and headers over the bound are refused with 431 before the
    # app sees them (an 8 MB header was read whole); h11, which bounds them itself, costs 0.3 ms a request.
    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=args.port,
        log_level="info",
        access_log=args.access_log,
        http=bounded_protocol(args.max_header_bytes),
    )
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kgservice", description="Knowledge graph of public development strategies.")
    parser.add_argument("--root", help="project folder holding ontology/, data/, shapes/, queries/ (default: the bundled one)")
    parser.add_argument(
        "--user-data",
        help="folder of the user's own data (imported strategies, stored suggestions), loaded beside the bundled data "
        "(default: $KGSERVICE_USER_DATA, else $XDG_DATA_HOME/kgservice, else ~/.local/share/kgservice)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check the graph against the SHACL shapes (exit 0 valid, 1 invalid, 2 error)")
    validate.set_defaults(run=cmd_validate)

    query = sub.add_parser("query", help="run a named query (see 'kgservice queries') or a .rq file")
    query.add_argument("query", help="the name of a query in queries/, or the path of a .rq file")
    query.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE", help="a query parameter (repeatable)")
    query.add_argument("--lang", choices=common.LANGS, help="language of the labels (default en)")
    query.add_argument("--format", "-f", choices=FORMATS, default="table")
    query.set_defaults(run=cmd_query)

    queries = sub.add_parser("queries", help="list the named queries and their parameters")
    queries.set_defaults(run=cmd_queries)

    stats = sub.add_parser("stats", help="count triples per graph, instances per class, elements per strategy")
    stats.add_argument("--format", "-f", choices=FORMATS, default="table")
    stats.set_defaults(run=cmd_stats)
    serve = sub.add_parser("serve", help="run the SPARQL endpoint and HTTP API on the bundled data")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--store", type=Path, help="keep the graph in this folder, across restarts (default: in memory)")
    serve.add_argument("--workers", type=int, help="query worker processes (default 2)")
    serve.add_argument("--timeout", type=float, help="seconds before a query is stopped (default 10)")
    serve.add_argument(
        "--max-header-bytes",
        type=int,
        default=MAX_HEADER_BYTES,
        help=f"largest request line and headers, in bytes (default {MAX_HEADER_BYTES}); longer queries go in a POST body",
    )
    serve.add_argument(
        "--access-log",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="log a line per request on standard error (default on; --no-access-log turns it off)",
    )
    remote = serve.add_argument_group(
        "remote store",
        "serve kgservice's graphs from a SPARQL 1.1 store instead of the embedded one (all three URLs; writes are "
        "validated here and sent as deltas). Credentials: --remote-credentials, or KGSERVICE_REMOTE_USER and "
        "KGSERVICE_REMOTE_PASSWORD in the environment; never on the command line",
    )
    remote.add_argument("--remote-query-url", metavar="URL", help="the store's SPARQL query endpoint")
    remote.add_argument("--remote-update-url", metavar="URL", help="the store's SPARQL update endpoint")
    remote.add_argument("--remote-store-url", metavar="URL", help="the store's graph store protocol endpoint")
    remote.add_argument("--remote-credentials", type=Path, metavar="FILE", help="file whose first line is USER:PASSWORD")
    remote.add_argument("--remote-auth", choices=("basic", "digest"), help="HTTP authentication scheme (default basic)")
    serve.set_defaults(run=cmd_serve)
    for module in (alignments, coherence, importing, suggest, tags):
        module.register(sub)
    helptext.explain(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        code = run(args)
        sys.stdout.flush()  # here, not at exit: a reader gone by then is a BrokenPipeError caught below
        return code
    except BrokenPipeError:
        return common.reader_left()
    except (KgServiceError, OSError, ValueError) as error:
        return common.report(error, getattr(args, "lang", None) or "en")


if __name__ == "__main__":
    sys.exit(main())
