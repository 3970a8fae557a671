"""The benchmark suite behind ``make bench`` (see docs/benchmarks.md)."""
