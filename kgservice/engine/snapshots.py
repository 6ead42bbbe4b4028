"""Where the graph's N-Quads snapshots for the query workers are written, and that they do not outlive it.

A snapshot is the whole graph (216 MB at 1M triples), written once per version a worker starts from. With a
store folder it is written there, on the disk the graph already lives on; without one, to a temporary
folder named after this process, removed when the service stops. A folder whose process is gone (killed
before it could remove it) is removed by the next service that starts. Temporary folders used to be kept:
1,824 of them, 5.7 GB, had piled up on one development machine.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path

PREFIX = "kgservice-snapshots-"


@dataclass(frozen=True)
class Snapshots:
    """A folder of snapshots and the one it holds already, with its version (None: none yet)."""

    folder: Path
    first: tuple[Path, int] | None = None


def snapshot_folder(owner: object, store_folder: Path | None) -> Path:
    """An empty folder for `owner`'s snapshots, removed with it (or at exit) when it is a temporary one."""
    if store_folder is not None:
        folder = store_folder / "snapshots"
        shutil.rmtree(folder, ignore_errors=True)  # the store folder is locked: these were this store's own
        folder.mkdir()
        return folder
    remove_orphans(Path(tempfile.gettempdir()))
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
    weakref.finalize(owner, shutil.rmtree, folder, ignore_errors=True)
    return folder


def link_base(base: Path, folder: Path, version: int) -> Snapshots:
    """The store folder's base as the first snapshot, a hard link (no copy, no dump): it stays the base of
    `version` when the base is later replaced by a new one. Without hard links, no first snapshot."""
    first = folder / f"v{version}.nq"
    try:
        os.link(base, first)
    except OSError:
        return Snapshots(folder)
    return Snapshots(folder, (first, version))


def remove_orphans(parent: Path) -> None:
    """Remove the snapshot folders of processes that no longer run (a folder not named after its process, as
    earlier versions made them, is left alone: whether its service still runs cannot be told)."""
    for folder in parent.glob(f"{PREFIX}*-*"):
        pid = folder.name.removeprefix(PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: not ours to judge
    return True
