"""Storing an import: validated with the graph, nothing written when invalid, re-imports keep IRIs."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from kgservice.analysis.importing import save
from kgservice.errors import WriteRejected
from kgservice.project.importing import DocumentMeta, parse_document
from kgservice.project.layout import Layout
from tests.conftest import REGION_WORKSHOP, ROOT, SOURCES

META = DocumentMeta(
    slug="lk-social-import",
    title="Strategie LK",
    language="cs",
    level="regional",
    territory=("liberecky-kraj",),
    issuer="liberecky-kraj",
)


def workshop(text: str | None = None) -> bytes:
    return text.encode() if text is not None else (SOURCES / f"{REGION_WORKSHOP}.txt").read_bytes()


def test_saved_into_the_user_directory_with_its_sources(tmp_path: Path) -> None:
    document = parse_document("workshop.txt", workshop(), META)
    saved = save(document, Layout(ROOT, tmp_path))
    assert saved.target.turtle == tmp_path / "strategies" / "lk-social-import.ttl"
    assert saved.target.rendering.read_text(encoding="utf-8") == document.rendering
    assert saved.target.original.read_bytes() == workshop()
    graph = Graph().parse(saved.target.turtle)
    assert len(set(graph.subjects(URIRef("https://w3id.org/kgservice/ontology#partOf"), None))) == len(document.elements)


def test_invalid_document_writes_nothing_and_names_the_focus_node(tmp_path: Path) -> None:
    document = parse_document("workshop.txt", workshop(), DocumentMeta(slug="no-metadata", language="cs"))
    with pytest.raises(WriteRejected) as rejected:
        save(document, Layout(ROOT, tmp_path))
    assert "https://w3id.org/kgservice/id/no-metadata" in {v["focus_node"] for v in rejected.value.violations}
    assert list(tmp_path.iterdir()) == []


def test_reimport_keeps_iris_and_reports_changes(tmp_path: Path) -> None:
    layout = Layout(ROOT, tmp_path)
    first = "1 \u2013 Doprava\n1.1 Silnice\n1.2 Železnice\n"
    save(parse_document("plan.txt", first.encode(), META), layout)
    second = "1 \u2013 Doprava a mobilita\n1.1 Silnice\n1.3 Cyklostezky\n"
    saved = save(parse_document("plan.txt", second.encode(), META), layout)
    base = "https://w3id.org/kgservice/id/lk-social-import/"
    assert saved.changes.added == (base + "1.3",)
    assert saved.changes.removed == (base + "1.2",)
    assert saved.changes.changed == (base + "1",)
    graph = Graph().parse(saved.target.turtle)
    assert str(graph.value(URIRef(base + "1.1"), SKOS.prefLabel)) == "Silnice"


def test_bundled_data_untouched_without_curated(tmp_path: Path) -> None:
    # What a save writes is named after the slug (strategies/<slug>.ttl, sources/<slug>.*): none of it is in
    # data/ (the tree itself may change meanwhile, edited by others).
    saved = save(parse_document("workshop.txt", workshop(), META), Layout(ROOT, tmp_path))
    assert saved.target.turtle.is_relative_to(tmp_path)
    assert not [p for p in (ROOT / "data").rglob("*") if p.name.startswith(META.slug or "")]


def test_curated_goes_into_data(project_copy: Path, tmp_path: Path) -> None:
    user = tmp_path / "user"
    saved = save(parse_document("workshop.txt", workshop(), META), Layout(project_copy, user), curated=True)
    assert saved.target.turtle == project_copy / "data" / "strategies" / "lk-social-import.ttl"
    assert (project_copy / "data" / "sources" / "lk-social-import.txt").is_file()
    assert not user.exists()


def test_an_imported_label_is_the_fallback_of_queries_and_pages(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from kgservice.config import Settings
    from kgservice.interfaces.app import create_app
    from kgservice.project.loading import open_store
    from kgservice.sparql.catalogue import Catalogue

    layout = Layout(ROOT, tmp_path)
    save(parse_document("plan.txt", "1 \u2013 Doprava\n1.1 Silnice\n".encode(), META), layout)
    query = Catalogue(layout.queries_dir).get("strategy-outline")
    text = query.bind({"strategy": "kgd:lk-social-import", "lang": "en"})
    assert sorted(open_store(layout).select(text).column("label")) == ["Doprava", "Silnice"]
    with TestClient(create_app(Settings(root=ROOT, user_data=tmp_path, workers=1))) as client:
        page = client.get("/id/lk-social-import/1.1", params={"lang": "en"}, headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Silnice" in page.text and "Doprava" in page.text


def test_the_provenance_check_passes_on_the_graph_with_an_import(tmp_path: Path) -> None:
    from kgservice.checks.provenance import check_excerpts
    from kgservice.project.loading import open_store, union_graph

    layout = Layout(ROOT, tmp_path)
    save(parse_document("workshop.txt", workshop(), META), layout)
    graph = union_graph(open_store(layout))
    assert check_excerpts(graph, ROOT, tmp_path) == []
    assert check_excerpts(graph, ROOT) != []  # the imported sources are not under the project root
