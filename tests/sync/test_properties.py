"""The sync rules as properties, tried by Hypothesis on generated batches against the app
and its SQLite file: a replay in any order stores each id once and ends in the same
state; an id sent again with other content is always a conflict and changes nothing;
every accepted date is stored as YYYY-MM-DD, whatever else Python could read as a day."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorapp.domain import clock, vocabulary
from mentorapp.sync import schema
from tests.support.events import daily_log, sync

# The fixtures (app, signed-in mentor, database) are made once per test and shared by its
# examples; each example uses fresh event ids, so what earlier ones stored does not matter.
# Derandomized and without an example database: the same examples every run, no files.
SHARED = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture,
                                         HealthCheck.too_slow])

TODAY = clock.today()
# Few distinct days and moments, so that two entries for one day often share their time
# exactly (which found that the log in effect depended on which arrived last).
DAYS = st.integers(min_value=0, max_value=2).map(lambda back: TODAY - timedelta(days=back))
MOMENTS = st.sampled_from([time(8), time(12, 30)])
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
               max_size=40).filter(str.strip)


def _at(day: date, moment: time) -> str:
    made = datetime.combine(day, moment, tzinfo=clock.OSLO)
    return min(made, clock.now()).astimezone(UTC).isoformat()


@st.composite
def events(draw, placement_id: int) -> dict:
    kind = draw(st.sampled_from(["daily_log", "time", "comment", "flag"]))
    day = draw(DAYS)
    if kind == "daily_log":
        payload = {"date": day.isoformat(),
                   "attendance": draw(st.sampled_from(list(vocabulary.ATTENDANCE))),
                   "mastery": draw(st.sampled_from([*vocabulary.MASTERY, None])),
                   "minutes": draw(st.integers(0, 720))}
    elif kind == "time":
        payload = {"date": day.isoformat(), "minutes": draw(st.integers(1, 720))}
    elif kind == "comment":
        payload = {"text": draw(TEXT)}
    else:
        payload = {"category": draw(st.sampled_from(list(vocabulary.FLAG_CATEGORIES))),
                   "severity": draw(st.sampled_from(["info", "attention"]))}
    return {"id": str(uuid.UUID(int=draw(st.integers(0, 2**128 - 1)), version=4)),
            "type": kind, "placement_id": placement_id, "occurred_at": _at(day, draw(MOMENTS)),
            "payload": payload}


def _fresh_ids(entries: list[dict]) -> list[dict]:
    """New ids for drawn entries (kept distinct as drawn): Hypothesis draws the same small
    ids in many examples, and the database outlives one example."""
    fresh = {e["id"]: str(uuid.uuid4()) for e in entries}
    return [{**e, "id": fresh[e["id"]]} for e in entries]


def _state(db, ids: list[str]) -> dict:
    wanted = [json.dumps(ids)]  # the ids as one JSON parameter, read with json_each
    return {
        "events": sorted(db.execute(
            "SELECT id, type, payload, occurred_at FROM events "
            "WHERE id IN (SELECT value FROM json_each(?))", wanted).fetchall()),
        "day_logs": sorted(db.execute(
            "SELECT log_date, event_id, attendance, mastery FROM day_logs "
            "WHERE event_id IN (SELECT value FROM json_each(?))", wanted).fetchall()),
        "mentor_time": sorted(db.execute(
            "SELECT event_id, work_date, minutes FROM mentor_time "
            "WHERE event_id IN (SELECT value FROM json_each(?))", wanted).fetchall()),
    }


def _fresh_placement(app, world, db):
    """Its own placement for each example: the day logs of one cannot meet another's."""
    from tests.support.world import add_placement

    with app.app_context(), app.test_request_context():
        return add_placement(app, world)


@pytest.mark.slow  # about 25 s: it runs in `make test`, not in `make check`
@settings(SHARED, max_examples=120)
@given(data=st.data())
def test_any_replay_in_any_order_stores_each_id_once_and_ends_alike(
        app, world, as_mentor, db, data):
    placements = [_fresh_placement(app, world, db) for _ in range(2)]
    batch = _fresh_ids(data.draw(st.lists(events(placements[0]), min_size=1, max_size=8,
                                          unique_by=lambda e: e["id"])))
    # The same entries to the second placement, sent in one order, as they were made...
    # (Other ids in the same order as these: ids break ties between entries of one moment.)
    other_ids = dict(zip(sorted(e["id"] for e in batch),
                         sorted(str(uuid.uuid4()) for _ in batch), strict=True))
    first = [{**e, "id": other_ids[e["id"]], "placement_id": placements[1]} for e in batch]
    answers = [r["status"] for r in sync(as_mentor, first).get_json()["results"]]
    assert answers == ["created"] * len(first)
    # ...and to the first placement in any order, in pieces, with any entry sent again.
    sends = data.draw(st.lists(st.sampled_from(batch), min_size=len(batch),
                               max_size=3 * len(batch)).flatmap(st.permutations))
    sends += data.draw(st.permutations(batch))  # everything arrives at least once
    cut = data.draw(st.integers(0, len(sends)))
    seen = set()
    for piece in (sends[:cut], sends[cut:]):
        if not piece:
            continue
        for sent, result in zip(piece, sync(as_mentor, piece).get_json()["results"],
                                strict=True):
            assert result["status"] == ("duplicate" if sent["id"] in seen else "created"), (
                sent, result)
            seen.add(sent["id"])
    ids = [e["id"] for e in batch]
    stored = db.execute("SELECT id, count(*) FROM events WHERE id IN "
                        "(SELECT value FROM json_each(?)) GROUP BY id", [json.dumps(ids)]
                        ).fetchall()
    assert sorted(stored) == sorted((i, 1) for i in ids)
    # The state NAV reads is the same as when the entries came in the order they were made.
    renamed = {e["id"]: f["id"] for e, f in zip(batch, first, strict=True)}
    in_order = _state(db, list(renamed.values()))
    replayed = _state(db, ids)

    def as_second(rows):
        return sorted(tuple(renamed.get(v, v) if isinstance(v, str) else v for v in row)
                      for row in rows)

    assert {k: as_second(v) for k, v in replayed.items()} == in_order


@st.composite
def changed(draw, original: dict) -> dict:
    """The same id with something else in it: one field of the payload, or the time."""
    payload = dict(original["payload"])
    what = draw(st.sampled_from(["occurred_at", "payload", "type"]))
    if what == "occurred_at":
        moment = clock.parse(original["occurred_at"]) - timedelta(
            seconds=draw(st.integers(1, 3600)))
        return {**original, "occurred_at": moment.isoformat()}
    if what == "type":
        return {**original, "type": "comment", "payload": {"text": "Noe annet"}}
    name = draw(st.sampled_from(sorted(payload)))
    value = payload[name]
    if isinstance(value, str) and name == "date":
        payload[name] = (date.fromisoformat(value) - timedelta(days=1)).isoformat()
    elif isinstance(value, str):
        payload[name] = value + "!" if name != "attendance" and name not in (
            "category", "severity") else next(v for v in (
                vocabulary.ATTENDANCE if name == "attendance" else
                vocabulary.FLAG_CATEGORIES if name == "category" else ("info", "attention"))
                if v != value)
    elif isinstance(value, int):
        payload[name] = value + 1 if value < 4 else value - 1
    else:
        payload[name] = 2
    return {**original, "payload": payload}


@SHARED
@given(data=st.data())
def test_the_same_id_with_other_content_is_always_a_conflict(app, world, as_mentor, db, data):
    placement = _fresh_placement(app, world, db)
    [original] = _fresh_ids([data.draw(events(placement))])
    assert sync(as_mentor, [original]).get_json()["results"][0]["status"] == "created"
    before = _state(db, [original["id"]])
    other = data.draw(changed(original))
    result = sync(as_mentor, [other]).get_json()["results"][0]
    assert (result["status"], result.get("code")) == ("conflict", "conflict"), (other, result)
    assert _state(db, [original["id"]]) == before


WEEK_DATES = DAYS.map(lambda d: "{}-W{:02d}-{}".format(*d.isocalendar()))
DATE_LIKE = st.one_of(
    DAYS.map(date.isoformat), WEEK_DATES, DAYS.map(lambda d: d.strftime("%Y%m%d")),
    DAYS.map(lambda d: d.isoformat() + "\n"), DAYS.map(lambda d: d.isoformat() + "T00:00"),
    DAYS.map(lambda d: " " + d.isoformat()), DAYS.map(lambda d: d.strftime("%Y-%j")),
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
    st.text(st.sampled_from("0123456789-W:T "), max_size=12),
)


@SHARED
@given(data=st.data(), written=DATE_LIKE, kind=st.sampled_from(["daily_log", "time"]))
def test_every_accepted_date_is_stored_as_yyyy_mm_dd(app, world, as_mentor, db, data,
                                                     written, kind):
    placement = world.placements["p1"]
    [entry] = _fresh_ids([data.draw(events(placement).filter(lambda e: e["type"] == kind))])
    entry["payload"]["date"] = written
    entry["payload"]["minutes"] = 30
    entry["occurred_at"] = clock.now_iso()
    result = sync(as_mentor, [entry]).get_json()["results"][0]
    stored = db.execute("SELECT payload FROM events WHERE id = ?", [entry["id"]]).fetchone()
    if result["status"] != "created":
        assert stored is None
        if not (re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", written) and schema.is_date(written)):
            assert (result["status"], result.get("field")) == ("rejected", "payload.date")
        return
    day = json.loads(stored[0])["date"]
    assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", day) and day == written
    assert date.fromisoformat(day).isoformat() == day
    derived = db.execute("SELECT work_date FROM mentor_time WHERE event_id = ?",
                         [entry["id"]]).fetchone()
    assert derived == (day,)
    if kind == "daily_log":
        assert db.execute("SELECT log_date FROM day_logs WHERE event_id = ?",
                          [entry["id"]]).fetchone() == (day,)


def test_two_logs_of_one_day_made_in_the_same_millisecond_end_alike_in_either_order(
        app, world, as_mentor, db):
    # What the replay property above found: the later arrival won a tie, so the log in
    # effect depended on the order the phone happened to send them in.
    at = clock.now()
    winners = []
    for order in ((0, 1), (1, 0)):
        placement = _fresh_placement(app, world, db)
        ids = sorted(str(uuid.uuid4()) for _ in range(2))
        pair = [{**daily_log(placement, at=at, attendance=attendance), "id": event_id}
                for attendance, event_id in zip(("late", "absent"), ids, strict=True)]
        for index in order:
            sync(as_mentor, [pair[index]])
        winners.append(db.execute("SELECT attendance FROM day_logs WHERE placement_id = ?",
                                  [placement]).fetchone())
    assert winners == [("absent",), ("absent",)]  # the same one, whatever the order


def test_a_correction_made_in_the_same_millisecond_still_replaces_what_it_amends(
        app, world, as_mentor, db):
    # The id tie-break above must not let an original outlive its own correction: the
    # correction wins whether its id sorts before or after the original's.
    at = clock.now()
    for correction_sorts_first in (True, False):
        ids = sorted(str(uuid.uuid4()) for _ in range(2))
        correction_id, original_id = ids if correction_sorts_first else ids[::-1]
        placement = _fresh_placement(app, world, db)
        original = {**daily_log(placement, at=at, attendance="late", minutes=30),
                    "id": original_id}
        correction = {**daily_log(placement, at=at, attendance="absent", minutes=45,
                                  amends=original_id), "id": correction_id}
        assert [r["status"] for r in sync(as_mentor, [original, correction])
                .get_json()["results"]] == ["created", "created"]
        assert db.execute("SELECT attendance FROM day_logs WHERE placement_id = ?",
                          [placement]).fetchone() == ("absent",)
        assert db.execute("SELECT minutes FROM mentor_time WHERE placement_id = ?",
                          [placement]).fetchone() == (45,)
