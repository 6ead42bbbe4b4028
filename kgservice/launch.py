"""The `kgservice` console script's entry point, light on purpose.

A query worker is a spawned process, and spawn runs the parent's main script again in the child (as
`__mp_main__`). For the console script that script imports its entry point's module: the whole command line
before, about 45 MiB more in every worker. This module imports the command line only when called.
"""

from __future__ import annotations


def main() -> int:
    from kgservice.interfaces.cli.main import main as run

    return run()
