"""The project tree on disk: where ontology, data, shapes and queries are, and loading them into an engine."""
