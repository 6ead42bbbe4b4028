"""The drafts of strategy uploads are bounded in number, in bytes and in age, oldest dropped first."""

from __future__ import annotations

import pytest

from kgservice.errors import NotFound, PayloadTooLarge
from kgservice.interfaces.http.drafts import Drafts
from kgservice.project.importing import DocumentMeta, ImportedDocument, LevelMap, parse_document
from tests.conftest import KALISZ, SOURCES


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def document() -> ImportedDocument:
    return parse_document("kalisz.txt", (SOURCES / f"{KALISZ}.txt").read_bytes(), DocumentMeta(language="pl"))


def size(document: ImportedDocument) -> int:
    return len(document.original) + len(document.rendering.encode())


def test_the_oldest_drafts_make_room_for_a_new_one(document: ImportedDocument) -> None:
    drafts = Drafts(max_drafts=3, max_bytes=10 * size(document), max_age=60, clock=Clock())
    made = [drafts.add(document, LevelMap()).id for _ in range(5)]
    assert len(drafts) == 3 and len(set(made)) == 5
    with pytest.raises(NotFound, match="upload the file again"):
        drafts.get(made[0])
    assert [drafts.get(d).id for d in made[2:]] == made[2:]


def test_the_bytes_of_all_drafts_are_capped(document: ImportedDocument) -> None:
    drafts = Drafts(max_drafts=100, max_bytes=2 * size(document) + 1, max_age=60, clock=Clock())
    made = [drafts.add(document, LevelMap()).id for _ in range(4)]
    assert len(drafts) == 2 and drafts.get(made[-1]).size == size(document)
    with pytest.raises(PayloadTooLarge, match="over the drafts' cap"):
        Drafts(max_bytes=size(document) - 1).add(document, LevelMap())


def test_a_draft_expires(document: ImportedDocument) -> None:
    clock = Clock()
    drafts = Drafts(max_age=60, clock=clock)
    draft = drafts.add(document, LevelMap())
    clock.now += 45
    assert drafts.expires_in(draft) == 15 and drafts.get(draft.id) is draft
    clock.now += 16
    with pytest.raises(NotFound, match="it expired"):
        drafts.get(draft.id)
    assert len(drafts) == 0


def test_a_discarded_draft_is_gone(document: ImportedDocument) -> None:
    drafts = Drafts()
    draft = drafts.add(document, LevelMap())
    drafts.discard(draft.id)
    drafts.discard(draft.id)  # twice is harmless
    with pytest.raises(NotFound):
        drafts.get(draft.id)
