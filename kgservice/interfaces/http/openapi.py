"""What the OpenAPI schema says of request bodies and responses that FastAPI cannot see: the protocol
routes read their bodies themselves, and errors are answered by the app factory's one handler.

Errors are JSON (`{"error": ...}`) under /api/ and plain text elsewhere; a 422 is JSON everywhere,
since it carries FastAPI's problems or the SHACL report."""

from __future__ import annotations

from typing import Any

from kgservice.rdf.media import GRAPH_FORMATS, RESULT_FORMATS

Responses = dict[int | str, dict[str, Any]]
REASONS = {
    400: "the request is malformed: a syntax error (with line and column), a bad parameter or IRI",
    401: "a write without an 'Authorization: Bearer <token>' header",
    403: "writes are off or the token is wrong, or the query asks for SERVICE or LOAD the service does not allow",
    404: "no graph, query or resource of that name",
    406: "none of the accepted media types can be produced",
    409: "the change conflicts with the graph's state (CREATE of an existing graph, DROP of a missing one)",
    413: "the request body or the result is over the service's limit",
    415: "a request body of a media type the service does not read",
    422: "invalid parameters, or a change that would make the graph invalid (with the SHACL report)",
    503: "the query ran past its deadline, or the service is busy (Retry-After)",
    507: "the store's disk is full; the write was not saved",
}
ERROR_JSON = {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}
TEXT = {"type": "string"}
ANY: dict[str, Any] = {}


def errors(*statuses: int, json: bool) -> Responses:
    """The error responses of a route: JSON bodies for the API under /api/, plain text for the protocols."""
    body = {"application/json": {"schema": ERROR_JSON}} if json else {"text/plain": {"schema": TEXT}}
    return {
        status: {
            "description": REASONS[status],
            "content": {"application/json": {"schema": ERROR_JSON}} if status == 422 else body,
        }
        for status in statuses
    }


def media_content(media_types: list[str]) -> dict[str, Any]:
    """A response or body content of each media type: a string, or any JSON value for the JSON types."""
    return {m: {"schema": ANY if m.endswith("json") else TEXT} for m in media_types}


RESULTS_OR_GRAPH = media_content([*RESULT_FORMATS, *GRAPH_FORMATS])
GRAPHS = media_content(list(GRAPH_FORMATS))
