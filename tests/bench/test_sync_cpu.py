"""The in-process CPU harness runs both apps to the end and stores every batch it posts
(else its figures would be of refused requests)."""

from __future__ import annotations

import sqlite3

from bench import sync_cpu


def test_both_apps_are_measured_and_every_batch_is_stored():
    result = sync_cpu.measure(requests=5, rounds=2, callgrind=False)
    assert len(result["ours"]["cpu_ms_rounds"]) == len(result["floor"]["cpu_ms_rounds"]) == 2
    assert result["ours"]["cpu_ms"] > 0 and result["floor"]["cpu_ms"] > 0
    assert result["ratio_cpu"] == result["ours"]["cpu_ms"] / result["floor"]["cpu_ms"]
    assert "instructions" not in result["ours"]
    assert "Instructions: skipped" in sync_cpu.report(result)


def test_the_floor_stores_one_row_per_request(tmp_path):
    client = sync_cpu.floor_app(tmp_path / "floor.db").test_client()
    body = b'{"events": [{"id": "a"}, {"id": "b"}]}'
    for _ in range(3):
        answer = client.post("/api/v1/sync", data=body, content_type="application/json")
        assert answer.get_json() == {"stored": 2}
    with sqlite3.connect(tmp_path / "floor.db") as conn:
        assert conn.execute("SELECT count(*) FROM batches").fetchone()[0] == 3
