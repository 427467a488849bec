"""POST /api/v1/sync: idempotent on the event id, one answer per event, strict checks, and
an invalid event never stops its valid siblings."""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta

import pytest

from mentorapp.domain import clock
from tests.support.events import daily_log, event, sync


def statuses(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [r["status"] for r in response.get_json()["results"]]


def test_a_batch_is_stored_and_a_replay_is_answered_duplicate(world, as_mentor, db):
    p1 = world.placements["p1"]
    batch = [daily_log(p1, clock.today() - timedelta(days=d)) for d in range(3)]
    batch.append(event("flag", p1, {"category": "absence", "severity": "attention"}))
    batch.append(event("call_request", p1, {"urgency": "today", "windows": ["08-10"],
                                            "phone": "912 34 567", "topic": "Fravær"}))
    before = db["events"].count
    assert statuses(sync(as_mentor, batch)) == ["created"] * 5
    for _ in range(3):
        assert statuses(sync(as_mentor, batch)) == ["duplicate"] * 5
    assert db["events"].count == before + 5
    assert db["flags"].count == 1 and db["call_requests"].count == 1
    assert db.execute("SELECT count(*) FROM day_logs WHERE placement_id = ?", [p1]).fetchone()[0] == 3


def test_the_same_id_with_other_content_is_a_conflict_and_changes_nothing(world, as_mentor, db):
    original = daily_log(world.placements["p1"], note="Fin dag")
    sync(as_mentor, [original])
    changed = {**original, "payload": {**original["payload"], "note": "Noe annet"}}
    response = sync(as_mentor, [changed])
    result = response.get_json()["results"][0]
    assert result["status"] == "conflict" and result["code"] == "conflict"
    stored = next(db.query("SELECT payload FROM events WHERE id = ?", [original["id"]]))
    assert json.loads(stored["payload"])["note"] == "Fin dag"


def test_replays_and_new_entries_in_one_batch_are_each_judged_alone(world, as_mentor, db):
    """The batch's stored ids are read in one query before its events are judged: an id
    stored earlier, one stored by this batch a moment before, and one sent twice with
    other content must still be told apart, and only the new entries stored."""
    p1 = world.placements["p1"]
    stored = daily_log(p1, clock.today() - timedelta(days=1))
    sync(as_mentor, [stored])
    new = event("flag", p1, {"category": "absence", "severity": "attention"})
    changed_stored = {**stored, "payload": {**stored["payload"], "minutes": 45}}
    second = daily_log(p1, clock.today() - timedelta(days=2), minutes=20)
    second_changed = {**second, "payload": {**second["payload"], "minutes": 25}}
    before = db["events"].count
    batch = [stored, new, new, changed_stored, second, second_changed]
    assert statuses(sync(as_mentor, batch)) == [
        "duplicate", "created", "duplicate", "conflict", "created", "conflict"]
    assert db["events"].count == before + 2
    assert db.execute("SELECT count(*) FROM flags WHERE event_id = ?",
                      [new["id"]]).fetchone()[0] == 1
    minutes = dict(db.execute("SELECT event_id, minutes FROM mentor_time WHERE placement_id = ?",
                              [p1]).fetchall())
    assert minutes == {stored["id"]: 30, second["id"]: 20}


def test_another_mentor_reusing_an_id_is_a_conflict(app, world, as_mentor):
    from tests.support.clients import signed_in

    entry = daily_log(world.placements["p1"])
    sync(as_mentor, [entry])
    other = signed_in(app, world, "mentor_b")
    stolen = {**entry, "placement_id": world.placements["p2"]}
    assert statuses(sync(other, [stolen])) == ["conflict"]


def week_date(day) -> str:
    year, week, weekday = day.isocalendar()
    return f"{year}-W{week:02d}-{weekday}"


@pytest.mark.parametrize(("mutate", "code"), [
    (lambda e: e.update(type="diagnosis"), "invalid"),
    (lambda e: e.update(id="not-a-uuid"), "invalid"),
    (lambda e: e.pop("occurred_at"), "invalid"),
    (lambda e: e.update(occurred_at="2026-11-25 10:00"), "invalid"),
    (lambda e: e.update(occurred_at="2026-11-25T10:00:00"), "invalid"),  # no time zone
    (lambda e: e.update(placement_id="1"), "invalid"),
    (lambda e: e.update(extra=True), "invalid"),
    (lambda e: e["payload"].update(attendance="sometimes"), "invalid"),
    (lambda e: e["payload"].update(mastery=7), "invalid"),
    (lambda e: e["payload"].update(mastery=True), "invalid"),
    (lambda e: e["payload"].update(minutes=-5), "invalid"),
    (lambda e: e["payload"].update(minutes=721), "invalid"),
    (lambda e: e["payload"].update(note="x" * 2001), "invalid"),
    (lambda e: e["payload"].update(tasks=["a"] * 13), "invalid"),
    (lambda e: e["payload"].update(tasks=["Plukk", "Plukk"]), "invalid"),
    (lambda e: e["payload"].update(diagnosis="ADHD"), "invalid"),
    (lambda e: e["payload"].update(date="2026-02-30"), "invalid"),
    # Python 3.11 reads an ISO week date as a day; the contract's "date" is YYYY-MM-DD only.
    (lambda e: e["payload"].update(date=week_date(clock.today())), "invalid"),
    (lambda e: e["payload"].update(date=clock.today().isoformat() + "\n"), "invalid"),
    (lambda e: e.update(occurred_at=week_date(clock.today()) + "T10:00:00+01:00"), "invalid"),
    (lambda e: e.update(occurred_at=clock.today().strftime("%Y%m%dT100000+0100")), "invalid"),
    (lambda e: e.update(occurred_at=clock.today().isoformat() + "T10:00+01:00"), "invalid"),
    (lambda e: e.update(id=str(uuid.uuid4()) + "\n"), "invalid"),
    (lambda e: e["payload"].update(tasks=["Plukk", "   "]), "invalid"),
    # The clock read when the case runs: a slow run can take longer than the ten minutes.
    (lambda e: e.update(occurred_at=(clock.now() + timedelta(minutes=10)).isoformat()),
     "in_future"),
    (lambda e: e["payload"].update(date=(clock.today() + timedelta(days=1)).isoformat()),
     "date_in_future"),
    (lambda e: e.update(occurred_at=(clock.now() - timedelta(days=400)).isoformat()),
     "before_start"),
    (lambda e: e.update(placement_id=99999), "unknown_placement"),
    (lambda e: e.update(placement_id=2**63), "invalid"),  # past SQLite's integers: was a 500
    # Stored as "324-05-18T...", which compared after the start date as text: was accepted.
    (lambda e: e.update(occurred_at="0324-05-18T20:29:00+00:00"), "before_start"),
    (lambda e: e.update(occurred_at="0001-01-01T00:30:00+01:00"), "invalid"),  # no UTC year
    (lambda e: e.update(amends=str(uuid.uuid4())), "amends_unknown"),
])
def test_invalid_events_are_rejected_alone(world, as_mentor, db, mutate, code):
    p1 = world.placements["p1"]
    bad = daily_log(p1)
    mutate(bad)
    good = daily_log(p1, clock.today() - timedelta(days=1))
    before = db["events"].count
    response = sync(as_mentor, [bad, good])
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["rejected", "created"]
    assert results[0]["code"] == code
    assert results[0]["reason"]  # a sentence for the mentor
    assert db["events"].count == before + 1


def test_reasons_speak_the_mentors_language(world, as_mentor):
    bad = daily_log(world.placements["p1"], mastery=9)
    nb = sync(as_mentor, [bad]).get_json()["results"][0]["reason"]
    assert nb == "payload.mastery må være ett av: 1, 2, 3, 4."
    as_mentor.post("/language", data={"csrf_token": as_mentor.csrf_token, "locale": "en"})
    en = sync(as_mentor, [bad]).get_json()["results"][0]["reason"]
    assert en == "payload.mastery must be one of: 1, 2, 3, 4."


def test_a_mentor_cannot_write_to_someone_elses_placement(world, as_mentor, db):
    before = db["events"].count
    result = sync(as_mentor, [daily_log(world.placements["p2"])]).get_json()["results"][0]
    assert result["status"] == "rejected" and result["code"] == "unknown_placement"
    assert db["events"].count == before


def test_an_event_logged_before_a_change_of_mentor_still_arrives(world, as_mentor,
                                                                  as_counsellor, db):
    p1 = world.placements["p1"]
    written_offline = daily_log(p1, at=clock.now() - timedelta(hours=2))
    as_counsellor.post(f"/c/p/{p1}/mentor", data={"csrf_token": as_counsellor.csrf_token,
                                                  "mentor_id": str(world.ids["mentor_idle"])})
    assert statuses(sync(as_mentor, [written_offline])) == ["created"]
    # ...but nothing new after the change.
    assert statuses(sync(as_mentor, [daily_log(p1)])) == ["rejected"]


def test_an_event_logged_before_the_placement_ended_still_arrives(world, as_mentor,
                                                                  as_counsellor):
    p1 = world.placements["p1"]
    written_offline = daily_log(p1, at=clock.now() - timedelta(hours=1))
    as_counsellor.post(f"/c/p/{p1}/end", data={"csrf_token": as_counsellor.csrf_token,
                                               "outcome": "employed"})
    assert statuses(sync(as_mentor, [written_offline])) == ["created"]
    late = sync(as_mentor, [daily_log(p1, at=clock.now() + timedelta(seconds=1))])
    assert late.get_json()["results"][0]["code"] == "placement_ended"


def test_a_correction_replaces_the_day_and_keeps_the_original(world, as_mentor, db):
    p1 = world.placements["p1"]
    original = daily_log(p1, attendance="on_time", minutes=30)
    sync(as_mentor, [original])
    correction = daily_log(p1, attendance="late", minutes=45, amends=original["id"],
                           at=clock.now() + timedelta(seconds=1))
    assert statuses(sync(as_mentor, [correction])) == ["created"]
    day = next(db.query("SELECT * FROM day_logs WHERE placement_id = ? AND log_date = ?",
                        [p1, clock.today().isoformat()]))
    assert day["attendance"] == "late" and day["event_id"] == correction["id"]
    minutes = db.execute("SELECT sum(minutes) FROM mentor_time WHERE placement_id = ?",
                         [p1]).fetchone()[0]
    assert minutes == 45
    assert db.execute("SELECT count(*) FROM events WHERE id = ?", [original["id"]]).fetchone()[0] == 1


def test_a_correction_of_another_day_or_kind_is_refused(world, as_mentor):
    p1 = world.placements["p1"]
    original = daily_log(p1, clock.today() - timedelta(days=1))
    flag = event("flag", p1, {"category": "other", "severity": "info"})
    sync(as_mentor, [original, flag])
    other_day = daily_log(p1, amends=original["id"])
    flag_fix = event("flag", p1, {"category": "other", "severity": "urgent"}, amends=flag["id"])
    results = sync(as_mentor, [other_day, flag_fix]).get_json()["results"]
    assert [r["code"] for r in results] == ["amends_mismatch", "not_correctable"]


def test_a_correction_in_the_same_batch_as_its_original(world, as_mentor, db):
    p1 = world.placements["p1"]
    original = daily_log(p1, minutes=10)
    fix = daily_log(p1, minutes=20, amends=original["id"], at=clock.now() + timedelta(seconds=1))
    assert statuses(sync(as_mentor, [original, fix])) == ["created", "created"]
    assert db.execute("SELECT sum(minutes) FROM mentor_time WHERE placement_id = ?",
                      [p1]).fetchone()[0] == 20


@pytest.mark.parametrize(("body", "status", "error"), [
    ("not json", 400, "invalid_body"),
    ({"events": "x"}, 400, "invalid_body"),
    ({"wrong": []}, 400, "invalid_body"),
])
def test_a_malformed_request_is_refused_whole(as_mentor, body, status, error):
    if isinstance(body, str):
        response = as_mentor.post("/api/v1/sync", data=body, content_type="application/json",
                                  headers={"X-CSRF-Token": as_mentor.csrf_token})
    else:
        response = as_mentor.post("/api/v1/sync", json=body,
                                  headers={"X-CSRF-Token": as_mentor.csrf_token})
    assert response.status_code == status and response.get_json()["error"] == error


def test_batches_of_500_pass_and_501_are_refused(world, as_mentor, db):
    p1 = world.placements["p1"]
    comments = [event("comment", p1, {"text": f"hei {n}"}) for n in range(501)]
    before = db["events"].count
    too_many = sync(as_mentor, comments)
    assert too_many.status_code == 413 and too_many.get_json()["max"] == 500
    assert db["events"].count == before
    assert statuses(sync(as_mentor, comments[:500])) == ["created"] * 500


def test_non_objects_in_the_list_are_rejected_with_a_null_id(world, as_mentor):
    results = sync(as_mentor, [42, None, "x"]).get_json()["results"]
    assert [(r["id"], r["status"]) for r in results] == [(None, "rejected")] * 3


def test_only_mentors_sync(as_counsellor, as_coordinator):
    for client in (as_counsellor, as_coordinator):
        response = client.post("/api/v1/sync", json={"events": []},
                               headers={"X-CSRF-Token": client.csrf_token})
        assert response.status_code == 404


def test_received_tells_the_phone_what_nav_has(world, as_mentor, app):
    from tests.support.clients import signed_in

    stored = daily_log(world.placements["p1"])
    sync(as_mentor, [stored])
    unsent = str(uuid.uuid4())
    answer = as_mentor.post("/api/v1/received", json={"ids": [stored["id"], unsent]},
                            headers={"X-CSRF-Token": as_mentor.csrf_token}).get_json()
    assert [r["id"] for r in answer["received"]] == [stored["id"]]
    # The document says the ids are UUIDs: anything else is a clear 400, not silence.
    for junk in ("junk", stored["id"] + "\n", 5):
        refused = as_mentor.post("/api/v1/received", json={"ids": [stored["id"], junk]},
                                 headers={"X-CSRF-Token": as_mentor.csrf_token})
        assert refused.status_code == 400 and refused.get_json()["error"] == "invalid_body"
    other = signed_in(app, world, "mentor_b")
    answer = other.post("/api/v1/received", json={"ids": [stored["id"]]},
                        headers={"X-CSRF-Token": other.csrf_token}).get_json()
    assert answer["received"] == []  # only one's own


def test_openapi_document_describes_sync(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert "/api/v1/sync" in document["paths"]
    schemas = document["components"]["schemas"]
    assert schemas["Event"]["properties"]["type"]["enum"] == [
        "daily_log", "flag", "call_request", "time", "comment",
        "participant_checkin", "participant_goals", "talk_request"]
    assert "DailyLogPayload" in schemas and "CallRequestPayload" in schemas


# The other kinds of entry: each rule on its own, with a valid entry of the same kind beside
# it that must still be stored (the phone resends nothing that was answered "created").

VALID_PAYLOADS = {
    "flag": {"category": "absence", "severity": "attention", "note": "Borte i dag"},
    "call_request": {"urgency": "two_days", "windows": ["08-10"], "phone": "912 34 567",
                     "topic": "Fravær"},
    "time": {"date": clock.today().isoformat(), "minutes": 30, "note": "Møte"},
    "comment": {"text": "Kan vi snakkes?"},
}


BAD_ENTRIES = [
    ("flag", {"category": "diagnosis"}, "payload.category"),
    ("flag", {"category": "Absence"}, "payload.category"),  # codes, not labels
    ("flag", {"severity": "critical"}, "payload.severity"),
    ("flag", {"severity": None}, "payload.severity"),
    ("flag", {"note": "x" * 2001}, "payload.note"),
    ("call_request", {"urgency": "now"}, "payload.urgency"),
    ("call_request", {"windows": ["03-04"]}, "payload.windows[0]"),
    ("call_request", {"windows": ["08-10", "08-10"]}, "payload.windows"),
    ("call_request", {"phone": "ring meg"}, "payload.phone"),
    ("call_request", {"phone": "1234"}, "payload.phone"),
    # `$` in a Python pattern also matches before a final newline: the check is whole-text.
    ("call_request", {"phone": "91234567\n"}, "payload.phone"),
    ("time", {"date": week_date(clock.today())}, "payload.date"),
    ("call_request", {"topic": "x" * 501}, "payload.topic"),
    ("time", {"minutes": -5}, "payload.minutes"),
    ("time", {"minutes": 0}, "payload.minutes"),
    ("time", {"minutes": 721}, "payload.minutes"),
    ("time", {"minutes": 10**9}, "payload.minutes"),
    ("time", {"note": "x" * 501}, "payload.note"),
    ("comment", {"text": ""}, "payload.text"),
    ("comment", {"text": "   "}, "payload.text"),
    ("comment", {"text": "\n\t"}, "payload.text"),
    ("comment", {"text": "x" * 2001}, "payload.text"),
]


def test_invalid_entries_of_the_other_kinds_are_rejected_alone(world, as_mentor, db):
    # One batch, each bad entry followed by a valid one of its kind: every answer is judged
    # on its own (one fixture instead of one per case keeps the suite fast).
    p1 = world.placements["p1"]
    batch, expected = [], []
    for kind, changes, field in BAD_ENTRIES:
        batch += [event(kind, p1, {**VALID_PAYLOADS[kind], **changes}),
                  event(kind, p1, VALID_PAYLOADS[kind])]
        expected += [(kind, "rejected", "invalid", field), (kind, "created", None, None)]
    before = db["events"].count
    results = sync(as_mentor, batch).get_json()["results"]
    assert [(e["type"], r["status"], r.get("code"), r.get("field"))
            for e, r in zip(batch, results, strict=True)] == expected
    assert all(r["reason"] for r in results if r["status"] == "rejected")
    stored = {row["id"] for row in db.query("SELECT id FROM events WHERE placement_id = ?", [p1])}
    assert stored >= {e["id"] for e in batch[1::2]}
    assert not stored & {e["id"] for e in batch[0::2]}
    assert db["events"].count == before + len(BAD_ENTRIES)


def test_blank_text_is_refused_by_the_published_schema_itself(client):
    # One rule, in the document: the server refuses a blank comment because the schema it
    # publishes does (minLength and a pattern), not by a check of its own on the side.
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    text = schemas["CommentPayload"]["properties"]["text"]
    assert text["minLength"] == 1 and re.search(text["pattern"], "   ") is None
    assert re.search(text["pattern"], " Hei ")


def test_a_replay_written_another_way_is_the_same_entry(world, as_mentor, db):
    # JSON Schema counts 30.0 as an integer: it is stored as 30, so the replay matches.
    entry = daily_log(world.placements["p1"], minutes=30)
    assert statuses(sync(as_mentor, [entry])) == ["created"]
    replay = {**entry, "payload": {**entry["payload"], "minutes": 30.0}}
    assert statuses(sync(as_mentor, [replay])) == ["duplicate"]
    stored = next(db.query("SELECT payload FROM events WHERE id = ?", [entry["id"]]))
    assert json.loads(stored["payload"])["minutes"] == 30
    assert isinstance(json.loads(stored["payload"])["minutes"], int)


def test_the_longest_allowed_texts_and_numbers_pass(world, as_mentor):
    # The other side of each limit above: without it, a limit set one too low would pass.
    p1 = world.placements["p1"]
    batch = [event("flag", p1, {**VALID_PAYLOADS["flag"], "note": "x" * 2000}),
             event("call_request", p1, {**VALID_PAYLOADS["call_request"], "topic": "x" * 500,
                                        "windows": ["08-10", "10-12", "12-14", "14-16"],
                                        "phone": "+47 912 34 567"}),
             event("time", p1, {**VALID_PAYLOADS["time"], "minutes": 1}),
             event("time", p1, {**VALID_PAYLOADS["time"], "minutes": 720}),
             event("comment", p1, {"text": "x" * 2000})]
    assert statuses(sync(as_mentor, batch)) == ["created"] * 5


def test_an_entry_may_be_at_most_five_minutes_in_the_future(world, as_mentor):
    # A phone's clock a little fast is normal; more than five minutes is a wrong clock. A
    # comment has no date of its own, so this holds at any time of day.
    p1 = world.placements["p1"]
    batch = [event("comment", p1, {"text": f"{ahead} min"},
                   at=clock.now() + timedelta(minutes=ahead)) for ahead in (4, 6)]
    results = sync(as_mentor, batch).get_json()["results"]
    assert [(r["status"], r.get("code")) for r in results] == [
        ("created", None), ("rejected", "in_future")]


# The fixed choices: what NAV's reports and statistics count by. Changing one is a change of
# contract with the phones in the field and with NAV, never a side effect.

def test_the_flag_categories_severities_and_urgencies_are_exactly_these(client):
    from mentorapp.domain import vocabulary

    categories = ["absence", "conflict", "wellbeing", "motivation", "development_stalled",
                  "accommodation", "safety", "practical", "mentor_relief", "other"]
    assert list(vocabulary.FLAG_CATEGORIES) == categories
    assert list(vocabulary.SEVERITY) == ["info", "attention", "urgent"]
    assert list(vocabulary.URGENCY) == ["today", "two_days", "this_week"]
    # ...and the published contract says the same.
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    flag = schemas["FlagPayload"]["properties"]
    assert flag["category"]["enum"] == categories
    assert flag["severity"]["enum"] == ["info", "attention", "urgent"]
    assert schemas["CallRequestPayload"]["properties"]["urgency"]["enum"] == [
        "today", "two_days", "this_week"]

