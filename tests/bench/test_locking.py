"""The writers' queue experiment: every way of queueing commits every transaction."""

from __future__ import annotations

import sqlite3

from bench import locking


def test_each_way_of_queueing_commits_every_transaction(tmp_path):
    results = locking.run(tmp_path, transactions=4)
    assert set(results) == {"busy_handler", "flock", "flock_flush_after"}
    for figures in results.values():
        assert figures["latency"]["count"] == locking.WORKERS * 4
        assert figures["transactions_per_second"] > 0
    with sqlite3.connect(tmp_path / "locking.db") as conn:
        rows = conn.execute("SELECT count(*) FROM t").fetchone()[0]
    assert rows == len(results) * locking.WORKERS * 4 * 5
