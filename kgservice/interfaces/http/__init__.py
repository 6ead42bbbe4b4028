"""The HTTP service: SPARQL 1.1 Protocol, Graph Store Protocol, named queries, service description."""
