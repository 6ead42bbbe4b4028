"""kgservice: a knowledge graph and semantic query service for public development strategies."""

__version__ = "0.1.0"
