"""Demo data for a first look: one office, one network, two workplaces, the people around
three placements, and a few weeks of logs written through the real sync path."""

from __future__ import annotations

import random
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import click
import sqlite_utils
from flask import Flask

from mentorapp import casework, clock, sync
from mentorapp.auth import passwords
from mentorapp.counsellor.placement_forms import add_months
from mentorapp.store import orgs, placements, users
from mentorapp.store.db import write

LOGINS_FILE = "demo-logins.txt"
DOMAIN = "demo.mentorapp.no"


@dataclass
class Actor:
    """Who writes an event in the demo: what sync.ingest needs to know of its author."""
    id: int
    role: str
    office_id: int | None = None
    active: bool = True


PEOPLE = [
    # (key, name, role, e-mail)
    ("admin", "Ada Admin", "admin", f"admin@{DOMAIN}"),
    ("counsellor", "Kari Veileder", "counsellor", f"veileder@{DOMAIN}"),
    ("backup", "Per Backup", "counsellor", f"backup@{DOMAIN}"),
    ("coordinator", "Nora Koordinator", "coordinator", f"koordinator@{DOMAIN}"),
    ("mentor1", "Ahmed Lagersjef", "mentor", f"mentor@{DOMAIN}"),
    ("mentor2", "Line Kokk", "mentor", f"mentor2@{DOMAIN}"),
]

TASKS = {
    "warehouse": ["Plukk", "Varemottak", "Pakking", "Rydding", "Truckkurs", "Telling"],
    "cafe": ["Kasse", "Oppvask", "Servering", "Baking", "Rydding", "Bestilling"],
}


def _password(app: Flask) -> str:
    return app.config["DEMO_PASSWORD"] or secrets.token_urlsafe(9)


def seed(db: sqlite_utils.Database, app: Flask, today: date | None = None) -> dict:
    """Create the demo world; returns the ids by key. Logs end yesterday."""
    today = today or clock.today()
    password = _password(app)
    password_hash = passwords.hash_password(password)
    rng = random.Random(2026)  # the same demo every time  # noqa: S311
    with write(db):
        office = orgs.create_office(db, "NAV Eksempelby")
        network = orgs.create_network(db, "Mentornettverket Eksempelby", office)
        warehouse = orgs.create_workplace(db, "Lagerhuset AS", network)
        cafe = orgs.create_workplace(db, "Kafé Solsiden", network)
        ids: dict[str, int] = {"office": office, "network": network,
                               "warehouse": warehouse, "cafe": cafe}
        for key, name, role, email in PEOPLE:
            ids[key] = users.create(
                db, email=email, name=name, role=role, password_hash=password_hash,
                office_id=office if role in ("counsellor",) else None,
                network_id=network if role in ("coordinator", "mentor") else None,
                workplace_id={"mentor1": warehouse, "mentor2": cafe}.get(key),
                phone={"mentor1": "912 34 567", "mentor2": "934 56 789",
                       "counsellor": "55 55 12 34"}.get(key))
    counsellor = Actor(ids["counsellor"], "counsellor", office)
    started = today - timedelta(weeks=5)
    plan = [
        ("Jonas", warehouse, "mentor1", started, add_months(started, 3), 150,
         "Møte presis hver dag\nLære varemottak selvstendig\nSpise lunsj med kollegaer"),
        ("Amina", cafe, "mentor2", started - timedelta(weeks=7), today + timedelta(days=10), 120,
         "Klare kassen alene en hel vakt\nSi fra når noe er vanskelig"),
        ("S.K.", warehouse, "mentor1", today - timedelta(weeks=3),
         add_months(today - timedelta(weeks=3), 3), 90, "Komme i gang med plukk"),
    ]
    for key, (name, workplace, mentor_key, start, end, minutes, goals) in zip(
            ("placement1", "placement2", "placement3"), plan, strict=True):
        ids[key], _token = casework.create_placement(
            db, counsellor, participant_name=name, workplace_id=workplace,
            mentor_id=ids[mentor_key], new_mentor=None,
            backup_counsellor_id=ids["backup"] if key != "placement3" else None,
            start_date=start, end_date=end, agreed_minutes_per_week=minutes, goals=goals)
        with write(db):
            # The demo pretends the placements were made on their start date.
            placements.update(db, ids[key], created_at=clock.iso(_at(start, 8)))
            db.execute("UPDATE mentor_history SET started_at = ? WHERE placement_id = ?",
                       [clock.iso(_at(start, 8)), ids[key]])
        mentor = Actor(ids[mentor_key], "mentor")
        kind = "warehouse" if workplace == warehouse else "cafe"
        _logs(db, mentor, ids[key], start, today, rng, TASKS[kind],
              struggling=(key == "placement2"))
    _open_matters(db, ids, today)
    _write_logins(app, password)
    return ids


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.OSLO)


def _logs(db, mentor: Actor, placement_id: int, start: date, today: date,
          rng: random.Random, tasks: list[str], struggling: bool) -> None:
    batch = []
    day = start
    while day < today:
        if day.weekday() < 5 and rng.random() > 0.08:  # a mentor forgets now and then
            weeks_in = (day - start).days / 7
            late_risk = 0.25 if struggling and weeks_in > 5 else 0.08
            roll = rng.random()
            attendance = ("absent" if roll < late_risk / 2 else
                          "late" if roll < late_risk else "on_time")
            progress = min(3, 1 + int(weeks_in // 2))
            dip = 1 if struggling and weeks_in > 5 else 0
            present = attendance != "absent"
            mastery = max(1, min(4, progress + rng.choice((-1, 0, 0, 1)))) if present else None
            social = (max(1, min(3, 1 + int(weeks_in // 3) + rng.choice((0, 0, 1)) - dip))
                      if present else None)
            batch.append(_event(mentor, placement_id, "daily_log", _at(day, 15, rng.randint(0, 59)), {
                "date": day.isoformat(), "attendance": attendance, "mastery": mastery,
                "social": social, "wellbeing": rng.choice((2, 3, 3, 4)) if present else None,
                "tasks": rng.sample(tasks, k=rng.randint(1, 3)) if present else [],
                "minutes": rng.choice((15, 20, 30, 30, 45, 60)),
                "note": ""}))
        day += timedelta(days=1)
    _ingest(db, mentor, batch)


def _event(mentor: Actor, placement_id: int, kind: str, at: datetime, payload: dict) -> dict:
    payload = {k: v for k, v in payload.items() if v not in (None, "")}
    return {"id": str(uuid.uuid4()), "type": kind, "placement_id": placement_id,
            "occurred_at": at.isoformat(), "payload": payload}


def _ingest(db, author: Actor, batch: list[dict]) -> None:
    results = sync.ingest(db, author, batch)
    refused = [r for r in results if r.status != "created"]
    if refused:
        raise RuntimeError(f"demo data was refused: {refused[:3]}")


def _open_matters(db, ids: dict, today: date) -> None:
    """A flag NAV has resolved, one still open, and a call request waiting for an answer."""
    yesterday = today - timedelta(days=1)
    mentor2 = Actor(ids["mentor2"], "mentor")
    mentor1 = Actor(ids["mentor1"], "mentor")
    _ingest(db, mentor2, [
        _event(mentor2, ids["placement2"], "flag", _at(today - timedelta(days=6), 12), {
            "category": "absence", "severity": "attention",
            "note": "Kom for sent tre dager denne uka. Virker sliten."}),
        _event(mentor2, ids["placement2"], "call_request", _at(yesterday, 13, 30), {
            "urgency": "two_days", "windows": ["10-12", "12-14"], "phone": "934 56 789",
            "topic": "Lurer på om vi bør prøve kortere dager en periode."}),
    ])
    _ingest(db, mentor1, [
        _event(mentor1, ids["placement1"], "flag", _at(today - timedelta(days=12), 10), {
            "category": "practical", "severity": "info",
            "note": "Mangler arbeidssko i riktig størrelse."}),
    ])


def _write_logins(app: Flask, password: str) -> None:
    lines = ["Demo logins (password for all: " + password + ")"]
    lines += [f"  {role:<12} {email}" for _key, _name, role, email in PEOPLE]
    path = Path(app.instance_path) / LOGINS_FILE
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)


def print_logins(app: Flask) -> None:
    path = Path(app.instance_path) / LOGINS_FILE
    if path.exists():
        click.echo(path.read_text(encoding="utf-8").rstrip())
