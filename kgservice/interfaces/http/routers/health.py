"""Liveness and size of the graph."""

from __future__ import annotations

from fastapi import APIRouter

from kgservice.interfaces.deps import EngineDep, RepositoryDep

router = APIRouter(tags=["Health"])


@router.get("/health", summary="Is the service up, and how big is the graph")
def health(repository: RepositoryDep, engine: EngineDep) -> dict[str, int | str]:
    return {"status": "ok", "triples": repository.size(), "version": repository.version, "worker_restarts": engine.restarts}
