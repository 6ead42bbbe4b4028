"""What a new user of the command line met: a pipe closed early, an unknown prefix or language, a query
without its PREFIX, a mistyped file, terse help, long commands that said nothing, lists out of order and
graph names cut alike. One regression test each."""

from __future__ import annotations

import argparse
import json
import os
import pty
import re
import select
import shlex
import subprocess
import sys
from pathlib import Path

from kgservice.errors import NotFound, ParameterError
from kgservice.interfaces.cli.helptext import commands
from kgservice.interfaces.cli.main import build_parser
from kgservice.project.layout import Layout
from kgservice.project.loading import open_store
from kgservice.rdf.namespaces import PREFIXES
from kgservice.sparql.catalogue import NO_FILE, UNKNOWN_PREFIX
from tests.conftest import LIBEREC_STRATEGY, ROOT, source_lines

COMMAND = [sys.executable, "-m", "kgservice"]


def kgservice(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, *args], capture_output=True, text=True, timeout=300)


def test_a_reader_that_stops_reading_ends_the_command_quietly_and_with_success() -> None:
    # The reading end is closed before the command writes anything (it takes a second to start), so its
    # first write meets a closed pipe, as `kgservice query strategies | head -1` does once head has its line.
    command = [*COMMAND, "query", "strategies", "--format", "csv"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    error = process.stderr.read().decode()
    assert process.wait(300) == 0
    assert error == ""  # neither "Broken pipe" nor "Exception ignored"


def test_an_unknown_prefix_in_a_parameter_is_an_error_naming_it() -> None:
    result = kgservice("query", "element-path", "-p", "element=xyz:foo")
    assert result.returncode == 2
    assert "unknown prefix xyz:" in result.stderr and "element='xyz:foo'" in result.stderr
    known = kgservice("query", "element-path", "-p", "element=kgd:kalisz-strategy-2004/II-4.3")
    assert known.returncode == 0 and "kgd:kalisz-strategy-2004/II-4" in known.stdout
    czech = kgservice("query", "element-path", "-p", "element=xyz:foo", "--lang", "cs")
    said = czech.stderr.removeprefix("kgservice: error: ").strip()
    error = ParameterError(
        UNKNOWN_PREFIX, name="element", value="'xyz:foo'", prefix="xyz", known=", ".join(f"{p}:" for p in PREFIXES)
    )
    assert said == error.localized("cs") != error.localized("en")  # in the language asked for


def test_full_iris_and_bracketed_ones_are_still_taken_as_given() -> None:
    for value in (
        "https://w3id.org/kgservice/id/kalisz-strategy-2004/II-4.3",
        "<https://w3id.org/kgservice/id/kalisz-strategy-2004/II-4.3>",
    ):
        result = kgservice("query", "element-path", "-p", f"element={value}")
        assert result.returncode == 0 and "kgd:kalisz-strategy-2004/II-4" in result.stdout, result.stderr


def _lang_options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [action for action in parser._actions if "--lang" in action.option_strings]


def test_every_lang_option_offers_the_three_languages_and_refuses_others() -> None:
    with_lang = [(path, action) for path, sub in commands(build_parser()) for action in _lang_options(sub)]
    assert {"query", "coherence", "compare", "suggest", "tags", "alignments export"} <= {path for path, _ in with_lang}
    for path, action in with_lang:
        assert tuple(action.choices or ()) == ("cs", "pl", "en"), path
    refused = kgservice("query", "strategies", "--lang", "de")
    assert refused.returncode == 2
    assert "invalid choice: 'de'" in refused.stderr and "'cs', 'pl', 'en'" in refused.stderr


def test_a_query_without_its_prefix_says_which_prefix_and_where(tmp_path: Path) -> None:
    text = "SELECT ?measure WHERE {\n  ?measure a kgo:Measure .\n}\n"
    query = tmp_path / "no-prefix.rq"
    query.write_text(text, encoding="utf-8")
    result = kgservice("query", str(query))
    assert result.returncode == 2
    line = text.splitlines()[1]
    expected = f"undefined prefix kgo: at line 2, column {line.index('kgo:') + 1}"
    assert expected in result.stderr
    assert result.stderr.count("\n") == 1  # one line, no Unicode ranges
    assert "u{" not in result.stderr and "Traceback" not in result.stderr


def test_other_syntax_errors_lose_their_character_ranges(tmp_path: Path) -> None:
    query = tmp_path / "bad.rq"
    query.write_text("PREFIX kgo: <https://w3id.org/kgservice/ontology#>\nSELECT * WHERE { ?s a kgo:Measure ", encoding="utf-8")
    result = kgservice("query", str(query))
    assert result.returncode == 2
    assert f"{query}:2:" in result.stderr and "expected" in result.stderr
    assert result.stderr.count("\n") == 1 and "..=" not in result.stderr


def test_a_missing_query_file_is_no_such_file_not_an_unknown_name(tmp_path: Path) -> None:
    missing = tmp_path / "typo.rq"
    result = kgservice("query", str(missing))
    assert result.returncode == 2
    assert f"{missing}: no such file" in result.stderr
    assert "no named query" not in result.stderr
    assert "no named query 'typo'" in kgservice("query", "typo").stderr  # a bare name is still looked up by name
    polish = kgservice("query", str(missing), "--lang", "pl").stderr
    assert NotFound(NO_FILE, path=str(missing)).localized("pl") in polish and "no such file" not in polish


def _examples(epilog: str) -> list[list[str]]:
    lines = [line.strip() for line in epilog.splitlines()[1:] if line.strip()]
    return [shlex.split(line.split(" > ")[0])[1:] for line in lines]


def test_every_command_says_what_it_does_with_examples_that_parse() -> None:
    parser = build_parser()
    for path, sub in commands(parser):
        assert sub.description and len(sub.description) > 40, path
        assert sub.epilog and sub.epilog.startswith("examples:"), path
        examples = _examples(sub.epilog)
        assert examples, path
        for example in examples:
            assert path in " ".join(example), (path, example)
            build_parser().parse_args(example)  # exits (SystemExit) on an example that does not parse
    shown = kgservice("query", "--help").stdout
    assert "examples:\n  kgservice query strategies" in shown and "named query" in shown


def _stderr_on_a_terminal(*args: str) -> tuple[int, str]:
    """Run the command with its standard error on a pseudo-terminal; its exit code and what it showed there."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([*COMMAND, *args], stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 300)
        try:
            chunk = os.read(leader, 4096) if ready else b""
        except OSError:  # the terminal's other side closed: the command ended
            chunk = b""
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return process.wait(300), shown.decode(errors="replace")


def test_validate_shows_progress_on_a_terminal_and_nothing_in_a_pipe() -> None:
    code, shown = _stderr_on_a_terminal("validate")
    assert code == 0
    triples = len(open_store(Layout(ROOT)))
    assert "loading the graph ... done in" in shown
    assert re.search(rf"validating {triples} triples against the shapes in .+? \.\.\. done in \d+\.\d s", shown)
    assert kgservice("validate").stderr == ""


def test_tags_shows_progress_on_a_terminal() -> None:
    code, shown = _stderr_on_a_terminal("tags")
    assert code == 0
    assert "loading the graph ... done in" in shown
    assert re.search(r"suggesting tags for \d+ strategies \.\.\. done in", shown)


def _notation(line: str) -> str | None:
    found = re.match(r"^(?:- |\w+ \w+ )?(\d+(?:\.\d+)*)[* ]", line)
    return found.group(1) if found else None


def test_suggest_lists_the_local_elements_in_the_order_the_document_numbers_them() -> None:
    result = kgservice("suggest", "kgd:liberec-strategy-2021", "kgd:liberecky-kraj-social-2026", "--format", "json")
    assert result.returncode == 0, result.stderr
    listed = [e["notation"] for e in json.loads(result.stdout)["elements"]]
    numbered = [tuple(int(part) for part in n.split(".")) for n in listed]
    assert numbered == sorted(numbered)  # 1, 1.1, 1.1.1, 1.2, ..., 2.1.9, 2.1.10: the outline of the document
    # the source numbers both 2.1.9 and 2.1.10, which an alphabetical order puts before 2.1.2
    in_source = {_notation(line) for line in source_lines(LIBEREC_STRATEGY)}
    assert {"2.1.2", "2.1.9", "2.1.10"} <= in_source
    assert listed.index("2.1.2") < listed.index("2.1.9") < listed.index("2.1.10")


def test_stats_writes_every_graph_name_whole() -> None:
    result = kgservice("stats")
    assert result.returncode == 0
    graphs = open_store(Layout(ROOT)).graphs()
    table = result.stdout.split("\n\n")[1].splitlines()[3:]  # the first table's rows, after its title and header
    shown = [row.split()[0] for row in table if row.startswith("http")]
    assert sorted(shown) == sorted(graphs)  # every name whole, so all distinct
    assert "…" not in "".join(shown)
