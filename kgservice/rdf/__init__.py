"""RDF terms, namespaces, media types and parsing: the vocabulary every layer above speaks."""
