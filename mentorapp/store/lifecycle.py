"""The SQL of a placement's privacy lifecycle: what it holds in each table, reading all of
it for the person's own copy, deleting it in bounded steps, the anonymous tallies that
stand in for it in the network's figures, and giving the space back.

Which placements are due, and in what order the steps run, is decided in
mentorapp.privacy; the functions here do one step each and never decide.
"""

from __future__ import annotations

import json

import sqlite_utils

from mentorapp.domain import clock

# Every table that holds a placement's case data, in the order its rows are deleted
# (rows that point at events go before the events; events newest first, as a correction
# points at an older event). The placement's own row and its participant's go last.
CASE_TABLES: tuple[str, ...] = (
    "day_logs", "mentor_time", "flags", "call_requests", "participant_checkins",
    "talk_requests", "placement_seen", "notifications", "events", "mentor_history",
    "extensions",
)
# Tables with a placement column whose rows stay when the placement goes, and why.
KEPT_TABLES: dict[str, str] = {
    "audit_log": "who at NAV read or changed the case: kept as the controller's record, "
                 "it names NAV users and a placement number, never the participant",
}

_ORDER = {"events": "seq DESC"}
_KEY = {"placement_seen": "user_id"}  # WITHOUT ROWID: its own key instead of rowid


def tables_with_placement_column(db: sqlite_utils.Database) -> set[str]:
    """Every table of the schema that has a `placement_id` column (for the tests and
    docs that keep CASE_TABLES complete)."""
    return {table.name for table in db.tables if "placement_id" in table.columns_dict}


def placement(db: sqlite_utils.Database, placement_id: int) -> dict | None:
    """The placement's row with its network and participant, also while it is being
    deleted (placements.get no longer shows it then)."""
    rows = list(db.query("""
        SELECT placements.*, participants.display_name AS participant_name,
               workplaces.network_id AS network_id, workplaces.name AS workplace_name
        FROM placements
        JOIN participants ON participants.id = placements.participant_id
        JOIN workplaces ON workplaces.id = placements.workplace_id
        WHERE placements.id = ?
    """, [placement_id]))
    return rows[0] if rows else None


def ended_candidates(db: sqlite_utils.Database, on_or_before: str) -> list[dict]:
    """Placements whose end (end date, or the day they were ended) is on or before the
    given date (UTC; the caller applies the exact Oslo rule), and any whose deletion
    started but did not finish."""
    return list(db.query("""
        SELECT id, status, end_date, ended_at, deletion_started_at FROM placements
        WHERE deletion_started_at IS NOT NULL
           OR (ended_at IS NOT NULL AND substr(ended_at, 1, 10) <= :day)
           OR (ended_at IS NULL AND end_date <= :day)
        ORDER BY id
    """, {"day": on_or_before}))


def counts(db: sqlite_utils.Database, placement_id: int) -> dict[str, int]:
    """Rows the placement has in each case table (and 1 for its own row)."""
    found = {table: db.execute(f"SELECT count(*) FROM {table} WHERE placement_id = ?",  # noqa: S608 (names from CASE_TABLES)
                               [placement_id]).fetchone()[0]
             for table in CASE_TABLES}
    exists = db.execute("SELECT count(*) FROM placements WHERE id = ?", [placement_id]).fetchone()[0]
    found["placements"] = exists
    found["participants"] = exists
    found["users"] = db.execute("""
        SELECT count(*) FROM users WHERE role = 'participant'
          AND id = (SELECT participant_user_id FROM placements WHERE id = ?)
    """, [placement_id]).fetchone()[0]
    return found


def start_deletion(db: sqlite_utils.Database, placement_id: int) -> None:
    db.execute("UPDATE placements SET deletion_started_at = ? WHERE id = ? "
               "AND deletion_started_at IS NULL", [clock.now_iso(), placement_id])


def delete_batch(db: sqlite_utils.Database, table: str, placement_id: int, limit: int) -> int:
    """Delete up to `limit` of the placement's rows in `table`; how many went."""
    if table not in CASE_TABLES:
        raise ValueError(f"not a case table: {table}")
    key = _KEY.get(table, "rowid")
    order = _ORDER.get(table, key)
    cursor = db.execute(f"""
        DELETE FROM {table} WHERE placement_id = :placement AND {key} IN (
            SELECT {key} FROM {table} WHERE placement_id = :placement
            ORDER BY {order} LIMIT :limit)
    """, {"placement": placement_id, "limit": limit})  # noqa: S608 (names from CASE_TABLES)
    return cursor.rowcount


def delete_placement_row(db: sqlite_utils.Database, placement_id: int) -> None:
    """The placement's own row, its participant's, and the participant's app account
    (there is one per placement), once nothing points at them."""
    row = db.execute("SELECT participant_id, participant_user_id FROM placements WHERE id = ?",
                     [placement_id]).fetchone()
    if row is None:
        return
    participant_id, account_id = row
    db.execute("DELETE FROM placements WHERE id = ?", [placement_id])
    others = db.execute("SELECT count(*) FROM placements WHERE participant_id = ?",
                        [participant_id]).fetchone()[0]
    if not others:
        db.execute("DELETE FROM participants WHERE id = ?", [participant_id])
    if account_id is not None:
        _delete_participant_account(db, account_id)


def _delete_participant_account(db: sqlite_utils.Database, user_id: int) -> None:
    """The account holds the participant's name; its sessions, sign-in links and codes,
    identity links and alert subscriptions go with it (ON DELETE CASCADE). Audit lines
    of what the participant did stay, no longer pointing at anyone."""
    db.execute("UPDATE audit_log SET user_id = NULL WHERE user_id = ?", [user_id])
    db.execute("DELETE FROM users WHERE id = ? AND role = 'participant'", [user_id])


def rename_participant(db: sqlite_utils.Database, placement_id: int, name: str) -> None:
    """The display name, and the same name on the participant's app account (copied
    there when the counsellor invited them)."""
    db.execute("""
        UPDATE participants SET display_name = ?
        WHERE id = (SELECT participant_id FROM placements WHERE id = ?)
    """, [name, placement_id])
    db.execute("""
        UPDATE users SET name = ? WHERE role = 'participant'
          AND id = (SELECT participant_user_id FROM placements WHERE id = ?)
    """, [name, placement_id])


def participant_account(db: sqlite_utils.Database, placement_id: int) -> dict | None:
    """The participant's app account, for their own copy: when it was made, whether it is
    open, how they sign in and which devices take alerts (no keys, no hashes)."""
    rows = list(db.query("""
        SELECT users.id, users.created_at, users.active FROM users
        JOIN placements ON placements.participant_user_id = users.id
        WHERE placements.id = ? AND users.role = 'participant'
    """, [placement_id]))
    if not rows:
        return None
    account = rows[0]
    account["identity_links"] = list(db.query(
        "SELECT provider, linked_at, last_sign_in_at FROM identity_links WHERE user_id = ? "
        "ORDER BY id", [account["id"]]))
    account["alert_devices"] = list(db.query(
        "SELECT label, created_at, last_success_at FROM push_subscriptions WHERE user_id = ? "
        "ORDER BY id", [account["id"]]))
    return account


# The person's own copy -------------------------------------------------------------------

def rows_of(db: sqlite_utils.Database, table: str, placement_id: int) -> list[dict]:
    """Every row the placement has in one case table, in the order they were made."""
    if table not in CASE_TABLES:
        raise ValueError(f"not a case table: {table}")
    key = {"events": "seq", "placement_seen": "user_id"}.get(table, "rowid")
    rows = [dict(row) for row in db.query(
        f"SELECT * FROM {table} WHERE placement_id = ? ORDER BY {key}",  # noqa: S608
        [placement_id])]
    if table == "events":
        for row in rows:
            row["payload"] = json.loads(row["payload"])
    return rows


def user_names(db: sqlite_utils.Database, user_ids: set[int]) -> dict[int, dict]:
    """Name and role of the people a placement's rows name (authors, readers, mentors)."""
    ids = sorted(i for i in user_ids if i is not None)
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    return {row["id"]: row for row in db.query(
        f"SELECT id, name, role FROM users WHERE id IN ({marks})", ids)}  # noqa: S608


# Tallies that stand in for a deleted placement in the network's figures -------------------

def figure_sources(db: sqlite_utils.Database, placement_id: int, first_week: str,
                   first_moment: str) -> dict:
    """What the network overview counts of one placement from `first_week` (a Monday;
    `first_moment` is its Oslo midnight in UTC): the same columns aggregates.py reads."""
    return {
        "logs": list(db.query("""
            SELECT date(log_date, '-6 days', 'weekday 1') AS week, count(*) AS amount
            FROM day_logs WHERE placement_id = ? AND log_date >= ? GROUP BY week
        """, [placement_id, first_week])),
        "minutes": list(db.query("""
            SELECT date(work_date, '-6 days', 'weekday 1') AS week, sum(minutes) AS amount
            FROM mentor_time WHERE placement_id = ? AND work_date >= ? GROUP BY week
        """, [placement_id, first_week])),
        "flags": list(db.query("""
            SELECT category, raised_at FROM flags WHERE placement_id = ? AND raised_at >= ?
        """, [placement_id, first_moment])),
        "calls": list(db.query("""
            SELECT requested_at,
                   nullif(min(coalesce(seen_at, '~'), coalesce(scheduled_at, '~'),
                              coalesce(done_at, '~')), '~') AS answered_at
            FROM call_requests
            WHERE placement_id = ? AND status != 'cancelled' AND requested_at >= ?
        """, [placement_id, first_moment])),
    }


def add_tallies(db: sqlite_utils.Database, rows: list[dict]) -> None:
    db["purged_tallies"].insert_all(rows)


def tallies(db: sqlite_utils.Database, network_id: int, metric: str, start: str, end: str
            ) -> list[dict]:
    """A network's tallies of one figure for weeks in [start, end)."""
    return list(db.query("""
        SELECT cohort, week, key, amount, count FROM purged_tallies
        WHERE network_id = ? AND metric = ? AND week >= ? AND week < ?
    """, [network_id, metric, start, end]))


def drop_tallies_before(db: sqlite_utils.Database, week: str) -> int:
    """Tallies of weeks no figure shows any more."""
    return db.execute("DELETE FROM purged_tallies WHERE week < ?", [week]).rowcount


# Space -------------------------------------------------------------------------------------

def space(db: sqlite_utils.Database) -> dict[str, int]:
    return {"auto_vacuum": db.execute("PRAGMA auto_vacuum").fetchone()[0],
            "page_size": db.execute("PRAGMA page_size").fetchone()[0],
            "pages": db.execute("PRAGMA page_count").fetchone()[0],
            "free_pages": db.execute("PRAGMA freelist_count").fetchone()[0]}


def incremental_vacuum(db: sqlite_utils.Database, pages: int) -> None:
    """Give up to `pages` free pages back to the file system (auto_vacuum=INCREMENTAL)."""
    db.execute(f"PRAGMA incremental_vacuum({int(pages)})").fetchall()


def vacuum(db: sqlite_utils.Database) -> None:
    """Rewrite the whole file, then empty the WAL (which held the rewritten pages)."""
    db.execute("VACUUM")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
