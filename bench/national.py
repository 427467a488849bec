"""A database at national scale, written fast and kept consistent.

Norway has about 12,000 people in work practice at any time. This writes a mentorapp
database with that many active placements whose logs go back up to two years: every
placement started on a day drawn evenly from the last two years, and its mentor logged
nine working days in ten since then. That is some three million events.

Speed: the schema comes from the app's own migrations (so it is exactly the app's), then
rows go in through plain SQL in large transactions, with the journal off and the
secondary indexes dropped during the load and rebuilt at the end (CREATE INDEX sorts,
which is far faster than growing a B-tree row by row). The file is written under a
temporary name and renamed when complete, then switched to WAL as the app wants.

Consistency: the derived tables are written from the very same rows as the events, the
way mentorapp.sync.ingest._derive writes them, so the database is one the app could have made:
- day_logs: one row per logged day (each day is logged once here, so no correction has
  to replace an earlier row), pointing at its daily_log event;
- mentor_time: one row per daily log with minutes and per time entry, keyed by the
  event itself (no corrections, so each event is its own root);
- flags and call_requests: one row per flag / call-request event; those older than two
  weeks are resolved / done, recent ones open, as a counsellor's follow-up would leave them;
- events.digest is computed by mentorapp.sync.ingest.digest, so a replay would be recognised.
Not written: the push outbox, audit lines and sessions (they do not change what the
caseload reads cost). `check(path)` verifies the invariants; tests/bench runs it on a
small database.
"""

from __future__ import annotations

import json
import random
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from mentorapp.domain import clock
from mentorapp.sync import ingest

GENERATOR_VERSION = 1
DOMAIN = "national.invalid"
PASSWORD = "national benchmark 2026"  # noqa: S105 (generated benchmark accounts)
TASKS = ["Plukk", "Varemottak", "Pakking", "Rydding", "Kasse", "Oppvask", "Servering",
         "Telling", "Bestilling"]
FLAG_CATEGORIES = ["absence", "conflict", "wellbeing", "motivation", "practical",
                   "development_stalled", "other"]
DERIVED = ("events", "day_logs", "mentor_time", "flags", "call_requests")


@dataclass(frozen=True)
class Scale:
    placements: int
    days: int = 730
    caseload: int = 75
    seed: int = 2026

    @property
    def counsellors(self) -> int:
        return -(-self.placements // self.caseload)

    @property
    def offices(self) -> int:
        # About four counsellors in the follow-up team of a NAV office.
        return max(1, self.counsellors // 4)

    def key(self, schema: str) -> str:
        return (f"national-v{GENERATOR_VERSION}-p{self.placements}-d{self.days}"
                f"-c{self.caseload}-s{self.seed}-{schema}")


def counsellor_email(index: int) -> str:
    return f"veileder{index}@{DOMAIN}"


def _iso(moment: datetime) -> str:
    return clock.iso(moment)


def _event_row(rng: random.Random, kind: str, placement_id: int, author_id: int,
               occurred: datetime, payload: dict) -> tuple:
    occurred_at = _iso(occurred)
    payload = {k: v for k, v in payload.items() if v not in (None, "")}
    received = _iso(occurred + timedelta(seconds=rng.randint(2, 7200)))
    return (str(uuid.UUID(int=rng.getrandbits(128), version=4)), kind, placement_id, author_id,
            occurred_at, received, json.dumps(payload, ensure_ascii=False, sort_keys=True),
            None, ingest.digest(kind, placement_id, occurred_at, None, payload))


def _schema(path: Path) -> str:
    """Create the app's schema in `path` with its own migrations; the latest step's name."""
    from mentorapp.store import migrations
    from mentorapp.store.db import connect, write

    db = connect(str(path))
    try:
        with write(db):
            migrations.migrate(db)
        return migrations.names()[-1]
    finally:
        db.close()


def latest_schema() -> str:
    from mentorapp.store import migrations

    return migrations.names()[-1]


def generate(path: Path, scale: Scale, today: date | None = None, progress=None) -> dict:
    """Write the database to `path` (replacing it); returns what was written."""
    today = today or clock.today()
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    _schema(partial)
    conn = sqlite3.connect(partial, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -1000000")  # 1 GB: the unique index on events.id stays in memory
    conn.execute("PRAGMA temp_store = MEMORY")
    marks = ",".join("?" * len(DERIVED))
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "  # noqa: S608 (placeholders only)
        f"AND tbl_name IN ({marks})", DERIVED).fetchall()
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    rng = random.Random(scale.seed)
    from mentorapp.auth import passwords

    password_hash = passwords.hash_password(PASSWORD)
    created = _iso(datetime.combine(today - timedelta(days=scale.days + 30), time(8),
                                    tzinfo=clock.OSLO))
    counts = {"placements": scale.placements, "counsellors": scale.counsellors,
              "offices": scale.offices}
    conn.execute("BEGIN")
    office_ids, network_ids, counsellor_ids = [], [], []
    for o in range(scale.offices):
        office_ids.append(conn.execute("INSERT INTO offices (name, created_at) VALUES (?, ?)",
                                       [f"NAV Kontor {o + 1}", created]).lastrowid)
        network_ids.append(conn.execute(
            "INSERT INTO networks (name, office_id, created_at) VALUES (?, ?, ?)",
            [f"Mentornettverk {o + 1}", office_ids[-1], created]).lastrowid)
    for c in range(scale.counsellors):
        office = office_ids[c * scale.offices // scale.counsellors]
        counsellor_ids.append(conn.execute(
            "INSERT INTO users (email, name, role, password_hash, office_id, locale, active, "
            "created_at, password_changed_at) VALUES (?, ?, 'counsellor', ?, ?, 'nb', 1, ?, ?)",
            [counsellor_email(c), f"Veileder {c}", password_hash, office, created,
             created]).lastrowid)
    counsellor_office = {cid: office_ids[c * scale.offices // scale.counsellors]
                         for c, cid in enumerate(counsellor_ids)}

    # Placements: counsellor c has placements c*caseload ... (c+1)*caseload-1; every two
    # placements share a workplace and its mentor.
    placements = []  # (id, mentor_id, start date)
    workplace_id = mentor_id = None
    first_day = today - timedelta(days=scale.days)
    for p in range(scale.placements):
        c = p // scale.caseload
        counsellor = counsellor_ids[c]
        office = counsellor_office[counsellor]
        network = network_ids[office_ids.index(office)]
        if p % 2 == 0:
            workplace_id = conn.execute(
                "INSERT INTO workplaces (name, network_id, created_at) VALUES (?, ?, ?)",
                [f"Arbeidsplass {p // 2 + 1} AS", network, created]).lastrowid
            mentor_id = conn.execute(
                "INSERT INTO users (email, name, role, password_hash, network_id, workplace_id, "
                "phone, active, created_at, password_changed_at) "
                "VALUES (?, ?, 'mentor', ?, ?, ?, '912 34 567', 1, ?, ?)",
                [f"mentor{p // 2}@{DOMAIN}", f"Mentor {p // 2}", password_hash, network,
                 workplace_id, created, created]).lastrowid
        start = first_day + timedelta(days=rng.randint(0, scale.days - 14))
        end = max(start + timedelta(days=rng.choice((91, 182, 273, 365))),
                  today + timedelta(days=rng.randint(7, 120)))
        # A backup from the same office for one placement in five; the measured
        # counsellor (index 0) is nobody's backup, so their caseload is exactly theirs.
        backup = None
        if rng.random() < 0.2 and c + 1 < len(counsellor_ids) \
                and counsellor_office[counsellor_ids[c + 1]] == office:
            backup = counsellor_ids[c + 1]
        participant = conn.execute(
            "INSERT INTO participants (display_name, created_at) VALUES (?, ?)",
            [f"{chr(65 + rng.randrange(26))}.{chr(65 + rng.randrange(26))}.", created]).lastrowid
        start_at = _iso(datetime.combine(start, time(8), tzinfo=clock.OSLO))
        placement_id = conn.execute(
            "INSERT INTO placements (participant_id, workplace_id, office_id, mentor_id, "
            "counsellor_id, backup_counsellor_id, start_date, end_date, agreed_minutes_per_week, "
            "goals, status, extension_status, created_by, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', 'undecided', ?, ?, ?)",
            [participant, workplace_id, office, mentor_id, counsellor, backup, start.isoformat(),
             end.isoformat(), rng.choice((60, 90, 120, 150)),
             "Møte presis hver dag\nLære arbeidsoppgavene selvstendig", counsellor, start_at,
             start_at]).lastrowid
        conn.execute("INSERT INTO mentor_history (placement_id, mentor_id, started_at, "
                     "changed_by) VALUES (?, ?, ?, ?)", [placement_id, mentor_id, start_at,
                                                        counsellor])
        # Agreements run about three months; longer ones were extended on the way.
        previous = start + timedelta(days=91)
        while previous < end - timedelta(days=30):
            new_end = min(previous + timedelta(days=91), end)
            conn.execute("INSERT INTO extensions (placement_id, previous_end_date, new_end_date, "
                         "decided_by, decided_at) VALUES (?, ?, ?, ?, ?)",
                         [placement_id, previous.isoformat(), new_end.isoformat(), counsellor,
                          _iso(datetime.combine(previous - timedelta(days=14), time(10),
                                                tzinfo=clock.OSLO))])
            previous = new_end
        conn.execute(
            "INSERT INTO events (id, type, placement_id, author_id, occurred_at, received_at, "
            "payload, amends, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _event_row(rng, "placement_created", placement_id, counsellor,
                       datetime.combine(start, time(8), tzinfo=clock.OSLO),
                       {"start_date": start.isoformat(), "end_date": end.isoformat()}))
        placements.append((placement_id, mentor_id, start))
    conn.execute("COMMIT")

    counts.update(_logs(conn, rng, placements, first_day, today, progress))
    for _name, sql in indexes:
        conn.execute(sql)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    partial.replace(path)
    return counts


def _logs(conn: sqlite3.Connection, rng: random.Random, placements: list, first_day: date,
          today: date, progress) -> dict:
    """Day by day, as the phones would have sent them: every placement's events of a day
    are stored before the next day's (so a placement's events lie scattered through the
    table, as in a real database)."""
    insert_event = ("INSERT INTO events (id, type, placement_id, author_id, occurred_at, "
                    "received_at, payload, amends, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
    counts = {"events": 0, "daily_logs": 0, "flags": 0, "call_requests": 0}
    by_start = sorted(placements, key=lambda p: p[2])
    active = 0
    day = first_day
    total_days = (today - first_day).days
    while day < today:
        while active < len(by_start) and by_start[active][2] <= day:
            active += 1
        if day.weekday() < 5:
            events, day_logs, mentor_time, flags, calls = [], [], [], [], []
            log_at = datetime.combine(day, time(15), tzinfo=clock.OSLO).astimezone(UTC)
            recent = (today - day).days
            for placement_id, mentor_id, _start in by_start[:active]:
                roll = rng.random()
                if roll < 0.9:
                    at = log_at + timedelta(minutes=rng.randint(0, 150))
                    attendance = ("absent" if roll < 0.03 else "late" if roll < 0.08
                                  else "on_time")
                    present = attendance != "absent"
                    payload = {"date": day.isoformat(), "attendance": attendance,
                               "mastery": rng.choice((2, 3, 3, 4)) if present else None,
                               "social": rng.choice((1, 2, 2, 3, 3)) if present else None,
                               "wellbeing": rng.choice((2, 3, 3, 4)) if present else None,
                               "tasks": rng.sample(TASKS, k=rng.randint(1, 3)) if present else None,
                               "minutes": rng.choice((15, 20, 30, 30, 45, 60))}
                    row = _event_row(rng, "daily_log", placement_id, mentor_id, at, payload)
                    events.append(row)
                    day_logs.append((placement_id, day.isoformat(), row[0], row[4], attendance,
                                     payload["mastery"], payload["social"], payload["wellbeing"]))
                    mentor_time.append((row[0], row[0], placement_id, mentor_id, row[4],
                                        day.isoformat(), payload["minutes"]))
                if roll > 0.9 and roll < 0.91:
                    row = _event_row(rng, "time", placement_id, mentor_id,
                                     log_at + timedelta(minutes=160),
                                     {"date": day.isoformat(), "minutes": rng.choice((15, 30, 60)),
                                      "note": "Møte med NAV"})
                    events.append(row)
                    mentor_time.append((row[0], row[0], placement_id, mentor_id, row[4],
                                        day.isoformat(), json.loads(row[6])["minutes"]))
                elif roll > 0.95 and roll < 0.975:
                    events.append(_event_row(rng, "comment", placement_id, mentor_id,
                                             log_at + timedelta(minutes=170),
                                             {"text": "Gikk gjennom oppgavene for neste uke."}))
                elif roll > 0.975 and roll < 0.9775:
                    severity = rng.choice(("info", "attention", "attention", "urgent"))
                    row = _event_row(rng, "flag", placement_id, mentor_id,
                                     log_at + timedelta(minutes=100),
                                     {"category": rng.choice(FLAG_CATEGORIES),
                                      "severity": severity,
                                      "note": "Virker sliten, kom for sent flere dager."})
                    events.append(row)
                    flags.append(_flag_row(row, placement_id, severity, recent))
                elif roll > 0.99 and roll < 0.9915:
                    row = _event_row(rng, "call_request", placement_id, mentor_id,
                                     log_at + timedelta(minutes=110),
                                     {"urgency": rng.choice(("today", "two_days", "this_week")),
                                      "windows": ["10-12", "12-14"], "phone": "912 34 567",
                                      "topic": "Kan vi snakke om arbeidstiden?"})
                    events.append(row)
                    calls.append(_call_row(row, placement_id, json.loads(row[6])["urgency"],
                                           recent))
            conn.execute("BEGIN")
            conn.executemany(insert_event, events)
            conn.executemany("INSERT INTO day_logs (placement_id, log_date, event_id, occurred_at, "
                             "attendance, mastery, social, wellbeing) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             day_logs)
            conn.executemany("INSERT INTO mentor_time (root_event_id, event_id, placement_id, "
                             "mentor_id, occurred_at, work_date, minutes) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)", mentor_time)
            conn.executemany("INSERT INTO flags (event_id, placement_id, category, severity, "
                             "raised_at, status, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?)", flags)
            conn.executemany("INSERT INTO call_requests (event_id, placement_id, urgency, "
                             "requested_at, status, done_at) VALUES (?, ?, ?, ?, ?, ?)", calls)
            conn.execute("COMMIT")
            counts["events"] += len(events)
            counts["daily_logs"] += len(day_logs)
            counts["flags"] += len(flags)
            counts["call_requests"] += len(calls)
        day += timedelta(days=1)
        if progress and day.day == 1:
            progress((day - first_day).days / total_days, counts["events"])
    return counts


def _flag_row(row: tuple, placement_id: int, severity: str, age_days: int) -> tuple:
    category = json.loads(row[6])["category"]
    resolved = age_days > 14
    return (row[0], placement_id, category, severity, row[4],
            "resolved" if resolved else "open", row[4] if resolved else None)


def _call_row(row: tuple, placement_id: int, urgency: str, age_days: int) -> tuple:
    done = age_days > 7
    return (row[0], placement_id, urgency, row[4], "done" if done else "sent",
            row[4] if done else None)


def check(path: Path) -> dict[str, int]:
    """Counts of rows that break an invariant; all zero in a consistent database."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        queries = {
            "daily_logs_without_day_log": """
                SELECT count(*) FROM events e WHERE e.type = 'daily_log' AND NOT EXISTS (
                    SELECT 1 FROM day_logs d WHERE d.placement_id = e.placement_id
                       AND d.log_date = json_extract(e.payload, '$.date')
                       AND d.event_id = e.id)""",
            "day_logs_not_matching_their_event": """
                SELECT count(*) FROM day_logs d LEFT JOIN events e ON e.id = d.event_id
                WHERE e.id IS NULL OR e.type != 'daily_log' OR e.placement_id != d.placement_id
                   OR json_extract(e.payload, '$.date') != d.log_date
                   OR json_extract(e.payload, '$.attendance') != d.attendance
                   OR e.occurred_at != d.occurred_at""",
            "minutes_without_mentor_time": """
                SELECT count(*) FROM events e WHERE e.type IN ('daily_log', 'time')
                  AND json_extract(e.payload, '$.minutes') > 0 AND NOT EXISTS (
                    SELECT 1 FROM mentor_time m WHERE m.root_event_id = e.id
                       AND m.event_id = e.id)""",
            "mentor_time_not_matching_its_event": """
                SELECT count(*) FROM mentor_time m LEFT JOIN events e ON e.id = m.event_id
                WHERE e.id IS NULL OR e.placement_id != m.placement_id
                   OR e.author_id != m.mentor_id
                   OR json_extract(e.payload, '$.minutes') != m.minutes
                   OR json_extract(e.payload, '$.date') != m.work_date""",
            "flags_without_row": """
                SELECT count(*) FROM events e WHERE e.type = 'flag' AND NOT EXISTS (
                    SELECT 1 FROM flags f WHERE f.event_id = e.id)""",
            "flag_rows_without_event": """
                SELECT count(*) FROM flags f LEFT JOIN events e ON e.id = f.event_id
                WHERE e.id IS NULL OR e.type != 'flag' OR e.placement_id != f.placement_id""",
            "call_requests_without_row": """
                SELECT count(*) FROM events e WHERE e.type = 'call_request' AND NOT EXISTS (
                    SELECT 1 FROM call_requests c WHERE c.event_id = e.id)""",
            "call_rows_without_event": """
                SELECT count(*) FROM call_requests c LEFT JOIN events e ON e.id = c.event_id
                WHERE e.id IS NULL OR e.type != 'call_request'
                   OR e.placement_id != c.placement_id""",
            "events_by_someone_not_the_mentor": """
                SELECT count(*) FROM events e JOIN placements p ON p.id = e.placement_id
                WHERE e.type IN ('daily_log', 'time', 'comment', 'flag', 'call_request')
                  AND e.author_id != p.mentor_id""",
            "logs_before_the_start": """
                SELECT count(*) FROM day_logs d JOIN placements p ON p.id = d.placement_id
                WHERE d.log_date < p.start_date""",
            "foreign_key_problems": "SELECT count(*) FROM pragma_foreign_key_check",
        }
        return {name: conn.execute(sql).fetchone()[0] for name, sql in queries.items()}


def digests_ok(path: Path, sample: int = 200) -> bool:
    """A sample of events whose digest is what mentorapp.sync.ingest would compute."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT type, placement_id, occurred_at, amends, payload, digest "
                            "FROM events ORDER BY random() LIMIT ?", [sample]).fetchall()
    return all(ingest.digest(t, p, o, a, json.loads(payload)) == d
               for t, p, o, a, payload, d in rows)


MAX_AGE_DAYS = 7


def cached(folder: Path, scale: Scale, progress=None) -> tuple[Path, dict, bool]:
    """The database for `scale`, generated once into `folder` and reused while it is
    recent (its logs end the day before it was made; after a week the "quiet placement"
    markers would no longer be realistic). Returns (path, what it holds, made now?)."""
    folder.mkdir(parents=True, exist_ok=True)
    key = scale.key(latest_schema())
    path, meta_path = folder / f"{key}.db", folder / f"{key}.json"
    if path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        made = date.fromisoformat(meta["generated_on"])
        if (clock.today() - made).days <= MAX_AGE_DAYS:
            return path, meta, False
    for old in folder.glob(f"national-v*-p{scale.placements}-*"):
        old.unlink()
    started = datetime.now(UTC)
    counts = generate(path, scale, progress=progress)
    meta = {**counts, "generated_on": clock.today().isoformat(),
            "seconds": round((datetime.now(UTC) - started).total_seconds(), 1),
            "bytes": path.stat().st_size}
    meta_path.write_text(json.dumps(meta, indent=2))
    return path, meta, True
