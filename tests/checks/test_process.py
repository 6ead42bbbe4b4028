"""The validator process gives the in-process verdict, and a write it cannot judge is refused, never let through."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from kgservice.checks.process import ValidatorProcess
from kgservice.checks.validation import shacl_validator
from kgservice.engine.commit import Validator, stage
from kgservice.engine.embedded import OxigraphStore
from kgservice.errors import StoreError
from kgservice.project.layout import Layout
from kgservice.rdf.namespaces import PREFIXES
from tests.checks.test_incremental import _change, _pairs

KGO, SKOS, RDFS = PREFIXES["kgo"], PREFIXES["skos"], "http://www.w3.org/2000/01/rdf-schema#"
GRAPH = ox.NamedNode("https://example.org/test-graph")


@pytest.fixture(scope="module")
def process(layout: Layout) -> Iterator[ValidatorProcess]:
    validator = ValidatorProcess(layout.shapes_dir, timeout=30)
    validator.start()
    yield validator
    validator.close()


@pytest.fixture(scope="module")
def in_process(layout: Layout) -> Validator:
    return shacl_validator(layout)


@pytest.fixture
def graph(store: OxigraphStore) -> ox.Store:
    copy = ox.Store()
    copy.extend(store.engine)
    return copy


@pytest.mark.parametrize("seed", range(12))
def test_the_process_gives_the_in_process_verdict(
    graph: ox.Store, process: ValidatorProcess, in_process: Validator, seed: int
) -> None:
    recorder, staged = stage(graph, _change(graph, seed, removals=seed % 3, additions=1 + seed % 3))
    try:
        assert staged is not None
        here, there = in_process(staged), process(staged)
        assert there.conforms == here.conforms
        assert _pairs(there) == _pairs(here)
        assert there.violations == here.violations
    finally:
        recorder.rollback()


def _measure(graph: ox.Store) -> ox.NamedNode:
    rows = graph.query(f"SELECT ?m WHERE {{ GRAPH ?g {{ ?m a <{KGO}Measure> }} }} ORDER BY ?m LIMIT 1")
    assert isinstance(rows, ox.QuerySolutions)
    node = next(iter(rows))["m"]
    assert isinstance(node, ox.NamedNode)
    return node


def test_an_invalid_change_is_refused_with_its_focus_node(graph: ox.Store, process: ValidatorProcess) -> None:
    measure = _measure(graph)
    bad = ox.Quad(measure, ox.NamedNode(KGO + "partOf"), ox.Literal("not a node"), GRAPH)
    recorder, staged = stage(graph, lambda store: store.add(bad))
    try:
        assert staged is not None
        outcome = process(staged)
        assert not outcome.conforms
        assert measure.value in {v["focus_node"] for v in outcome.violations}
    finally:
        recorder.rollback()


def test_a_subclass_change_is_validated_whole(graph: ox.Store, process: ValidatorProcess, in_process: Validator) -> None:
    change = ox.Quad(ox.NamedNode(KGO + "Measure"), ox.NamedNode(RDFS + "subClassOf"), ox.NamedNode(KGO + "Activity"), GRAPH)
    recorder, staged = stage(graph, lambda store: store.add(change))
    try:
        assert staged is not None
        here, there = in_process(staged), process(staged)
        assert there.conforms == here.conforms and _pairs(there) == _pairs(here)
    finally:
        recorder.rollback()


def test_a_validator_that_dies_refuses_the_write_and_is_replaced(graph: ox.Store, layout: Layout) -> None:
    validator = ValidatorProcess(layout.shapes_dir, timeout=30)
    try:
        validator.start()
        assert validator._process is not None and validator._process.pid is not None
        os.kill(validator._process.pid, signal.SIGKILL)
        validator._process.join(5)
        label = ox.Quad(_measure(graph), ox.NamedNode(SKOS + "altLabel"), ox.Literal("jiný název", language="cs"), GRAPH)
        recorder, staged = stage(graph, lambda store: store.add(label))
        try:
            assert staged is not None
            assert validator(staged).conforms  # a dead idle process is replaced before the change is sent
            validator._process.kill()
            validator._process.join(5)
            validator._ensure = lambda: validator._conn  # type: ignore[method-assign,assignment,return-value]
            with pytest.raises(StoreError, match="nothing was written"):
                validator(staged)
        finally:
            recorder.rollback()
        del validator._ensure
        assert validator.restarts >= 1
        recorder, staged = stage(graph, lambda store: store.add(label))
        try:
            assert staged is not None and validator(staged).conforms
        finally:
            recorder.rollback()
    finally:
        validator.close()


def test_a_validator_past_its_deadline_refuses_the_write(graph: ox.Store, layout: Layout) -> None:
    validator = ValidatorProcess(layout.shapes_dir, timeout=0.001)
    try:
        validator.start()
        change = ox.Quad(ox.NamedNode(KGO + "Measure"), ox.NamedNode(RDFS + "subClassOf"), ox.NamedNode(KGO + "Activity"), GRAPH)
        recorder, staged = stage(graph, lambda store: store.add(change))
        try:
            assert staged is not None
            with pytest.raises(StoreError, match="within"):
                validator(staged)  # the whole dataset cannot be validated in a millisecond
        finally:
            recorder.rollback()
        assert validator.restarts == 1
    finally:
        validator.close()
