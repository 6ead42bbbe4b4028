"""Coherence and comparison of strategies: a typed networkx graph read through SPARQL, the alignment
matrix, coverage, gaps and support chains of a (local, higher) pair, and theme overlap of any two.

    graph.py     the typed graph (nodes: documents and elements; edges: partOf, alignment)
    source.py    reading it from the store or the query workers (named queries coherence-*)
    analysis.py  matrix, coverage, gaps, unsupported measures, conflicts   chains.py  support chains
    compare.py   shared themes and target groups    report.py  pydantic documents in one language
    render.py    md, csv, json                        html.py    self-contained HTML heat map
"""

from kgservice.analysis.coherence.analysis import Coherence, analyse
from kgservice.analysis.coherence.chains import Chain, support_chains
from kgservice.analysis.coherence.compare import Comparison, compare
from kgservice.analysis.coherence.graph import StrategyGraph, build_graph

__all__ = ["Chain", "Coherence", "Comparison", "StrategyGraph", "analyse", "build_graph", "compare", "support_chains"]
