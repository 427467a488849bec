"""Erasure and correction on request (GDPR art. 16 and 17), done by the placement's
counsellor. The erasure deletes exactly what the retention purge would (privacy.deletion)
and leaves audit lines that say who erased which placement number, why (one of REASONS,
never free text) and how many rows went: nothing of the person."""

from __future__ import annotations

from datetime import date

import sqlite_utils
from flask_babel import lazy_gettext as _l

from mentorapp.privacy import deletion
from mentorapp.store import audit, lifecycle
from mentorapp.store.db import write

# Why a placement is erased before its time. Codes go in the audit line; the words are
# for the counsellor.
REASONS = {
    "request": _l("The participant asked for their data to be erased (GDPR art. 17)"),
    "objection": _l("The participant objected or withdrew from the follow-up (GDPR art. 21)"),
    "mistake": _l("Registered by mistake (wrong person or duplicate)"),
}

# What each table's rows are, for the counsellor who is shown what an erasure deletes.
ROW_LABELS = {
    "events": _l("Entries on the timeline (events)"), "day_logs": _l("Daily logs in effect"),
    "mentor_time": _l("Mentor time"), "flags": _l("Problems reported"),
    "call_requests": _l("Call requests"), "placement_seen": _l("Marks of what NAV has seen"),
    "participant_checkins": _l("The participant's check-ins"),
    "talk_requests": _l("The participant's requests to talk"),
    "notifications": _l("Alerts"), "mentor_history": _l("Mentor changes"),
    "extensions": _l("Extensions"), "placements": _l("The placement itself"),
    "participants": _l("The participant's name"),
}


def erase(db: sqlite_utils.Database, placement_id: int, *, user_id: int, reason: str,
          today: date, batch_rows: int, pause_seconds: float) -> deletion.Deleted:
    if reason not in REASONS:
        raise ValueError(f"unknown reason: {reason}")
    return deletion.delete(db, placement_id, today=today, action="privacy.erase",
                           reason=f"erasure on request ({reason})", user_id=user_id,
                           batch_rows=batch_rows, pause_seconds=pause_seconds)


def correct_name(db: sqlite_utils.Database, placement_id: int, *, user_id: int,
                 name: str) -> None:
    """The display name is stored once (participants) and read from there by every page,
    report, export and the phone's next sync; the audit line names neither name."""
    with write(db):
        lifecycle.rename_participant(db, placement_id, name)
        audit.record(db, user_id=user_id, action="privacy.correct", placement_id=placement_id,
                     detail="display name corrected")
