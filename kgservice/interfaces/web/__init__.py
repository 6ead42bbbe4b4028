"""Web pages for analysts and planners: the strategies, one page per IRI of the graph, the query editor,
the coherence dashboard and the validation report. Read-only HTML rendered from the service's own
queries (queries/pages/*.rq), through the same worker pool as the SPARQL endpoint."""
