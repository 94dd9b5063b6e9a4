"""Benchmarks: synthetic catalogues and the benchmark runner (not part of the package)."""
