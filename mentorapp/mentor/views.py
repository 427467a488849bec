"""Mentor pages. Every placement read goes through mentorapp.access."""

from __future__ import annotations

from datetime import date

from flask_login import current_user

from mentorapp import access, clock
from mentorapp.mentor import bp
from mentorapp.pages import render
from mentorapp.store import events
from mentorapp.store.db import get_db


def _today_state(placement: dict) -> dict:
    db = get_db()
    today = clock.today()
    logs = events.day_logs(db, placement["id"], today.isoformat(), today.isoformat())
    return {
        "placement": placement,
        "logged_today": bool(logs),
        "days_left": (date.fromisoformat(placement["end_date"]) - today).days,
        "open_flags": events.flags_of(db, placement["id"], open_only=True),
        "open_calls": events.call_requests_of(db, placement["id"], open_only=True),
    }


@bp.route("/")
@access.allow(access.MENTOR)
def home():
    cases = [_today_state(p) for p in access.visible_placements(current_user)]
    return render("mentor/home.html", cases=cases)


@bp.route("/time")
@access.allow(access.MENTOR)
def time():
    return render("mentor/time.html", placements=access.visible_placements(current_user))
