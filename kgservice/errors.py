"""The exceptions kgservice raises, one tree so that callers map each to an exit code or HTTP status.

KgServiceError
├── InputError                 bad input from a user or a file (exit 2 / HTTP 400)
│   ├── DataSyntaxError        malformed RDF: file, line, column
│   ├── QuerySyntaxError       malformed SPARQL: line, column
│   ├── UnknownQueryError      no named query of that name
│   └── ParameterError         a query parameter missing, unknown or of the wrong form
├── StoreError                 the store could not answer (exit 2 / HTTP 500)
└── ShapesError                the shapes parse but cannot run (exit 2), in kgservice.checks.validation
"""

from __future__ import annotations


class KgServiceError(Exception):
    """Base of every error kgservice raises on purpose."""


class InputError(KgServiceError):
    """The input (a file, a query, a parameter) is wrong; the message says what and where."""


class DataSyntaxError(InputError):
    """An RDF file does not parse."""

    def __init__(self, source: str, line: int | None, column: int | None, message: str) -> None:
        self.source, self.line, self.column, self.detail = source, line, column, message
        where = f"{source}:{line}:{column}" if line is not None else source
        super().__init__(f"{where}: {message}")


class QuerySyntaxError(InputError):
    """A SPARQL query or update does not parse."""

    def __init__(self, source: str, line: int | None, column: int | None, message: str) -> None:
        self.source, self.line, self.column, self.detail = source, line, column, message
        where = f"{source}:{line}:{column}" if line is not None else source
        super().__init__(f"{where}: {message}")


class UnknownQueryError(InputError):
    """A named query that does not exist was asked for."""


class ParameterError(InputError):
    """A query parameter is missing, unknown or malformed."""


class StoreError(KgServiceError):
    """The store failed while answering."""
