"""What a counsellor does with a placement: create it, change its mentor, extend it, end it;
answer the mentor's flags and call requests, and write to the mentor.

Each action is one transaction that changes the placement (or a flag or call request)
and appends a NAV-side event to its timeline, so the history explains every change. An
alert the action causes is queued in the same transaction: it is sent if and only if the
action was stored.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime

import sqlite_utils
from flask import current_app

from mentorapp.auth import invitations
from mentorapp.domain import clock
from mentorapp.store import events, notifications, orgs, placements, users
from mentorapp.store.db import write
from mentorapp.sync import ingest
from mentorapp.web.pages import path_for


def record_nav_event(db: sqlite_utils.Database, *, author_id: int, placement_id: int,
                     event_type: str, payload: dict) -> str:
    """A fact written on the NAV side (flag acknowledged, call scheduled, comment...), on the
    placement's timeline beside the mentor's events. Called inside the caller's transaction;
    the id is made here, and the digest is the one the phone's events get."""
    now = clock.now_iso()
    event_id = str(uuid.uuid4())
    events.insert(db, {
        "id": event_id, "type": event_type, "placement_id": placement_id,
        "author_id": author_id, "occurred_at": now, "received_at": now,
        "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True), "amends": None,
        "digest": ingest.digest(event_type, placement_id, now, None, payload)})
    return event_id


class Ended(Exception):
    """The placement has ended: its mentor and agreement no longer change, and nothing more
    is planned or sent to the mentor on it."""


def has_ended(placement: dict) -> bool:
    """The one rule for an ended placement, for the counsellor's actions and the mentor's
    pages alike."""
    return placement["status"] != "active"


def _still_active(db: sqlite_utils.Database, placement: dict) -> None:
    # Read inside the write transaction: a placement ended a moment ago by another
    # counsellor counts as ended.
    current = placements.get(db, placement["id"])
    if current is None or has_ended(current):
        raise Ended


@dataclass
class NewMentor:
    name: str
    email: str
    phone: str | None


def _mentor_for(db: sqlite_utils.Database, counsellor, workplace_id: int,
                mentor_id: int | None, new_mentor: NewMentor | None) -> tuple[int, str | None]:
    """The mentor's id, creating and inviting a new one if asked; and the invitation token."""
    if mentor_id is not None:
        return mentor_id, None
    assert new_mentor is not None
    workplace = orgs.get(db, "workplaces", workplace_id)
    user_id = users.create(db, email=new_mentor.email, name=new_mentor.name, role="mentor",
                           phone=new_mentor.phone, workplace_id=workplace_id,
                           network_id=workplace["network_id"] if workplace else None)
    return user_id, invitations.create(db, user_id, created_by=counsellor.id)


def create_placement(db: sqlite_utils.Database, counsellor, *, participant_name: str,
                     workplace_id: int, mentor_id: int | None, new_mentor: NewMentor | None,
                     backup_counsellor_id: int | None, start_date: date, end_date: date,
                     agreed_minutes_per_week: int, goals: str) -> tuple[int, str | None]:
    with write(db):
        mentor, token = _mentor_for(db, counsellor, workplace_id, mentor_id, new_mentor)
        placement_id = placements.create(
            db, participant_name=participant_name, workplace_id=workplace_id,
            office_id=counsellor.office_id, mentor_id=mentor, counsellor_id=counsellor.id,
            backup_counsellor_id=backup_counsellor_id, start_date=start_date.isoformat(),
            end_date=end_date.isoformat(), agreed_minutes_per_week=agreed_minutes_per_week,
            goals=goals, created_by=counsellor.id)
        record_nav_event(db, author_id=counsellor.id, placement_id=placement_id,
                              event_type="placement_created",
                              payload={"start_date": start_date.isoformat(),
                                       "end_date": end_date.isoformat()})
    return placement_id, token


def change_mentor(db: sqlite_utils.Database, counsellor, placement: dict, *,
                  mentor_id: int | None, new_mentor: NewMentor | None,
                  reason: str | None) -> str | None:
    with write(db):
        _still_active(db, placement)
        mentor, token = _mentor_for(db, counsellor, placement["workplace_id"], mentor_id,
                                    new_mentor)
        placements.change_mentor(db, placement["id"], mentor, counsellor.id, reason)
        record_nav_event(db, author_id=counsellor.id, placement_id=placement["id"],
                              event_type="mentor_changed",
                              payload={"from_mentor_id": placement["mentor_id"],
                                       "to_mentor_id": mentor})
    return token


def extend(db: sqlite_utils.Database, counsellor, placement: dict, new_end: date,
           note: str | None) -> None:
    with write(db):
        _still_active(db, placement)
        placements.extend(db, placement["id"], placement["end_date"], new_end.isoformat(),
                          counsellor.id, note)
        record_nav_event(db, author_id=counsellor.id, placement_id=placement["id"],
                              event_type="placement_extended",
                              payload={"from": placement["end_date"], "to": new_end.isoformat()})


def decide_extension(db: sqlite_utils.Database, counsellor, placement: dict,
                     decision: str) -> None:
    with write(db):
        placements.update(db, placement["id"], extension_status=decision)
        record_nav_event(db, author_id=counsellor.id, placement_id=placement["id"],
                              event_type="extension_decided", payload={"decision": decision})


def end(db: sqlite_utils.Database, counsellor, placement: dict, outcome: str,
        note: str | None) -> None:
    with write(db):
        _still_active(db, placement)
        placements.end(db, placement["id"], outcome, note)
        record_nav_event(db, author_id=counsellor.id, placement_id=placement["id"],
                              event_type="placement_ended", payload={"outcome": outcome})


def note_parallel_processes(db: sqlite_utils.Database, placement: dict, present: bool) -> None:
    """Only that other services work alongside, never what they are. Not on the timeline:
    the mentor reads the timeline, and this is for NAV alone (the audit line records it)."""
    with write(db):
        placements.update(db, placement["id"], parallel_processes=int(present))


# Answering the mentor ----------------------------------------------------------------------

class NotOpen(Exception):
    """The flag or call request is already past the state this action needs (another
    counsellor got there first, or the page was old). Every answer to the mentor says
    "already answered" this one way."""


def mentor_url(placement: dict) -> str:
    """The mentor's page for a placement (built on the mentor's side)."""
    return path_for("mentor.placement", placement_id=placement["id"])


def _alert_mentor(db: sqlite_utils.Database, placement: dict, kind: str, ref: str,
                  dedupe: str, urgency: str = "normal") -> None:
    if placement["mentor_id"] is None:
        return
    notifications.enqueue(db, user_id=placement["mentor_id"], kind=kind, ref=ref,
                          url=mentor_url(placement), urgency=urgency,
                          ttl=current_app.config["PUSH_TTL_SECONDS"],
                          dedupe_key=f"{kind}:{dedupe}", placement_id=placement["id"])


def acknowledge_flag(db: sqlite_utils.Database, counsellor, placement: dict, flag: dict) -> None:
    """The mentor sees that NAV has read the report; the backup is no longer alerted.
    NotOpen (and nothing written) if it was already acknowledged or resolved."""
    with write(db):
        current = events.flag(db, flag["event_id"])
        if current["status"] != "open":
            raise NotOpen
        events.update_flag(db, flag["event_id"], status="acknowledged",
                           acknowledged_by=counsellor.id, acknowledged_at=clock.now_iso())
        record_nav_event(db, author_id=counsellor.id, placement_id=placement["id"],
                              event_type="flag_acknowledged", payload={"flag": flag["event_id"]})


def resolve_flag(db: sqlite_utils.Database, counsellor, placement: dict, flag: dict,
                 note: str) -> None:
    """Close the matter with a note the mentor can read. An unacknowledged flag counts as
    acknowledged now too."""
    with write(db):
        current = events.flag(db, flag["event_id"])
        if current["status"] == "resolved":
            raise NotOpen
        now = clock.now_iso()
        fields = {"status": "resolved", "resolved_by": counsellor.id, "resolved_at": now,
                  "resolution_note": note}
        if current["acknowledged_at"] is None:
            fields.update(acknowledged_by=counsellor.id, acknowledged_at=now)
        events.update_flag(db, flag["event_id"], **fields)
        record_nav_event(db, author_id=counsellor.id, placement_id=placement["id"],
                              event_type="flag_resolved",
                              payload={"flag": flag["event_id"], "note": note})


def mark_call_seen(db: sqlite_utils.Database, counsellor, placement: dict, call: dict) -> None:
    """NAV has seen the request and will call: stops the escalation to the backup.
    NotOpen (and nothing written) if it was already seen or closed."""
    with write(db):
        current = events.call_request(db, call["event_id"])
        if current["status"] != "sent":
            raise NotOpen
        events.update_call_request(db, call["event_id"], status="seen", seen_by=counsellor.id,
                                   seen_at=clock.now_iso())
        record_nav_event(db, author_id=counsellor.id, placement_id=placement["id"],
                              event_type="call_seen", payload={"call": call["event_id"]})


def schedule_call(db: sqlite_utils.Database, counsellor, placement: dict, call: dict,
                  at: datetime) -> str:
    """Set (or move) the time of the call; the mentor sees it and gets an alert."""
    with write(db):
        current = events.call_request(db, call["event_id"])
        if current["status"] not in ("sent", "seen", "scheduled"):
            raise NotOpen
        _still_active(db, placement)
        now = clock.now_iso()
        fields = {"status": "scheduled", "scheduled_for": clock.iso(at),
                  "scheduled_by": counsellor.id, "scheduled_at": now}
        if current["seen_at"] is None:
            fields.update(seen_by=counsellor.id, seen_at=now)
        events.update_call_request(db, call["event_id"], **fields)
        nav_event = record_nav_event(
            db, author_id=counsellor.id, placement_id=placement["id"],
            event_type="call_scheduled", payload={"call": call["event_id"], "at": clock.iso(at)})
        soon = clock.today(at) == clock.today()
        # The ref is the mentor's own request, so their phone can show which call it is;
        # each new time is its own alert.
        _alert_mentor(db, placement, "call_scheduled", call["event_id"], nav_event,
                      urgency="high" if soon else "normal")
    return nav_event


def mark_call_done(db: sqlite_utils.Database, counsellor, placement: dict, call: dict,
                   note: str | None) -> None:
    with write(db):
        current = events.call_request(db, call["event_id"])
        if current["status"] not in ("sent", "seen", "scheduled"):
            raise NotOpen
        now = clock.now_iso()
        fields = {"status": "done", "done_by": counsellor.id, "done_at": now, "done_note": note}
        if current["seen_at"] is None:
            fields.update(seen_by=counsellor.id, seen_at=now)
        events.update_call_request(db, call["event_id"], **fields)
        payload = {"call": call["event_id"]}
        if note:
            payload["note"] = note
        record_nav_event(db, author_id=counsellor.id, placement_id=placement["id"],
                              event_type="call_done", payload=payload)


def comment(db: sqlite_utils.Database, counsellor, placement: dict, text: str) -> str:
    """A message to the mentor, on the shared timeline; the mentor gets an alert."""
    with write(db):
        _still_active(db, placement)
        event_id = record_nav_event(db, author_id=counsellor.id,
                                         placement_id=placement["id"],
                                         event_type="nav_comment", payload={"text": text})
        _alert_mentor(db, placement, "nav_comment", event_id, event_id)
    return event_id
