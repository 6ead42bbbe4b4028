"""Query and change the graph: the QueryEngine and GraphRepository interfaces, the embedded engine,
the worker pool, the remote store, the commit procedure and the write-ahead log."""
