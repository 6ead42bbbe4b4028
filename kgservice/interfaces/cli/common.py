"""What every `kgservice` subcommand does the same way: find the project tree, name the label languages,
write its answer to the standard output or to --out, and report an error in one line.

Here and not in main.py, which imports the subcommand modules: they import this module instead."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kgservice.errors import EXIT_ERROR, KgServiceError, exit_code
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


def report(error: KgServiceError | OSError | ValueError) -> int:
    """Say a failure in one line on the standard error, with no traceback; return the exit code it ends with."""
    print(f"kgservice: error: {error}", file=sys.stderr)
    return exit_code(error) if isinstance(error, KgServiceError) else EXIT_ERROR
