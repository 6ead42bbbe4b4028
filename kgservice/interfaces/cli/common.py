"""What every `kgservice` subcommand does the same way: find the project tree, name the label languages,
write its answer to the standard output or to --out, and report an error in one line.

Here and not in main.py, which imports the subcommand modules: they import this module instead."""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kgservice.errors import EXIT_ERROR, EXIT_OK, KgServiceError, exit_code
from kgservice.project.layout import Layout, default_layout, default_user_dir

LANGS = ("cs", "pl", "en")
"""The languages of the labels, for --lang; English is also the fallback where a label is missing."""


def layout(args: argparse.Namespace) -> Layout:
    """The project tree given with --root, else the bundled one; with the user data directory given with
    --user-data, else the default one (KGSERVICE_USER_DATA, else the XDG data folder)."""
    root: str | None = getattr(args, "root", None)
    user: str | None = getattr(args, "user_data", None)
    chosen = Layout(Path(root)) if root else default_layout()
    return chosen.with_user_dir(Path(user) if user else default_user_dir())


def write(text: str, out: Path | None) -> None:
    """The command's answer on the standard output, ending its line, or in the file `out` exactly as given
    (newline="": a CSV's CRLF line ends stay as the CSV writer made them)."""
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        out.write_text(text, encoding="utf-8", newline="")


def report(error: KgServiceError | OSError | ValueError, lang: str = "en") -> int:
    """Say a failure in one line on the standard error (in `lang` where the catalogues have its message), with
    no traceback; return the exit code it ends with."""
    message = error.localized(lang) if isinstance(error, KgServiceError) else str(error)
    print(f"kgservice: error: {message}", file=sys.stderr)
    return exit_code(error) if isinstance(error, KgServiceError) else EXIT_ERROR


# Seconds between two updates of a progress line.
TICK = 1.0


def on_terminal() -> bool:
    """Whether progress may be shown: only on a terminal, so that pipes, files and tests read the answer alone."""
    return sys.stderr.isatty()


@contextmanager
def progress(message: str) -> Iterator[None]:
    """Show `message ... N s` on the standard error while the block runs, updated every TICK seconds, and
    `message ... done in N s` after it; nothing when the standard error is not a terminal. A step that
    gives no progress of its own (pySHACL validating, a graph loading) shows this way that it is alive."""
    if not on_terminal():
        yield
        return
    started, stop = time.monotonic(), threading.Event()

    def tick() -> None:
        while not stop.wait(TICK):
            sys.stderr.write(f"\r{message} ... {time.monotonic() - started:.0f} s")
            sys.stderr.flush()

    sys.stderr.write(f"{message} ...")
    sys.stderr.flush()
    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    try:
        yield
    finally:
        stop.set()
        ticker.join()
        sys.stderr.write(f"\r{message} ... done in {time.monotonic() - started:.1f} s\n")
        sys.stderr.flush()


def reader_left() -> int:
    """The reader of the standard output went away (`kgservice query ... | head`): end quietly and with
    success, as Unix tools do. The standard output is pointed at /dev/null first, so that Python's flush
    of it at exit does not fail a second time and print "Broken pipe" after all."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_OK
