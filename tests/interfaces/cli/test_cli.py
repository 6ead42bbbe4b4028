"""The command line: exit codes that mean something, errors with file, line and column, no tracebacks."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path


def kgservice(*args: str, root: Path | None = None) -> subprocess.CompletedProcess[str]:
    prefix = ["--root", str(root)] if root else []
    return subprocess.run([sys.executable, "-m", "kgservice", *prefix, *args], capture_output=True, text=True, timeout=300)


def test_validate_passes_on_the_bundled_data() -> None:
    result = kgservice("validate")
    assert result.returncode == 0, result.stdout + result.stderr


def test_validate_exits_1_with_focus_node_when_the_graph_is_invalid(project_copy: Path) -> None:
    bad = project_copy / "data" / "strategies" / "broken.ttl"
    bad.write_text(
        "@prefix kgo: <https://w3id.org/kgservice/ontology#> .\n<https://w3id.org/kgservice/id/x/1.1> a kgo:Measure .\n",
        encoding="utf-8",
    )
    result = kgservice("validate", root=project_copy)
    assert result.returncode == 1
    assert "kgd:x/1.1" in result.stdout  # the focus node, compacted
    assert "Traceback" not in result.stderr


def test_malformed_turtle_gives_file_line_and_column(project_copy: Path) -> None:
    bad = project_copy / "data" / "strategies" / "broken.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ;\n  ex:d "unterminated .\n', encoding="utf-8")
    for command in (["validate"], ["stats"], ["query", "strategies"]):
        result = kgservice(*command, root=project_copy)
        assert result.returncode == 2
        assert "data/strategies/broken.ttl:3:" in result.stderr
        assert "Traceback" not in result.stderr


def test_malformed_sparql_file_gives_line_and_column(tmp_path: Path) -> None:
    query = tmp_path / "bad.rq"
    query.write_text("SELECT * WHERE { ?s ?p ?o }\nLIMIT x\n", encoding="utf-8")
    result = kgservice("query", str(query))
    assert result.returncode == 2
    assert f"{query}:2:7: expected" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_query_and_bad_parameters_exit_2_with_a_message() -> None:
    assert "known queries" in kgservice("query", "no-such-query").stderr
    missing = kgservice("query", "element-path")
    assert missing.returncode == 2 and "element=" in missing.stderr
    bad_iri = kgservice("query", "element-path", "-p", "element=not an iri")
    assert bad_iri.returncode == 2 and "not a valid iri" in bad_iri.stderr
    unknown = kgservice("query", "strategies", "-p", "colour=red")
    assert unknown.returncode == 2 and "no parameter colour" in unknown.stderr
    unpaired = kgservice("query", "strategies", "-p", "colour", "--lang", "pl")
    assert unpaired.returncode == 2 and "--param podaje się jako nazwa=wartość, podano 'colour'" in unpaired.stderr


def test_query_formats_parse_back() -> None:
    args = ["query", "element-actors", "-p", "element=kgd:kalisz-strategy-2004/II-4.3"]
    as_json = json.loads(kgservice(*args, "--format", "json").stdout)
    as_csv = list(csv.DictReader(io.StringIO(kgservice(*args, "--format", "csv").stdout)))
    assert len(as_json["results"]["bindings"]) == len(as_csv) == 8
    assert {b["actor"]["value"] for b in as_json["results"]["bindings"]} == {r["actor"] for r in as_csv}
    table = kgservice(*args).stdout
    assert "(8 rows)" in table


def test_stats_counts_classes_and_strategies() -> None:
    result = kgservice("stats")
    assert result.returncode == 0
    assert "kgo:Measure" in result.stdout and "kgd:liberec-strategy-2021" in result.stdout


def test_queries_lists_every_named_query() -> None:
    listing = kgservice("queries").stdout
    for name in ("measures-supporting-priority", "priority-gaps", "plan-membership-changes", "projects-and-funding"):
        assert name in listing


def test_out_writes_the_answer_stdout_prints(tmp_path: Path) -> None:
    """Every subcommand writes --out through one helper: the file holds what the terminal shows, byte for byte
    (a CSV keeps its CRLF line ends), and an error is one line with the exit code of its kind."""
    pair = ["coherence", "kgd:kalisz-strategy-2004", "kgd:zporr", "--format", "csv"]
    printed = subprocess.run([sys.executable, "-m", "kgservice", *pair], capture_output=True, timeout=300, check=True).stdout
    assert kgservice(*pair, "--out", str(tmp_path / "m.csv")).returncode == 0
    assert (tmp_path / "m.csv").read_bytes() == printed and b"\r\n" in printed
    missing = kgservice(*pair, "--out", str(tmp_path / "no" / "such" / "folder.csv"))
    assert missing.returncode == 2 and missing.stderr.startswith("kgservice: error: ") and len(missing.stderr.splitlines()) == 1
