"""The simulated phones send what a real phone may send, and the floor writes exactly the
rows the app writes for it (else ours ÷ floor would compare different work)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import timedelta

import pytest

from bench import floor, ours, workload
from mentorapp import create_app
from mentorapp.domain import clock
from mentorapp.store.db import connect
from mentorapp.sync import ingest, schema


@pytest.fixture(scope="module")
def bench_world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench-world")
    mentors = ours.build_world(folder / "instance", 2, clock.today())
    pristine = folder / "pristine.db"
    shutil.copyfile(folder / "instance" / "mentorapp.db", pristine)
    return folder, mentors, pristine


def batches(mentor, count, seed=7):
    phone = workload.Phone(mentor, clock.today(), seed=seed)
    return [phone.batch() for _ in range(count)]


def test_batches_are_valid_events_and_the_same_seed_makes_the_same_events(bench_world):
    _folder, mentors, _pristine = bench_world
    made = batches(mentors[0], 100)
    assert made == batches(mentors[0], 100)
    events = [e for batch in made for e in batch]
    assert all(len(batch) == workload.BATCH for batch in made)
    assert len({e["id"] for e in events}) == len(events)
    for event in events:
        assert schema.validate(event, schema.EVENT) == []
        assert schema.validate(event["payload"], schema.PAYLOADS[event["type"]]) == []
    assert {e["type"] for e in events} == {"daily_log", "time", "comment", "flag", "call_request"}


def test_a_kinto_batch_puts_each_event_at_its_own_id_without_overwriting():
    mentor = workload.Mentor(0, 1, 1, "m@x.invalid", clock.today() - timedelta(days=30))
    events = workload.Phone(mentor, clock.today(), seed=1).batch()
    body = json.loads(workload.kinto_body(events, "b", "c"))
    assert body["defaults"] == {"method": "PUT", "headers": {"If-None-Match": "*"}}
    assert [r["path"] for r in body["requests"]] == [
        f"/buckets/b/collections/c/records/{e['id']}" for e in events]
    assert [r["body"]["data"] for r in body["requests"]] == events


def _state(path, tables=("events", "day_logs", "mentor_time", "flags", "call_requests")):
    ignored = {"seq", "received_at"}  # when it arrived differs; what arrived must not
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        return {table: sorted(tuple(v for k, v in dict(row).items() if k not in ignored)
                              for row in conn.execute(f"SELECT * FROM {table}"))  # noqa: S608
                for table in tables}


def test_the_floor_writes_the_rows_the_app_writes(bench_world, tmp_path):
    folder, mentors, pristine = bench_world
    made = batches(mentors[1], 60, seed=11)
    app_copy = tmp_path / "app.db"
    shutil.copyfile(pristine, app_copy)
    app = create_app({"INSTANCE_PATH": str(folder / "instance"), "DATABASE": str(app_copy)})

    class Author:
        id, role, active, office_id = mentors[1].user_id, "mentor", True, None

    with app.test_request_context():
        db = connect(str(app_copy))
        for batch in made:
            assert {r.status for r in ingest.ingest(db, Author(), batch)} == {"created"}
        db.close()
    now = clock.now_iso()
    result = floor.run(pristine, tmp_path, [floor.rows_of(b, Author.id, now) for b in made], 60)
    assert result["requests"] == len(made) and result["exhausted"]
    app_state, floor_state = _state(app_copy), _state(tmp_path / "floor.db")
    assert app_state["events"] and app_state["flags"]
    assert floor_state == app_state
