"""Benchmark tooling: a synthetic CSTO-like corpus generator and the raw SQLite/rapidfuzz floors."""
