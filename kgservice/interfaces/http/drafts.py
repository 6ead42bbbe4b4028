"""Strategy documents uploaded over HTTP and parsed, kept as drafts for review until they are committed.

Bounded, since every upload is hostile until proven otherwise: at most `max_drafts` drafts and `max_bytes`
of documents (original and rendering) at a time, each for `max_age` seconds; a new draft pushes out the
oldest ones when it needs room. A draft id is a random token: knowing it is what lets a writer see or
commit the draft, and nothing of it is stored anywhere but in the service's memory.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from kgservice.errors import NotFound, PayloadTooLarge
from kgservice.project.importing import ImportedDocument, LevelMap
from kgservice.translation import N_

MAX_DRAFTS = 16
MAX_DRAFT_BYTES = 64 * 1024 * 1024
MAX_AGE_SECONDS = 30 * 60

_GONE = N_(
    "no import draft %(draft)s: it was committed, it expired (%(minutes)s minutes after its upload), or it never existed; "
    "upload the file again"
)
_TOO_BIG = N_("the document and its rendering take %(size)s bytes, over the drafts' cap of %(cap)s")


@dataclass(frozen=True)
class Draft:
    """A parsed upload waiting for review: the document, the level mapping it was read with, and when it came."""

    id: str
    document: ImportedDocument
    levels: LevelMap
    created: float

    @property
    def size(self) -> int:
        return len(self.document.original) + len(self.document.rendering.encode())


class Drafts:
    """The service's drafts, oldest first; safe to use from several threads."""

    def __init__(
        self,
        max_drafts: int = MAX_DRAFTS,
        max_bytes: int = MAX_DRAFT_BYTES,
        max_age: float = MAX_AGE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_drafts, self.max_bytes, self.max_age, self.clock = max_drafts, max_bytes, max_age, clock
        self._drafts: OrderedDict[str, Draft] = OrderedDict()
        self._lock = threading.Lock()
        # One draft committed at a time, so that the sources on disk and the graph committed are one version.
        self.committing = threading.Lock()

    def add(self, document: ImportedDocument, levels: LevelMap) -> Draft:
        """Keep `document` as a new draft, dropping the oldest drafts it needs room for."""
        draft = Draft(secrets.token_urlsafe(16), document, levels, self.clock())
        if draft.size > self.max_bytes:
            raise PayloadTooLarge(_TOO_BIG, size=draft.size, cap=self.max_bytes)
        with self._lock:
            self._expire()
            while self._drafts and (len(self._drafts) >= self.max_drafts or self._bytes() + draft.size > self.max_bytes):
                self._drafts.popitem(last=False)
            self._drafts[draft.id] = draft
        return draft

    def get(self, draft: str) -> Draft:
        """The draft of that id, or NotFound saying why there may be none."""
        with self._lock:
            self._expire()
            found = self._drafts.get(draft)
        if found is None:
            raise NotFound(_GONE, draft=draft[:64], minutes=round(self.max_age / 60))
        return found

    def discard(self, draft: str) -> None:
        with self._lock:
            self._drafts.pop(draft, None)

    def expires_in(self, draft: Draft) -> int:
        """Seconds left before `draft` expires."""
        return max(0, round(draft.created + self.max_age - self.clock()))

    def __len__(self) -> int:
        with self._lock:
            self._expire()
            return len(self._drafts)

    def _bytes(self) -> int:
        return sum(d.size for d in self._drafts.values())

    def _expire(self) -> None:
        limit = self.clock() - self.max_age
        for key in [k for k, d in self._drafts.items() if d.created < limit]:
            del self._drafts[key]
