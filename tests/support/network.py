"""Helpers for the mentor-network tests: sample files, resources and gatherings made
through the real forms, and extra placements with logs, flags, calls and hours for the
overview's figures."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import datetime, time, timedelta

from mentorapp.counsellor import casework
from mentorapp.domain import clock, worktime
from mentorapp.store import users
from mentorapp.store.db import write
from mentorapp.sync import ingest
from tests.support.events import daily_log, event
from tests.support.world import password_hash


def png(width: int = 2, height: int = 2) -> bytes:
    """A real PNG (a small grey square) that a browser can show."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
       b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
       b"trailer << /Root 1 0 R >>\n%%EOF\n")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def post(client, url: str, data: dict | None = None, **kwargs):
    return client.post(url, data={"csrf_token": client.csrf_token, **(data or {})}, **kwargs)


def add_link(client, title: str = "NAV om mentortilskudd", url: str = "https://www.nav.no/mentor",
             **fields):
    data = {"kind": "link", "title": title, "url": url, "language": "nb",
            "description": "Hva tilskuddet dekker", "tags": "tilskudd, avtale", **fields}
    return post(client, "/n/resources/new", data)


def add_file(client, content: bytes = PDF, name: str = "sjekkliste.pdf",
             title: str = "Sjekkliste første uke", **fields):
    data = {"kind": "file", "title": title, "language": "nb", "tags": "første uke",
            "file": (io.BytesIO(content), name), **fields}
    return post(client, "/n/resources/new", data, content_type="multipart/form-data")


def created_id(response) -> int:
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def gathering_form(day=None, start: str = "09:00", end: str = "11:30", **fields) -> dict:
    day = day or clock.today() + timedelta(days=7)
    return {"title": "Nettverkssamling: de første ukene", "date": day.isoformat(),
            "start_time": start, "end_time": end, "place": "NAV A-by, møterom 2",
            "video_url": "https://meet.example.no/samling", "agenda": "Velkommen\nErfaringer, runde",
            **fields}


def plan(client, **fields) -> int:
    return created_id(post(client, "/n/gatherings/new", gathering_form(**fields)))


def move_gathering(db, gathering_id: int, starts: datetime, hours: float = 2) -> None:
    """Put a gathering in the past or the near future, as time would."""
    with write(db):
        db.execute("UPDATE gatherings SET starts_at = ?, ends_at = ? WHERE id = ?",
                   [clock.iso(starts), clock.iso(starts + timedelta(hours=hours)), gathering_id])


class _Author:
    def __init__(self, row: dict):
        self.id, self.role, self.office_id, self.active = (
            row["id"], row["role"], row["office_id"], True)


def add_placements(app, db, world, count: int, *, workplace: str = "w1", weeks: int = 4,
                   flag_category: str | None = "absence", calls: bool = True,
                   minutes: int = 30) -> list[int]:
    """`count` more placements at `workplace`, each with its own new mentor, daily logs on
    the working days of the last `weeks` whole weeks, one flag and one answered call."""
    with app.app_context():
        return _add_placements(db, world, count, workplace=workplace, weeks=weeks,
                               flag_category=flag_category, calls=calls, minutes=minutes)


def _add_placements(db, world, count: int, *, workplace: str, weeks: int,
                    flag_category: str | None, calls: bool, minutes: int) -> list[int]:
    counsellor = _Author(world.users["counsellor_a"])
    today = clock.today()
    this_monday = today - timedelta(days=today.weekday())
    start = this_monday - timedelta(weeks=weeks)
    made = []
    for n in range(count):
        with write(db):
            mentor_id = users.create(
                db, email=f"extra{len(world.placements)}-{n}@test.mentorapp.no",
                name=f"Ekstra Mentor {n}", role="mentor", password_hash=password_hash(),
                network_id=world.ids["network_1"] if workplace != "w3" else world.ids["network_2"],
                workplace_id=world.ids[workplace])
        placement_id, _token = casework.create_placement(
            db, counsellor, participant_name=f"P{n}".replace("1", "A").replace("0", "O"),
            workplace_id=world.ids[workplace], mentor_id=mentor_id, new_mentor=None,
            backup_counsellor_id=None, start_date=start - timedelta(days=7),
            end_date=today + timedelta(days=60), agreed_minutes_per_week=120,
            goals="Møte presis")
        world.placements[f"extra-{placement_id}"] = placement_id
        with write(db):
            db.execute("UPDATE mentor_history SET started_at = ? WHERE placement_id = ?",
                       [clock.iso(datetime.combine(start - timedelta(days=7), time(8),
                                                   tzinfo=clock.OSLO)), placement_id])
        mentor = _Author(users.get(db, mentor_id))
        batch = []
        day = start
        while day < this_monday:
            if day.weekday() < 5:
                at = datetime.combine(day, time(15), tzinfo=clock.OSLO)
                batch.append(daily_log(placement_id, day, at=at, minutes=minutes,
                                       note="Jonas var sliten i dag"))
            day += timedelta(days=1)
        middle_day = start + timedelta(days=9)
        while not worktime.is_working_day(middle_day):  # so that "n working hours" holds
            middle_day += timedelta(days=1)
        middle = datetime.combine(middle_day, time(10), tzinfo=clock.OSLO)
        if flag_category:
            batch.append(event("flag", placement_id, {"category": flag_category,
                                                      "severity": "attention",
                                                      "note": "Hemmelig notat om saken"},
                               at=middle))
        call = None
        if calls:
            call = event("call_request", placement_id, {"urgency": "two_days",
                                                        "topic": "Privat tema"}, at=middle)
            batch.append(call)
        results = ingest.ingest(db, mentor, batch)
        assert {r.status for r in results} == {"created"}, [r for r in results if r.status != "created"]
        if call:
            # NAV saw it 1 + n working hours later (10:00 → 11:00 + n).
            with write(db):
                db.execute("UPDATE call_requests SET status = 'seen', seen_at = ? WHERE event_id = ?",
                           [clock.iso(middle + timedelta(hours=1 + n % 5)), call["id"]])
        made.append(placement_id)
    return made
