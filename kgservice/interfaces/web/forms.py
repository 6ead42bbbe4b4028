"""The pages' form parameters, parsed by FastAPI and said back to the planner in a sentence when they are wrong.

FastAPI answers a parameter it cannot parse with a 422 before the page runs. A page with a form would rather
show the form again, with the problem above it: its route (PageRoute) then runs the page once more without
the parameters at fault and hands it the problem (FormProblem), and the page answers 400.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BeforeValidator, ValidationError, ValidatorFunctionWrapHandler, WrapValidator
from pydantic_core import PydanticCustomError

from kgservice.errors import ParameterError

_PROBLEM = "kgservice.form_problem"
_FORM_VALUE = "form_value"
_YES_NO = "yes (on, true, 1) or no (off, false, 0)"


def expecting(sentence: str) -> WrapValidator:
    """Any failure of the type's own parsing said as one sentence: "is not <sentence>"."""

    def validate(value: object, parse: ValidatorFunctionWrapHandler) -> object:
        try:
            return parse(value)
        except ValidationError:
            raise PydanticCustomError(_FORM_VALUE, "is not {expected}", {"expected": sentence}) from None

    return WrapValidator(validate)


def _blank_is_no(value: object) -> object:
    # An empty value (?all_levels=) means no, as an unticked box; pydantic alone would refuse it.
    return (value.strip() or "off") if isinstance(value, str) else value


Flag = Annotated[bool, BeforeValidator(_blank_is_no), expecting(_YES_NO)]
"""A yes/no parameter as a form checkbox sends it (on) or a person types it (true, 1, no...)."""


def sentence(problem: Mapping[str, Any]) -> str:
    """One of FastAPI's validation problems as the page says it: the parameter, the value, what is wrong."""
    name = str(problem.get("loc", ("request",))[-1])
    if problem.get("type") == "missing":
        return f"{name}: missing"
    said = f" {problem['msg']}" if problem.get("type") == _FORM_VALUE else f": {problem.get('msg', 'invalid')}"
    return f"{name}: {problem.get('input')!r}{said}"


def form_problem(request: Request) -> ParameterError | None:
    """The parameters FastAPI could not parse, for a page that shows them with its form (see PageRoute)."""
    problem: ParameterError | None = request.scope.get(_PROBLEM)
    return problem


FormProblem = Annotated[ParameterError | None, Depends(form_problem)]


def _without(request: Request, names: set[str], problem: ParameterError) -> Request:
    """The same request without the parameters at fault, carrying the problem for form_problem."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in names]
    scope = {**request.scope, "query_string": urlencode(kept).encode(), _PROBLEM: problem}
    return Request(scope, request.receive)


def _faulty(problems: Sequence[Mapping[str, Any]]) -> set[str] | None:
    """The query parameters at fault, or None when a problem is elsewhere (a path, a header, a body)."""
    locations = [tuple(p.get("loc", ())) for p in problems]
    if not all(len(loc) == 2 and loc[0] == "query" for loc in locations):
        return None
    return {str(loc[1]) for loc in locations}


class PageRoute(APIRoute):
    """The route of a page. A page that declares FormProblem gets its unparseable query parameters as that
    problem, with the parameters left at their defaults; any other route keeps FastAPI's answer (422)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        if not any(d.call is form_problem for d in self.dependant.dependencies):
            return handle

        async def handle_form(request: Request) -> Response:
            try:
                return await handle(request)
            except RequestValidationError as error:
                names = _faulty(error.errors())
                if names is None or _PROBLEM in request.scope:
                    raise
                problem = ParameterError("; ".join(sentence(p) for p in error.errors()))
                return await handle(_without(request, names, problem))

        return handle_form
