"""Real clients against the running service: SPARQLWrapper, rdflib's SPARQLStore, and the README's curl examples."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from xml.dom.minidom import Document, Text

import httpx
import pytest
from rdflib import Graph, URIRef, Variable
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from kgservice.rdf.namespaces import ID, PREFIXES
from tests import source_facts as facts
from tests.conftest import ROOT
from tests.server import TOKEN, Server, running_server

TASKS = (
    "SELECT ?task WHERE { ?task <https://w3id.org/kgservice/ontology#partOf> "
    "<https://w3id.org/kgservice/id/kalisz-strategy-2004/II-4> }"
)
EXPECTED = {f"https://w3id.org/kgservice/id/kalisz-strategy-2004/II-4.{i}" for i in range(1, 5)}


def wrapper(server: Server, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    client = SPARQLWrapper(server.sparql)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client


def texts(document: Document, tag: str) -> list[str]:
    """The text of each `tag` element in a SPARQL XML result."""
    return [node.firstChild.data for node in document.getElementsByTagName(tag) if isinstance(node.firstChild, Text)]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_json_and_xml(server: Server, method: str) -> None:
    parsed = wrapper(server, TASKS, JSON, method).queryAndConvert()
    assert isinstance(parsed, dict)
    assert {r["task"]["value"] for r in parsed["results"]["bindings"]} == EXPECTED
    xml = wrapper(server, TASKS, XML, method).queryAndConvert()
    assert isinstance(xml, Document)
    assert set(texts(xml, "uri")) == EXPECTED


@pytest.mark.parametrize(("fmt", "separator"), [(CSV, ","), (TSV, "\t")])
def test_sparqlwrapper_select_csv_and_tsv(server: Server, fmt: str, separator: str) -> None:
    text = wrapper(server, TASKS, fmt).queryAndConvert()
    lines = (text.decode() if isinstance(text, bytes) else str(text)).strip().splitlines()
    assert lines[0].strip().lstrip("?") == "task" and len(lines) == 5
    assert {line.strip().strip("<>") for line in lines[1:]} == EXPECTED


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(server: Server, fmt: str) -> None:
    result = wrapper(server, "ASK { ?s a <https://w3id.org/kgservice/ontology#Measure> }", fmt).queryAndConvert()
    if fmt == JSON:
        assert isinstance(result, dict) and result["boolean"] is True
    else:
        assert isinstance(result, Document)
        assert texts(result, "boolean") == ["true"]


@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD, N3])
def test_sparqlwrapper_construct(server: Server, fmt: str) -> None:
    query = (
        "CONSTRUCT { ?t a ?c } WHERE { ?t <https://w3id.org/kgservice/ontology#partOf> "
        "<https://w3id.org/kgservice/id/kalisz-strategy-2004/II-4> ; a ?c }"
    )
    graph = wrapper(server, query, fmt).queryAndConvert()
    if not isinstance(graph, Graph):
        assert isinstance(graph, (bytes, str))
        graph = Graph().parse(data=graph, format={TURTLE: "turtle", N3: "turtle", JSONLD: "json-ld", RDFXML: "xml"}[fmt])
    assert {str(s) for s in graph.subjects()} == EXPECTED


def test_rdflib_sparqlstore(server: Server) -> None:
    graph = Graph(store=SPARQLStore(server.sparql))
    assert {str(row[Variable("task")]) for row in graph.query(TASKS).bindings} == EXPECTED
    measure = URIRef("https://w3id.org/kgservice/ontology#Measure")
    expected = len(facts.liberec_measures_and_bullets()) + len(facts.kalisz_tasks())
    assert len(list(graph.triples((None, None, measure)))) == expected


def readme_blocks() -> list[str]:
    """The README's shell blocks, continuation lines joined."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return [b.replace("\\\n", " ") for b in re.findall(r"```sh\n(.*?)```", readme, re.DOTALL)]


def readme_curl_commands() -> list[str]:
    """The README's read-only curl examples (the writing ones need the token: test_readme_import_commands_work)."""
    lines = [line.split("  #")[0].strip() for b in readme_blocks() for line in b.splitlines()]
    return [line for line in lines if line.startswith("curl ") and "KGSERVICE_WRITE_TOKEN" not in line]


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_readme_curl_examples_work(server: Server) -> None:
    commands = readme_curl_commands()
    assert len(commands) >= 4
    for command in commands:
        command = command.replace("http://127.0.0.1:8000", server.url)
        result = subprocess.run(
            ["bash", "-c", command + " --fail --silent --show-error"], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, (command, result.stderr)
        assert result.stdout.strip(), command


KGO = PREFIXES["kgo"]


def test_readme_import_commands_work(tmp_path: Path) -> None:
    # The README's upload-then-commit block, run as written against a server with writes on and its own user data.
    block = next(b for b in readme_blocks() if "/api/strategies" in b)
    with running_server(tmp_path, write_token=TOKEN, user_data=str(tmp_path / "user"), workers="1") as server:
        script = block.replace("http://127.0.0.1:8000", server.url)
        environment = {**os.environ, "KGSERVICE_WRITE_TOKEN": TOKEN}
        result = subprocess.run(
            ["bash", "-e", "-c", script], capture_output=True, text=True, timeout=300, cwd=ROOT, env=environment
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["strategy"].endswith("kalisz-2004"), result.stdout
        asked = httpx.get(
            server.sparql,
            params={"query": f"ASK {{ <{ID}kalisz-2004> a <{KGO}StrategyDocument> }}"},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert asked.json()["boolean"] is True
    assert (tmp_path / "user" / "strategies" / "kalisz-2004.ttl").is_file()
