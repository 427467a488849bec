"""What a counsellor does with a placement: create it, change its mentor, extend it, end it.

Each action is one transaction that changes the placement and appends a NAV-side event
to its timeline, so the history explains every change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlite_utils

from mentorapp import sync
from mentorapp.auth import invitations
from mentorapp.store import orgs, placements, users
from mentorapp.store.db import write


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
        sync.record_nav_event(db, author_id=counsellor.id, placement_id=placement_id,
                              event_type="placement_created",
                              payload={"start_date": start_date.isoformat(),
                                       "end_date": end_date.isoformat()})
    return placement_id, token


def change_mentor(db: sqlite_utils.Database, counsellor, placement: dict, *,
                  mentor_id: int | None, new_mentor: NewMentor | None,
                  reason: str | None) -> str | None:
    with write(db):
        mentor, token = _mentor_for(db, counsellor, placement["workplace_id"], mentor_id,
                                    new_mentor)
        placements.change_mentor(db, placement["id"], mentor, counsellor.id, reason)
        sync.record_nav_event(db, author_id=counsellor.id, placement_id=placement["id"],
                              event_type="mentor_changed",
                              payload={"from_mentor_id": placement["mentor_id"],
                                       "to_mentor_id": mentor})
    return token


def extend(db: sqlite_utils.Database, counsellor, placement: dict, new_end: date,
           note: str | None) -> None:
    with write(db):
        placements.extend(db, placement["id"], placement["end_date"], new_end.isoformat(),
                          counsellor.id, note)
        sync.record_nav_event(db, author_id=counsellor.id, placement_id=placement["id"],
                              event_type="placement_extended",
                              payload={"from": placement["end_date"], "to": new_end.isoformat()})


def decide_extension(db: sqlite_utils.Database, counsellor, placement: dict,
                     decision: str) -> None:
    with write(db):
        placements.update(db, placement["id"], extension_status=decision)
        sync.record_nav_event(db, author_id=counsellor.id, placement_id=placement["id"],
                              event_type="extension_decided", payload={"decision": decision})


def end(db: sqlite_utils.Database, counsellor, placement: dict, outcome: str,
        note: str | None) -> None:
    with write(db):
        placements.end(db, placement["id"], outcome, note)
        sync.record_nav_event(db, author_id=counsellor.id, placement_id=placement["id"],
                              event_type="placement_ended", payload={"outcome": outcome})
