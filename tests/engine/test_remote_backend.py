"""The same service in front of a real remote store (`oxigraph serve`) gives the same answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conformance.servers import OxigraphServer, oxigraph_binary, oxigraph_server
from kgservice.engine.embedded import OxigraphStore
from kgservice.engine.remote import (
    REGISTRY,
    SKOLEM_PREFIX,
    Credentials,
    RemoteEndpoints,
    RemoteStore,
    normalise_results,
    read_credentials,
    screen_for_store,
    store_error,
)
from kgservice.errors import ForbiddenOperation, InputError, QueryTimeout, ServiceBusy
from kgservice.interfaces.cli.main import build_parser
from kgservice.rdf.terms import Table
from kgservice.sparql.catalogue import Catalogue
from tests.server import TOKEN, Server, running_server
from tests.sparql.test_queries import REQUIRED_EXAMPLES

# The bundled data holds no stored suggestion (they are made by `kgservice suggest --save`); both backends must
# still agree that there is none. tests/test_suggest.py checks the query on stored ones.
EMPTY_ON_BUNDLED_DATA = {"suggestions"}
pytestmark = pytest.mark.skipif(oxigraph_binary() is None, reason="the oxigraph server is not installed (pip install oxigraph)")


@pytest.fixture(scope="module")
def remote() -> Iterator[OxigraphServer]:
    with oxigraph_server(extra_args=("--union-default-graph",)) as server:
        yield server


@pytest.fixture(scope="module")
def fronted(remote: OxigraphServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Our service with the remote store as its backend; it loads the bundled data into the empty remote."""
    with running_server(
        tmp_path_factory.mktemp("remote"),
        remote_query_url=remote.query_url,
        remote_update_url=remote.update_url,
        remote_store_url=remote.store_url,
        write_token=TOKEN,
    ) as running:
        yield running


GROUP_CONCATS = {"territories"}  # SPARQL leaves the order of GROUP_CONCAT open: compare as sets


def _value(name: str, term: dict[str, str]) -> str:
    if term["type"] == "bnode":
        return "_"  # blank nodes are relabelled by the remote store: compare them by kind only
    if name in GROUP_CONCATS:
        return ", ".join(sorted(term["value"].split(", ")))
    return term["value"]


def rows(response: httpx.Response) -> list[tuple[tuple[str, str], ...]]:
    assert response.status_code == 200, response.text
    bindings = response.json()["results"]["bindings"]
    return sorted(tuple(sorted((k, _value(k, v)) for k, v in b.items())) for b in bindings)


def test_the_data_went_into_the_remote_through_our_service(fronted: Server, remote: OxigraphServer, server: Server) -> None:
    ours = httpx.get(server.url + "/health").json()["triples"]
    assert httpx.get(fronted.url + "/health").json()["triples"] == ours
    count = RemoteStore(remote.query_url).select(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {REGISTRY}) }}"
    )
    assert int(count.column("n")[0]) == ours


def test_every_named_query_gives_identical_answers_on_both_backends(
    fronted: Server, server: Server, catalogue: Catalogue
) -> None:
    for query in catalogue.queries.values():
        params = {p.name: REQUIRED_EXAMPLES[p.name] for p in query.parameters if p.required}
        embedded = httpx.get(f"{server.url}/api/queries/{query.name}", params=params, timeout=60)
        remote = httpx.get(f"{fronted.url}/api/queries/{query.name}", params=params, timeout=60)
        assert rows(embedded) == rows(remote), query.name
        assert rows(embedded) or query.name in EMPTY_ON_BUNDLED_DATA, query.name


def test_protocol_queries_and_negotiation_pass_through(fronted: Server) -> None:
    response = httpx.get(
        fronted.sparql, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }"}, headers={"Accept": "text/csv"}
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    forbidden = httpx.get(fronted.sparql, params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert forbidden.status_code == 403


def test_writes_to_the_remote_are_validated_first(fronted: Server, remote: OxigraphServer) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    bad = (
        "PREFIX kgo: <https://w3id.org/kgservice/ontology#> "
        "INSERT DATA { GRAPH <http://e/g> { <https://w3id.org/kgservice/id/x/1> a kgo:Measure } }"
    )
    assert httpx.post(fronted.sparql, data={"update": bad}, headers=auth, timeout=120).status_code == 422
    assert not RemoteStore(remote.query_url).ask("ASK { <https://w3id.org/kgservice/id/x/1> ?p ?o }")
    good = "INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/b> 'c' } }"
    assert httpx.post(fronted.sparql, data={"update": good}, headers=auth, timeout=120).status_code == 204
    assert RemoteStore(remote.query_url).ask("ASK { <http://e/a> <http://e/b> 'c' }")


KGO = "https://w3id.org/kgservice/ontology#"
DOCUMENTS = f"SELECT ?s ?p ?o WHERE {{ ?s a <{KGO}StrategyDocument> ; ?p ?o FILTER(!isBlank(?o)) }}"


def test_the_remote_engine_reads_the_terms_the_embedded_one_does(
    fronted: Server, remote: OxigraphServer, store: OxigraphStore
) -> None:
    """Through the SPARQL JSON codec, plain and language literals get the datatypes pyoxigraph gives them. In
    the remote, blank nodes are skolem IRIs (isBlank is false there): read back, they are blank nodes again."""
    engine = RemoteStore(remote.query_url)

    def named(table: Table) -> set[tuple[object, ...]]:
        return {row for row in table.rows if all(t is None or t.kind != "bnode" for t in row)}

    assert named(engine.select(DOCUMENTS)) == named(store.select(DOCUMENTS))
    assert any(t is not None and t.kind == "bnode" for row in engine.select(DOCUMENTS).rows for t in row)
    first, again = engine.select_many([DOCUMENTS, DOCUMENTS])
    assert first == again and first.rows
    construct = f"CONSTRUCT WHERE {{ ?s a <{KGO}StrategyDocument> }}"
    assert set(engine.construct(construct)) == set(store.construct(construct))


def test_remote_refusals_and_failures_are_typed_errors(fronted: Server, remote: OxigraphServer) -> None:
    with pytest.raises(InputError, match="the remote store answered 400: "):
        RemoteStore(remote.query_url).select("SELECT * WHERE { ?s ?p }")
    with pytest.raises(ServiceBusy, match="could not be reached"):
        RemoteStore("http://127.0.0.1:9/query", timeout=5).ask("ASK {}")
    with pytest.raises(ForbiddenOperation, match="pragma"):
        RemoteStore(remote.query_url).ask('define input:same-as "yes" ASK {}')
    with pytest.raises(InputError, match="undefined prefix bif:"):
        RemoteStore(remote.query_url).select('SELECT (bif:getenv("HOME") AS ?h) WHERE {}')


def test_a_stores_refusal_keeps_its_words_bounded_and_its_status() -> None:
    virtuoso = "Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error at 'SELEC'\n\nSPARQL query:\nSELEC x"
    assert isinstance(store_error(500, virtuoso), InputError)
    assert "SELEC x" not in str(store_error(500, virtuoso))  # the query Virtuoso echoes is left out
    assert isinstance(store_error(500, "Virtuoso S1T00 Error SR171: Transaction timed out"), QueryTimeout)
    assert len(str(store_error(500, "x" * 100_000))) < 600
    assert isinstance(store_error(503, "busy"), ServiceBusy)
    assert "credentials (401)" in str(store_error(401, "Unauthorized"))
    assert store_error(503, "busy").localized("pl") == "zdalny magazyn jest niedostępny (503): busy"
    assert store_error(500, "disk on fire").localized("cs") == "vzdálené úložiště odpovědělo 500: disk on fire"


def test_virtuoso_style_answers_are_normalised() -> None:
    ask = {
        "head": {"vars": ["__ASK_RETVAL"]},
        "results": {"bindings": [{"__ASK_RETVAL": {"type": "typed-literal", "value": "1"}}]},
    }
    assert normalise_results(ask) == {"head": {}, "boolean": True}
    empty = {"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": []}}
    assert normalise_results(empty)["boolean"] is False
    xsd = "http://www.w3.org/2001/XMLSchema#"
    row = {
        "b": {"type": "typed-literal", "datatype": xsd + "boolean", "value": "0"},
        "s": {"type": "typed-literal", "datatype": xsd + "string", "value": "x"},
        "k": {"type": "uri", "value": SKOLEM_PREFIX + "b1"},
    }
    table = normalise_results({"head": {"vars": ["b", "s", "k"]}, "results": {"bindings": [row]}})
    assert table["results"]["bindings"] == [
        {
            "b": {"type": "literal", "datatype": xsd + "boolean", "value": "false"},
            "s": {"type": "literal", "value": "x"},
            "k": {"type": "bnode", "value": "b1"},
        }
    ]


def test_blank_nodes_written_through_the_service_come_back_as_blank_nodes(fronted: Server, remote: OxigraphServer) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    update = "INSERT DATA { GRAPH <http://e/b> { <http://e/s> <http://e/p> _:x . _:x <http://e/q> 'v' } }"
    assert httpx.post(fronted.sparql, data={"update": update}, headers=auth, timeout=120).status_code == 204
    stored = RemoteStore(remote.query_url).select("SELECT ?o WHERE { GRAPH <http://e/b> { <http://e/s> <http://e/p> ?o } }")
    assert stored.rows[0][0] is not None and stored.rows[0][0].kind == "bnode"  # a skolem IRI, read back as a blank node
    raw = httpx.post(
        remote.query_url, data={"query": "SELECT ?o WHERE { <http://e/s> <http://e/p> ?o }"}, headers={"Accept": "text/csv"}
    )
    assert SKOLEM_PREFIX in raw.text
    answer = httpx.post(fronted.sparql, data={"query": "SELECT ?v WHERE { <http://e/s> <http://e/p> ?b . ?b <http://e/q> ?v }"})
    assert [b["v"]["value"] for b in answer.json()["results"]["bindings"]] == ["v"]
    removed = httpx.post(
        fronted.sparql, data={"update": "DELETE WHERE { GRAPH <http://e/b> { ?s ?p ?o } }"}, headers=auth, timeout=120
    )
    assert removed.status_code == 204
    assert not RemoteStore(remote.query_url).ask("ASK { GRAPH <http://e/b> { ?s ?p ?o } }")


def test_credentials_come_from_a_file_or_the_settings_and_never_show(tmp_path: Path) -> None:
    secret = "s3cret-" + "x" * 12
    file = tmp_path / "credentials"
    file.write_text(f"dba:{secret}\n", encoding="utf-8")
    read = read_credentials(None, None, file, "digest")
    assert read is not None and (read.user, read.password, read.scheme) == ("dba", secret, "digest")
    assert secret not in repr(read) and secret not in repr(RemoteEndpoints("q", "u", "s", read))
    file.write_text(secret, encoding="utf-8")
    with pytest.raises(InputError, match="line 1: the remote credentials file must hold USER:PASSWORD") as refused:
        read_credentials(None, None, file)
    assert secret not in str(refused.value)
    czech = refused.value.localized("cs")
    assert czech == f"{file}: řádek 1: soubor s přihlašovacími údaji ke vzdálenému úložišti musí obsahovat USER:PASSWORD"
    assert read_credentials(None, None, None) is None
    assert read_credentials("u", "p", None) == Credentials("u", "p", "basic")


def test_serve_documents_the_remote_store_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--help"])
    text = capsys.readouterr().out
    for option in ("--remote-query-url", "--remote-update-url", "--remote-store-url", "--remote-credentials", "--remote-auth"):
        assert option in text


@pytest.mark.parametrize(
    ("query", "czech"),
    [
        ("DEFINE get:soft 'replace' SELECT * WHERE { ?s ?p ?o }", "dotaz používá pragma úložiště (define)"),
        (
            "SELECT (<http://www.openlinksw.com/schemas/bif#getenv>('HOME') AS ?h) WHERE {}",
            "dotaz volá vlastní funkce úložiště (<http://www.openlinksw.com/schemas/bif#getenv>)",
        ),
        ("SELECT ?s WHERE { ?s a ex:Thing }", "nedefinovaný prefix ex: na pozici 23; deklarujte ho pomocí PREFIX ex: <...>"),
    ],
)
def test_what_a_remote_store_is_not_sent_is_refused_in_the_language_asked(query: str, czech: str) -> None:
    with pytest.raises(InputError) as refused:
        screen_for_store(query)
    assert refused.value.localized("cs").startswith(czech)
    assert refused.value.localized("en") == str(refused.value)
