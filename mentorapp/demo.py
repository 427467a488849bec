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

from mentorapp.auth import passwords
from mentorapp.counsellor import casework
from mentorapp.counsellor.forms import add_months
from mentorapp.domain import clock
from mentorapp.store import orgs, placements, users
from mentorapp.store.db import write
from mentorapp.sync import ingest

LOGINS_FILE = "demo-logins.txt"
DOMAIN = "demo.mentorapp.no"


@dataclass
class Actor:
    """Who writes an event in the demo: what ingest.ingest needs to know of its author."""
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
            placements.backdate(db, ids[key], clock.iso(_at(start, 8)))
        mentor = Actor(ids[mentor_key], "mentor")
        kind = "warehouse" if workplace == warehouse else "cafe"
        _logs(db, mentor, ids[key], start, today, rng, TASKS[kind],
              struggling=(key == "placement2"))
    _open_matters(db, ids, today)
    seed_network(db, app, ids, today)
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
    results = ingest.ingest(db, author, batch)
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


def seed_network(db: sqlite_utils.Database, app: Flask, ids: dict, today: date) -> None:
    """The mentor network's side: two links and a checklist file, a gathering held a
    month ago with feedback and a "what we changed" note, the next one with an answer,
    topics with votes and a message from the coordinator."""
    from mentorapp.network import uploads
    from mentorapp.store import broadcasts, gatherings, resources, voice

    network, coordinator = ids["network"], ids["coordinator"]
    with app.app_context():
        checklist = uploads.Checked(_checklist_pdf(), "application/pdf",
                                    "Sjekkliste første uke.pdf")
        stored = uploads.store(checklist)
    try:
        with write(db):
            resources.create(
                db, network_id=network, kind="file", title="Sjekkliste for den første uka",
                description="Hva deltakeren og kollegaene bør vite før første arbeidsdag, "
                            "og hva du som mentor kan gå gjennom dag for dag.",
                language="nb", tags=["første uke", "opplæring"], created_by=coordinator,
                file_name=checklist.file_name, stored_name=stored,
                file_type=checklist.content_type, file_size=checklist.size,
                file_sha256=checklist.sha256)
            resources.create(
                db, network_id=network, kind="link", title="Mentortilskudd fra NAV",
                description="Hva tilskuddet dekker, og hvordan arbeidsgiveren søker.",
                language="nb", tags=["tilskudd", "avtale"], created_by=coordinator,
                url="https://www.nav.no/arbeidsgiver/mentor")
            resources.create(
                db, network_id=network, kind="link", title="Arbeidstilsynet: tilrettelegging",
                description="Plikter og gode grep når en ansatt trenger tilrettelegging.",
                language="nb", tags=["tilrettelegging"], created_by=coordinator,
                url="https://www.arbeidstilsynet.no/")
            held = gatherings.create(
                db, network_id=network, title="Nettverkssamling: fravær og motivasjon",
                starts_at=clock.iso(_at(today - timedelta(days=30), 9)),
                ends_at=clock.iso(_at(today - timedelta(days=30), 12)),
                place="NAV Eksempelby, møterom Fjorden", video_url=None,
                agenda="Velkommen\nErfaringsrunde: når deltakeren uteblir\nInnlegg fra NAV",
                created_by=coordinator)
            for key, rating, useful, wish in (
                    ("mentor1", 4, "Å høre hvordan andre tar praten om fravær.",
                     "Tre timer er lenge å være borte fra lageret."),
                    ("mentor2", 5, "Erfaringsrunden.", "Gjerne mulighet for video.")):
                gatherings.answer(db, held, ids[key], "yes")
                gatherings.give_feedback(db, held, ids[key], rating=rating, useful=useful,
                                         wish=wish)
            gatherings.record_attendance(db, held, {ids["mentor1"], ids["mentor2"]},
                                         [ids["mentor1"], ids["mentor2"]])
            voice.publish_note(
                db, network_id=network, gathering_id=held, created_by=coordinator,
                title="Kortere samlinger, og video for dem som ikke kan reise",
                body="Dere sa at tre timer er for lenge borte fra jobben. Neste samling "
                     "varer to og en halv time, og dere kan være med på video.")
            coming = gatherings.create(
                db, network_id=network, title="Nettverkssamling: de første ukene",
                starts_at=clock.iso(_at(today + timedelta(days=9), 9)),
                ends_at=clock.iso(_at(today + timedelta(days=9), 11, 30)),
                place="NAV Eksempelby, møterom Fjorden",
                video_url="https://video.example.no/mentornettverket",
                agenda="Velkommen\nHvordan tar vi imot en ny deltaker?\nSpørsmål til NAV",
                created_by=coordinator)
            gatherings.answer(db, coming, ids["mentor1"], "yes")
            topic = voice.propose(db, network_id=network, user_id=ids["mentor2"],
                                  title="Hva gjør jeg når deltakeren slutter å komme?",
                                  description="Jeg vet ikke når jeg skal ringe NAV.")
            voice.vote(db, topic, ids["mentor1"])
            voice.propose(db, network_id=network, user_id=ids["mentor1"],
                          title="Mentortilskudd: hva kan vi føre som mentortid?", description="")
            broadcasts.create(db, network_id=network, created_by=coordinator, recipients=2,
                              body="Neste samling er også på video. Svar gjerne om du kommer.")
    except BaseException:
        with app.app_context():
            uploads.remove(stored)
        raise


def _checklist_pdf() -> bytes:
    """A one-page PDF made by hand (the demo needs a file, not a PDF library)."""
    lines = ["Sjekkliste for den første uka", "",
             "Før første dag: arbeidstøy, nøkkelkort, hvem spiser lunsj med deltakeren?",
             "Dag 1: vis rundt, presenter kollegaene, gå gjennom dagen.",
             "Dag 2-3: én fast oppgave, gjerne den samme hver dag.",
             "Dag 5: snakk om uka. Hva gikk bra? Hva var vanskelig?",
             "Ring veilederen hvis noe bekymrer deg."]
    text = "BT /F1 12 Tf 50 780 Td 16 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
        for line in lines) + " ET"
    stream = text.encode("cp1252")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
               b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>",
               b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream
               + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


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
