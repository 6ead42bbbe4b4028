"""Parse an uploaded RDF body in a short-lived child process that may die without taking the service along.

A JSON-LD body nested deep enough crashed the whole server, which parsed it in its own process; here the
body is checked (kgservice.rdf.limits) and then parsed by `python -m kgservice.rdf.isolated`, under a
memory limit and a deadline, which writes the triples back as N-Triples: a flat format, read linearly.
"""

from __future__ import annotations

import json
import logging
import resource
import subprocess
import sys

import pyoxigraph as ox

from kgservice.errors import DataSyntaxError, PayloadTooLarge
from kgservice.rdf.limits import check_rdf_body
from kgservice.translation import N_

log = logging.getLogger(__name__)
PARSE_SECONDS = 120.0  # a 20 MB upload (the default limit) parses in a few seconds
MEMORY_BYTES = 4 << 30  # the child's address space: far above what a 20 MB body needs
EXIT_SYNTAX = 2


def parse_isolated(
    body: bytes, rdf_format: ox.RdfFormat, base_iri: str | None, source: str, seconds: float = PARSE_SECONDS
) -> list[ox.Triple]:
    """The triples of `body`, parsed in a child process; DataSyntaxError with the line and column when it
    does not parse, when it nests too deep, or when the parser dies on it; PayloadTooLarge past the deadline."""
    check_rdf_body(body, rdf_format, source)
    command = [sys.executable, "-m", "kgservice.rdf.isolated", rdf_format.media_type, base_iri or ""]
    try:
        # Our own module and argument list, no shell; the body goes through stdin.
        done = subprocess.run(command, input=body, capture_output=True, timeout=seconds, check=False)  # noqa: S603
    except subprocess.TimeoutExpired:
        raise PayloadTooLarge(N_("the RDF data sent did not parse within %(seconds)s seconds"), seconds=f"{seconds:g}") from None
    if done.returncode == EXIT_SYNTAX:
        problem = json.loads(done.stderr)
        raise DataSyntaxError(source, problem["line"], problem["column"], problem["message"])
    if done.returncode != 0:
        log.warning("the RDF parser exited with %s on a %d-byte body: %s", done.returncode, len(body), done.stderr[-500:])
        raise DataSyntaxError(
            source, None, None, N_("the parser stopped on this body (exit status %(status)s)"), status=done.returncode
        )
    return [q.triple for q in ox.parse(done.stdout, format=ox.RdfFormat.N_TRIPLES)]


def _child() -> int:
    """Read a body from stdin and write its triples to stdout as N-Triples; a syntax error goes to
    stderr as JSON with exit status 2."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    rdf_format = ox.RdfFormat.from_media_type(sys.argv[1])
    if rdf_format is None:
        return 1
    body = sys.stdin.buffer.read()
    try:
        quads = ox.parse(body, format=rdf_format, base_iri=sys.argv[2] or None)
        ox.serialize((q.triple for q in quads), sys.stdout.buffer, format=ox.RdfFormat.N_TRIPLES)
    except SyntaxError as error:
        json.dump({"line": error.lineno, "column": error.offset, "message": str(error)}, sys.stderr)
        return EXIT_SYNTAX
    return 0


if __name__ == "__main__":
    sys.exit(_child())
