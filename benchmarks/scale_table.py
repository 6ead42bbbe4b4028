"""What the per-query and per-page timing scripts share: their arguments, a time marked when over the 1 s target,
and a Markdown table of one row per query or page and one column per scale."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

TARGET_MS = 1000.0
T = TypeVar("T")


def milliseconds(ms: float) -> str:
    """A time, bold when it is over the target."""
    return f"**{ms:.1f}**" if ms > TARGET_MS else f"{ms:.1f}"


def render(what: str, column: str, results: Mapping[int, Mapping[str, T]], cell: Callable[[T | None], str]) -> str:
    """Rows of `results[scale][name]` (names in the first scale's order), each cell written by `cell`."""
    scales = list(results)
    head = f"| {what} | " + " | ".join(f"{s:,} triples: {column}" for s in scales) + " |"
    lines = [head, "|---|" + "---:|" * len(scales)]
    for name in results[scales[0]]:
        lines.append(f"| {name} | " + " | ".join(cell(results[s].get(name)) for s in scales) + " |")
    return "\n".join(lines) + "\n"


def arguments(description: str, scales: str, rounds: str, work: Path, argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default=scales, help="comma-separated triple counts")
    parser.add_argument("--rounds", type=int, default=3, help=f"{rounds} (the median is reported)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=work)
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    return args
