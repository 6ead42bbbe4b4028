"""Every exception kgservice raises on purpose, in one tree, and what each means to a caller.

KgServiceError                       HTTP  exit
├── InputError                        400   2   bad input from a user or a file; the message says what and where
│   ├── DataSyntaxError               400   2   malformed RDF: file, line, column
│   ├── QuerySyntaxError              400   2   malformed SPARQL: line, column
│   ├── ParameterError                400   2   a query parameter missing, unknown or of the wrong form
│   ├── UnknownStrategyError          400   2   an IRI given as a strategy is not a strategy document
│   ├── SuggestionError               400   2   a judgment that cannot be recorded
│   │   ├── UnknownAlignmentError     404   2   the IRI judged is not an alignment of the graph
│   │   └── NotPendingError           409   2   the alignment judged is not a pending suggestion
│   ├── SssomFormatError              400   2   an SSSOM table that cannot be read: file, row, line, column
│   ├── ImportRefused                 400   2   a document that cannot be imported: file and line, page or row
│   ├── MalformedRequest              400   -   a request that does not follow the SPARQL or Graph Store protocol
│   ├── NotFound                      404   2   nothing of that name
│   │   └── UnknownQueryError         404   2   no named query of that name
│   ├── MethodNotAllowed              405   -   an HTTP method the resource does not answer
│   ├── NotAcceptable                 406   -   none of the requested media types can be produced
│   ├── PayloadTooLarge               413   -   a request body over the service's limit
│   │   └── TermTooLarge              413   2   a literal or IRI written over the service's limit
│   ├── ResultTooLarge                413   2   a result over the service's limit (add LIMIT)
│   ├── RequestHeadTooLarge           431   -   a request line and headers over the service's bound
│   ├── UnsupportedMediaType          415   -   a request body of a media type the service does not read
│   ├── UpdateConflict                409   -   an update the graph's state refuses (CREATE an existing graph...)
│   ├── NestingTooDeep                400   2   a query or update nested deeper than the service's limit
│   └── ForbiddenOperation            403   2   SERVICE, LOAD or a file read the service does not allow
├── AccessDenied                      403   -   writes are off, or the token is not valid for writes
│   └── Unauthenticated               401   -   a write without a bearer token
├── WriteRejected                     422   2   the change would make the graph invalid; nothing was changed
├── QueryTimeout                      503   2   the query ran past its deadline and its worker was stopped
├── QueryOutOfMemory                  503   2   the query needed more memory than a worker may use; it was stopped
├── ServiceBusy                       503   -   the queue of queries is full; retry after the Retry-After seconds
├── StoreError                        500   2   the store could not answer
│   └── StorageFull                   507   2   the store folder's disk is full: the write was not saved
├── ShapesError                       500   2   the shapes parse but cannot run
└── SssomExportError                  500   2   an alignment that cannot be one SSSOM row without losing a fact

`http_status()` and `exit_code()` read the table above (`STATUS`): the app factory and the command line
map errors through them and nowhere else.

A message may be a text of the gettext catalogues with named arguments, `ParameterError(N_("no %(name)s
here"), name=x)`: `str(error)` is the English text, and the edge (the app's handlers by the request's
language, the command line by --lang) shows `error.localized(lang)`. A message built otherwise is shown as
it is, in English.
"""

from __future__ import annotations

from kgservice.translation import N_, translator


class KgServiceError(Exception):
    """Base of every error kgservice raises on purpose."""

    def __init__(self, message: str = "", /, **args: object) -> None:
        self.message, self.message_args = message, args
        super().__init__(message % args if args else message)

    def localized(self, lang: str) -> str:
        """The message in `lang` where the catalogues have it, else as raised."""
        text = translator(lang).gettext(self.message) if self.message else str(self)
        return text % self.message_args if self.message_args and self.message else text


class InputError(KgServiceError):
    """The input (a file, a query, a parameter) is wrong; the message says what and where."""


class _Placed(InputError):
    """An error at a place (`where`: a file, and where in it), put before the message untranslated. `message`
    may be a text of the catalogues with named arguments (`args`)."""

    def __init__(self, where: str, message: str, /, **args: object) -> None:
        self.where = where
        super().__init__(message, **args)
        self.detail = message % args if args else message

    def __str__(self) -> str:
        return f"{self.where}: {self.detail}"

    def localized(self, lang: str) -> str:
        return f"{self.where}: {super().localized(lang)}"


class _Located(_Placed):
    """An error at a place in a text: its source, line and column."""

    def __init__(self, source: str, line: int | None, column: int | None, message: str, **args: object) -> None:
        self.source, self.line, self.column = source, line, column
        super().__init__(f"{source}:{line}:{column}" if line is not None else source, message, **args)

    def localized(self, lang: str) -> str:
        """The message in `lang`, after the place; a source that is a text of the catalogues (the label of a
        query or update sent over HTTP) in `lang` too, a file name as it is."""
        source = translator(lang).gettext(self.source) if self.source else self.source
        where = f"{source}:{self.line}:{self.column}" if self.line is not None else source
        return f"{where}: {KgServiceError.localized(self, lang)}"


class DataSyntaxError(_Located):
    """An RDF file does not parse."""


class QuerySyntaxError(_Located):
    """A SPARQL query or update does not parse."""


class ParameterError(InputError):
    """A query parameter is missing, unknown or malformed."""


class UnknownStrategyError(InputError):
    """An IRI given as a strategy is not a strategy document of the graph."""


class SuggestionError(InputError):
    """A judgment that cannot be recorded (blank reviewer, strength off the scale)."""


class UnknownAlignmentError(SuggestionError):
    """The IRI named for a judgment is not an alignment of the graph."""


class NotPendingError(SuggestionError):
    """The alignment named for a judgment is not a pending suggestion (it is stated, curated or rejected)."""


class SssomFormatError(_Placed):
    """An SSSOM table that cannot be read: the message names the file, row, line and column.

    `message` may be a text with named arguments (`args`), so that it can be translated; the place is put
    before it, untranslated."""

    def __init__(
        self,
        source: str,
        message: str,
        row: int | None = None,
        line: int | None = None,
        column: str | None = None,
        **args: object,
    ) -> None:
        self.source, self.row, self.line, self.column = source, row, line, column
        where = source + (f": row {row} (line {line})" if row is not None else "")
        super().__init__(where + (f", column {column}" if column else ""), message, **args)


class ImportRefused(_Placed):
    """A document that cannot be imported as a strategy: the message names the file and the line, page or row.

    `message` may be a text with named arguments (`args`), so that it can be translated; the place is put
    before it, untranslated."""

    def __init__(
        self,
        source: str,
        message: str,
        line: int | None = None,
        page: int | None = None,
        row: int | None = None,
        **args: object,
    ) -> None:
        self.source, self.line, self.page, self.row = source, line, page, row
        places = (("page", page), ("row", row), ("line", line))
        super().__init__(source + "".join(f", {name} {n}" for name, n in places if n is not None), message, **args)


class MalformedRequest(InputError):
    """A request that does not follow the SPARQL 1.1 Protocol or the Graph Store Protocol."""


class NotFound(InputError):
    """Nothing of that name: a graph, a resource, a file."""


class UnknownQueryError(NotFound):
    """A named query that does not exist was asked for."""


class MethodNotAllowed(InputError):
    """An HTTP method the resource does not answer."""


class NotAcceptable(InputError):
    """None of the media types the client accepts can be produced."""


class PayloadTooLarge(InputError):
    """A request body larger than the service's limit."""


class TermTooLarge(PayloadTooLarge):
    """A change would store a literal or an IRI larger than the service's limit; nothing was changed."""


class RequestHeadTooLarge(InputError):
    """The request line and headers are longer than the service's bound (431; the connection is closed)."""


class ResultTooLarge(InputError):
    """The serialized result passed the size limit."""


class UnsupportedMediaType(InputError):
    """A request body of a media type the service does not read."""


class UpdateConflict(InputError):
    """An update that cannot be applied to the graph as it is (CREATE of an existing graph, DROP of a missing one)."""


class NestingTooDeep(InputError):
    """A query or update nests brackets deeper than the service's limit (it was refused before parsing)."""


class ForbiddenOperation(InputError):
    """The request asks for an outbound request or a file read that the service does not allow."""


class AccessDenied(KgServiceError):
    """Writes are off on this service, or the token given is not valid for writes."""


class Unauthenticated(AccessDenied):
    """A write that carries no bearer token."""


class WriteRejected(KgServiceError):
    """The change would make the graph invalid; nothing was changed."""

    def __init__(self, report_text: str, violations: list[dict[str, str | None]]) -> None:
        self.report_text, self.violations = report_text, violations
        super().__init__(N_("the change was rejected: the graph would not conform to the shapes"))


class QueryTimeout(KgServiceError):
    """The query ran past its deadline and its worker was stopped."""


class QueryOutOfMemory(KgServiceError):
    """The query needed more memory than a query worker may use; the worker was stopped and replaced."""


class ServiceBusy(KgServiceError):
    """Too many queries are waiting; `retry_after` says in how many seconds to try again."""

    def __init__(self, message: str, retry_after: int = 1, **args: object) -> None:
        self.retry_after = retry_after
        super().__init__(message, **args)


class StoreError(KgServiceError):
    """The store failed while answering."""


class StorageFull(StoreError):
    """The disk of the store folder is full (or over quota): the write was not saved, and the log is as it was."""


class ShapesError(KgServiceError):
    """The shapes cannot be run (for example a SPARQL constraint pyshacl rejects): nothing was validated."""


class SssomExportError(KgServiceError):
    """An alignment of the graph cannot be written as one SSSOM row without losing a fact."""


EXIT_OK, EXIT_INVALID, EXIT_ERROR = 0, 1, 2

# (HTTP status, command-line exit code) of each class; a class not listed takes its nearest base's.
STATUS: dict[type[KgServiceError], tuple[int, int]] = {
    KgServiceError: (500, EXIT_ERROR),
    InputError: (400, EXIT_ERROR),
    ImportRefused: (400, EXIT_ERROR),
    UnknownAlignmentError: (404, EXIT_ERROR),
    NotPendingError: (409, EXIT_ERROR),
    NotFound: (404, EXIT_ERROR),
    MethodNotAllowed: (405, EXIT_ERROR),
    NotAcceptable: (406, EXIT_ERROR),
    PayloadTooLarge: (413, EXIT_ERROR),
    RequestHeadTooLarge: (431, EXIT_ERROR),
    ResultTooLarge: (413, EXIT_ERROR),
    UnsupportedMediaType: (415, EXIT_ERROR),
    UpdateConflict: (409, EXIT_ERROR),
    ForbiddenOperation: (403, EXIT_ERROR),
    AccessDenied: (403, EXIT_ERROR),
    Unauthenticated: (401, EXIT_ERROR),
    WriteRejected: (422, EXIT_ERROR),
    QueryTimeout: (503, EXIT_ERROR),
    QueryOutOfMemory: (503, EXIT_ERROR),
    ServiceBusy: (503, EXIT_ERROR),
    StorageFull: (507, EXIT_ERROR),
}


def _entry(error: KgServiceError) -> tuple[int, int]:
    kind = next(k for k in type(error).__mro__ if k in STATUS)
    return STATUS[kind]


def http_status(error: KgServiceError) -> int:
    """The HTTP status that answers `error`."""
    return _entry(error)[0]


def exit_code(error: KgServiceError) -> int:
    """The command-line exit code that ends a command failing with `error`."""
    return _entry(error)[1]
