"""A server-agnostic runner for the W3C SPARQL 1.1 test suites, speaking only HTTP to a live endpoint.

Suites: protocol, graph-store, service-description, query. Entry point: `python -m conformance.run`.
"""
