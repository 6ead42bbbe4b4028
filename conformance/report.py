"""Reports of a run: a Markdown summary (one table row per suite, then every failure), JSON, and
the known-failures list that --fail-on-regression compares against (one test IRI a line, # comments).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from conformance.outcome import Outcome, Status


def counts(outcomes: Sequence[Outcome]) -> dict[str, dict[str, int]]:
    """Passed / failed / not applicable per suite, suites in the order they ran."""
    table: dict[str, dict[str, int]] = {}
    for outcome in outcomes:
        row = table.setdefault(outcome.suite, {status.value: 0 for status in Status})
        row[outcome.status.value] += 1
    return table


def summary_lines(outcomes: Sequence[Outcome]) -> list[str]:
    """One line per suite, for the terminal."""
    return [
        f"{suite}: {row['passed']} passed, {row['failed']} failed, {row['not applicable']} not applicable"
        for suite, row in counts(outcomes).items()
    ]


def markdown(outcomes: Sequence[Outcome], title: str = "SPARQL 1.1 conformance") -> str:
    """The report as Markdown: counts per suite, failures, then the reasons tests were not applicable."""
    lines = [f"# {title}", "", "| suite | passed | failed | not applicable | total |", "|---|---:|---:|---:|---:|"]
    for suite, row in counts(outcomes).items():
        lines.append(f"| {suite} | {row['passed']} | {row['failed']} | {row['not applicable']} | {sum(row.values())} |")
    for suite in counts(outcomes):
        lines += _failures(suite, [o for o in outcomes if o.suite == suite and o.status is Status.FAILED])
        lines += _not_applicable(suite, [o for o in outcomes if o.suite == suite and o.status is Status.NOT_APPLICABLE])
    return "\n".join(lines) + "\n"


def _failures(suite: str, failed: Sequence[Outcome]) -> list[str]:
    if not failed:
        return []
    lines = ["", f"## {suite}: failures ({len(failed)})", "", "| test | name | reason |", "|---|---|---|"]
    return lines + [f"| `{o.iri}` | {_cell(o.name)} | {_cell(o.reason)} |" for o in failed]


def _not_applicable(suite: str, skipped: Sequence[Outcome]) -> list[str]:
    if not skipped:
        return []
    reasons = Counter(o.reason for o in skipped)
    lines = ["", f"## {suite}: not applicable ({len(skipped)})", "", "| tests | reason |", "|---:|---|"]
    return lines + [f"| {n} | {_cell(reason)} |" for reason, n in reasons.most_common()]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_json(outcomes: Sequence[Outcome]) -> str:
    """The report as JSON: counts per suite and every outcome."""
    body = {
        "summary": counts(outcomes),
        "outcomes": [
            {
                "suite": o.suite,
                "test": o.iri,
                "name": o.name,
                "status": o.status.value,
                "reason": o.reason,
                "runner_error": o.runner_error,
            }
            for o in outcomes
        ],
    }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def read_known_failures(path: Path) -> set[str]:
    """Test IRIs listed in a known-failures file: the first word of each line not starting with #."""
    words = (line.split() for line in path.read_text("utf-8").splitlines())
    return {parts[0] for parts in words if parts and not parts[0].startswith("#")}


def known_failures_text(outcomes: Iterable[Outcome]) -> str:
    """A known-failures file for this run: every failed test IRI, its suite and reason as a comment."""
    header = "# Known failures: one test IRI a line; --fail-on-regression FILE exits 1 on a failure not listed here.\n"
    lines = [f"{o.iri}  # {o.suite}: {o.reason}" for o in outcomes if o.status is Status.FAILED]
    return header + "\n".join(lines) + ("\n" if lines else "")


def new_failures(outcomes: Iterable[Outcome], known: set[str]) -> list[Outcome]:
    """Failures not in the known list."""
    return [o for o in outcomes if o.status is Status.FAILED and o.iri not in known]
