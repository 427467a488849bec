"""The floor: the rows one sync request stores, written by a bare sqlite3 loop with one
commit per request, on the same disk, with the app's schema and durability settings (WAL,
synchronous=FULL). No HTTP, no framework, no validation, one connection: the most any
server could get out of this disk and SQLite. ours ÷ floor says how close we are."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from pathlib import Path

from mentorapp.domain import clock
from mentorapp.sync import ingest


def rows_of(batch: list[dict], author_id: int, now: str) -> list[tuple[str, tuple]]:
    """The statements ingest.ingest would run for this batch (all events new)."""
    statements = []
    for event in batch:
        occurred_at = clock.iso(clock.parse(event["occurred_at"]))
        payload = event["payload"]
        statements.append(("INSERT INTO events (id, type, placement_id, author_id, occurred_at, "
                           "received_at, payload, amends, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           (event["id"], event["type"], event["placement_id"], author_id,
                            occurred_at, now, json.dumps(payload, ensure_ascii=False, sort_keys=True),
                            None, ingest.digest(event["type"], event["placement_id"], occurred_at,
                                              None, payload))))
        if event["type"] == "daily_log":
            statements.append((
                "INSERT INTO day_logs (placement_id, log_date, event_id, occurred_at, attendance, "
                "mastery, social, wellbeing) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (placement_id, log_date) DO UPDATE SET event_id = excluded.event_id, "
                "occurred_at = excluded.occurred_at, attendance = excluded.attendance, "
                "mastery = excluded.mastery, social = excluded.social, "
                "wellbeing = excluded.wellbeing WHERE excluded.occurred_at >= day_logs.occurred_at",
                (event["placement_id"], payload["date"], event["id"], occurred_at,
                 payload["attendance"], payload.get("mastery"), payload.get("social"),
                 payload.get("wellbeing"))))
        if event["type"] in ("daily_log", "time") and payload.get("minutes"):
            statements.append((
                "INSERT INTO mentor_time (root_event_id, event_id, placement_id, mentor_id, "
                "occurred_at, work_date, minutes) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (event["id"], event["id"], event["placement_id"], author_id, occurred_at,
                 payload["date"], payload["minutes"])))
        if event["type"] == "flag":
            statements.append((
                "INSERT INTO flags (event_id, placement_id, category, severity, raised_at, status) "
                "VALUES (?, ?, ?, ?, ?, 'open')",
                (event["id"], event["placement_id"], payload["category"], payload["severity"],
                 occurred_at)))
        if event["type"] == "call_request":
            statements.append((
                "INSERT INTO call_requests (event_id, placement_id, urgency, requested_at, status) "
                "VALUES (?, ?, ?, ?, 'sent')",
                (event["id"], event["placement_id"], payload["urgency"], occurred_at)))
    return statements


def run(pristine: Path, folder: Path, requests: list[list[tuple[str, tuple]]],
        duration: float) -> dict:
    """Write the prepared requests, one transaction each, for at most `duration` seconds."""
    path = folder / "floor.db"
    shutil.copyfile(pristine, path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    done = events = 0
    cpu = time.process_time()
    began = time.perf_counter()
    deadline = began + duration
    for statements in requests:
        if time.perf_counter() >= deadline:
            break
        conn.execute("BEGIN IMMEDIATE")
        for sql, values in statements:
            conn.execute(sql, values)
        conn.execute("COMMIT")
        done += 1
        events += sum(1 for sql, _ in statements if sql.startswith("INSERT INTO events"))
    wall = time.perf_counter() - began
    cpu = time.process_time() - cpu
    conn.close()
    return {"requests": done, "events": events, "wall": wall,
            "requests_per_second": done / wall, "events_per_second": events / wall,
            "cpu_ms_per_request": cpu * 1000 / max(done, 1),
            "exhausted": done == len(requests)}
