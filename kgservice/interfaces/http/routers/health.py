"""Liveness and size of the graph."""

from __future__ import annotations

from fastapi import APIRouter

from kgservice.interfaces.deps import PoolDep, RepositoryDep

router = APIRouter(tags=["Health"])


@router.get("/health", summary="Is the service up, and how big is the graph")
def health(repository: RepositoryDep, pool: PoolDep) -> dict[str, int | str]:
    return {"status": "ok", "triples": repository.size(), "version": repository.version, "worker_restarts": pool.restarts}
