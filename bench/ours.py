"""mentorapp under load: a temporary instance, served by `mentorapp serve` exactly as
`make run` serves it (gunicorn, default workers, production settings, the request log
at its default level), mentors signed in through the real login form."""

from __future__ import annotations

import json
import multiprocessing
import re
import shutil
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import requests

from bench import httpload, procs, serving, stats, workload
from mentorapp.domain import clock

COUNSELLOR = "veileder@bench.invalid"
PASSWORD = "benchmark password 2026"  # noqa: S105 (throwaway benchmark accounts)


def build_world(instance: Path, mentors: int, today: date) -> list[workload.Mentor]:
    """`make_world` in a child process: the benchmark process must hold no connection to
    the database while it copies the file and reads it beside the server (a file opened
    and closed by other means drops a process's SQLite locks), whatever get_db does."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(make_world, (instance, mentors, today))


def make_world(instance: Path, mentors: int, today: date) -> list[workload.Mentor]:
    """One office, one counsellor, `mentors` mentors each following one placement that
    started two years ago. One password hash serves every account (argon2 is slow on
    purpose)."""
    from mentorapp import create_app
    from mentorapp.auth import passwords
    from mentorapp.counsellor import casework
    from mentorapp.store import orgs, placements, users
    from mentorapp.store.db import get_db, write

    app = create_app({"INSTANCE_PATH": str(instance)})
    password_hash = passwords.hash_password(PASSWORD)
    start = today - timedelta(days=730)
    made = []
    with app.app_context():
        db = get_db()
        with write(db):
            office = orgs.create_office(db, "NAV Benk")
            network = orgs.create_network(db, "Mentornettverket Benk", office)
            workplace = orgs.create_workplace(db, "Lager Benk AS", network)
            counsellor = users.create(db, email=COUNSELLOR, name="Benk Veileder",
                                      role="counsellor", password_hash=password_hash,
                                      office_id=office)
            for index in range(mentors):
                email = f"mentor{index}@bench.invalid"
                mentor = users.create(db, email=email, name=f"Mentor {index}", role="mentor",
                                      password_hash=password_hash, network_id=network,
                                      workplace_id=workplace, phone="912 34 567")
                placement = placements.create(
                    db, participant_name=f"D{index}", workplace_id=workplace,
                    office_id=office, mentor_id=mentor, counsellor_id=counsellor,
                    backup_counsellor_id=None, start_date=start.isoformat(),
                    end_date=(today + timedelta(days=90)).isoformat(),
                    agreed_minutes_per_week=120, goals="Møte presis", created_by=counsellor)
                casework.record_nav_event(db, author_id=counsellor, placement_id=placement,
                                      event_type="placement_created",
                                      payload={"start_date": start.isoformat()})
                made.append(workload.Mentor(index, mentor, placement, email, start))
            db.execute("UPDATE mentor_history SET started_at = ?",
                       [clock.iso(clock.now() - timedelta(days=730))])
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return made


def sign_in(base_url: str, email: str, password: str) -> requests.Session:
    """Through the login form, like a browser: GET for the CSRF token, POST the form."""
    session = requests.Session()
    page = session.get(base_url + "/login", timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if token is None:
        raise RuntimeError("no CSRF token on the login page")
    answer = session.post(base_url + "/login", timeout=30, allow_redirects=False, data={
        "email": email, "password": password, "remember": "on", "csrf_token": token.group(1)})
    if answer.status_code != 303:
        raise RuntimeError(f"sign-in of {email} answered {answer.status_code}")
    return session


def _cookie_header(session: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def accepted(status: int, body: bytes) -> bool:
    if status != 200:
        return False
    results = json.loads(body)["results"]
    return all(r["status"] == "created" for r in results)


class Ours:
    name = "mentorapp"

    def __init__(self, folder: Path, mentors: int, today: date):
        self.folder = folder
        self.instance = folder / "instance"
        self.today = today
        self.mentors = build_world(self.instance, mentors, today)
        self.pristine = folder / "pristine.db"
        shutil.copyfile(self.instance / "mentorapp.db", self.pristine)
        self.port = serving.free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.server = serving.Process(
            "mentorapp", [sys.executable, "-m", "mentorapp", "serve", "--host", "127.0.0.1",
                          "--port", str(self.port)],
            folder / "server.log", env={"MENTORAPP_INSTANCE_PATH": str(self.instance)})
        self.headers: dict[int, dict[str, str]] = {}
        self.sent: set[str] = set()
        self.acknowledged: set[str] = set()

    @property
    def database(self) -> Path:
        return self.instance / "mentorapp.db"

    def start(self) -> None:
        self.server.start(self.base_url + "/healthz")
        for mentor in self.mentors:
            session = sign_in(self.base_url, mentor.email, PASSWORD)
            token = session.get(self.base_url + "/api/v1/session", timeout=30).json()["csrf_token"]
            self.headers[mentor.index] = {
                "Cookie": _cookie_header(session), "X-CSRF-Token": token,
                "Content-Type": "application/json", "Accept": "application/json"}

    def workers(self) -> list[int]:
        return procs.children(self.server.pid)

    def start_reader(self) -> Callable[[], dict]:
        """A counsellor opening the caseload page now and then while the phones sync (a
        click every 50 ms or so); returns the function that stops it and says how it went."""
        session = sign_in(self.base_url, COUNSELLOR, PASSWORD)
        raw = httpload.request_bytes("GET", "/c/", f"127.0.0.1:{self.port}",
                                     {"Cookie": _cookie_header(session), "Accept": "text/html"})
        stop, samples, failures = threading.Event(), [], [0]

        def read() -> None:
            connection = httpload.Connection("127.0.0.1", self.port)
            while not stop.is_set():
                began = time.perf_counter()
                try:
                    status = connection.exchange(raw)[0]
                except (OSError, httpload.HttpError):
                    status = 0
                samples.append(time.perf_counter() - began)
                failures[0] += status != 200
                stop.wait(0.05)
            connection.close()

        thread = threading.Thread(target=read, daemon=True)
        thread.start()

        def finish() -> dict:
            stop.set()
            thread.join()
            return {"latency": stats.Latency.of(samples).__dict__, "failures": failures[0]}

        return finish

    accepted = staticmethod(accepted)

    def requests_for(self, mentor: workload.Mentor, batches: list[list[dict]]) -> list[bytes]:
        host = f"127.0.0.1:{self.port}"
        return [httpload.request_bytes("POST", "/api/v1/sync", host, self.headers[mentor.index],
                                       workload.ours_body(batch)) for batch in batches]

    def record(self, batches: list[list[dict]], acknowledged: list[int]) -> None:
        for batch in batches:
            self.sent.update(e["id"] for e in batch)
        for index in acknowledged:
            self.acknowledged.update(e["id"] for e in batches[index])

    def count_check(self) -> dict:
        """Every acknowledged event stored once, nothing stored that was not sent, and the
        derived tables in step with the events."""
        authors = [m.user_id for m in self.mentors]
        marks = ",".join("?" * len(authors))
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True) as conn:
            rows = conn.execute(f"SELECT id, type, payload FROM events WHERE author_id IN ({marks})",  # noqa: S608
                                authors).fetchall()
            mentor_time = conn.execute(
                f"SELECT count(*) FROM mentor_time WHERE mentor_id IN ({marks})", authors).fetchone()[0]  # noqa: S608
            flags = conn.execute("SELECT count(*) FROM flags").fetchone()[0]
            calls = conn.execute("SELECT count(*) FROM call_requests").fetchone()[0]
        stored = {row[0] for row in rows}
        with_minutes = sum(1 for _id, kind, payload in rows
                           if kind in ("daily_log", "time") and json.loads(payload).get("minutes"))
        expected_flags = sum(1 for row in rows if row[1] == "flag")
        expected_calls = sum(1 for row in rows if row[1] == "call_request")
        return {
            "acknowledged": len(self.acknowledged),
            "stored": len(rows),
            "lost": len(self.acknowledged - stored),
            "duplicated": len(rows) - len(stored),
            "unexpected": len(stored - self.sent),
            "derived_ok": (mentor_time == with_minutes and flags == expected_flags
                           and calls == expected_calls),
        }

    def memory(self) -> dict:
        workers = self.workers()
        return {"master": procs.memory_kib(self.server.pid),
                "workers": [procs.memory_kib(pid) for pid in workers]}

    def stop(self) -> None:
        self.server.stop()
