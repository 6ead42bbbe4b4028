"""Faults against the write-ahead log of a --store folder: torn, zeroed and garbage tails, failed appends, a full
disk, a lost base, the first log format, kill -9 during bursts; after each, every acknowledged write is kept."""

from __future__ import annotations

import errno
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kgservice.config import Settings
from kgservice.engine.wal import FORMAT_LINE, DiskLog, frame, to_nquads
from kgservice.errors import PayloadTooLarge, StorageFull, StoreError, http_status
from kgservice.project.layout import Layout
from kgservice.project.open import open_repository
from tests.server import TOKEN, Server, free_port, running_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}
NOTES = ox.NamedNode("http://e/notes")


def note(n: int, text: str | None = None) -> ox.Quad:
    return ox.Quad(ox.NamedNode(f"http://e/n{n}"), ox.NamedNode("http://e/says"), ox.Literal(text or f"note {n}"), NOTES)


def new_log(folder: Path, count: int) -> DiskLog:
    """A store folder with an empty base and `count` commits, commit n adding note n."""
    disk = DiskLog(folder)
    disk.initialise(ox.Store())
    for n in range(1, count + 1):
        disk.append(n, b"", to_nquads([note(n)]))
    return disk


def reopened(folder: Path) -> tuple[set[ox.Quad], int]:
    store, version = DiskLog(folder).load()
    return set(store), version


def notes_upto(count: int) -> set[ox.Quad]:
    return {note(n) for n in range(1, count + 1)}


# --- torn, zeroed and garbage tails --------------------------------------------------------------------------


def test_a_tail_torn_at_every_byte_of_the_last_record_is_cut_and_the_next_write_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    disk = new_log(tmp_path, 2)
    good = disk.wal.stat().st_size
    disk.append(3, b"", to_nquads([note(3, "the third, torn")]))
    whole = disk.wal.read_bytes()
    for cut in range(good, len(whole)):
        disk.wal.write_bytes(whole[:cut])
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="kgservice.engine.wal"):
            assert reopened(tmp_path) == (notes_upto(2), 2), cut
        assert disk.wal.stat().st_size == good
        assert (cut == good) or (f"{disk.wal}" in caplog.text and f"at byte {good}" in caplog.text)
        after = DiskLog(tmp_path)
        after.load()
        after.append(3, b"", to_nquads([note(3)]))
        assert reopened(tmp_path) == (notes_upto(3), 3), cut


@pytest.mark.parametrize(
    "tail",
    [b"\0" * 4096, b"\0" * 7, os.urandom(5000), b"@record 3 10 0 00000000\n" + b"x" * 10, b"@record 3 99999 0 0"],
    ids=["zeroed-page", "zeroed-bytes", "random", "bad-checksum", "torn-header"],
)
def test_a_garbage_or_zeroed_tail_is_cut_with_a_warning_naming_file_and_offset(
    tmp_path: Path, tail: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    disk = new_log(tmp_path, 2)
    good = disk.wal.stat().st_size
    with disk.wal.open("ab") as log:
        log.write(tail)
    with caplog.at_level(logging.WARNING, logger="kgservice.engine.wal"):
        after = DiskLog(tmp_path)
        assert after.load()[1] == 2
    assert f"{disk.wal}" in caplog.text and f"at byte {good}" in caplog.text
    after.append(3, b"", to_nquads([note(3)]))
    assert reopened(tmp_path) == (notes_upto(3), 3)


def test_damage_followed_by_a_valid_record_refuses_to_start_instead_of_dropping_it(tmp_path: Path) -> None:
    disk = new_log(tmp_path, 3)
    data = bytearray(disk.wal.read_bytes())
    data[data.index(b"note 2")] ^= 0x20  # commit 2's checksum no longer matches; commit 3 after it is valid
    disk.wal.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="a valid record follows at byte"):
        DiskLog(tmp_path).load()
    assert disk.wal.read_bytes() == bytes(data)  # nothing was cut


def test_a_corrupt_last_record_is_cut_like_a_torn_one(tmp_path: Path) -> None:
    disk = new_log(tmp_path, 3)
    data = bytearray(disk.wal.read_bytes())
    data[data.index(b"note 3")] ^= 0x20
    disk.wal.write_bytes(bytes(data))
    assert reopened(tmp_path) == (notes_upto(2), 2)


def test_a_record_is_a_header_with_lengths_and_a_checksum_then_the_payload(tmp_path: Path) -> None:
    disk = new_log(tmp_path, 1)
    payload = to_nquads([note(1)])
    assert disk.wal.read_bytes() == FORMAT_LINE + frame(1, b"", payload)
    assert frame(1, b"", payload).startswith(f"@record 1 0 {len(payload)} ".encode())


# --- failed appends ------------------------------------------------------------------------------------------


def failing_writes(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    """os.pwrite writes part of what it is given, then fails with `code`, as a filling disk does."""
    real = os.pwrite
    calls = [0]

    def pwrite(fd: int, data: bytes | memoryview, offset: int) -> int:
        calls[0] += 1
        if calls[0] > 1:
            raise OSError(code, os.strerror(code))
        return real(fd, bytes(data[: len(data) // 2]), offset)

    monkeypatch.setattr(os, "pwrite", pwrite)


def test_a_full_disk_leaves_the_log_as_it_was_and_the_next_write_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    disk = new_log(tmp_path, 2)
    before = disk.wal.read_bytes()
    failing_writes(monkeypatch, errno.ENOSPC)
    with pytest.raises(StorageFull, match="is full") as raised:
        disk.append(3, b"", to_nquads([note(3, "x" * 10_000)]))
    assert http_status(raised.value) == 507
    assert raised.value.localized("cs").startswith(f"složka úložiště {tmp_path} je plná: zápis nebyl uložen (")
    assert raised.value.localized("pl").startswith(f"folder magazynu {tmp_path} jest pełny: zapis nie został zachowany (")
    assert disk.wal.read_bytes() == before
    monkeypatch.undo()
    disk.append(3, b"", to_nquads([note(3)]))
    assert reopened(tmp_path) == (notes_upto(3), 3)


def test_an_fsync_error_is_a_store_error_and_the_record_is_cut_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    disk = new_log(tmp_path, 2)
    before = disk.wal.read_bytes()

    def fsync(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(StoreError, match="the write was not saved") as raised:
        disk.append(3, b"", to_nquads([note(3)]))
    assert http_status(raised.value) == 500 and not isinstance(raised.value, StorageFull)
    monkeypatch.undo()
    assert disk.wal.read_bytes() == before
    disk.append(3, b"", to_nquads([note(3)]))
    assert reopened(tmp_path) == (notes_upto(3), 3)


def test_a_failed_write_that_cannot_be_cut_back_is_cut_by_the_next_write_or_the_next_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = new_log(tmp_path, 2)
    good = disk.wal.stat().st_size
    failing_writes(monkeypatch, errno.ENOSPC)

    def ftruncate(fd: int, length: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "ftruncate", ftruncate)
    with pytest.raises(StorageFull):
        disk.append(3, b"", to_nquads([note(3, "lost")]))
    monkeypatch.undo()
    assert disk.wal.stat().st_size > good  # half a record is left behind
    assert reopened(tmp_path) == (notes_upto(2), 2)  # a start cuts it
    with disk.wal.open("ab") as log:
        log.write(b"@record 3 5 0 0")  # torn again, then the same process writes on
    disk.append(3, b"", to_nquads([note(3)]))
    assert reopened(tmp_path) == (notes_upto(3), 3)


# --- a lost base, the first format, compaction, big records ------------------------------------------------------


def test_a_log_without_its_base_refuses_to_open_and_is_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    disk = new_log(folder, 2)
    disk.base.unlink()
    log = disk.wal.read_bytes()
    settings = Settings(store_path=folder, load_bundled_data=False)
    with pytest.raises(StoreError, match=f"the store folder {folder} has a write-ahead log .* but no base.nq"):
        open_repository(settings, Layout(Path(__file__).resolve().parents[2]))
    assert disk.wal.read_bytes() == log and not disk.base.exists()


def test_a_base_with_a_line_past_the_reader_limit_is_refused_with_why(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / "base.nq").write_text('<urn:a> <urn:b> "' + "x" * 17_000_000 + '" <urn:g> .\n')
    settings = Settings(store_path=folder, load_bundled_data=False)
    with pytest.raises(StoreError, match="longer than the N-Quads reader's 16 MiB limit"):
        open_repository(settings, Layout(Path(__file__).resolve().parents[2]))


def test_a_store_folder_opens_in_one_process_at_a_time(tmp_path: Path) -> None:
    settings = Settings(store_path=tmp_path / "store", load_bundled_data=False)
    layout = Layout(Path(__file__).resolve().parents[2])
    first = open_repository(settings, layout)
    with pytest.raises(StoreError, match="is in use by another kgservice process"):
        open_repository(settings, layout)  # a second open file description: as another process would hold
    assert first.disk is not None


def test_a_log_of_the_first_format_is_migrated_on_open(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    base, wal = tmp_path / "base.nq", tmp_path / "wal.log"
    base.write_bytes(to_nquads([note(0)]))
    line = {n: to_nquads([note(n)]) for n in range(6)}
    records = [
        b"@commit 1\n+ " + line[1] + b"@end 1\n",
        b"@commit 2\n- " + line[0] + b"+ " + to_nquads([note(2, "torn")])[:20],  # cut mid-line by a full disk
        b"@commit 2\n+ " + line[2] + b"@end 2\n",  # the next append, glued to the torn line
        b"@commit 3\n+ " + line[3] + b"@end 3",  # cut before its last newline
        b"@commit 3\n+ " + line[3] + b"@end 3\n",  # glued likewise
        b"\0" * 100,  # a zeroed tail
        b"@commit 4\n+ " + line[4] + b"@end 4\n",  # glued to the zeros
        b"@commit 5\n+ " + line[5],  # the last record, incomplete
    ]
    wal.write_bytes(b"".join(records))
    expected = (set(map(note, range(5))), 4)
    with caplog.at_level(logging.WARNING, logger="kgservice.engine.wal"):
        assert reopened(tmp_path) == expected
    assert "migrated 4 records of the first log format" in caplog.text
    assert wal.read_bytes() == FORMAT_LINE and base.read_bytes().startswith(b"# kgservice-base 4\n")
    assert reopened(tmp_path) == expected
    disk = DiskLog(tmp_path)
    disk.load()
    disk.append(5, b"", line[5])
    assert reopened(tmp_path) == (expected[0] | {note(5)}, 5)


def test_a_first_format_quad_too_long_for_the_parser_refuses_with_a_message(tmp_path: Path) -> None:
    (tmp_path / "base.nq").write_bytes(b"")
    long_line = to_nquads([note(1, "x" * (17 * 1024 * 1024))])
    (tmp_path / "wal.log").write_bytes(b"@commit 1\n+ " + long_line + b"@end 1\n")
    with pytest.raises(StoreError, match=r"wal.log \(first format\): commit 1 cannot be read"):
        DiskLog(tmp_path).load()


def test_compaction_keeps_the_version_and_a_crash_between_its_renames_is_safe(tmp_path: Path) -> None:
    disk = new_log(tmp_path, 3)
    store, _ = DiskLog(tmp_path).load()
    old_log = disk.wal.read_bytes()
    disk.write_base(store)
    assert disk.wal.read_bytes() == FORMAT_LINE and reopened(tmp_path) == (notes_upto(3), 3)
    disk.wal.write_bytes(old_log)  # as if killed after the base's rename, before the log's
    assert reopened(tmp_path) == (notes_upto(3), 3)
    after = DiskLog(tmp_path)
    after.load()
    after.append(4, b"", to_nquads([note(4)]))
    assert reopened(tmp_path) == (notes_upto(4), 4)


def test_a_failed_compaction_only_warns_and_leaves_base_and_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    disk = new_log(tmp_path, 2)
    base, log = disk.base.read_bytes(), disk.wal.read_bytes()
    store, _ = DiskLog(tmp_path).load()

    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", fsync)
    with caplog.at_level(logging.WARNING, logger="kgservice.engine.wal"):
        disk.compact(store)
    monkeypatch.undo()
    assert "is full" in caplog.text
    assert (disk.base.read_bytes(), disk.wal.read_bytes()) == (base, log)
    assert not (tmp_path / "base.nq.tmp").exists()
    disk.append(3, b"", to_nquads([note(3)]))
    assert reopened(tmp_path) == (notes_upto(3), 3)


def test_a_log_of_many_megabytes_is_read_as_a_stream(tmp_path: Path) -> None:
    disk = new_log(tmp_path, 1)
    big = [note(2, "x" * (15 * 1024 * 1024)), note(3, "y" * (15 * 1024 * 1024))]
    disk.append(2, b"", to_nquads(big[:1]))
    disk.append(3, b"", to_nquads(big[1:]))
    tracemalloc.start()
    try:
        store, version = DiskLog(tmp_path).load()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert version == 3 and set(big) <= set(store)
    assert peak < 8 * 1024 * 1024, peak  # the Python side holds chunks, never a 15 MiB record or the log


def test_a_quad_too_long_to_read_back_is_refused_before_it_is_logged(tmp_path: Path) -> None:
    disk = new_log(tmp_path, 1)
    before = disk.wal.read_bytes()
    with pytest.raises(PayloadTooLarge, match="more than the store can read back") as raised:
        disk.append(2, b"", to_nquads([note(2), note(3, "x" * (17 * 1024 * 1024))]))
    assert http_status(raised.value) == 413 and disk.wal.read_bytes() == before
    assert "úložiště dokáže načíst zpět" in raised.value.localized("cs")
    disk.append(2, b"", to_nquads([note(2)]))
    assert reopened(tmp_path) == (notes_upto(2), 2)


# --- real processes ----------------------------------------------------------------------------------------------


def insert(n: int, text: str | None = None) -> str:
    value = text if text is not None else f"note {n}"
    return f"INSERT DATA {{ GRAPH <http://e/notes> {{ <http://e/n{n}> <http://e/says> '{value}' }} }}"


def post(url: str, update: str) -> httpx.Response:
    return httpx.post(url + "/sparql", data={"update": update}, headers=AUTH, timeout=60)


def notes(url: str) -> set[str]:
    query = "SELECT ?o WHERE { GRAPH <http://e/notes> { ?s ?p ?o } }"
    rows = httpx.get(url + "/sparql", params={"query": query}, timeout=60).json()["results"]["bindings"]
    return {row["o"]["value"] for row in rows}


def serve(tmp: Path, folder: Path) -> AbstractContextManager[Server]:
    """A real service on the store folder, starting from an empty graph so that starts and writes are quick."""
    return running_server(tmp, "--store", str(folder), write_token=TOKEN, load_bundled_data="false")


def held(url: str) -> set[str]:
    """The notes in the repository's graph itself (the graph store reads it, not the query workers)."""
    answer = httpx.get(url + "/rdf-graphs", params={"graph": NOTES.value}, headers={"Accept": "application/n-triples"})
    return {str(quad.object.value) for quad in ox.parse(answer.content, format=ox.RdfFormat.N_TRIPLES)}


def kill_9(process: subprocess.Popen[bytes]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MiB tmpfs, to be filled to the last byte."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"a small tmpfs cannot be mounted here (needs root and CAP_SYS_ADMIN): {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> Path:
    """Write a file until the disk is full."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError as error:
                assert error.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


def test_a_full_disk_refuses_the_write_with_507_and_keeps_the_log_as_it_was(tmp_path: Path, small_disk: Path) -> None:
    folder = small_disk / "store"
    wal = folder / "wal.log"
    with serve(tmp_path, folder) as first:
        assert post(first.url, insert(0)).status_code == 204
        before = wal.read_bytes()
        filler = fill(small_disk)
        os.truncate(filler, filler.stat().st_size - 4096)  # room for part of the next record only
        refused = post(first.url, insert(1, "y" * 20_000))
        assert refused.status_code == 507 and "is full" in refused.text
        assert wal.read_bytes() == before
        fill(small_disk)
        assert post(first.url, insert(2, "z" * 8000)).status_code == 507  # more than the log's last page holds
        assert wal.read_bytes() == before
        filler.unlink()
        assert post(first.url, insert(3)).status_code == 204
        assert notes(first.url) == {"note 0", "note 3"}
        assert held(first.url) == {"note 0", "note 3"}  # the repository's own graph kept no refused write
        kill_9(first.process)
    with serve(tmp_path, folder) as second:
        assert notes(second.url) == {"note 0", "note 3"}
        assert post(second.url, insert(4)).status_code == 204
    with serve(tmp_path, folder) as third:
        assert notes(third.url) == {"note 0", "note 3", "note 4"}


def test_a_service_starts_after_torn_zeroed_and_garbage_tails_and_keeps_the_next_writes(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    wal, acknowledged = folder / "wal.log", {"note 0"}
    with serve(tmp_path, folder) as server:
        assert post(server.url, insert(0)).status_code == 204
    tails = [frame(9, b"", b'<http://e/x> <http://e/says> "torn" <http://e/notes> .\n')[:-20], b"\0" * 3000, os.urandom(3000)]
    for n, tail in enumerate(tails, start=1):
        good = wal.stat().st_size
        with wal.open("ab") as log:
            log.write(tail)
        with serve(tmp_path, folder) as server:
            assert f"{wal}" in server.log_text() and f"at byte {good}" in server.log_text()
            assert notes(server.url) == acknowledged
            assert post(server.url, insert(n)).status_code == 204
            acknowledged.add(f"note {n}")
    with serve(tmp_path, folder) as server:
        assert notes(server.url) == acknowledged


def test_a_store_of_the_first_format_is_served_after_migration_and_takes_new_writes(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / "base.nq").write_bytes(to_nquads([note(0)]))
    first = [b"@commit %d\n+ " % n + to_nquads([note(n)]) + b"@end %d\n" % n for n in (1, 2)]
    (folder / "wal.log").write_bytes(b"".join(first) + b"@commit 3\n+ <http://e/n3> <http://e/sa")  # torn by a crash
    with serve(tmp_path, folder) as server:
        assert "migrated 2 records of the first log format" in server.log_text()
        assert notes(server.url) == {"note 0", "note 1", "note 2"}
        assert post(server.url, insert(3)).status_code == 204
        kill_9(server.process)
    assert (folder / "wal.log").read_bytes().startswith(FORMAT_LINE)
    with serve(tmp_path, folder) as server:
        assert notes(server.url) == {"note 0", "note 1", "note 2", "note 3"}


def refused_start(tmp_path: Path, folder: Path) -> str:
    """Start `kgservice serve --store folder`, expect it to exit with an error, and return what it printed."""
    port, output = free_port(), tmp_path / "refused.log"
    environment = {**os.environ, "KGSERVICE_WRITE_TOKEN": TOKEN, "KGSERVICE_LOAD_BUNDLED_DATA": "false"}
    with output.open("wb") as out:
        done = subprocess.run(
            [sys.executable, "-m", "kgservice", "serve", "--port", str(port), "--store", str(folder)],
            stdout=out, stderr=subprocess.STDOUT, env=environment, timeout=120,
        )  # fmt: skip
    assert done.returncode != 0
    return output.read_text()


def test_a_store_folder_whose_base_is_lost_refuses_to_start_and_names_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    with serve(tmp_path, folder) as server:
        assert post(server.url, insert(0)).status_code == 204
    (folder / "base.nq").unlink()
    log = (folder / "wal.log").read_bytes()
    assert f"the store folder {folder} has a write-ahead log (wal.log) but no base.nq" in refused_start(tmp_path, folder)
    assert (folder / "wal.log").read_bytes() == log and not (folder / "base.nq").exists()


def test_a_second_service_on_the_same_store_folder_refuses_to_start(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    with serve(tmp_path, folder) as server:
        assert post(server.url, insert(0)).status_code == 204
        assert f"the store folder {folder} is in use by another kgservice process" in refused_start(tmp_path, folder)
        assert post(server.url, insert(1)).status_code == 204
    with serve(tmp_path, folder) as server:
        assert notes(server.url) == {"note 0", "note 1"}


def burst(url: str, first: int, stop: threading.Event, acknowledged: set[str]) -> None:
    """Write notes first, first+1, ... until stopped; a note is acknowledged when its write answers 204."""
    n = first
    while not stop.is_set():
        try:
            if post(url, insert(n)).status_code == 204:
                acknowledged.add(f"note {n}")
        except httpx.HTTPError:
            return  # the service was killed mid-request: this write is not acknowledged
        n += 1


def test_kill_9_during_bursts_of_writes_loses_no_acknowledged_write(tmp_path: Path) -> None:
    folder, acknowledged = tmp_path / "store", set[str]()
    for round_ in range(3):
        with serve(tmp_path, folder) as server:
            assert acknowledged <= notes(server.url), round_
            stop = threading.Event()
            firsts = [1000 * (4 * round_ + k) for k in range(4)]
            writers = [threading.Thread(target=burst, args=(server.url, n, stop, acknowledged)) for n in firsts]
            for writer in writers:
                writer.start()
            time.sleep(1.5 + round_)
            kill_9(server.process)
            stop.set()
            for writer in writers:
                writer.join(60)
        assert acknowledged, "no write was acknowledged before the kill"
    with serve(tmp_path, folder) as server:
        assert acknowledged <= notes(server.url)
        assert post(server.url, insert(99)).status_code == 204
        kill_9(server.process)
    with serve(tmp_path, folder) as server:
        assert acknowledged | {"note 99"} <= notes(server.url)
