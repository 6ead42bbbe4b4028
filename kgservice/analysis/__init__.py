"""What the service computes from the graph: coherence, comparison, suggestions, tags, SSSOM exchange."""
