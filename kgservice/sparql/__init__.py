"""SPARQL as text: the catalogue of named queries, a lexer, and the screening of outbound operations."""
