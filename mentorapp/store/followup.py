"""Reads for the NAV side's follow-up: the state of many placements at once (the
caseload), pages of a timeline, what a NAV user has already seen, and what a report needs.

Every query here is bounded by the placements it is given and runs on an index that
starts with `placement_id`, so its cost follows the caseload, never the whole database.
"""

from __future__ import annotations

import json
from collections import defaultdict

import sqlite_utils

from mentorapp.domain import clock


def _marks(ids: list[int]) -> str:
    return ", ".join("?" for _ in ids)


def open_flags(db: sqlite_utils.Database, placement_ids: list[int]) -> dict[int, list[dict]]:
    """Unresolved flags of each placement, oldest first."""
    found: dict[int, list[dict]] = defaultdict(list)
    if not placement_ids:
        return found
    rows = db.query(f"""
        SELECT event_id, placement_id, category, severity, status, raised_at, escalated_at
        FROM flags WHERE placement_id IN ({_marks(placement_ids)}) AND status != 'resolved'
        ORDER BY raised_at
    """, placement_ids)  # noqa: S608 (only placeholders are formatted in)
    for row in rows:
        found[row["placement_id"]].append(row)
    return found


def open_calls(db: sqlite_utils.Database, placement_ids: list[int]) -> dict[int, list[dict]]:
    """Call requests of each placement that are not done or cancelled, oldest first."""
    found: dict[int, list[dict]] = defaultdict(list)
    if not placement_ids:
        return found
    rows = db.query(f"""
        SELECT event_id, placement_id, urgency, status, requested_at, scheduled_for,
               escalated_at
        FROM call_requests
        WHERE placement_id IN ({_marks(placement_ids)})
          AND status IN ('sent', 'seen', 'scheduled')
        ORDER BY requested_at
    """, placement_ids)  # noqa: S608
    for row in rows:
        found[row["placement_id"]].append(row)
    return found


def last_log_dates(db: sqlite_utils.Database, placement_ids: list[int]) -> dict[int, str]:
    if not placement_ids:
        return {}
    rows = db.execute(f"""
        SELECT placement_id, max(log_date) FROM day_logs
        WHERE placement_id IN ({_marks(placement_ids)}) GROUP BY placement_id
    """, placement_ids).fetchall()  # noqa: S608
    return {placement_id: last for placement_id, last in rows}


def minutes_since(db: sqlite_utils.Database, placement_ids: list[int], first_day: str,
                  last_day: str) -> dict[int, int]:
    """Mentor minutes per placement for work dates in [first_day, last_day]."""
    if not placement_ids:
        return {}
    rows = db.execute(f"""
        SELECT placement_id, sum(minutes) FROM mentor_time
        WHERE placement_id IN ({_marks(placement_ids)}) AND work_date BETWEEN ? AND ?
        GROUP BY placement_id
    """, [*placement_ids, first_day, last_day]).fetchall()  # noqa: S608
    return {placement_id: minutes for placement_id, minutes in rows}


def unread_messages(db: sqlite_utils.Database, user_id: int, placement_ids: list[int]
                    ) -> dict[int, int]:
    """Messages from the mentor that arrived after the user last opened each placement.
    Reads only the placements' comments (events_placement_type)."""
    if not placement_ids:
        return {}
    rows = db.execute(f"""
        SELECT events.placement_id, count(*) FROM events
        LEFT JOIN placement_seen ON placement_seen.user_id = ?
             AND placement_seen.placement_id = events.placement_id
        WHERE events.placement_id IN ({_marks(placement_ids)}) AND events.type = 'comment'
          AND events.seq > coalesce(placement_seen.seq, 0)
        GROUP BY events.placement_id
    """, [user_id, *placement_ids]).fetchall()  # noqa: S608
    return dict(rows)


def mark_seen(db: sqlite_utils.Database, user_id: int, placement_id: int) -> None:
    """Everything stored so far counts as seen by this user (inside the caller's write).
    max(seq) over the whole table is a single step down the rowid b-tree."""
    newest = db.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]
    db.execute("""
        INSERT INTO placement_seen (user_id, placement_id, seq, seen_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (user_id, placement_id) DO UPDATE SET seq = excluded.seq,
            seen_at = excluded.seen_at
    """, [user_id, placement_id, newest, clock.now_iso()])


def timeline_page(db: sqlite_utils.Database, placement_id: int, *, limit: int = 30,
                  before: tuple[str, int] | None = None) -> list[dict]:
    """One page of the placement's events, newest first. The cursor is the last shown
    event's (occurred_at, seq), the same order the page is sorted in, so an entry that
    arrived late from an offline phone is neither skipped nor shown twice."""
    sql = """
        SELECT events.*, users.name AS author_name, users.role AS author_role
        FROM events JOIN users ON users.id = events.author_id
        WHERE placement_id = :placement
    """
    params: dict = {"placement": placement_id, "limit": limit}
    if before:
        # The first condition lets the index range start at the cursor.
        sql += " AND occurred_at <= :at AND (occurred_at < :at OR seq < :seq)"
        params.update(at=before[0], seq=before[1])
    sql += " ORDER BY occurred_at DESC, seq DESC LIMIT :limit"
    rows = []
    for row in db.query(sql, params):
        row = dict(row)
        row["payload"] = json.loads(row["payload"])
        rows.append(row)
    return rows


def open_matters(db: sqlite_utils.Database, placement_id: int) -> tuple[list[dict], list[dict]]:
    """The unresolved flags and open call requests of one placement, with what the mentor
    wrote, oldest first: what the counsellor acts on."""
    flags = []
    for row in db.query("""
        SELECT flags.*, events.payload, events.author_id, users.name AS author_name
        FROM flags JOIN events ON events.id = flags.event_id
        JOIN users ON users.id = events.author_id
        WHERE flags.placement_id = ? AND flags.status != 'resolved' ORDER BY raised_at
    """, [placement_id]):
        row = dict(row)
        row["payload"] = json.loads(row["payload"])
        flags.append(row)
    calls = []
    for row in db.query("""
        SELECT call_requests.*, events.payload, events.author_id, users.name AS author_name,
               users.phone AS author_phone
        FROM call_requests JOIN events ON events.id = call_requests.event_id
        JOIN users ON users.id = events.author_id
        WHERE call_requests.placement_id = ? AND call_requests.status IN ('sent', 'seen', 'scheduled')
        ORDER BY requested_at
    """, [placement_id]):
        row = dict(row)
        row["payload"] = json.loads(row["payload"])
        calls.append(row)
    return flags, calls


# What a report reads -------------------------------------------------------------------------

def flags_raised_between(db: sqlite_utils.Database, placement_id: int, start: str, end: str
                         ) -> list[dict]:
    """Flags raised in [start, end), with how NAV handled them, oldest first."""
    return list(db.query("""
        SELECT flags.*, acknowledger.name AS acknowledged_by_name,
               resolver.name AS resolved_by_name
        FROM flags
        LEFT JOIN users AS acknowledger ON acknowledger.id = flags.acknowledged_by
        LEFT JOIN users AS resolver ON resolver.id = flags.resolved_by
        WHERE flags.placement_id = ? AND raised_at >= ? AND raised_at < ?
        ORDER BY raised_at
    """, [placement_id, start, end]))


def calls_requested_between(db: sqlite_utils.Database, placement_id: int, start: str, end: str
                            ) -> list[dict]:
    return list(db.query("""
        SELECT * FROM call_requests
        WHERE placement_id = ? AND requested_at >= ? AND requested_at < ?
        ORDER BY requested_at
    """, [placement_id, start, end]))


def tasks_between(db: sqlite_utils.Database, placement_id: int, start: str, end: str,
                  limit: int = 10) -> list[tuple[str, int]]:
    """The tasks logged most often in the period, with how many days each was logged."""
    rows = db.execute("""
        SELECT task.value, count(*) AS uses
        FROM day_logs JOIN events ON events.id = day_logs.event_id,
             json_each(json_extract(events.payload, '$.tasks')) AS task
        WHERE day_logs.placement_id = ? AND day_logs.log_date BETWEEN ? AND ?
        GROUP BY task.value ORDER BY uses DESC, task.value LIMIT ?
    """, [placement_id, start, end, limit]).fetchall()
    return [(task, uses) for task, uses in rows]


def event_counts_between(db: sqlite_utils.Database, placement_id: int, start: str, end: str
                         ) -> dict[str, int]:
    """How many events of each type happened in [start, end)."""
    rows = db.execute("""
        SELECT type, count(*) FROM events
        WHERE placement_id = ? AND occurred_at >= ? AND occurred_at < ? GROUP BY type
    """, [placement_id, start, end]).fetchall()
    return dict(rows)
