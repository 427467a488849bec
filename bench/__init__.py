"""Benchmarks that print figures (`make bench`, or `python -m bench --help`).

Nothing here is a test: figures are measured and printed, never asserted. The pure parts
(percentiles, the table, the generated database's consistency) have fast unit tests in
tests/bench/ so that the harness cannot rot between runs.
"""
