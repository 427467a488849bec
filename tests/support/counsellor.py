"""Helpers for the counsellor-side tests: placements in particular states, built through the
real paths (casework for NAV, the sync API for the mentor)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from mentorapp.counsellor import casework
from mentorapp.domain import clock
from mentorapp.store.db import get_db
from tests.support.events import daily_log, event, sync


class Counsellor:
    def __init__(self, row: dict):
        self.id, self.role, self.office_id, self.active = (
            row["id"], row["role"], row["office_id"], True)


def new_placement(app, world, name: str, *, counsellor: str = "counsellor_a",
                  mentor: str = "mentor_a", workplace: str = "w1", backup: str | None = None,
                  start: date | None = None, end: date | None = None,
                  agreed_minutes: int = 120) -> int:
    today = clock.today()
    with app.app_context(), app.test_request_context():
        placement_id, _token = casework.create_placement(
            get_db(), Counsellor(world.users[counsellor]), participant_name=name,
            workplace_id=world.ids[workplace], mentor_id=world.ids[mentor], new_mentor=None,
            backup_counsellor_id=world.ids[backup] if backup else None,
            start_date=start or today - timedelta(days=30),
            end_date=end or today + timedelta(days=60),
            agreed_minutes_per_week=agreed_minutes, goals="Møte presis")
    return placement_id


def send(client, *events_: dict) -> list[dict]:
    response = sync(client, list(events_))
    results = response.get_json()["results"]
    assert all(r["status"] == "created" for r in results), results
    return list(events_)


def flag(client, placement_id: int, severity: str = "attention", category: str = "absence",
         note: str = "Har vært borte tre dager", **kwargs) -> dict:
    return send(client, event("flag", placement_id, {"category": category, "severity": severity,
                                                     "note": note}, **kwargs))[0]


def call_request(client, placement_id: int, urgency: str = "two_days", **kwargs) -> dict:
    payload = {"urgency": urgency, "windows": ["10-12"], "topic": "Om arbeidstiden"}
    return send(client, event("call_request", placement_id, payload, **kwargs))[0]


def log_today(client, placement_id: int, **payload) -> dict:
    return send(client, daily_log(placement_id, **payload))[0]


def version_of(page: str) -> str:
    return re.search(r'"v": "([0-9a-f]+)"', page).group(1)


def post(client, url: str, htmx: bool = False, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url, data={"csrf_token": client.csrf_token, **data}, headers=headers)


def make_token(client, world, name="Saksbehandling A", office="office_a") -> str:
    """An API token made by an admin on /admin/tokens, read off the page that shows it once."""
    response = post(client, "/admin/tokens", name=name, office_id=str(world.ids[office]))
    assert response.status_code == 303
    page = client.get("/admin/tokens").get_data(as_text=True)
    return re.search(r'<code class="token">([^<]+)</code>', page).group(1)
