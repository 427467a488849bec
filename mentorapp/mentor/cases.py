"""What a mentor sees of a placement: today's state, open matters with NAV's latest answer,
recent entries and NAV's messages, and the values an ordinary day's log starts from.

The placement always comes from mentorapp.domain.access; nothing here decides who may see it.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import sqlite_utils
from flask_babel import lazy_gettext as _l

from mentorapp.domain import clock, vocabulary
from mentorapp.mentor import entries
from mentorapp.store import events
from mentorapp.sync import schema

# What NAV writes on a placement that its mentor reads. Anything else NAV-side (internal
# notes, say) stays on the NAV side even if it is stored on the same timeline.
NAV_TYPES_FOR_MENTOR = (
    "nav_comment", "flag_acknowledged", "flag_resolved", "call_seen", "call_scheduled",
    "call_done", "placement_created", "placement_extended", "extension_decided",
    "placement_ended", "mentor_changed",
)

CALL_STEPS = (
    ("sent", "requested_at", _l("Sent")),
    ("seen", "seen_at", _l("Seen by NAV")),
    ("scheduled", "scheduled_for", _l("Call scheduled")),
    ("done", "done_at", _l("Done")),
)
FLAG_STEPS = (
    ("open", "raised_at", _l("Sent")),
    ("acknowledged", "acknowledged_at", _l("Seen by NAV")),
    ("resolved", "resolved_at", _l("Resolved")),
)

# How many days back the log form knows the originals of (for corrections made offline).
CORRECTION_DAYS = 14


def days_left(placement: dict) -> int:
    return (date.fromisoformat(placement["end_date"]) - clock.today()).days


def _steps(row: dict, plan: tuple) -> list[dict]:
    """Each step of a matter with whether it is reached, when, and which one it is at now."""
    codes = [code for code, _column, _label in plan]
    reached = codes.index(row["status"]) if row["status"] in codes else 0
    steps = []
    for index, (code, column, label) in enumerate(plan):
        steps.append({"code": code, "label": label, "done": index <= reached,
                      "current": index == reached, "at": row.get(column) if index <= reached
                      else None})
    return steps


def call_view(call: dict) -> dict:
    return {**call, "steps": _steps(call, CALL_STEPS),
            "latest": vocabulary.label(vocabulary.CALL_STATUS, call["status"])}


def flag_view(flag: dict) -> dict:
    return {**flag, "steps": _steps(flag, FLAG_STEPS),
            "latest": vocabulary.label(vocabulary.FLAG_STATUS, flag["status"])}


def today_state(db: sqlite_utils.Database, placement: dict, author_id: int) -> dict:
    today = clock.today()
    logs = events.day_logs(db, placement["id"], today.isoformat(), today.isoformat())
    monday = clock.monday_of(today)
    return {
        "placement": placement,
        "today": today,
        "today_log": logs[0] if logs else None,
        "logged_today": bool(logs),
        "days_left": days_left(placement),
        "open_flags": [flag_view(f) for f in events.flags_of(db, placement["id"],
                                                              open_only=True)],
        "open_calls": [call_view(c) for c in events.call_requests_of(db, placement["id"],
                                                                     open_only=True)],
        "week_minutes": events.minutes_between(db, placement["id"], monday.isoformat(),
                                               (monday + timedelta(days=6)).isoformat()),
    }


def placement_view(db: sqlite_utils.Database, placement: dict, author_id: int) -> dict:
    """Everything the placement page shows."""
    state = today_state(db, placement, author_id)
    since = clock.days_ago(60)
    flags = [flag_view(f) for f in events.flags_of(db, placement["id"])
             if f["status"] != "resolved" or (f["resolved_at"] or "") >= since]
    calls = [call_view(c) for c in events.call_requests_of(db, placement["id"])
             if c["status"] in ("sent", "seen", "scheduled") or (c["requested_at"] >= since)]
    return {**state, "flags": flags[:10], "calls": calls[:10],
            "recent": recent_entries(db, placement["id"], author_id)}


def recent_entries(db: sqlite_utils.Database, placement_id: int, author_id: int,
                   limit: int = 25) -> list[dict]:
    """The mentor's own entries and what NAV wrote to them, newest first."""
    rows = events.timeline(db, placement_id, limit=limit * 3,
                           types=(*schema.MENTOR_TYPES, *NAV_TYPES_FOR_MENTOR))
    mine = [r for r in rows if (r["type"] in schema.MENTOR_TYPES and r["author_id"] == author_id)
            or (r["type"] in NAV_TYPES_FOR_MENTOR and r["author_role"] in ("counsellor", "admin"))]
    return mine[:limit]


def last_log(db: sqlite_utils.Database, placement_id: int, author_id: int) -> dict | None:
    """The payload of the author's latest daily log on the placement (at work or not)."""
    for row in events.timeline(db, placement_id, limit=20, types=("daily_log",)):
        if row["author_id"] == author_id:
            return row["payload"]
    return None


def last_day_at_work(db: sqlite_utils.Database, placement_id: int, author_id: int
                     ) -> dict | None:
    """The author's latest log of a day the participant was at work: where mastery and
    inclusion were last seen."""
    for row in events.timeline(db, placement_id, limit=40, types=("daily_log",)):
        if row["author_id"] == author_id and row["payload"].get("attendance") not in (
                entries.NOT_AT_WORK):
            return row["payload"]
    return None


def log_defaults(db: sqlite_utils.Database, placement: dict, author_id: int, day: date
                 ) -> tuple[dict, dict | None]:
    """The values the log form opens with, and the day's original entry if there is one.

    An ordinary day is: on time, mastery and inclusion as last time, the usual minutes.
    A day already logged opens with what is in effect, and saving makes a correction.
    """
    original = entries.originals(db, placement["id"], author_id, day, day).get(day.isoformat())
    if original:
        payload = original["payload"]
    else:
        usual = last_day_at_work(db, placement["id"], author_id) or {}
        latest = last_log(db, placement["id"], author_id) or {}
        payload = {"attendance": "on_time", "mastery": usual.get("mastery"),
                   "social": usual.get("social"), "minutes": latest.get("minutes")}
    defaults = {
        "date": day.isoformat(),
        "attendance": payload.get("attendance", "on_time"),
        "mastery": payload.get("mastery") or "",
        "social": payload.get("social") or "",
        "wellbeing": payload.get("wellbeing") or "",
        "minutes": payload.get("minutes") if payload.get("minutes") is not None else "",
        "note": payload.get("note", ""),
        "tasks": payload.get("tasks", []),
        "visible_to_participant": "" if payload.get("visible_to_participant") is False else "on",
    }
    return defaults, original


def correction_days(db: sqlite_utils.Database, placement: dict, author_id: int) -> str:
    """JSON of the recent days' originals, so that a change made offline from a cached page
    still points at the right entry."""
    today = clock.today()
    found = entries.originals(db, placement["id"], author_id,
                              today - timedelta(days=CORRECTION_DAYS), today)
    return json.dumps({day: {"id": o["id"], "payload": o["payload"]} for day, o in found.items()},
                      ensure_ascii=False, separators=(",", ":"))
