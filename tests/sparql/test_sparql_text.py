"""The SPARQL lexer's uses: outbound targets, dataset clauses, USING from protocol parameters; Accept parsing."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kgservice.errors import ForbiddenOperation, MalformedRequest
from kgservice.rdf.media import GRAPH_FORMATS, RESULT_FORMATS, choose, requested
from kgservice.sparql.lexer import (
    _FROM,
    add_using,
    could_be_keyword,
    has_dataset_clause,
    masked,
    plainly_inside_a_name,
    word_starts,
)
from kgservice.sparql.screening import _WORD, _same_lines, check_outbound, check_update, outbound_targets


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("SELECT * WHERE { SERVICE <http://x/s> { ?s ?p ?o } }", [("SERVICE", "http://x/s")]),
        ("PREFIX e: <http://e/> SELECT * WHERE { service silent e:s { } }", [("SERVICE", "http://e/s")]),
        ("BASE <http://b/> SELECT * WHERE { SERVICE <rel> { } }", [("SERVICE", None)]),
        ("PREFIX ex: <http://h/> SELECT * WHERE { SERVICEex:x { ?s ?p ?o } }", [("SERVICE", "http://h/x")]),
        ("PREFIX : <http://h/> SELECT * WHERE { OPTIONAL { service:x { } } }", [("SERVICE", "http://h/x")]),
        ("SELECT * WHERE { ?s ?p trueSERVICE <http://h/> { } }", [("SERVICE", "http://h/")]),
        ("SELECT * WHERE { ?s ?p 1SERVICE <http://h/> { } }", [("SERVICE", "http://h/")]),
        ("SELECT * WHERE { ?s ?p ?o .SERVICE <http://h/> { } }", [("SERVICE", "http://h/")]),
        ("PREFIX ex: <http://e/> SELECT * WHERE { ?s ?p ex:.SERVICE <http://h/> { } }", [("SERVICE", "http://h/")]),
        ("SELECT * WHERE { FILTER(?x<'>') SERVICE <http://h/> { ?s ?p 'z' } }", [("SERVICE", "http://h/")]),
        ("SELECT * WHERE { FILTER(1<2)SERVICE:x#>\n{?s ?p ?o} }", [("SERVICE", None)]),
        (
            "SELECT * WHERE { FILTER(1<2)#> '''\n?s <http://x#y> SERVICE <http://h/> {?s ?p '''x''' } }",
            [("SERVICE", "http://h/")],
        ),
        ("SELECT * WHERE { # c\rSERVICE <http://h/> {} }", [("SERVICE", "http://h/")]),
        ("PREFIX ex: <http://e/> LOADex:ttl INTO GRAPH <g>", [("LOAD", "http://e/ttl")]),
        ("SELECT ?load { ?service ex:download 'load' ; s:serviceType <http://x/service#a> } # load", []),
        ("PREFIX myservice: <http://x/> SELECT * { ?s myservice:p ?o }", []),
        ("SELECT * WHERE { SERVICE ?endpoint { } }", [("SERVICE", None)]),
        ("LOAD <file:///etc/passwd>", [("LOAD", "file:///etc/passwd")]),
        (r"SELECT * WHERE { \u0053ERVICE <http://x/> { } }", [("SERVICE", "http://x/")]),
        ("SELECT * WHERE { ?s ?p 'SERVICE <http://x/>' } # SERVICE <http://y/>", []),
        ("SELECT * WHERE { ?s <http://e/SERVICE> ?o . ?s e:LOAD ?o }", []),
        ('SELECT * WHERE { ?s ?p """a\nSERVICE <http://z/>""" }', []),
        ("PREFIX kgo: <https://w3id.org/kgservice/ontology#> SELECT * { ?s a kgo:Measure }", []),
        ("# read by (kgservice suggest)\nSELECT * { ?s ?p ?o }", []),
        ("SELECT * WHERE { ?s ?p ?o } #\nkgSERVICE <http://h/> {}", []),
        ("SELECT * WHERE { ?s ?p 'x'SERVICE <http://h/> {} }", [("SERVICE", "http://h/")]),
        ("SELECT * WHERE { ?s ?p <http://x>SERVICE <http://h/> {} }", [("SERVICE", "http://h/")]),
    ],
)
def test_outbound_targets(text: str, found: list[tuple[str, str | None]]) -> None:
    assert outbound_targets(text) == found


_PIECES = [
    "SERVICE",
    "service",
    "LOAD",
    "kg",
    "true",
    "1",
    "e",
    "ex:",
    "?",
    "/",
    "<",
    ">",
    "'",
    '"',
    "'''",
    "#",
    "\n",
    " ",
    "{",
    "@en",
    ".",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14))
def test_a_word_plainly_inside_a_name_is_no_keyword_in_any_reading(pieces: list[str]) -> None:
    """The screen's shortcut reads the unmasked text: where it says a SERVICE or LOAD is no keyword, no
    reading of the text (strings, comments and IRIs blanked either way) may find it one."""
    text = "".join(pieces)
    readings = [masked(text), masked(text, hashed_iris=False)]
    for start in (i for i in range(len(text)) if text.startswith(("SERVICE", "service", "LOAD"), i)):
        if plainly_inside_a_name(text, start):
            for reading in readings:
                assert reading[start] == " " or not could_be_keyword(reading, start), (text, start)


_READING_PIECES = [*_PIECES, "service", "\u017fervice", "load", "<urn:a#b>", "\r", "x"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_READING_PIECES), max_size=20))
@example(["<urn:a#b>", "'''", "\r", "'''"])  # one reading's long string blanks the break, the other's is a comment
@example(["<urn:a#b>", "'''", "\n", "'''"])
def test_the_readings_shortcuts_find_what_a_full_scan_finds(pieces: list[str]) -> None:
    """Counting line breaks tells the readings apart as comparing their places does, and the words' places
    found with str.find are those the pattern finds (the fallback for texts that are not ASCII included)."""
    text = "".join(pieces)
    first, second = masked(text), masked(text, hashed_iris=False)
    places = [[(i, c) for i, c in enumerate(reading) if c in "\r\n"] for reading in (first, second)]
    assert _same_lines(text, first, second) == (places[0] == places[1]), repr(text)
    for reading in (text, first, second):
        assert word_starts(reading, _WORD, "service", "load") == [m.start() for m in _WORD.finditer(reading)], repr(reading)


def test_allow_listed_service_passes_and_others_do_not() -> None:
    check_outbound("SELECT * WHERE { SERVICE <http://ok/sparql> { } }", ["http://ok/sparql"])
    with pytest.raises(ForbiddenOperation):
        check_outbound("SELECT * WHERE { SERVICE <http://ok/sparql/other> { } }", ["http://ok/sparql"])
    with pytest.raises(ForbiddenOperation):
        check_outbound("LOAD <http://ok/sparql>", ["http://ok/sparql"])


def test_an_update_may_neither_load_nor_call_a_service() -> None:
    check_update("INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/load> 'SERVICE' } }")
    for update in (
        "LOAD <http://h/x.ttl>",
        "PREFIX e: <http://h/> LOADe:x",
        "INSERT { ?s ?p ?o } WHERE { SERVICE <http://ok/> { ?s ?p ?o } }",
    ):
        with pytest.raises(ForbiddenOperation, match="not allowed in an update"):
            check_update(update)


def test_the_screen_is_linear_and_keeps_nothing_between_calls() -> None:
    tracemalloc.start()
    started, baseline = time.monotonic(), tracemalloc.get_traced_memory()[0]
    for i in range(3):  # distinct 1 MB texts of the shapes that were slow, or that a cache kept
        for body in ("\\u0041" * 170_000, "'\\" * 500_000, "'''\\'" * 200_000, "?service " * 110_000):
            text = f"SELECT * WHERE {{ ?s ?p {i} }} " + body  # not in a comment: the whole body is read
            check_outbound(text, [])
            has_dataset_clause(text)
    grown = tracemalloc.get_traced_memory()[0] - baseline
    tracemalloc.stop()
    assert grown < 5_000_000, f"the lexer kept {grown} bytes"
    assert time.monotonic() - started < 60


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(["FROM", "from", "\u017from", " ", "<", ">", "'", '"', "#", "\n", "x", "?", ":", "NAMED", "é", "."]),
        max_size=14,
    )
)
def test_a_dataset_clause_is_a_from_the_masked_text_still_has(pieces: list[str]) -> None:
    """The shortcut (FROMs of the text outside the blanked spans) finds what searching the masked text finds."""
    text = "".join(pieces)
    assert has_dataset_clause(text) == (_FROM.search(text) is not None and _FROM.search(masked(text)) is not None)


def test_dataset_clause_detection() -> None:
    assert has_dataset_clause("SELECT * FROM <http://g> WHERE { ?s ?p ?o }")
    assert has_dataset_clause("select * from named <http://g> where { graph ?g { ?s ?p ?o } }")
    assert not has_dataset_clause("SELECT * WHERE { ?s <http://e/from> 'FROM' }")


def test_using_parameters_become_clauses_of_each_operation() -> None:
    update = (
        "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER EXISTS { ?s ?p ?o } } ; "
        "DELETE WHERE { ?a ?b ?c } ; INSERT { <a> <b> <c> } WHERE { }"
    )
    result = add_using(update, ("<http://g1>",), ("<http://g2>",))
    assert result.count("USING <http://g1> USING NAMED <http://g2> WHERE") == 2
    assert "DELETE WHERE { ?a ?b ?c }" in result
    with pytest.raises(MalformedRequest, match="own USING"):
        add_using("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ("<http://g1>",), ())


@pytest.mark.parametrize(
    ("accept", "results", "graphs"),
    [
        (None, "application/sparql-results+json", "text/turtle"),
        ("*/*", "application/sparql-results+json", "text/turtle"),
        ("text/*;q=0.5, application/sparql-results+xml", "application/sparql-results+xml", "text/turtle"),
        ("application/sparql-results+json;q=0, text/csv;q=0.1", "text/csv", None),
        ("application/rdf+xml;q=0.5, application/ld+json", None, "application/ld+json"),
        ("image/png", None, None),
        ("garbage, ,;;", None, None),
    ],
)
def test_accept_negotiation(accept: str | None, results: str | None, graphs: str | None) -> None:
    assert choose(accept, list(RESULT_FORMATS)) == results
    assert choose(accept, list(GRAPH_FORMATS)) == graphs


def test_format_parameter_overrides_accept_unless_unknown() -> None:
    assert requested("csv", "application/json") == "text/csv"
    assert requested("n3", None) == "text/n3"
    assert requested("somethingelse", "text/csv") == "text/csv"
    assert requested("text/tab-separated-values", None) == "text/tab-separated-values"
