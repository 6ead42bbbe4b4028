"""Liveness and size of the graph."""

from __future__ import annotations

from fastapi import APIRouter, Response

from kgservice.interfaces.deps import EngineDep, RepositoryDep

router = APIRouter(tags=["Health"])


@router.get(
    "/health",
    summary="Is the service up, and how big is the graph",
    responses={503: {"description": "no query worker can run; the body says why (status failing, problem)"}},
)
def health(repository: RepositoryDep, engine: EngineDep, response: Response) -> dict[str, int | str]:
    """200 with the sizes while queries can be answered; 503 saying why when no query worker can run."""
    problem = engine.problem()
    status: dict[str, int | str] = {"status": "ok"} if problem is None else {"status": "failing", "problem": problem}
    if problem is not None:
        response.status_code = 503
    return {**status, "triples": repository.size(), "version": repository.version, "worker_restarts": engine.restarts}
