"""Checks of the graph: SHACL validation against shapes/ and provenance of source excerpts."""
