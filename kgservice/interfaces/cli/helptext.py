"""What `kgservice COMMAND --help` says: for each command, what it does and examples to copy.

Kept in one place (not beside each argument) so that every command, those of the extension modules
included, explains itself the same way, and the words can be translated together.
"""

from __future__ import annotations

import argparse
import shutil
import textwrap
from collections.abc import Iterator

# command path -> (what it does, examples); every example runs on the bundled data.
HELP: dict[str, tuple[str, str]] = {
    "validate": (
        "Check the whole graph (ontology, strategies, alignments, vocabularies) against the SHACL shapes of shapes/ "
        "and print every violation with its focus node, path and message. Exit 0 when the graph conforms, "
        "1 when it does not, 2 when it could not be checked. Takes several seconds; on a terminal it shows progress.",
        "kgservice validate\nkgservice --root /path/to/project validate",
    ),
    "query": (
        "Run a named query of queries/ (see 'kgservice queries' for their parameters) or a SPARQL file, and print "
        "its rows as a table, CSV or SPARQL JSON. IRIs are written in full or with a known prefix (kgd:, kgo:, ...).",
        "kgservice query strategies\n"
        "kgservice query measures-supporting-priority -p priority=kgd:zporr/3.5 --lang pl\n"
        "kgservice query element-actors -p element=kgd:kalisz-strategy-2004/II-4.3 --format csv > actors.csv\n"
        "kgservice query my-question.rq --format json",
    ),
    "queries": (
        "List the named queries of queries/: the question each answers and the parameters it takes.",
        "kgservice queries",
    ),
    "stats": (
        "Count the triples of each named graph (one per file), the instances of each class and the elements of each strategy.",
        "kgservice stats\nkgservice stats --format csv",
    ),
    "serve": (
        "Run the SPARQL 1.1 endpoint (/sparql), the Graph Store (/graph), the HTTP API (/api, documented at /docs) "
        "and the web pages on the bundled data and the user data directory.",
        "kgservice serve\nkgservice serve --port 8080 --store var/store --workers 4 --timeout 30",
    ),
    "alignments": (
        "Exchange alignment sets with other tools as SSSOM/TSV mapping tables.",
        "kgservice alignments export --subject liberec-strategy-2021 --out mappings/\n"
        "kgservice alignments import mappings/set.sssom.tsv --out set.ttl",
    ),
    "alignments export": (
        "Write each set of alignments from one strategy to another as an SSSOM/TSV table, with labels in one language.",
        "kgservice alignments export\nkgservice alignments export --subject liberec-strategy-2021 --lang cs --out mappings/",
    ),
    "alignments import": (
        "Read an SSSOM/TSV table and write its mappings as kgo:Alignment nodes in Turtle.",
        "kgservice alignments import set.sssom.tsv --out set.ttl",
    ),
    "coherence": (
        "Show how a local strategy supports a higher-level one: the matrix of alignments, the coverage of each "
        "higher priority, the gaps and the chains of support, as Markdown, CSV, JSON or a self-contained HTML page.",
        "kgservice coherence kgd:kalisz-strategy-2004 kgd:wielkopolska-strategy\n"
        "kgservice coherence kgd:kalisz-strategy-2004 kgd:wielkopolska-strategy --format csv --table coverage --lang pl",
    ),
    "compare": (
        "Compare two strategies by the themes and target groups they share and those only one has, with overlap scores.",
        "kgservice compare kgd:liberec-strategy-2021 kgd:kalisz-strategy-2004 --lang cs",
    ),
    "suggest": (
        "Rank, for each element of a local strategy, the elements of a higher-level strategy it may support, with "
        "the words that matched; with --save, keep the new candidates as pending suggestions to accept or reject.",
        "kgservice suggest kgd:liberec-strategy-2021 kgd:liberecky-kraj-social-2026 --lang cs --top 3\n"
        "kgservice suggest kgd:liberec-strategy-2021 kgd:liberecky-kraj-social-2026 --save",
    ),
    "suggestions": (
        "List the stored suggestions, or accept or reject one (a curator's judgement, validated before it is kept).",
        "kgservice suggestions list --status pending",
    ),
    "suggestions list": (
        "List the stored suggestions with their status, confidence and the two elements, pending first.",
        "kgservice suggestions list --status all --lang cs",
    ),
    "suggestions accept": (
        "Make a pending suggestion a curated alignment of the given strength.",
        'kgservice suggestions accept kgd:alignment/... --by "Jana Nováková" --strength 2',
    ),
    "suggestions reject": (
        "Reject a pending suggestion; it is not suggested again.",
        'kgservice suggestions reject kgd:alignment/... --by "Jana Nováková" --reason "different target group"',
    ),
    "import": (
        "Read strategy documents (plain text, Markdown, Word, PDF, spreadsheets) into strategy graphs: without "
        "--save print the outline as parsed; with --save validate each with the graph and store it in the user data "
        "directory. An error in one file (named with its line, page or row) stores nothing.",
        "kgservice import data/sources/002_c55900dedce22e06.txt\n"
        "kgservice import my-strategy.docx --lang cs --level municipal --period 2021-2027 --save\n"
        "kgservice import strategies/ --format json",
    ),
    "tags": (
        "Suggest themes and target groups for the elements that have no curated tag of that scheme, from the words "
        "of their text, and show how many elements of each strategy are tagged. Takes several seconds; on a "
        "terminal it shows progress.",
        "kgservice tags\nkgservice tags kgd:kalisz-strategy-2004 --lang pl --format json",
    ),
}
EXAMPLES = "examples:\n{examples}"


def commands(parser: argparse.ArgumentParser, path: str = "") -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """Every subcommand of `parser`, nested ones too, with its path ("suggestions accept")."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                full = f"{path} {name}".strip()
                yield full, sub
                yield from commands(sub, full)


def explain(parser: argparse.ArgumentParser) -> None:
    """Give every subcommand that has an entry in HELP its description and examples (their lines kept)."""
    for path, sub in commands(parser):
        if path in HELP:
            description, examples = HELP[path]
            # wrapped here: the raw formatter keeps the examples' lines, and with them the description's
            sub.description = textwrap.fill(description, width=min(100, shutil.get_terminal_size().columns - 2))
            sub.epilog = EXAMPLES.format(examples="\n".join("  " + line for line in examples.splitlines()))
            sub.formatter_class = argparse.RawDescriptionHelpFormatter
