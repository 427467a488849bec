"""How long the coordinator's network overview takes to compute on a large database.

    .venv/bin/python -m bench.network_overview [--networks 10] [--placements 300] [--weeks 14]

Builds a temporary SQLite file with `networks` networks of `placements` placements each,
a daily log on every working day for `weeks` weeks, mentor time, a flag and a call
request per placement every two weeks; then times mentorapp.network.figures.overview()
for one network (cold, then the median of warm runs) and prints the query plans' use of
indexes. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

from mentorapp import create_app
from mentorapp.domain import clock
from mentorapp.network import figures
from mentorapp.store import migrations
from mentorapp.store.db import close, connect, write

CATEGORIES = ["absence", "conflict", "wellbeing", "motivation", "practical", "other"]


def build(path: str, networks: int, per_network: int, weeks: int, today: date) -> dict:
    db = connect(path)
    migrations.migrate(db)
    now = clock.now_iso()
    start = today - timedelta(weeks=weeks)
    counts = {"placements": 0, "events": 0}
    with write(db):
        office = db["offices"].insert({"name": "NAV Bench", "created_at": now}).last_pk
        counsellor = db["users"].insert({"email": "c@bench", "name": "C", "role": "counsellor",
                                         "office_id": office, "active": 1,
                                         "created_at": now}).last_pk
        for n in range(networks):
            network = db["networks"].insert({"name": f"N{n}", "office_id": office,
                                              "created_at": now}).last_pk
            workplaces = [db["workplaces"].insert({"name": f"W{n}-{w}", "network_id": network,
                                                   "created_at": now}).last_pk
                          for w in range(max(per_network // 10, 1))]
            events, logs, minutes, flags, calls = [], [], [], [], []
            for p in range(per_network):
                mentor = db["users"].insert({"email": f"m{n}-{p}@bench", "name": "M",
                                             "role": "mentor", "network_id": network,
                                             "active": 1, "created_at": now}).last_pk
                participant = db["participants"].insert({"display_name": "P",
                                                         "created_at": now}).last_pk
                placement = db["placements"].insert({
                    "participant_id": participant, "workplace_id": workplaces[p % len(workplaces)],
                    "office_id": office, "mentor_id": mentor, "counsellor_id": counsellor,
                    "start_date": start.isoformat(),
                    "end_date": (today + timedelta(days=60)).isoformat(),
                    "agreed_minutes_per_week": 120, "status": "active", "created_at": now,
                    "updated_at": now}).last_pk
                counts["placements"] += 1
                day = start
                while day < today:
                    if day.weekday() < 5:
                        at = clock.iso(datetime.combine(day, datetime.min.time(),
                                                        tzinfo=clock.OSLO) + timedelta(hours=15))
                        event_id = str(uuid.uuid4())
                        events.append(_event(event_id, "daily_log", placement, mentor, at))
                        logs.append({"placement_id": placement, "log_date": day.isoformat(),
                                     "event_id": event_id, "occurred_at": at,
                                     "attendance": "on_time", "mastery": 3, "social": 2,
                                     "wellbeing": 3})
                        minutes.append({"root_event_id": event_id, "event_id": event_id,
                                        "placement_id": placement, "mentor_id": mentor,
                                        "occurred_at": at, "work_date": day.isoformat(),
                                        "minutes": 30})
                        if day.weekday() == 2 and (day - start).days % 14 < 7:
                            flag_id, call_id = str(uuid.uuid4()), str(uuid.uuid4())
                            events += [_event(flag_id, "flag", placement, mentor, at),
                                       _event(call_id, "call_request", placement, mentor, at)]
                            flags.append({"event_id": flag_id, "placement_id": placement,
                                          "category": CATEGORIES[p % len(CATEGORIES)],
                                          "severity": "attention", "raised_at": at,
                                          "status": "open"})
                            calls.append({"event_id": call_id, "placement_id": placement,
                                          "urgency": "two_days", "requested_at": at,
                                          "status": "seen", "seen_at": clock.iso(
                                              clock.parse(at) + timedelta(hours=1 + p % 20))})
                    day += timedelta(days=1)
            db["events"].insert_all(events, batch_size=2000)
            db["day_logs"].insert_all(logs, batch_size=2000)
            db["mentor_time"].insert_all(minutes, batch_size=2000)
            db["flags"].insert_all(flags, batch_size=2000)
            db["call_requests"].insert_all(calls, batch_size=2000)
            counts["events"] += len(events)
    db.execute("ANALYZE")
    close(db)
    return counts


def _event(event_id: str, kind: str, placement: int, author: int, at: str) -> dict:
    return {"id": event_id, "type": kind, "placement_id": placement, "author_id": author,
            "occurred_at": at, "received_at": at, "payload": json.dumps({}), "amends": None,
            "digest": event_id}


def measure(networks: int = 10, placements: int = 300, weeks: int = 14, runs: int = 20) -> dict:
    """Build the database, then time one network's overview: cold, and warm runs."""
    today = clock.today()
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "bench.db")
        began = time.perf_counter()
        counts = build(path, networks, placements, weeks, today)
        built = time.perf_counter() - began
        app = create_app({"INSTANCE_PATH": folder, "DATABASE": path, "LOG_LEVEL": "WARNING"})
        db = connect(path)
        network = networks // 2 + 1
        with app.test_request_context():
            began = time.perf_counter()
            result = figures.overview(db, network, today)
            cold = time.perf_counter() - began
            warm = []
            for _run in range(runs):
                began = time.perf_counter()
                figures.overview(db, network, today)
                warm.append(time.perf_counter() - began)
        close(db)
    return {"networks": networks, "placements_per_network": placements,
            "events": counts["events"], "build_seconds": built,
            "weeks_shown": sum(v.shown for v in result["logs"]), "cold_ms": cold * 1000,
            "warm_median_ms": statistics.median(warm) * 1000, "warm_max_ms": max(warm) * 1000,
            "runs": runs}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--networks", type=int, default=10)
    parser.add_argument("--placements", type=int, default=300)
    parser.add_argument("--weeks", type=int, default=14)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    figures_ = measure(args.networks, args.placements, args.weeks, args.runs)
    print(f"built {figures_['networks']} networks × {figures_['placements_per_network']} "
          f"placements, {figures_['events']:,} events in {figures_['build_seconds']:.1f} s")
    print(f"overview of one network ({figures_['placements_per_network']} placements, "
          f"{figures_['weeks_shown']} weeks shown): cold {figures_['cold_ms']:.1f} ms, warm median "
          f"{figures_['warm_median_ms']:.1f} ms, max {figures_['warm_max_ms']:.1f} ms over "
          f"{figures_['runs']} runs")


if __name__ == "__main__":
    main()
