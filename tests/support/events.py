"""Events as the phone makes them, for tests."""

from __future__ import annotations

import uuid
from datetime import datetime

from mentorapp.domain import clock


def event(kind: str, placement_id: int, payload: dict, *, at: datetime | None = None,
          amends: str | None = None, event_id: str | None = None) -> dict:
    body = {"id": event_id or str(uuid.uuid4()), "type": kind, "placement_id": placement_id,
            "occurred_at": (at or clock.now()).astimezone(clock.OSLO).isoformat(),
            "payload": payload}
    if amends:
        body["amends"] = amends
    return body


def daily_log(placement_id: int, day=None, *, at: datetime | None = None,
              amends: str | None = None, **payload) -> dict:
    values = {"date": (day or clock.today(at)).isoformat(), "attendance": "on_time",
              "mastery": 3, "social": 3, "minutes": 30}
    values.update(payload)
    return event("daily_log", placement_id, values, at=at, amends=amends)


def sync(client, events: list[dict]):
    return client.post("/api/v1/sync", json={"events": events},
                       headers={"X-CSRF-Token": client.csrf_token})
