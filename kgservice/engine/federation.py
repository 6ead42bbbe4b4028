"""The engine of a service that allow-lists SERVICE endpoints: queries that call them go to one worker that
keeps the network; every other query, and every internal reader, to the workers that have none.

A query reaches the networked worker only when the screen found its SERVICE calls and every one is on
the allow-list (`sparql.screening.check_outbound`); a query in which the screen saw no SERVICE runs
without network, so a SERVICE hidden from the screen fails there, whatever its text.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future

from kgservice.engine.base import QueryEngine, QueryRequest, Serialized, Triple
from kgservice.engine.delta import UpdateDelta
from kgservice.engine.pool import Patch, WorkerPool
from kgservice.rdf.terms import Table


class Federating(QueryEngine):
    """Offline workers for everything; the networked pool only for queries that call allow-listed endpoints."""

    def __init__(self, offline: WorkerPool, networked: WorkerPool) -> None:
        self.offline, self.networked = offline, networked

    @property
    def restarts(self) -> int:  # type: ignore[override]  # a sum of the pools' counts, not a counter of its own
        return self.offline.restarts + self.networked.restarts

    def _for(self, request: QueryRequest) -> WorkerPool:
        return self.networked if request.outbound else self.offline

    def select(self, query: str, source: str = "query") -> Table:
        return self.offline.select(query, source)

    def ask(self, query: str, source: str = "query") -> bool:
        return self.offline.ask(query, source)

    def construct(self, query: str, source: str = "query") -> list[Triple]:
        return self.offline.construct(query, source)

    def select_many(self, queries: Sequence[str], source: str = "query") -> list[Table]:
        return self.offline.select_many(queries, source)

    def serialize(self, request: QueryRequest) -> Serialized:
        return self._for(request).serialize(request)

    def submit(self, request: QueryRequest) -> Future[Serialized]:
        return self._for(request).submit(request)

    async def answer(self, request: QueryRequest) -> Serialized:
        return await self._for(request).answer(request)

    def update_delta(self, update: str, base_iri: str | None = None) -> UpdateDelta | None:
        return self.offline.update_delta(update, base_iri)

    def publish(self, patch: Patch) -> None:
        self.offline.publish(patch)
        self.networked.publish(patch)

    def problem(self) -> str | None:
        return self.offline.problem()

    def close(self) -> None:
        self.offline.close()
        self.networked.close()
