"""Measure the shape of the package: modules per folder, module and function sizes, imports between folders.

python -m benchmarks.code_shape            # a Markdown table of the distributions
"""

from __future__ import annotations

import ast
import statistics
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kgservice"


def _quantiles(values: list[int]) -> str:
    ordered = sorted(values)
    q = statistics.quantiles(ordered, n=10, method="inclusive")
    return f"median {statistics.median(ordered):g}, p90 {q[8]:g}, max {ordered[-1]}, n {len(ordered)}"


def function_lengths(tree: ast.AST) -> list[int]:
    """Lines of every function and method, decorators excluded."""
    return [
        node.end_lineno - node.lineno + 1
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None
    ]


def main() -> int:
    modules = sorted(p for p in PACKAGE.rglob("*.py"))
    module_lines: list[int] = []
    functions: list[int] = []
    for path in modules:
        text = path.read_text(encoding="utf-8")
        module_lines.append(len(text.splitlines()))
        functions.extend(function_lengths(ast.parse(text)))
    top = [p for p in modules if p.parent == PACKAGE]
    print("| measure | value |\n|---|---|")
    print(f"| modules (all / at the package's top level) | {len(modules)} / {len(top)} |")
    print(f"| lines per module | {_quantiles(module_lines)} |")
    print(f"| lines per function | {_quantiles(functions)} |")
    print(f"| lines in all | {sum(module_lines)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
