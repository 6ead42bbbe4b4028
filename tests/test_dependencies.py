"""Every third-party module the package imports is covered by a runtime dependency in pyproject.toml.

A module that is only there because a test or dev tool pulled it in (httpx came with the test extra) works in
the dev venv and breaks a plain `pip install kgservice`; tests/engine/test_install.py catches that at run time
for the paths it takes, this test catches it for every import.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from tests.conftest import ROOT

PACKAGE = ROOT / "kgservice"


def normalized(name: str) -> str:
    """A distribution name as PEP 503 compares them: `PyYAML` and `pyyaml`, `typing_extensions` and `typing-extensions`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_runtime_distributions() -> set[str]:
    """The names in [project] dependencies, without versions, extras and markers."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = set()
    for requirement in project["dependencies"]:
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
        assert match, f"cannot read the name of the dependency {requirement!r}"
        names.add(normalized(match.group(1)))
    return names


def imported_top_level_modules() -> dict[str, list[str]]:
    """Each absolute import's first name, with the files (and lines) that import it."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.partition(".")[0], []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def third_party(modules: dict[str, list[str]]) -> dict[str, list[str]]:
    return {m: where for m, where in modules.items() if m not in sys.stdlib_module_names and m not in {"kgservice", "__future__"}}


def test_the_scan_sees_the_package_imports() -> None:
    modules = imported_top_level_modules()
    # A scan that finds nothing passes trivially; these are imported all over the package.
    assert {"rdflib", "pyoxigraph", "fastapi", "httpx"} <= set(third_party(modules))
    assert "json" in modules and "json" not in third_party(modules)


def test_every_third_party_import_is_a_declared_runtime_dependency() -> None:
    declared = declared_runtime_distributions()
    providers = packages_distributions()
    missing = []
    for module, where in sorted(third_party(imported_top_level_modules()).items()):
        distributions = {normalized(d) for d in providers.get(module, [])}
        assert distributions, f"no installed distribution provides {module!r} (imported at {', '.join(where)})"
        if not distributions & declared:
            missing.append(f"{module} (from {' or '.join(sorted(distributions))}; imported at {', '.join(where[:3])})")
    assert not missing, "imported by kgservice but not in [project] dependencies: " + "; ".join(missing)
