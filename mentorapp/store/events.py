"""Events (append-only facts) and the state derived from them: day logs, mentor time,
flags and call requests."""

from __future__ import annotations

import json

import sqlite_utils

EVENT_COLUMNS = ("id", "type", "placement_id", "author_id", "occurred_at", "received_at",
                 "payload", "amends", "digest")


def by_id(db: sqlite_utils.Database, event_id: str) -> dict | None:
    row = db.conn.execute(
        "SELECT seq, id, type, placement_id, author_id, occurred_at, received_at, payload, "
        "amends, digest FROM events WHERE id = ?", [event_id]).fetchone()
    if row is None:
        return None
    return dict(zip(("seq", *EVENT_COLUMNS), row, strict=True))


def fingerprints(db: sqlite_utils.Database, ids: list[str]) -> dict[str, tuple[str, int]]:
    """(digest, author_id) of each of `ids` already stored: a batch's replays in one read."""
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    found = db.conn.execute(
        f"SELECT id, digest, author_id FROM events WHERE id IN ({marks})", ids)  # noqa: S608
    return {row[0]: (row[1], row[2]) for row in found}


def insert(db: sqlite_utils.Database, event: dict) -> bool:
    """Store the event unless its id is already there; True if it was stored now."""
    cursor = db.conn.execute(
        "INSERT INTO events (id, type, placement_id, author_id, occurred_at, received_at, "
        "payload, amends, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO NOTHING",
        [event[column] for column in EVENT_COLUMNS])
    return cursor.rowcount == 1


def count(db: sqlite_utils.Database, placement_id: int | None = None) -> int:
    if placement_id is None:
        return db.conn.execute("SELECT count(*) FROM events").fetchone()[0]
    return db.conn.execute("SELECT count(*) FROM events WHERE placement_id = ?",
                           [placement_id]).fetchone()[0]


def decoded(rows) -> list[dict]:
    """Rows with their JSON payload read (shared by the store modules that read events)."""
    result = []
    for row in rows:
        row = dict(row)
        row["payload"] = json.loads(row["payload"])
        result.append(row)
    return result


def timeline(db: sqlite_utils.Database, placement_id: int, *, limit: int = 100,
             before_seq: int | None = None, types: tuple[str, ...] | None = None) -> list[dict]:
    """The placement's events, newest first, with who wrote them."""
    sql = """
        SELECT events.*, users.name AS author_name, users.role AS author_role
        FROM events JOIN users ON users.id = events.author_id
        WHERE placement_id = :placement
    """
    params: dict = {"placement": placement_id, "limit": limit}
    if before_seq:
        sql += " AND events.seq < :before"
        params["before"] = before_seq
    if types:
        sql += " AND type IN (" + ", ".join(f":t{i}" for i in range(len(types))) + ")"
        params.update({f"t{i}": t for i, t in enumerate(types)})
    sql += " ORDER BY occurred_at DESC, seq DESC LIMIT :limit"
    return decoded(db.query(sql, params))


def by_ids(db: sqlite_utils.Database, author_id: int, ids: list[str]) -> list[dict]:
    """The author's own events among `ids` (what the phone asks NAV has received)."""
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    return list(db.query(
        f"SELECT id, type, placement_id, occurred_at, received_at FROM events "  # noqa: S608
        f"WHERE author_id = ? AND id IN ({marks})", [author_id, *ids]))


def feed(db: sqlite_utils.Database, office_id: int, after_seq: int, limit: int) -> list[dict]:
    """New events of one office's placements, in the order they were stored.
    CROSS JOIN keeps SQLite walking events by seq from the cursor (and stopping at the
    limit) instead of gathering every event of the office's placements and sorting them."""
    return decoded(db.query("""
        SELECT events.seq, events.id, events.type, events.placement_id, events.author_id,
               users.role AS author_role, events.occurred_at, events.received_at,
               events.amends, events.payload
        FROM events
        CROSS JOIN placements ON placements.id = events.placement_id
        JOIN users ON users.id = events.author_id
        WHERE events.seq > ? AND placements.office_id = ?
        ORDER BY events.seq LIMIT ?
    """, [after_seq, office_id, limit]))


def task_chips(db: sqlite_utils.Database, placement_id: int, limit: int = 12) -> list[str]:
    """Tasks the mentor wrote in recent logs of this placement, most frequent first.
    Only the log in effect for each day counts: a day corrected twice is still one day,
    and a task taken out by a correction is not offered for it."""
    rows = db.conn.execute("""
        SELECT task.value, count(*) AS uses, max(recent.occurred_at) AS last_used
        FROM (SELECT e.payload, e.occurred_at
              FROM day_logs AS d JOIN events AS e ON e.id = d.event_id
              WHERE d.placement_id = ?
              ORDER BY d.log_date DESC LIMIT 60) AS recent,
             json_each(json_extract(recent.payload, '$.tasks')) AS task
        GROUP BY task.value ORDER BY uses DESC, last_used DESC LIMIT ?
    """, [placement_id, limit]).fetchall()
    return [row[0] for row in rows]


# Derived state --------------------------------------------------------------------------

def put_day_log(db: sqlite_utils.Database, row: dict) -> None:
    """The log in effect for the day: a later-made log or correction replaces an earlier.
    Made in the same millisecond: a correction replaces what it amends (`amends` in `row`),
    and otherwise the higher id wins, so that the one in effect does not depend on which
    arrived last (tests/sync/test_properties.py)."""
    db.conn.execute("""
        INSERT INTO day_logs (placement_id, log_date, event_id, occurred_at, attendance,
                              mastery, social, wellbeing, visible_to_participant)
        VALUES (:placement_id, :log_date, :event_id, :occurred_at, :attendance,
                :mastery, :social, :wellbeing, :visible_to_participant)
        ON CONFLICT (placement_id, log_date) DO UPDATE SET
            event_id = excluded.event_id, occurred_at = excluded.occurred_at,
            attendance = excluded.attendance, mastery = excluded.mastery,
            social = excluded.social, wellbeing = excluded.wellbeing,
            visible_to_participant = excluded.visible_to_participant
        WHERE excluded.occurred_at > day_logs.occurred_at
           OR (excluded.occurred_at = day_logs.occurred_at
               AND (excluded.event_id > day_logs.event_id OR :amends = day_logs.event_id))
    """, row)


def put_mentor_time(db: sqlite_utils.Database, row: dict) -> None:
    db.conn.execute("""
        INSERT INTO mentor_time (root_event_id, event_id, placement_id, mentor_id, occurred_at,
                                 work_date, minutes)
        VALUES (:root_event_id, :event_id, :placement_id, :mentor_id, :occurred_at,
                :work_date, :minutes)
        ON CONFLICT (root_event_id) DO UPDATE SET
            event_id = excluded.event_id, occurred_at = excluded.occurred_at,
            work_date = excluded.work_date, minutes = excluded.minutes
        WHERE excluded.occurred_at > mentor_time.occurred_at
           OR (excluded.occurred_at = mentor_time.occurred_at
               AND (excluded.event_id > mentor_time.event_id OR :amends = mentor_time.event_id))
    """, row)


def insert_flag(db: sqlite_utils.Database, row: dict) -> None:
    db["flags"].insert(row)


def insert_call_request(db: sqlite_utils.Database, row: dict) -> None:
    db["call_requests"].insert(row)


def flag(db: sqlite_utils.Database, event_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM flags WHERE event_id = ?", [event_id]))
    return rows[0] if rows else None


def call_request(db: sqlite_utils.Database, event_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM call_requests WHERE event_id = ?", [event_id]))
    return rows[0] if rows else None


def update_flag(db: sqlite_utils.Database, event_id: str, **fields) -> None:
    db["flags"].update(event_id, fields)


def update_call_request(db: sqlite_utils.Database, event_id: str, **fields) -> None:
    db["call_requests"].update(event_id, fields)


def flags_of(db: sqlite_utils.Database, placement_id: int, *, open_only: bool = False
             ) -> list[dict]:
    sql = """SELECT flags.*, events.payload, events.author_id FROM flags
             JOIN events ON events.id = flags.event_id WHERE flags.placement_id = ?"""
    if open_only:
        sql += " AND flags.status != 'resolved'"
    return decoded(db.query(sql + " ORDER BY raised_at DESC", [placement_id]))


def call_requests_of(db: sqlite_utils.Database, placement_id: int, *, open_only: bool = False
                     ) -> list[dict]:
    sql = """SELECT call_requests.*, events.payload, events.author_id FROM call_requests
             JOIN events ON events.id = call_requests.event_id
             WHERE call_requests.placement_id = ?"""
    if open_only:
        sql += " AND call_requests.status IN ('sent', 'seen', 'scheduled')"
    return decoded(db.query(sql + " ORDER BY requested_at DESC", [placement_id]))


def day_logs(db: sqlite_utils.Database, placement_id: int, start: str, end: str) -> list[dict]:
    """Day logs in effect for dates in [start, end]."""
    return list(db.query("""
        SELECT * FROM day_logs WHERE placement_id = ? AND log_date BETWEEN ? AND ?
        ORDER BY log_date
    """, [placement_id, start, end]))


def minutes_between(db: sqlite_utils.Database, placement_id: int, start: str, end: str) -> int:
    row = db.conn.execute("""
        SELECT coalesce(sum(minutes), 0) FROM mentor_time
        WHERE placement_id = ? AND work_date BETWEEN ? AND ?
    """, [placement_id, start, end]).fetchone()
    return row[0]


def minutes_by_day(db: sqlite_utils.Database, placement_id: int, start: str, end: str
                   ) -> list[dict]:
    return list(db.query("""
        SELECT work_date, sum(minutes) AS minutes FROM mentor_time
        WHERE placement_id = ? AND work_date BETWEEN ? AND ?
        GROUP BY work_date ORDER BY work_date
    """, [placement_id, start, end]))


def unanswered_urgent_flags(db: sqlite_utils.Database) -> list[dict]:
    """Urgent flags nobody has acknowledged, not yet escalated, where there is a backup."""
    return list(db.query("""
        SELECT flags.event_id, flags.placement_id, flags.raised_at AS since,
               placements.backup_counsellor_id
        FROM flags JOIN placements ON placements.id = flags.placement_id
        WHERE flags.status = 'open' AND flags.severity = 'urgent' AND flags.escalated_at IS NULL
          AND placements.backup_counsellor_id IS NOT NULL AND placements.status = 'active'
    """))


def unseen_call_requests(db: sqlite_utils.Database) -> list[dict]:
    """Call requests NAV has not even seen, not yet escalated, where there is a backup."""
    return list(db.query("""
        SELECT call_requests.event_id, call_requests.placement_id,
               call_requests.requested_at AS since, placements.backup_counsellor_id
        FROM call_requests JOIN placements ON placements.id = call_requests.placement_id
        WHERE call_requests.status = 'sent' AND call_requests.escalated_at IS NULL
          AND placements.backup_counsellor_id IS NOT NULL AND placements.status = 'active'
    """))
