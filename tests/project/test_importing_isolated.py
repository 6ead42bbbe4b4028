"""Uploaded documents are read in a child process: its answer is the reader's, and a reader that dies or
hangs becomes a refusal naming the file, never a dead service."""

from __future__ import annotations

import dataclasses

import pytest

from kgservice.errors import ImportRefused
from kgservice.project.importing import DEFAULT_LIMITS, DocumentMeta, isolated, parse_document
from tests.conftest import KALISZ, SOURCES


def test_the_child_reads_what_the_reader_reads() -> None:
    data = (SOURCES / f"{KALISZ}.txt").read_bytes()
    meta = DocumentMeta(title="Strategia")
    there = isolated.parse_isolated(f"{KALISZ}.txt", data, meta)
    here = parse_document(f"{KALISZ}.txt", data, meta)
    assert there.preview() == here.preview()


def test_a_refusal_keeps_its_file_and_place() -> None:
    with pytest.raises(ImportRefused) as refused:
        isolated.parse_isolated("scan.pdf", b"%PDF-1.4 not really a pdf", DocumentMeta())
    assert refused.value.source == "scan.pdf" and str(refused.value).startswith("scan.pdf")


def test_a_reader_that_dies_is_a_refusal() -> None:
    # 64 MiB of address space is less than the interpreter already holds: decoding 8 MB cannot be allocated
    with pytest.raises(ImportRefused, match="the reader stopped on this file"):
        isolated.parse_isolated("big.txt", (b"x" * 99_999 + b"\n") * 80, DocumentMeta(), memory_bytes=64 << 20)


def test_a_reader_past_its_deadline_is_killed_and_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolated, "_GRACE", 0.0)
    limits = dataclasses.replace(DEFAULT_LIMITS, seconds=0.0)
    with pytest.raises(ImportRefused, match="longer than 0 s"):
        isolated.parse_isolated(f"{KALISZ}.txt", (SOURCES / f"{KALISZ}.txt").read_bytes(), DocumentMeta(), limits=limits)
