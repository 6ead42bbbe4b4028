"""The one exception tree: every exception class of the package lives in kgservice.errors, and each maps to
an HTTP status and an exit code through the one table there."""

from __future__ import annotations

import ast
import inspect
import pickle
from pathlib import Path

from kgservice import errors
from kgservice.engine.base import Failure
from kgservice.sparql.diagnosis import QUERY_SOURCE, clarified
from kgservice.translation import N_

PACKAGE = Path(errors.__file__).resolve().parent


def _error_classes() -> list[type[errors.KgServiceError]]:
    members = inspect.getmembers(errors, inspect.isclass)
    return [c for name, c in members if issubclass(c, errors.KgServiceError) and not name.startswith("_")]


def test_no_module_but_errors_defines_an_exception() -> None:
    elsewhere = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "errors.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Name) and (b.id.endswith(("Error", "Exception")) or b.id in {"KgServiceError"})
                for b in node.bases
            ):
                elsewhere.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}")
    assert elsewhere == []


def test_every_error_has_a_status_and_an_exit_code_and_the_docstring_lists_it() -> None:
    for kind in _error_classes():
        error = kind.__new__(kind)
        assert 400 <= errors.http_status(error) < 600
        assert errors.exit_code(error) in (errors.EXIT_INVALID, errors.EXIT_ERROR)
        assert f" {kind.__name__} " in errors.__doc__ or kind is errors.KgServiceError, kind


def test_the_table_gives_the_statuses_the_protocols_need() -> None:
    assert errors.http_status(errors.UnknownQueryError("x")) == 404
    assert errors.http_status(errors.NotPendingError("x")) == 409
    assert errors.http_status(errors.QuerySyntaxError("q", 1, 2, "bad")) == 400
    assert errors.http_status(errors.Unauthenticated("x")) == 401
    assert errors.http_status(errors.WriteRejected("report", [])) == 422
    assert errors.http_status(errors.QueryTimeout("x")) == 503
    assert errors.exit_code(errors.DataSyntaxError("f.ttl", 3, 4, "bad")) == errors.EXIT_ERROR


def test_an_error_from_a_query_worker_keeps_its_catalogue_text_and_its_place() -> None:
    def across_the_pipe(error: errors.KgServiceError) -> errors.KgServiceError:
        failure: Failure = pickle.loads(pickle.dumps(Failure.of(error)))  # as a worker's reply travels
        return failure.error()

    unknown = errors.UnknownQueryError(N_("no named query %(name)r; known queries: %(known)s"), name="x", known="a, b")
    assert across_the_pipe(unknown).localized("cs") == "pojmenovaný dotaz 'x' neexistuje; známé dotazy: a, b"
    syntax = clarified(errors.QuerySyntaxError(QUERY_SOURCE, 1, 20, "expected ..."), "SELECT * WHERE { ?s a kgo:X }")
    assert (
        across_the_pipe(syntax)
        .localized("pl")
        .startswith("błąd składni zapytania:1:23: niezdefiniowany prefiks kgo: w wierszu 1, w kolumnie 23")
    )
    located = errors.DataSyntaxError("data/x.ttl", 3, 4, "bad IRI")
    assert str(across_the_pipe(located)) == "data/x.ttl:3:4: bad IRI"
