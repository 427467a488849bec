"""Receiving the phone's events (the mentor's, and a participant's own): idempotent, one answer per event, nothing half-stored.

The phone keeps each entry in its outbox until this module has answered for it. A batch
is stored in one transaction (one disk sync for all of it); each event in it is judged
on its own: stored now (created), already here with the same content (duplicate),
already here with other content (conflict: nothing changes), or refused with a reason
(rejected). An invalid event never stops its valid siblings.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlite_utils
from flask import current_app
from flask_babel import gettext as _

from mentorapp.domain import access, clock
from mentorapp.store import events, notifications, participant, placements
from mentorapp.store.db import write
from mentorapp.sync import schema
from mentorapp.web.pages import path_for

FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass
class Result:
    id: Any
    status: str  # created | duplicate | conflict | rejected
    code: str | None = None
    message: str | None = None
    params: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        answer: dict[str, Any] = {"id": self.id, "status": self.status}
        if self.code:
            answer["code"] = self.code
            answer["reason"] = self.message
        if self.params:
            answer["field"] = self.params.get("field")
        return answer


class Rejected(Exception):
    def __init__(self, code: str, message: str, **params: Any):
        super().__init__(code)
        self.code, self.message, self.params = code, message, params

    def result(self, event_id: Any) -> Result:
        return Result(event_id, "rejected", self.code, self.message, self.params)


def _problem_message(problem: schema.Problem) -> str:
    field_name = problem.path or _("the entry")
    p = problem.params
    messages = {
        "missing": lambda: _("%(field)s is missing.", field=field_name),
        "unknown": lambda: _("%(field)s is not a known field.", field=field_name),
        "type": lambda: _("%(field)s has the wrong type.", field=field_name),
        "enum": lambda: _("%(field)s must be one of: %(choices)s.", field=field_name,
                          choices=p.get("choices", "")),
        "range": lambda: _("%(field)s must be between %(low)s and %(high)s.", field=field_name,
                           low=p.get("low"), high=p.get("high")),
        "too_long": lambda: _("%(field)s is too long (at most %(max)s characters).",
                              field=field_name, max=p.get("max")),
        "too_short": lambda: _("%(field)s is empty.", field=field_name),
        "too_many": lambda: _("%(field)s has too many items (at most %(max)s).",
                              field=field_name, max=p.get("max")),
        "repeated": lambda: _("%(field)s lists the same item twice.", field=field_name),
        "format": lambda: _("%(field)s is not in the right format.", field=field_name),
    }
    return messages.get(problem.code, messages["format"])()


def _check_shape(raw: Any) -> None:
    problems = schema.validate(raw, schema.EVENT)
    if not problems:
        problems = schema.validate(raw["payload"], schema.PAYLOADS[raw["type"]],
                                        "payload")
    if problems:
        first = problems[0]
        raise Rejected("invalid", _problem_message(first), field=first.path)


def digest(event_type: str, placement_id: int, occurred_at: str, amends: str | None,
           payload: dict) -> str:
    """A fingerprint of what the entry says, to tell a replay from a different entry."""
    canonical = json.dumps({"type": event_type, "placement_id": placement_id,
                            "occurred_at": occurred_at, "amends": amends, "payload": payload},
                           sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _not_yours() -> Rejected:
    # The same answer for a placement that does not exist and one that is not the
    # author's, so that ids cannot be probed.
    return Rejected("unknown_placement", _("This placement does not exist or is not yours."))


def _check_meaning(batch: _Batch, checked: _Checked) -> dict:
    raw, occurred, occurred_at = checked.raw, checked.occurred, checked.occurred_at
    found = batch.placement(raw["placement_id"])
    if found is None or not found.may_write(occurred_at, raw["type"]):
        raise _not_yours()
    placement = found.row
    if occurred > batch.now + FUTURE_TOLERANCE:
        raise Rejected("in_future", _("The time is in the future. Check the clock on the phone."))
    if occurred_at[:10] < found.day_before_start:
        raise Rejected("before_start", _("The time is before the placement started."))
    if placement["status"] == "ended" and occurred_at > placement["ended_at"]:
        raise Rejected("placement_ended", _("The placement had ended before this was logged."))
    payload = raw["payload"]
    if "date" in payload and date.fromisoformat(payload["date"]) > clock.today(occurred):
        raise Rejected("date_in_future", _("The day logged is after the day it was written."))
    if raw.get("amends"):
        _check_correction(batch.db, batch.author, raw)
    return placement


def _day_before(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def _check_correction(db: sqlite_utils.Database, author, raw: dict) -> None:
    if raw["type"] not in schema.CORRECTABLE:
        raise Rejected("not_correctable", _("Only daily logs and time entries can be corrected."))
    original = events.by_id(db, raw["amends"])
    if original is None:
        raise Rejected("amends_unknown", _("The entry this corrects has not reached NAV."))
    original_payload = json.loads(original["payload"])
    if (original["type"] != raw["type"] or original["placement_id"] != raw["placement_id"]
            or original["author_id"] != author.id
            or original_payload.get("date") != raw["payload"].get("date")):
        raise Rejected("amends_mismatch", _("A correction must be of the same kind, placement "
                                            "and day as the entry it corrects."))


def _root_of(db: sqlite_utils.Database, raw: dict) -> str:
    """The first entry of a correction chain: what a correction replaces."""
    root = raw["id"]
    amends = raw.get("amends")
    while amends:
        root = amends
        original = events.by_id(db, amends)
        amends = original["amends"] if original else None
    return root


def _derive(db: sqlite_utils.Database, raw: dict, placement: dict, author_id: int,
            occurred_at: str) -> None:
    """Update the state read by the NAV side, in the same transaction as the event."""
    payload, kind = raw["payload"], raw["type"]
    if kind == "daily_log":
        events.put_day_log(db, {
            "placement_id": placement["id"], "log_date": payload["date"], "event_id": raw["id"],
            "occurred_at": occurred_at, "attendance": payload["attendance"],
            "mastery": payload.get("mastery"), "social": payload.get("social"),
            "wellbeing": payload.get("wellbeing"),
            "visible_to_participant": int(payload.get("visible_to_participant", True)),
            "amends": raw.get("amends")})
    if kind in ("daily_log", "time") and (payload.get("minutes") or raw.get("amends")):
        events.put_mentor_time(db, {
            "root_event_id": _root_of(db, raw), "event_id": raw["id"],
            "placement_id": placement["id"], "mentor_id": author_id, "occurred_at": occurred_at,
            "work_date": payload["date"], "minutes": payload.get("minutes") or 0,
            "amends": raw.get("amends")})
    if kind == "flag":
        events.insert_flag(db, {
            "event_id": raw["id"], "placement_id": placement["id"],
            "category": payload["category"], "severity": payload["severity"],
            "raised_at": occurred_at, "status": "open"})
        if payload["severity"] == "urgent":
            _alert_counsellor(db, placement, "flag_urgent", raw["id"], "high")
    if kind == "call_request":
        events.insert_call_request(db, {
            "event_id": raw["id"], "placement_id": placement["id"],
            "urgency": payload["urgency"], "requested_at": occurred_at, "status": "sent"})
        _alert_counsellor(db, placement, "call_request", raw["id"],
                          "high" if payload["urgency"] == "today" else "normal")
    if kind == "participant_checkin":
        participant.insert_checkin(db, {
            "event_id": raw["id"], "placement_id": placement["id"], "period": payload["period"],
            "about_date": payload["date"], "mood": payload["mood"], "occurred_at": occurred_at})
    if kind == "talk_request":
        participant.insert_talk_request(db, {
            "event_id": raw["id"], "placement_id": placement["id"], "requested_at": occurred_at})
        _alert_counsellor(db, placement, "talk_request", raw["id"], "normal")


def _alert_counsellor(db: sqlite_utils.Database, placement: dict, kind: str, ref: str,
                      urgency: str) -> None:
    notifications.enqueue(
        db, user_id=placement["counsellor_id"], kind=kind, ref=ref,
        url=path_for("counsellor.placement", f"e-{ref}", placement_id=placement["id"]),
        urgency=urgency, ttl=current_app.config["PUSH_TTL_SECONDS"],
        dedupe_key=f"{kind}:{ref}:responsible", placement_id=placement["id"])


@dataclass
class _Checked:
    """An event whose shape is right, with what storing it needs worked out already."""
    raw: dict
    occurred: datetime
    occurred_at: str
    fingerprint: str
    payload_json: str


def _check_alone(raw: Any) -> _Checked | Result:
    """What can be judged from the event alone. Done before the write lock is taken, so
    that the other workers' writers wait only for the part that needs the database."""
    # Echoed in the answer only when it is text (the document says string or null).
    event_id = raw.get("id") if isinstance(raw, dict) else None
    event_id = event_id if isinstance(event_id, str) else None
    try:
        _check_shape(raw)
    except Rejected as rejection:
        return rejection.result(event_id)
    # Stored as written the one canonical way, so that a replay written another way
    # (60.0 for 60) is still the same entry.
    raw = {**schema.canonical(raw, schema.EVENT),
           "payload": schema.canonical(raw["payload"], schema.PAYLOADS[raw["type"]])}
    occurred = clock.parse(raw["occurred_at"])
    occurred_at = clock.iso(occurred)
    return _Checked(raw, occurred, occurred_at,
                    digest(raw["type"], raw["placement_id"], occurred_at, raw.get("amends"),
                           raw["payload"]),
                    json.dumps(raw["payload"], ensure_ascii=False, sort_keys=True))


@dataclass
class _Placement:
    row: dict
    may_write: Callable[[str, str], bool]  # (occurred_at, event_type): access.event_gate
    day_before_start: str  # the earliest day an entry may be written (a day's leeway)


class _Batch:
    """What a batch's events share inside the write lock, each read or worked out once: the
    digest and author of every id of the batch already stored (one query, kept up to date
    as events are stored, so that an id sent twice in one batch is a duplicate), each
    placement with its access check prepared, the time of arrival."""

    def __init__(self, db: sqlite_utils.Database, author, now: datetime, ids: list[str]):
        self.db, self.author, self.now = db, author, now
        self.received_at = clock.iso(now)
        self.stored = events.fingerprints(db, ids)
        self._placements: dict[int, _Placement | None] = {}

    def placement(self, placement_id: int) -> _Placement | None:
        # A batch is usually one placement's entries: read it once per batch.
        if placement_id not in self._placements:
            row = placements.get(self.db, placement_id)
            self._placements[placement_id] = row and _Placement(
                row, access.event_gate(self.db, self.author, row),
                _day_before(row["start_date"]))
        return self._placements[placement_id]


def _one(batch: _Batch, checked: _Checked) -> Result:
    raw, author = checked.raw, batch.author
    event_id = raw["id"]
    existing = batch.stored.get(event_id)
    if existing is not None:
        # Judged before anything else: a replay of a stored entry is answered the same
        # way even if it could no longer be written today (placement ended, say).
        if existing == (checked.fingerprint, author.id):
            return Result(event_id, "duplicate")
        return Result(event_id, "conflict", "conflict",
                      _("Another entry with this id is already stored; nothing was changed."))
    try:
        placement = _check_meaning(batch, checked)
    except Rejected as rejection:
        return rejection.result(event_id)
    # No savepoint of its own: nothing below is refused, and any error ends the whole
    # transaction (store.db.write rolls it back), so the event and its derived rows are
    # stored together or not at all either way.
    events.insert(batch.db, {
        "id": event_id, "type": raw["type"], "placement_id": placement["id"],
        "author_id": author.id, "occurred_at": checked.occurred_at,
        "received_at": batch.received_at, "payload": checked.payload_json,
        "amends": raw.get("amends"), "digest": checked.fingerprint})
    _derive(batch.db, raw, placement, author.id, checked.occurred_at)
    batch.stored[event_id] = (checked.fingerprint, author.id)
    return Result(event_id, "created")


def ingest(db: sqlite_utils.Database, author, batch: list, now: datetime | None = None
           ) -> list[Result]:
    """Store a batch of the author's events; one result per event, in order."""
    now = now or clock.now()
    checked = [_check_alone(raw) for raw in batch]
    ids = [item.raw["id"] for item in checked if isinstance(item, _Checked)]
    with write(db):
        state = _Batch(db, author, now, ids)
        return [item if isinstance(item, Result) else _one(state, item) for item in checked]
