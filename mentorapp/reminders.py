"""Alerts that time sets off, run by the push sender on every round: the backup
counsellor is alerted when nobody has answered an urgent flag or a call request within
the configured working hours."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils
from flask import current_app

from mentorapp import clock, worktime
from mentorapp.store import events, notifications
from mentorapp.store.db import write


def _overdue(since: str, now: datetime) -> bool:
    limit = current_app.config["ESCALATION_WORK_HOURS"]
    return worktime.working_hours_between(clock.parse(since), now) >= limit


def escalate(db: sqlite_utils.Database, now: datetime) -> int:
    """Alert backups for what has waited too long; each matter is escalated once."""
    count = 0
    ttl = current_app.config["PUSH_TTL_SECONDS"]
    matters = [("flag", "flag_urgent_escalated", row) for row in events.unanswered_urgent_flags(db)]
    matters += [("call", "call_request_escalated", row) for row in events.unseen_call_requests(db)]
    for what, kind, row in matters:
        if not _overdue(row["since"], now):
            continue
        with write(db):
            notifications.enqueue(
                db, user_id=row["backup_counsellor_id"], kind=kind, ref=row["event_id"],
                url=f"/c/p/{row['placement_id']}#e-{row['event_id']}", urgency="high", ttl=ttl,
                dedupe_key=f"{kind}:{row['event_id']}")
            if what == "flag":
                events.update_flag(db, row["event_id"], escalated_at=clock.iso(now))
            else:
                events.update_call_request(db, row["event_id"], escalated_at=clock.iso(now))
        count += 1
    return count


def run_due(db: sqlite_utils.Database, now: datetime) -> None:
    escalate(db, now)
