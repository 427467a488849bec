"""Benchmarks that print figures (make bench); see docs/performance.md."""
