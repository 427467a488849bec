"""Deleting one placement whole, beside the running app: what the daily purge and an
erasure on request both do.

1. One short transaction withdraws the placement: `deletion_started_at` is set (from then
   on nobody sees it and no phone can write to it, see store.placements.get), its tallies
   for the network's figures are stored (privacy.tallies), and an audit line records what
   is about to be deleted. The figures stop reading its rows in the same transaction, so
   they count it exactly once throughout.
2. Its rows go table by table in transactions of at most PURGE_BATCH_ROWS rows, with a
   pause between them, so the app's own writers wait at most one batch for the lock.
3. A last transaction deletes the placement's row, its participant's and the participant's
   app account if they had one, and writes the
   audit line that says what was deleted: counts only, no name, no content.
A deletion that was interrupted is finished by the next purge (it looks for placements
whose deletion started); the figures were already right, as step 1 was whole.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date

import sqlite_utils

from mentorapp.privacy import tallies
from mentorapp.store import audit, lifecycle
from mentorapp.store.db import write

# How the rows are named in audit lines and in the purge's printout.
TABLE_WORDS = {
    "events": "events", "day_logs": "daily logs in effect", "mentor_time": "mentor time rows",
    "flags": "flags", "call_requests": "call requests", "placement_seen": "seen marks",
    "participant_checkins": "participant check-ins", "talk_requests": "talk requests",
    "notifications": "push notifications", "mentor_history": "mentor changes",
    "extensions": "extensions", "placements": "placement", "participants": "participant",
    "users": "participant app account",
}


@dataclass
class Deleted:
    placement_id: int
    rows: dict[str, int] = field(default_factory=dict)
    transactions: int = 0
    longest_lock_ms: float = 0.0
    longest_step: str = ""

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def describe(rows: dict[str, int]) -> str:
    """'4,210 events, 812 daily logs in effect, …' (non-zero counts, English: audit lines
    are for the operators and the data protection officer, like the log)."""
    return ", ".join(f"{count:,} {TABLE_WORDS.get(table, table)}"
                     for table, count in rows.items() if count) or "nothing"


def delete(db: sqlite_utils.Database, placement_id: int, *, today: date, action: str,
           reason: str, user_id: int | None = None, batch_rows: int = 500,
           pause_seconds: float = 0.0) -> Deleted:
    """Delete the placement and all its case data; `action` and `reason` go in the audit
    lines (e.g. "privacy.purge", "retention 84 days"). Raises LookupError if there is no
    such placement."""
    result = Deleted(placement_id)
    started = time.perf_counter()
    with write(db):
        placement = lifecycle.placement(db, placement_id)
        if placement is None:
            raise LookupError(placement_id)
        planned = lifecycle.counts(db, placement_id)
        if placement["deletion_started_at"] is None:
            lifecycle.start_deletion(db, placement_id)
            lifecycle.add_tallies(db, tallies.for_placement(db, placement, today))
            audit.record(db, user_id=user_id, action=f"{action}.started",
                         placement_id=placement_id,
                         detail=f"{reason}: deleting {describe(planned)}")
    _held(result, started, "withdraw")
    for table in lifecycle.CASE_TABLES:
        while True:
            started = time.perf_counter()
            with write(db):
                gone = lifecycle.delete_batch(db, table, placement_id, batch_rows)
            _held(result, started, table)
            result.rows[table] = result.rows.get(table, 0) + gone
            if gone < batch_rows:
                break
            if pause_seconds:
                time.sleep(pause_seconds)
    started = time.perf_counter()
    with write(db):
        lifecycle.delete_placement_row(db, placement_id)
        result.rows["placements"] = result.rows["participants"] = 1
        result.rows["users"] = planned["users"]
        audit.record(db, user_id=user_id, action=action, placement_id=placement_id,
                     detail=f"{reason}: {describe(result.rows)} deleted")
    _held(result, started, "placement row")
    return result


def _held(result: Deleted, started: float, step: str) -> None:
    """One transaction's time from asking for the write lock to releasing it and
    flushing: an upper bound on how long it kept other writers waiting."""
    result.transactions += 1
    took = (time.perf_counter() - started) * 1000
    if took > result.longest_lock_ms:
        result.longest_lock_ms, result.longest_step = took, step
