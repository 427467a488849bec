"""The participant's own side: their account on a placement, what they write (check-ins,
own goals, asking to talk), and the mentor's daily logs as the participant may read them."""

from __future__ import annotations

from collections import defaultdict

import sqlite_utils

from mentorapp.domain import clock
from mentorapp.store import events

OWN_TYPES = ("participant_checkin", "participant_goals", "talk_request")


def _marks(ids: list) -> str:
    return ", ".join("?" for _ in ids)


def link_account(db: sqlite_utils.Database, placement_id: int, user_id: int | None) -> None:
    db.execute("UPDATE placements SET participant_user_id = ?, updated_at = ? WHERE id = ?",
               [user_id, clock.now_iso(), placement_id])


# What the participant writes ---------------------------------------------------------------

def insert_checkin(db: sqlite_utils.Database, row: dict) -> None:
    db["participant_checkins"].insert(row)


def insert_talk_request(db: sqlite_utils.Database, row: dict) -> None:
    db["talk_requests"].insert({**row, "status": "open"})


def talk_request(db: sqlite_utils.Database, event_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM talk_requests WHERE event_id = ?", [event_id]))
    return rows[0] if rows else None


def close_talk_request(db: sqlite_utils.Database, event_id: str, done_by: int) -> None:
    db["talk_requests"].update(event_id, {"status": "done", "done_by": done_by,
                                          "done_at": clock.now_iso()})


def own_entries(db: sqlite_utils.Database, placement_id: int, *, limit: int = 50,
                since: str | None = None, until: str | None = None) -> list[dict]:
    """What the participant wrote on the placement, newest first, with their name
    (events_placement_type). A talk request carries whether the counsellor marked it done."""
    marks = _marks(list(OWN_TYPES))
    sql = f"""
        SELECT events.id, events.type, events.occurred_at, events.received_at, events.payload,
               events.author_id, users.name AS author_name, talk_requests.status AS talk_status
        FROM events JOIN users ON users.id = events.author_id
        LEFT JOIN talk_requests ON talk_requests.event_id = events.id
        WHERE events.placement_id = ? AND events.type IN ({marks})
    """  # noqa: S608 (only placeholders are formatted in)
    params: list = [placement_id, *OWN_TYPES]
    if since:
        sql += " AND events.occurred_at >= ?"
        params.append(since)
    if until:
        sql += " AND events.occurred_at < ?"
        params.append(until)
    return events.decoded(db.query(sql + " ORDER BY events.occurred_at DESC, events.seq DESC LIMIT ?",
                             [*params, limit]))


def current_goals(db: sqlite_utils.Database, placement_id: int) -> dict | None:
    """The participant's own goals in effect: the newest they wrote."""
    rows = events.decoded(db.query("""
        SELECT events.id, events.occurred_at, events.payload FROM events
        WHERE placement_id = ? AND type = 'participant_goals'
        ORDER BY occurred_at DESC, seq DESC LIMIT 1
    """, [placement_id]))
    return rows[0] if rows else None


def delete_own_entries(db: sqlite_utils.Database, placement_id: int, author_id: int) -> int:
    """The participant's own entries go, as they chose when closing their account (inside
    the caller's transaction); the audit line of it is the caller's."""
    params = [placement_id, author_id, *OWN_TYPES]
    where = f"placement_id = ? AND author_id = ? AND type IN ({_marks(list(OWN_TYPES))})"
    ids = [row[0] for row in db.execute(f"SELECT id FROM events WHERE {where}",  # noqa: S608
                                        params).fetchall()]
    if not ids:
        return 0
    for table in ("participant_checkins", "talk_requests"):
        db.execute(f"DELETE FROM {table} WHERE event_id IN ({_marks(ids)})", ids)  # noqa: S608
    db.execute(f"DELETE FROM events WHERE {where}", params)  # noqa: S608
    return len(ids)


# The mentor's daily logs, as the participant reads them ----------------------------------

def mentor_logs(db: sqlite_utils.Database, placement_id: int, *, visible_only: bool,
                limit: int = 30) -> list[dict]:
    """The daily logs in effect, newest day first. `visible_only` (the participant's own
    page): only those the mentor left visible to the participant; the hidden ones are not
    even read from the database."""
    sql = """
        SELECT day_logs.log_date, day_logs.visible_to_participant, events.payload,
               users.name AS author_name
        FROM day_logs JOIN events ON events.id = day_logs.event_id
        JOIN users ON users.id = events.author_id
        WHERE day_logs.placement_id = ?
    """
    if visible_only:
        sql += " AND day_logs.visible_to_participant = 1"
    return events.decoded(db.query(sql + " ORDER BY day_logs.log_date DESC LIMIT ?",
                             [placement_id, limit]))


# For the caseload ----------------------------------------------------------------------------

def open_talks(db: sqlite_utils.Database, placement_ids: list[int]) -> dict[int, list[dict]]:
    """Talk requests not yet marked done, oldest first, with what the participant wrote."""
    found: dict[int, list[dict]] = defaultdict(list)
    if not placement_ids:
        return found
    rows = events.decoded(db.query(f"""
        SELECT talk_requests.*, events.payload FROM talk_requests
        JOIN events ON events.id = talk_requests.event_id
        WHERE talk_requests.placement_id IN ({_marks(placement_ids)})
          AND talk_requests.status = 'open'
        ORDER BY requested_at
    """, placement_ids))  # noqa: S608
    for row in rows:
        found[row["placement_id"]].append(row)
    return found


def recent_week_checkins(db: sqlite_utils.Database, placement_ids: list[int], per: int = 2
                         ) -> dict[int, list[dict]]:
    """The newest `per` check-ins about a week of each placement, newest first."""
    found: dict[int, list[dict]] = defaultdict(list)
    if not placement_ids:
        return found
    rows = db.query(f"""
        SELECT placement_id, about_date, mood, occurred_at FROM (
            SELECT *, row_number() OVER (PARTITION BY placement_id
                                         ORDER BY occurred_at DESC) AS n
            FROM participant_checkins
            WHERE placement_id IN ({_marks(placement_ids)}) AND period = 'week')
        WHERE n <= ? ORDER BY placement_id, occurred_at DESC
    """, [*placement_ids, per])  # noqa: S608
    for row in rows:
        found[row["placement_id"]].append(row)
    return found


def checkins_between(db: sqlite_utils.Database, placement_id: int, start: str, end: str
                     ) -> list[dict]:
    """Check-ins made in [start, end), oldest first (for the report)."""
    return list(db.query("""
        SELECT participant_checkins.*, events.payload FROM participant_checkins
        JOIN events ON events.id = participant_checkins.event_id
        WHERE participant_checkins.placement_id = ? AND participant_checkins.occurred_at >= ?
          AND participant_checkins.occurred_at < ?
        ORDER BY participant_checkins.occurred_at
    """, [placement_id, start, end]))
