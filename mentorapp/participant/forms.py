"""What a participant writes, read from a posted form into an event payload (the
participant's counterpart of mentorapp/mentor/entries.py's readers).

With JavaScript the page builds the same payload from the same fields
(static/js/entries.js), keeps it in the phone's outbox and sends it to /api/v1/sync;
without, the form posts to participant/views.py. Both end in sync.ingest, through the
same `store` as the mentor's forms, so there is one set of rules and one idempotency.
"""

from __future__ import annotations

from flask_babel import gettext as _

from mentorapp.domain import clock, vocabulary
from mentorapp.sync import schema
from mentorapp.web.forms import Form

MAX_TEXT = schema.MAX_PARTICIPANT_TEXT
MAX_GOALS = schema.PAYLOADS["participant_goals"]["properties"]["text"]["maxLength"]


def _without_empty(payload: dict) -> dict:
    return {k: v for k, v in payload.items() if v is not None and v != ""}


def read_checkin(form: Form) -> dict:
    period = form.choice("period", vocabulary.CHECKIN_PERIODS)
    mood = form.choice("mood", vocabulary.MOODS, required=False)
    if mood is None and "mood" not in form.errors:
        form.error("mood", _("Choose a face."))
    return _without_empty({
        "period": period, "date": clock.today().isoformat(), "mood": mood,
        "text": form.text("text", required=False, max_length=MAX_TEXT, multiline=True),
    })


def read_goals(form: Form) -> dict:
    text = form.text("text", required=False, max_length=MAX_GOALS, multiline=True)
    if not text and "text" not in form.errors:
        form.error("text", _("Write at least one goal."))
    return {"text": text or ""}


def read_talk(form: Form) -> dict:
    return _without_empty({
        "text": form.text("text", required=False, max_length=MAX_TEXT, multiline=True)})


READERS = {"participant_checkin": read_checkin, "participant_goals": read_goals,
           "talk_request": read_talk}
