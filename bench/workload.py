"""The events simulated mentors send: the same batches go to mentorapp, to Kinto and to
the bare sqlite3 floor, so the three are compared on identical content.

A batch is what a phone sends after a day or two without coverage: three daily logs
(consecutive working days), a time entry, and one more entry, usually a comment, now
and then a flag (some urgent, which queues a push alert) or a call request (which queues
one too). Days walk forward from the placement's start and wrap around at yesterday, so
a long run logs some days twice (the later log replaces the earlier, as a correction
would).
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from mentorapp.domain import clock

BATCH = 5
TASKS = ["Plukk", "Varemottak", "Pakking", "Rydding", "Kasse", "Oppvask", "Servering",
         "Telling", "Bestilling", "Truckkurs"]
NOTES = ["", "", "", "Fin dag.", "Litt sliten etter lunsj.", "Klarte varemottaket alene i dag!",
         "Kom litt sent, bussen var forsinket."]
FLAG_CATEGORIES = ["absence", "conflict", "wellbeing", "motivation", "practical", "other"]


@dataclass
class Mentor:
    index: int
    user_id: int
    placement_id: int
    email: str
    start: date


def working_days(start: date, end: date) -> list[date]:
    """Monday to Friday in [start, end)."""
    days, day = [], start
    while day < end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _at(day: date, hour: int, minute: int) -> str:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.OSLO).isoformat()


def _event(rng: random.Random, kind: str, placement_id: int, occurred_at: str,
           payload: dict) -> dict:
    # Ids from the seeded generator: the same run makes the same events.
    return {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "type": kind,
            "placement_id": placement_id, "occurred_at": occurred_at,
            "payload": {k: v for k, v in payload.items() if v not in (None, "")}}


def daily_log_payload(day: date, rng: random.Random) -> dict:
    roll = rng.random()
    attendance = "absent" if roll < 0.04 else "late" if roll < 0.1 else "on_time"
    present = attendance != "absent"
    return {"date": day.isoformat(), "attendance": attendance,
            "mastery": rng.choice((2, 3, 3, 4)) if present else None,
            "social": rng.choice((1, 2, 2, 3, 3)) if present else None,
            "wellbeing": rng.choice((2, 3, 3, 4)) if present else None,
            "tasks": rng.sample(TASKS, k=rng.randint(1, 3)) if present else [],
            "minutes": rng.choice((15, 20, 30, 30, 45, 60)),
            "note": rng.choice(NOTES)}


class Phone:
    """One mentor's phone: makes batches for its placement, day after day."""

    def __init__(self, mentor: Mentor, today: date, seed: int):
        self.mentor = mentor
        self.rng = random.Random(seed)
        self.days = working_days(mentor.start, today)
        self.cursor = 0
        self.batches_made = 0

    def _next_day(self) -> date:
        day = self.days[self.cursor % len(self.days)]
        self.cursor += 1
        return day

    def batch(self) -> list[dict]:
        rng, placement = self.rng, self.mentor.placement_id
        self.batches_made += 1
        events = []
        day = self.days[0]
        for _ in range(3):
            day = self._next_day()
            events.append(_event(rng, "daily_log", placement, _at(day, 15, rng.randint(0, 59)),
                                 daily_log_payload(day, rng)))
        events.append(_event(rng, "time", placement, _at(day, 16, rng.randint(0, 29)),
                             {"date": day.isoformat(), "minutes": rng.choice((10, 15, 20)),
                              "note": "Samtale med deltaker"}))
        n = self.batches_made
        at = _at(day, 16, rng.randint(30, 59))
        if n % 40 == 0:
            events.append(_event(rng, "call_request", placement, at, {
                "urgency": rng.choice(("today", "two_days", "this_week")),
                "windows": ["10-12"], "phone": "912 34 567",
                "topic": "Lurer på om vi bør prøve kortere dager."}))
        elif n % 20 == 0:
            events.append(_event(rng, "flag", placement, at, {
                "category": rng.choice(FLAG_CATEGORIES),
                "severity": "urgent" if n % 100 == 0 else "attention",
                "note": "Virker sliten, kom for sent flere dager."}))
        else:
            events.append(_event(rng, "comment", placement, at,
                                 {"text": "Gikk gjennom arbeidsoppgavene for neste uke."}))
        return events


def ours_body(events: list[dict]) -> bytes:
    return json.dumps({"events": events}, ensure_ascii=False, separators=(",", ":")).encode()


def kinto_body(events: list[dict], bucket: str, collection: str) -> bytes:
    """Kinto's /v1/batch, the way kinto.js syncs new records: PUT each record at the id the
    client made, with If-None-Match: * so that a replay cannot overwrite."""
    return json.dumps({
        "defaults": {"method": "PUT", "headers": {"If-None-Match": "*"}},
        "requests": [{"path": f"/buckets/{bucket}/collections/{collection}/records/{e['id']}",
                      "body": {"data": e}} for e in events],
    }, ensure_ascii=False, separators=(",", ":")).encode()


def with_minutes(events: list[dict]) -> int:
    """How many of these events make a mentor-time row (what the count check expects)."""
    return sum(1 for e in events if e["type"] in ("daily_log", "time") and e["payload"].get("minutes"))
