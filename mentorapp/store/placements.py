"""Placements (forløp), their participants, mentor history and extensions.

Which placements a user may see is decided in mentorapp.domain.access; the functions here take
the scope it hands them and never decide it themselves.
"""

from __future__ import annotations

import sqlite_utils

from mentorapp.domain import clock
from mentorapp.store.db import dict_rows

# The columns a scope may name: access.py decides which of them apply to a user.
SCOPE_COLUMNS = frozenset({"mentor_id", "counsellor_id", "backup_counsellor_id", "office_id",
                           "participant_user_id"})

_SELECT = """
    SELECT placements.*, participants.display_name AS participant_name,
           workplaces.name AS workplace_name, workplaces.network_id AS network_id,
           mentor.name AS mentor_name, mentor.phone AS mentor_phone,
           mentor.email AS mentor_email,
           counsellor.name AS counsellor_name, counsellor.phone AS counsellor_phone,
           backup.name AS backup_counsellor_name,
           own.active AS participant_account_active
    FROM placements
    JOIN participants ON participants.id = placements.participant_id
    JOIN workplaces ON workplaces.id = placements.workplace_id
    LEFT JOIN users AS mentor ON mentor.id = placements.mentor_id
    JOIN users AS counsellor ON counsellor.id = placements.counsellor_id
    LEFT JOIN users AS backup ON backup.id = placements.backup_counsellor_id
    LEFT JOIN users AS own ON own.id = placements.participant_user_id
"""


def create(db: sqlite_utils.Database, *, participant_name: str, workplace_id: int,
           office_id: int, mentor_id: int | None, counsellor_id: int,
           backup_counsellor_id: int | None, start_date: str, end_date: str,
           agreed_minutes_per_week: int, goals: str, created_by: int | None) -> int:
    now = clock.now_iso()
    participant_id = db["participants"].insert(
        {"display_name": participant_name.strip(), "created_at": now}).last_pk
    placement_id = db["placements"].insert({
        "participant_id": participant_id, "workplace_id": workplace_id,
        "office_id": office_id, "mentor_id": mentor_id, "counsellor_id": counsellor_id,
        "backup_counsellor_id": backup_counsellor_id, "start_date": start_date,
        "end_date": end_date, "agreed_minutes_per_week": agreed_minutes_per_week,
        "goals": goals.strip(), "status": "active", "extension_status": "undecided",
        "created_by": created_by, "created_at": now, "updated_at": now,
    }).last_pk
    if mentor_id is not None:
        db["mentor_history"].insert({"placement_id": placement_id, "mentor_id": mentor_id,
                                     "started_at": now, "ended_at": None,
                                     "changed_by": created_by, "reason": None})
    return placement_id


def get(db: sqlite_utils.Database, placement_id: int) -> dict | None:
    """The placement, unless it does not exist or its deletion has begun (then it is gone
    for everyone: mentorapp.privacy deletes the rest of it in steps)."""
    found = dict_rows(db, _SELECT + " WHERE placements.id = ? "
                      "AND placements.deletion_started_at IS NULL", [placement_id])
    return found[0] if found else None


def in_scope(db: sqlite_utils.Database, columns: tuple[str, ...], user_id: int, *,
             status: str | None = "active", workplace_id: int | None = None,
             mentor_id: int | None = None) -> list[dict]:
    """Placements where any of `columns` holds `user_id` (the scope from access.py)."""
    if not columns or not SCOPE_COLUMNS.issuperset(columns):
        return []
    where = ["(" + " OR ".join(f"placements.{c} = :user" for c in columns) + ")",
             "placements.deletion_started_at IS NULL"]
    params: dict = {"user": user_id}
    if status:
        where.append("placements.status = :status")
        params["status"] = status
    if workplace_id:
        where.append("placements.workplace_id = :workplace")
        params["workplace"] = workplace_id
    if mentor_id:
        where.append("placements.mentor_id = :mentor")
        params["mentor"] = mentor_id
    sql = _SELECT + " WHERE " + " AND ".join(where) + " ORDER BY placements.end_date, placements.id"
    return list(db.query(sql, params))


def update(db: sqlite_utils.Database, placement_id: int, **fields) -> None:
    fields["updated_at"] = clock.now_iso()
    db["placements"].update(placement_id, fields)


def change_mentor(db: sqlite_utils.Database, placement_id: int, new_mentor_id: int,
                  changed_by: int, reason: str | None) -> None:
    now = clock.now_iso()
    db.execute("UPDATE mentor_history SET ended_at = ? WHERE placement_id = ? AND ended_at IS NULL",
               [now, placement_id])
    db["mentor_history"].insert({"placement_id": placement_id, "mentor_id": new_mentor_id,
                                 "started_at": now, "ended_at": None,
                                 "changed_by": changed_by, "reason": reason})
    update(db, placement_id, mentor_id=new_mentor_id)


def mentor_history(db: sqlite_utils.Database, placement_id: int) -> list[dict]:
    return list(db.query("""
        SELECT mentor_history.*, users.name AS mentor_name, changer.name AS changed_by_name
        FROM mentor_history
        JOIN users ON users.id = mentor_history.mentor_id
        LEFT JOIN users AS changer ON changer.id = mentor_history.changed_by
        WHERE placement_id = ? ORDER BY started_at, mentor_history.id
    """, [placement_id]))


def was_mentor_at(db: sqlite_utils.Database, placement_id: int, mentor_id: int,
                  moment: str) -> bool:
    """Whether `mentor_id` followed the placement at `moment` (for late-arriving events)."""
    row = db.execute("""
        SELECT 1 FROM mentor_history
        WHERE placement_id = ? AND mentor_id = ? AND started_at <= ?
          AND (ended_at IS NULL OR ended_at >= ?)
        LIMIT 1
    """, [placement_id, mentor_id, moment, moment]).fetchone()
    return row is not None


def extend(db: sqlite_utils.Database, placement_id: int, previous_end: str, new_end: str,
           decided_by: int, note: str | None) -> None:
    db["extensions"].insert({"placement_id": placement_id, "previous_end_date": previous_end,
                             "new_end_date": new_end, "decided_by": decided_by,
                             "decided_at": clock.now_iso(), "note": note})
    update(db, placement_id, end_date=new_end, extension_status="undecided")


def extensions(db: sqlite_utils.Database, placement_id: int) -> list[dict]:
    return list(db.query("""
        SELECT extensions.*, users.name AS decided_by_name FROM extensions
        LEFT JOIN users ON users.id = extensions.decided_by
        WHERE placement_id = ? ORDER BY decided_at
    """, [placement_id]))


def end(db: sqlite_utils.Database, placement_id: int, outcome: str, note: str | None) -> None:
    now = clock.now_iso()
    db.execute("UPDATE mentor_history SET ended_at = ? WHERE placement_id = ? AND ended_at IS NULL",
               [now, placement_id])
    update(db, placement_id, status="ended", outcome=outcome, outcome_note=note, ended_at=now)


def count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM placements").fetchone()[0]


def backdate(db: sqlite_utils.Database, placement_id: int, at: str) -> None:
    """Make a placement look created at `at`, with its first mentor from then (demo data)."""
    db["placements"].update(placement_id, {"created_at": at, "updated_at": clock.now_iso()})
    db.execute("UPDATE mentor_history SET started_at = ? WHERE placement_id = ?",
               [at, placement_id])

