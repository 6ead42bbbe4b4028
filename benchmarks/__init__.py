"""Benchmarks of the kgservice store, endpoint and analysis, and the synthetic graphs they run on."""
