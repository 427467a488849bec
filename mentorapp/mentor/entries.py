"""What a mentor writes, read from a posted form into an event and stored through ingest.ingest.

With JavaScript, the page builds the very same event from the very same fields
(static/js/entries.js), keeps it in the phone's outbox and sends it to /api/v1/sync.
Without JavaScript the form posts here. Both paths end in `ingest.ingest`, so there is one
set of rules. The form carries a hidden event id made when the page was rendered: a
double submit is stored once.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, timedelta
from typing import Any

import sqlite_utils
from flask_babel import gettext as _

from mentorapp.domain import clock, vocabulary
from mentorapp.store import events
from mentorapp.sync import ingest, schema
from mentorapp.web.forms import Form

# The kinds of entry a mentor makes from a form, by the last part of the form's URL.
KINDS = {"log": "daily_log", "flag": "flag", "call": "call_request", "time": "time",
         "message": "comment"}

# On a day the participant was not at work there is nothing to say about mastery and
# inclusion: those fields are dropped, so a prefilled value never becomes a false record.
NOT_AT_WORK = ("absent", "day_off")
PER_DAY_FIELDS = ("mastery", "social", "wellbeing", "tasks")

TASK_SPLIT = re.compile(r"[,\n;]+")
MAX_TASKS = schema.PAYLOADS["daily_log"]["properties"]["tasks"]["maxItems"]
MAX_TASK_LENGTH = schema.PAYLOADS["daily_log"]["properties"]["tasks"]["items"]["maxLength"]
MAX_MINUTES = schema.PAYLOADS["daily_log"]["properties"]["minutes"]["maximum"]


def new_event_id() -> str:
    return str(uuid.uuid4())


def earliest_day(placement: dict) -> date:
    """The first day a log may be about (the server accepts the day before the start)."""
    return date.fromisoformat(placement["start_date"]) - timedelta(days=1)


def read_tasks(form: Form) -> list[str]:
    """Tapped chips plus the tasks written in the free-text field, each once, in order."""
    chosen = [t.strip() for t in form.values_of("tasks") if t.strip()]
    written = [t.strip() for t in TASK_SPLIT.split(form.data.get("tasks_other", "") or "")
               if t.strip()]
    tasks: list[str] = []
    for task in [*chosen, *written]:
        if task.casefold() not in (t.casefold() for t in tasks):
            tasks.append(task)
    if any(len(t) > MAX_TASK_LENGTH for t in tasks):
        form.error("tasks_other", _("Each task can have at most %(count)d characters.",
                                    count=MAX_TASK_LENGTH))
    elif len(tasks) > MAX_TASKS:
        form.error("tasks_other", _("At most %(count)d tasks a day.", count=MAX_TASKS))
    form.values["tasks"] = chosen
    return tasks


def read_daily_log(form: Form, placement: dict) -> dict:
    day = form.date("date", earliest=earliest_day(placement), latest=clock.today())
    payload: dict[str, Any] = {
        "date": day.isoformat() if day else None,
        "attendance": form.choice("attendance", vocabulary.ATTENDANCE),
        "mastery": form.choice("mastery", vocabulary.MASTERY, required=False),
        "social": form.choice("social", vocabulary.SOCIAL, required=False),
        "wellbeing": form.choice("wellbeing", vocabulary.WELLBEING, required=False),
        "tasks": read_tasks(form),
        "minutes": form.integer("minutes", required=False, minimum=0, maximum=MAX_MINUTES),
        "note": form.text("note", required=False, max_length=schema.MAX_NOTE,
                          multiline=True),
    }
    if payload["attendance"] in NOT_AT_WORK:
        for name in PER_DAY_FIELDS:
            payload.pop(name)
    # Visible to the participant unless the mentor unticked the box the form shows (the
    # hidden field says the box was on the form: an unticked box sends nothing).
    if form.data.get("visibility_asked") and not form.checked("visible_to_participant"):
        payload["visible_to_participant"] = False
    else:
        form.values["visible_to_participant"] = True
    return _without_empty(payload)


def read_flag(form: Form, placement: dict) -> dict:
    return _without_empty({
        "category": form.choice("category", vocabulary.FLAG_CATEGORIES),
        "severity": form.choice("severity", vocabulary.SEVERITY),
        "note": form.text("note", required=False, max_length=schema.MAX_NOTE,
                          multiline=True),
    })


def read_call_request(form: Form, placement: dict) -> dict:
    windows = [w for w in form.values_of("windows") if w]
    if any(w not in vocabulary.CALL_WINDOWS for w in windows):
        form.error("windows", _("Please choose one of the options."))
    form.values["windows"] = windows
    return _without_empty({
        "urgency": form.choice("urgency", vocabulary.URGENCY),
        "windows": list(dict.fromkeys(windows)),
        "phone": form.phone("phone", required=True),
        "topic": form.text("topic", required=False, max_length=500, multiline=True),
    })


def read_time(form: Form, placement: dict) -> dict:
    day = form.date("date", earliest=earliest_day(placement), latest=clock.today())
    return _without_empty({
        "date": day.isoformat() if day else None,
        "minutes": form.integer("minutes", minimum=1, maximum=MAX_MINUTES),
        "note": form.text("note", required=False, max_length=500, multiline=True),
    })


def read_comment(form: Form, placement: dict) -> dict:
    return {"text": form.text("text", max_length=schema.MAX_NOTE, multiline=True)}


READERS = {"daily_log": read_daily_log, "flag": read_flag, "call_request": read_call_request,
           "time": read_time, "comment": read_comment}


def _without_empty(payload: dict) -> dict:
    return {k: v for k, v in payload.items() if v is not None and v != "" and v != []}


def form_event_id(form: Form) -> str:
    """The id the page was rendered with; a fresh one if it is missing or malformed."""
    sent = str(form.data.get("event_id", "")).strip()
    return sent if schema.UUID.match(sent) else new_event_id()


# Corrections --------------------------------------------------------------------------------

def root_of(db: sqlite_utils.Database, event_id: str) -> dict | None:
    """The first entry of a correction chain."""
    event = events.by_id(db, event_id)
    while event is not None and event["amends"]:
        original = events.by_id(db, event["amends"])
        if original is None:
            break
        event = original
    return event


def originals(db: sqlite_utils.Database, placement_id: int, author_id: int, start: date,
              end: date) -> dict[str, dict]:
    """For each day in [start, end] the author logged: the original entry a correction of
    that day points at, and the entry now in effect."""
    days: dict[str, dict] = {}
    for row in events.day_logs(db, placement_id, start.isoformat(), end.isoformat()):
        root = root_of(db, row["event_id"])
        if root is None or root["author_id"] != author_id or root["type"] != "daily_log":
            continue
        current = events.by_id(db, row["event_id"])
        days[row["log_date"]] = {"id": root["id"], "current": row["event_id"],
                                 "payload": json.loads(current["payload"]) if current else {}}
    return days


# Storing ------------------------------------------------------------------------------------

@dataclass
class Outcome:
    ok: bool
    status: str
    field: str | None = None
    message: str | None = None
    event: dict = dataclass_field(default_factory=dict)


def build_event(kind: str, placement_id: int, payload: dict, event_id: str,
                amends: str | None = None) -> dict:
    event = {"id": event_id, "type": kind, "placement_id": placement_id,
             "occurred_at": clock.iso(clock.now()), "payload": payload}
    if amends:
        event["amends"] = amends
    return event


def _amends_for(db: sqlite_utils.Database, kind: str, placement: dict, author_id: int,
                payload: dict) -> str | None:
    if kind != "daily_log":
        return None
    day = date.fromisoformat(payload["date"])
    original = originals(db, placement["id"], author_id, day, day).get(payload["date"])
    return original["id"] if original else None


def _not_itself(amends: str | None, event_id: str) -> str | None:
    # A form sent twice finds its own first copy as the day's log: that is no correction.
    return None if amends == event_id else amends


def store(db: sqlite_utils.Database, author, kind: str, placement: dict, payload: dict,
          event_id: str) -> Outcome:
    """Ingest one entry made on a form. A second submit of the same form is stored once;
    a form sent again with other content after going back becomes an entry of its own."""
    amends = _not_itself(_amends_for(db, kind, placement, author.id, payload), event_id)
    event = build_event(kind, placement["id"], payload, event_id, amends)
    result = ingest.ingest(db, author, [event])[0]
    if result.status == "conflict":
        stored = events.by_id(db, event_id)
        if (stored is not None and stored["author_id"] == author.id
                and json.loads(stored["payload"]) == payload):
            return Outcome(True, "duplicate", event=event)
        event = build_event(kind, placement["id"], payload, new_event_id(), amends)
        result = ingest.ingest(db, author, [event])[0]
    if result.status in ("created", "duplicate"):
        return Outcome(True, result.status, event=event)
    problem_field = (result.params.get("field") or "").removeprefix("payload.")
    return Outcome(False, result.status, problem_field.split("[")[0] or None, result.message,
                   event=event)
