"""What running one test gives: passed, failed or not applicable, with a one-line reason."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from conformance.manifest import TestCase


class Status(StrEnum):
    """The three verdicts a conformance report counts."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_APPLICABLE = "not applicable"


@dataclass(frozen=True)
class Outcome:
    """The verdict on one test of one suite."""

    suite: str
    iri: str
    name: str
    status: Status
    reason: str = ""
    runner_error: bool = False  # the runner, not the endpoint, broke on this test


def verdict(suite: str, case: TestCase, failure: str | None) -> Outcome:
    """Passed when `failure` is None, else failed with that reason."""
    status = Status.PASSED if failure is None else Status.FAILED
    return Outcome(suite, str(case.iri), case.name, status, one_line(failure or ""))


def not_applicable(suite: str, case: TestCase, reason: str) -> Outcome:
    """A test this endpoint or configuration cannot be measured by."""
    return Outcome(suite, str(case.iri), case.name, Status.NOT_APPLICABLE, one_line(reason))


def runner_error(suite: str, case: TestCase, error: Exception) -> Outcome:
    """A test the runner itself could not carry out; counted as failed and flagged."""
    reason = f"runner error: {type(error).__name__}: {error}"
    return Outcome(suite, str(case.iri), case.name, Status.FAILED, one_line(reason), runner_error=True)


def one_line(text: str, limit: int = 300) -> str:
    """Collapse whitespace and cut long text so a reason fits a table cell."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
