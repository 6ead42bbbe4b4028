"""The console script's entry point stays light: spawn runs the parent's main script again in every query
worker, and a script that imported the command line made each worker 45 MiB larger (88 MiB against 43)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "kgservice"
HEAVY = ("kgservice.interfaces", "kgservice.analysis", "fastapi", "rdflib", "pyshacl")


def test_a_worker_spawned_by_the_console_script_imports_no_command_line() -> None:
    """Run the installed script as spawn runs it in a worker (as `__mp_main__`) and list what it imported."""
    assert SCRIPT.is_file(), f"the console script is not installed at {SCRIPT}"
    probe = (
        f"import runpy, sys; runpy.run_path({str(SCRIPT)!r}, run_name='__mp_main__'); "
        f"print(sorted(m for m in sys.modules if m.startswith({HEAVY!r})))"
    )
    imported = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert imported.stdout.strip() == "[]"


def test_the_console_script_still_runs_the_command_line() -> None:
    shown = subprocess.run([str(SCRIPT), "queries"], capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert "coherence-matrix" in shown.stdout
