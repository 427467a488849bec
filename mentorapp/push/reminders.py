"""Alerts that time sets off, run by the push sender on every round: the backup
counsellor is alerted when nobody has answered an urgent flag or a call request within
the configured working hours; mentors who said yes or maybe to a network gathering are
reminded the day before."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlite_utils
from flask import current_app

from mentorapp.domain import clock, worktime
from mentorapp.store import events, gatherings, notifications
from mentorapp.store.db import write
from mentorapp.web.pages import path_for


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
                url=path_for("counsellor.placement", f"e-{row['event_id']}",
                             placement_id=row["placement_id"]), urgency="high", ttl=ttl,
                dedupe_key=f"{kind}:{row['event_id']}", placement_id=row["placement_id"])
            if what == "flag":
                events.update_flag(db, row["event_id"], escalated_at=clock.iso(now))
            else:
                events.update_call_request(db, row["event_id"], escalated_at=clock.iso(now))
        count += 1
    return count


# The day-before reminder goes out from this hour (Oslo time), not in the night.
GATHERING_REMINDER_FROM = time(9, 0)


def remind_gatherings(db: sqlite_utils.Database, now: datetime) -> int:
    """On the day before a gathering, from 09:00, a push to each active mentor who answered
    yes or maybe. Each gathering is reminded once (gatherings.reminder_sent_at; moving it
    to another time clears that), each person once (the dedupe key). Returns the number
    of alerts queued."""
    local = clock.local(now)
    if local.time() < GATHERING_REMINDER_FROM:
        return 0
    tomorrow = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=clock.OSLO)
    day_after = datetime.combine(local.date() + timedelta(days=2), time(0), tzinfo=clock.OSLO)
    count = 0
    for gathering in gatherings.due_reminders(db, clock.iso(tomorrow), clock.iso(day_after)):
        until_start = int((clock.parse(gathering["starts_at"]) - now).total_seconds())
        ttl = max(min(current_app.config["PUSH_TTL_SECONDS"], until_start), 60)
        with write(db):
            coming = gatherings.coming(db, gathering["id"])
            for user_id in coming:
                notifications.enqueue(
                    db, user_id=user_id, kind="gathering_reminder", ref=str(gathering["id"]),
                    url=path_for("network.gathering", gathering_id=gathering["id"]), ttl=ttl,
                    dedupe_key=(f"gathering_reminder:{gathering['id']}:"
                                f"{gathering['starts_at']}:{user_id}"))
            gatherings.mark_reminded(db, gathering["id"], clock.iso(now))
        count += len(coming)
    return count


def run_due(db: sqlite_utils.Database, now: datetime) -> None:
    escalate(db, now)
    remind_gatherings(db, now)
