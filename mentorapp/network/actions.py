"""What coordinators and mentors do in the network. Each action is one transaction; the
push alerts it causes are queued in that same transaction (mentorapp.push.sender sends them).

Push payloads carry only a kind, a reference and a link to the page: the gathering's
title or the message itself never goes to a lock screen.
"""

from __future__ import annotations

import sqlite_utils
from flask import current_app

from mentorapp.network import uploads
from mentorapp.network.forms import GatheringFields, ResourceFields
from mentorapp.store import broadcasts, gatherings, notifications, resources, users, voice
from mentorapp.store.db import write
from mentorapp.web.pages import path_for


def _ttl() -> int:
    return current_app.config["PUSH_TTL_SECONDS"]


# Resources ------------------------------------------------------------------------------

def add_resource(db: sqlite_utils.Database, user, network_id: int, fields: ResourceFields,
                 file: uploads.Checked | None) -> int:
    """A link, or a checked file: the file is written first and removed again if the row
    cannot be stored, so nothing is left half-done."""
    stored_name = uploads.store(file) if file else None
    try:
        with write(db):
            return resources.create(
                db, network_id=network_id, kind=fields.kind, title=fields.title,
                description=fields.description, language=fields.language, tags=fields.tags,
                created_by=user.id, url=fields.url,
                file_name=file.file_name if file else None, stored_name=stored_name,
                file_type=file.content_type if file else None,
                file_size=file.size if file else None, file_sha256=file.sha256 if file else None)
    except BaseException:
        if stored_name:
            uploads.remove(stored_name)
        raise


def change_resource(db: sqlite_utils.Database, resource: dict, fields: ResourceFields) -> None:
    with write(db):
        resources.update(db, resource["id"], title=fields.title, description=fields.description,
                         language=fields.language, tags=fields.tags, url=fields.url)


def delete_resource(db: sqlite_utils.Database, resource: dict) -> None:
    with write(db):
        resources.delete(db, resource["id"])


# Gatherings -----------------------------------------------------------------------------

def plan_gathering(db: sqlite_utils.Database, user, network_id: int,
                   fields: GatheringFields) -> int:
    with write(db):
        return gatherings.create(
            db, network_id=network_id, title=fields.title, starts_at=fields.starts_at,
            ends_at=fields.ends_at, place=fields.place, video_url=fields.video_url,
            agenda=fields.agenda, created_by=user.id)


def change_gathering(db: sqlite_utils.Database, gathering: dict, fields: GatheringFields) -> None:
    with write(db):
        gatherings.update(db, gathering, title=fields.title, starts_at=fields.starts_at,
                          ends_at=fields.ends_at, place=fields.place,
                          video_url=fields.video_url, agenda=fields.agenda)


def cancel_gathering(db: sqlite_utils.Database, gathering: dict) -> int:
    """Cancel, and tell those who said yes or maybe; returns how many were told."""
    with write(db):
        gatherings.cancel(db, gathering["id"])
        told = gatherings.coming(db, gathering["id"])
        for user_id in told:
            notifications.enqueue(
                db, user_id=user_id, kind="gathering_cancelled", ref=str(gathering["id"]),
                url=path_for("network.gathering", gathering_id=gathering["id"]), ttl=_ttl(),
                dedupe_key=f"gathering_cancelled:{gathering['id']}:{user_id}")
    return len(told)


def answer(db: sqlite_utils.Database, user, gathering: dict, value: str) -> None:
    with write(db):
        gatherings.answer(db, gathering["id"], user.id, value)


def record_attendance(db: sqlite_utils.Database, gathering: dict, present: set[int],
                      mentor_ids: list[int]) -> None:
    with write(db):
        gatherings.record_attendance(db, gathering["id"], present, mentor_ids)


def give_feedback(db: sqlite_utils.Database, user, gathering: dict, *, rating: int,
                  useful: str, wish: str) -> None:
    with write(db):
        gatherings.give_feedback(db, gathering["id"], user.id, rating=rating, useful=useful,
                                 wish=wish)


# The mentors' voice ---------------------------------------------------------------------

def propose_topic(db: sqlite_utils.Database, user, network_id: int, title: str,
                  description: str) -> int:
    with write(db):
        return voice.propose(db, network_id=network_id, user_id=user.id, title=title,
                             description=description)


def vote(db: sqlite_utils.Database, user, topic: dict, *, withdraw: bool = False) -> None:
    with write(db):
        if withdraw:
            voice.withdraw(db, topic["id"], user.id)
        else:
            voice.vote(db, topic["id"], user.id)


def set_topic_status(db: sqlite_utils.Database, topic: dict, status: str,
                     gathering_id: int | None) -> None:
    with write(db):
        voice.set_status(db, topic["id"], status, gathering_id if status != "open" else None)


def publish_note(db: sqlite_utils.Database, user, network_id: int, *, title: str, body: str,
                 gathering_id: int | None) -> int:
    with write(db):
        return voice.publish_note(db, network_id=network_id, title=title, body=body,
                                  gathering_id=gathering_id, created_by=user.id)


def delete_note(db: sqlite_utils.Database, note: dict) -> None:
    with write(db):
        voice.delete_note(db, note["id"])


# Messages -------------------------------------------------------------------------------

def broadcast(db: sqlite_utils.Database, user, network_id: int, body: str) -> int:
    """The message for every active mentor of the network: in the list at once, and a
    push alert to each (the alert only says there is a message)."""
    with write(db):
        mentors = users.with_role(db, "mentor", network_id=network_id)
        broadcast_id = broadcasts.create(db, network_id=network_id, body=body,
                                         created_by=user.id, recipients=len(mentors))
        for mentor in mentors:
            notifications.enqueue(
                db, user_id=mentor["id"], kind="broadcast", ref=str(broadcast_id),
                url=path_for("network.messages", f"b-{broadcast_id}"), ttl=_ttl(),
                dedupe_key=f"broadcast:{broadcast_id}:{mentor['id']}")
    return broadcast_id
