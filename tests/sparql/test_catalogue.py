"""Named queries: headers parse, parameters bind only as validated RDF terms."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgservice.engine.embedded import OxigraphStore
from kgservice.errors import ParameterError
from kgservice.sparql.catalogue import Catalogue, parse_query_file


def test_every_declared_parameter_has_one_slot(catalogue: Catalogue) -> None:
    for query in catalogue.queries.values():
        for param in query.parameters:
            assert query.text.count(f"VALUES ?{param.name} {{ UNDEF }}") == 1, (query.name, param.name)


def test_a_literal_that_looks_like_sparql_stays_a_literal(store: OxigraphStore, catalogue: Catalogue) -> None:
    hostile = '"} } UNION { ?element ?p ?o } #'
    text = catalogue.get("elements-for-target-group").bind({"search": hostile})
    assert store.select(text).rows == ()


def test_an_iri_parameter_cannot_close_the_term(catalogue: Catalogue) -> None:
    with pytest.raises(ParameterError):
        catalogue.get("element-path").bind({"element": "http://x/> } ; DROP ALL ; <http://y"})


def test_language_parameter_is_a_language_tag(catalogue: Catalogue) -> None:
    with pytest.raises(ParameterError) as refused:
        catalogue.get("strategies").bind({"lang": 'en") || true || ("'})
    assert "není jazykový kód jako cs, pl nebo en" in refused.value.localized("cs")
    assert "nie jest kodem języka" in refused.value.localized("pl")


def test_prefixed_names_expand(catalogue: Catalogue) -> None:
    text = catalogue.get("element-path").bind({"element": "kgd:zporr/2.1"})
    assert "VALUES ?element { <https://w3id.org/kgservice/id/zporr/2.1> }" in text


def test_a_query_file_without_its_slot_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("# title: t\n# param: x iri optional  an x\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(ValueError, match="slot"):
        parse_query_file(path)
