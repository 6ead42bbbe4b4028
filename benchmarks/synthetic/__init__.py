"""Building blocks of the synthetic strategy graph generator (entry point: benchmarks/generate.py).

`vocab` reads the shared themes and target groups, `words` holds the per-language phrases, `profile`
the tree shape and probabilities, `plan` decides territories, strategies, trees and alignments to a
size, `emit` turns a plan into quads.
"""
