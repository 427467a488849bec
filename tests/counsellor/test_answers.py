"""Answering the mentor from the placement page: acknowledge and resolve flags; see,
schedule and finish call requests; write to the mentor. Each works without JavaScript
(303, or 422 with the message beside the field) and with htmx (only the changed part),
writes a NAV event on the timeline, and a scheduled call alerts the mentor."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from mentorapp.domain import clock
from mentorapp.push import sender
from mentorapp.store import notifications
from mentorapp.sync import schema
from tests.support.counsellor import call_request, flag, post
from tests.support.push_receiver import PushReceiver


def _flag_row(db, event_id):
    return next(db.query("SELECT * FROM flags WHERE event_id = ?", [event_id]))


def _call_row(db, event_id):
    return next(db.query("SELECT * FROM call_requests WHERE event_id = ?", [event_id]))


def _nav_events(db, placement_id):
    return [(row["type"], json.loads(row["payload"])) for row in db.query(
        "SELECT type, payload FROM events WHERE placement_id = ? AND type NOT IN "
        "('daily_log', 'flag', 'call_request', 'time', 'comment', 'placement_created') "
        "ORDER BY seq", [placement_id])]


def _counts(db):
    return tuple(db[t].count for t in ("events", "notifications"))


def local(moment) -> str:
    return clock.local(moment).strftime("%Y-%m-%dT%H:%M")


# Flags -------------------------------------------------------------------------------------

def test_acknowledge_a_flag_without_javascript(world, as_mentor, as_counsellor, db):
    p1 = world.placements["p1"]
    raised = flag(as_mentor, p1, severity="urgent")
    response = post(as_counsellor, f"/c/p/{p1}/flags/{raised['id']}/acknowledge")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/c/p/{p1}#matters")
    row = _flag_row(db, raised["id"])
    assert row["status"] == "acknowledged"
    assert row["acknowledged_by"] == world.ids["counsellor_a"] and row["acknowledged_at"]
    assert _nav_events(db, p1) == [("flag_acknowledged", {"flag": raised["id"]})]
    # The mentor's phone sees NAV's answer.
    summary = as_mentor.get(f"/api/v1/placements/{p1}").get_json()
    assert summary["open_flags"][0]["status"] == "acknowledged"


def test_acknowledge_with_htmx_answers_with_the_changed_part_and_the_timeline(
        world, as_mentor, as_counsellor):
    p1 = world.placements["p1"]
    raised = flag(as_mentor, p1)
    response = post(as_counsellor, f"/c/p/{p1}/flags/{raised['id']}/acknowledge", htmx=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.lstrip().startswith('<section id="matters"') and "<html" not in page
    assert "Merket som sett. Mentoren ser at NAV har lest det." in page
    assert '<div id="timeline" hx-swap-oob="true">' in page
    assert "NAV har sett meldingen om utfordringen" in page  # the new NAV event, on the timeline


def test_acknowledging_twice_changes_nothing_the_second_time(world, as_mentor, as_counsellor, db):
    p1 = world.placements["p1"]
    raised = flag(as_mentor, p1)
    post(as_counsellor, f"/c/p/{p1}/flags/{raised['id']}/acknowledge")
    before = _counts(db)
    response = post(as_counsellor, f"/c/p/{p1}/flags/{raised['id']}/acknowledge", htmx=True)
    assert "allerede besvart" in response.get_data(as_text=True)
    assert _counts(db) == before


def test_acknowledging_stops_the_escalation_to_the_backup(app, world, as_mentor, as_counsellor, db):
    from mentorapp.push import reminders

    p1 = world.placements["p1"]
    raised = flag(as_mentor, p1, severity="urgent", at=clock.now() - timedelta(days=5))
    post(as_counsellor, f"/c/p/{p1}/flags/{raised['id']}/acknowledge")
    with app.app_context():
        assert reminders.escalate(db, clock.now()) == 0


def test_resolve_a_flag_with_a_note(world, as_mentor, as_counsellor, db):
    p1 = world.placements["p1"]
    raised = flag(as_mentor, p1, severity="urgent")
    response = post(as_counsellor, f"/c/p/{p1}/flags/{raised['id']}/resolve",
                    note="Snakket med begge, avtalt nytt møte fredag")
    assert response.status_code == 303
    row = _flag_row(db, raised["id"])
    assert row["status"] == "resolved"
    assert row["resolution_note"] == "Snakket med begge, avtalt nytt møte fredag"
    assert row["acknowledged_at"] is not None  # resolving counts as having seen it
    assert _nav_events(db, p1) == [("flag_resolved", {
        "flag": raised["id"], "note": "Snakket med begge, avtalt nytt møte fredag"})]
    page = as_counsellor.get(f"/c/p/{p1}").get_data(as_text=True)
    assert "Utfordringen er løst: Snakket med begge" in page
    assert f'id="e-{raised["id"]}"' in page  # now only on the timeline


@pytest.mark.parametrize(("note", "message"), [
    ("", "Fyll ut dette feltet."),
    ("   ", "Fyll ut dette feltet."),
    ("x" * 2001, "Høyst 2000 tegn"),
])
@pytest.mark.parametrize("htmx", [False, True])
def test_resolve_without_a_proper_note_is_refused(world, as_mentor, as_counsellor, db, note,
                                                  message, htmx):
    p1 = world.placements["p1"]
    raised = flag(as_mentor, p1)
    before = _counts(db)
    response = post(as_counsellor, f"/c/p/{p1}/flags/{raised['id']}/resolve", htmx=htmx, note=note)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="resolve-{raised["id"]}"' in page and 'aria-invalid="true"' in page
    assert ("<html" in page) is not htmx
    assert _flag_row(db, raised["id"])["status"] == "open"
    assert _counts(db) == before


def test_a_flag_of_another_placement_is_not_found(world, as_mentor, as_mentor_b, as_counsellor,
                                                  db):
    other = flag(as_mentor_b, world.placements["p2"])
    p1 = world.placements["p1"]
    for action in ("acknowledge", "resolve"):
        response = post(as_counsellor, f"/c/p/{p1}/flags/{other['id']}/{action}", note="x")
        assert response.status_code == 404
    assert post(as_counsellor, f"/c/p/{p1}/flags/no-such-flag/acknowledge").status_code == 404
    assert _flag_row(db, other["id"])["status"] == "open"


def test_another_counsellor_cannot_answer(app, world, as_mentor, db):
    from tests.support.clients import signed_in

    raised = flag(as_mentor, world.placements["p1"])
    outsider = signed_in(app, world, "counsellor_b")
    response = post(outsider, f"/c/p/{world.placements['p1']}/flags/{raised['id']}/acknowledge")
    assert response.status_code == 404
    assert _flag_row(db, raised["id"])["status"] == "open"


def test_the_backup_may_answer(world, as_mentor, as_backup, db):
    raised = flag(as_mentor, world.placements["p1"], severity="urgent")
    post(as_backup, f"/c/p/{world.placements['p1']}/flags/{raised['id']}/acknowledge")
    assert _flag_row(db, raised["id"])["acknowledged_by"] == world.ids["counsellor_a2"]


# Calls -------------------------------------------------------------------------------------

def test_mark_a_call_request_as_seen(app, world, as_mentor, as_counsellor, db):
    from mentorapp.push import reminders

    p1 = world.placements["p1"]
    asked = call_request(as_mentor, p1, at=clock.now() - timedelta(days=5))
    response = post(as_counsellor, f"/c/p/{p1}/calls/{asked['id']}/seen")
    assert response.status_code == 303
    row = _call_row(db, asked["id"])
    assert row["status"] == "seen" and row["seen_by"] == world.ids["counsellor_a"]
    assert _nav_events(db, p1) == [("call_seen", {"call": asked["id"]})]
    with app.app_context():
        assert reminders.escalate(db, clock.now()) == 0  # seen: the backup is not alerted


def test_schedule_a_call_the_mentor_sees_it_and_is_alerted(world, as_mentor, as_counsellor, db):
    p1 = world.placements["p1"]
    asked = call_request(as_mentor, p1)
    when = (clock.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    response = post(as_counsellor, f"/c/p/{p1}/calls/{asked['id']}/schedule", at=local(when))
    assert response.status_code == 303
    row = _call_row(db, asked["id"])
    assert row["status"] == "scheduled" and row["scheduled_for"] == clock.iso(when)
    assert row["seen_at"] is not None
    [(kind, payload)] = _nav_events(db, p1)
    assert kind == "call_scheduled" and payload == {"call": asked["id"], "at": clock.iso(when)}
    [alert] = notifications.for_user(db, world.ids["mentor_a"])
    assert (alert["kind"], alert["ref"], alert["url"]) == ("call_scheduled", asked["id"], f"/m/p/{p1}")
    summary = as_mentor.get(f"/api/v1/placements/{p1}").get_json()
    assert summary["open_calls"][0]["scheduled_for"] == clock.iso(when)


def test_moving_a_call_alerts_the_mentor_again(world, as_mentor, as_counsellor, db):
    p1 = world.placements["p1"]
    asked = call_request(as_mentor, p1)
    for days in (1, 2):
        when = clock.now() + timedelta(days=days)
        assert post(as_counsellor, f"/c/p/{p1}/calls/{asked['id']}/schedule",
                    at=local(when)).status_code == 303
    assert [n["kind"] for n in notifications.for_user(db, world.ids["mentor_a"])] == [
        "call_scheduled", "call_scheduled"]


@pytest.mark.parametrize(("at", "message"), [
    ("", "Velg dag og klokkeslett for samtalen."),
    ("i morgen", "Skriv tidspunktet som ÅÅÅÅ-MM-DD TT:MM."),
    ("2020-01-01T10:00", "Dette tidspunktet er passert."),
    ("past", "Dette tidspunktet er passert."),
    ("far", "Velg et tidspunkt innen de neste 90 dagene."),
])
@pytest.mark.parametrize("htmx", [False, True])
def test_a_bad_call_time_is_refused(world, as_mentor, as_counsellor, db, at, message, htmx):
    p1 = world.placements["p1"]
    asked = call_request(as_mentor, p1)
    at = {"past": local(clock.now() - timedelta(minutes=10)),
          "far": local(clock.now() + timedelta(days=91))}.get(at, at)
    before = _counts(db)
    response = post(as_counsellor, f"/c/p/{p1}/calls/{asked['id']}/schedule", htmx=htmx, at=at)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and f'id="schedule-{asked["id"]}-error"' in page
    assert _call_row(db, asked["id"])["status"] == "sent"
    assert _counts(db) == before


def test_mark_a_call_done_with_a_note(world, as_mentor, as_counsellor, db):
    p1 = world.placements["p1"]
    asked = call_request(as_mentor, p1)
    response = post(as_counsellor, f"/c/p/{p1}/calls/{asked['id']}/done", htmx=True,
                    note="Avtalt kortere dager neste uke")
    assert response.status_code == 200
    assert "Samtalen er merket som gjennomført." in response.get_data(as_text=True)
    row = _call_row(db, asked["id"])
    assert row["status"] == "done" and row["done_note"] == "Avtalt kortere dager neste uke"
    assert _nav_events(db, p1) == [("call_done", {"call": asked["id"],
                                                  "note": "Avtalt kortere dager neste uke"})]
    # A closed call can no longer be scheduled.
    again = post(as_counsellor, f"/c/p/{p1}/calls/{asked['id']}/schedule",
                 at=local(clock.now() + timedelta(days=1)))
    assert again.status_code == 422
    assert _call_row(db, asked["id"])["status"] == "done"


def test_a_call_without_a_note_can_be_marked_done(world, as_mentor, as_counsellor, db):
    p1 = world.placements["p1"]
    asked = call_request(as_mentor, p1)
    assert post(as_counsellor, f"/c/p/{p1}/calls/{asked['id']}/done").status_code == 303
    assert _nav_events(db, p1) == [("call_done", {"call": asked["id"]})]


def test_the_schedule_form_suggests_a_time_that_suits_the_mentor(world, as_mentor, as_counsellor):
    p1 = world.placements["p1"]
    call_request(as_mentor, p1)  # windows 10-12
    page = as_counsellor.get(f"/c/p/{p1}").get_data(as_text=True)
    suggested = page.split('type="datetime-local" value="')[1][:16]
    assert suggested.endswith("T10:00")
    assert suggested > local(clock.now())


# Messages ----------------------------------------------------------------------------------

def test_comment_to_the_mentor(world, as_counsellor, as_mentor, db):
    p1 = world.placements["p1"]
    response = post(as_counsellor, f"/c/p/{p1}/comment", htmx=True,
                    text="Hei! Jeg kommer innom på torsdag.")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.lstrip().startswith('<section id="comment"')
    assert "Hei! Jeg kommer innom på torsdag." in page  # on the timeline, swapped out of band
    assert _nav_events(db, p1) == [("nav_comment", {"text": "Hei! Jeg kommer innom på torsdag."})]
    [alert] = notifications.for_user(db, world.ids["mentor_a"])
    assert (alert["kind"], alert["url"]) == ("nav_comment", f"/m/p/{p1}")


@pytest.mark.parametrize("htmx", [False, True])
def test_an_empty_comment_is_refused(world, as_counsellor, db, htmx):
    before = _counts(db)
    response = post(as_counsellor, f"/c/p/{world.placements['p1']}/comment", htmx=htmx, text=" ")
    assert response.status_code == 422
    assert 'id="comment-text-error"' in response.get_data(as_text=True)
    assert _counts(db) == before


def test_no_comments_or_calls_on_an_ended_placement(world, as_mentor, as_counsellor, db):
    p1 = world.placements["p1"]
    asked = call_request(as_mentor, p1)
    post(as_counsellor, f"/c/p/{p1}/end", outcome="employed")
    assert post(as_counsellor, f"/c/p/{p1}/comment", text="Hei").status_code == 422
    assert post(as_counsellor, f"/c/p/{p1}/calls/{asked['id']}/schedule",
                at=local(clock.now() + timedelta(days=1))).status_code == 422
    # ...but what is still open can be closed.
    assert post(as_counsellor, f"/c/p/{p1}/calls/{asked['id']}/done").status_code == 303


def test_every_nav_event_has_the_published_shape(world, as_mentor, as_counsellor, db):
    p1 = world.placements["p1"]
    first, second = flag(as_mentor, p1), flag(as_mentor, p1)
    asked, other = call_request(as_mentor, p1), call_request(as_mentor, p1)
    post(as_counsellor, f"/c/p/{p1}/flags/{first['id']}/acknowledge")
    post(as_counsellor, f"/c/p/{p1}/flags/{second['id']}/resolve", note="Ordnet")
    post(as_counsellor, f"/c/p/{p1}/calls/{asked['id']}/seen")
    post(as_counsellor, f"/c/p/{p1}/calls/{asked['id']}/schedule",
         at=local(clock.now() + timedelta(days=1)))
    post(as_counsellor, f"/c/p/{p1}/calls/{other['id']}/done", note="Ringte")
    post(as_counsellor, f"/c/p/{p1}/comment", text="Hei")
    post(as_counsellor, f"/c/p/{p1}/decision", decision="extending")
    kinds = set()
    for kind, payload in _nav_events(db, p1):
        assert schema.validate(payload, schema.NAV_PAYLOADS[kind]) == [], kind
        kinds.add(kind)
    assert kinds == {"flag_acknowledged", "flag_resolved", "call_seen", "call_scheduled",
                     "call_done", "nav_comment", "extension_decided"}


# The alert the mentor gets, end to end -------------------------------------------------------

def test_the_mentor_gets_a_push_without_personal_data_when_a_call_is_scheduled(
        app, world, as_mentor, as_counsellor):
    p1 = world.placements["p1"]
    with PushReceiver() as receiver:
        phone = receiver.subscription()
        assert as_mentor.post("/api/v1/push/subscriptions", json=phone,
                              headers={"X-CSRF-Token": as_mentor.csrf_token}).status_code == 201
        asked = call_request(as_mentor, p1)
        post(as_counsellor, f"/c/p/{p1}/calls/{asked['id']}/schedule",
             at=local(clock.now() + timedelta(hours=3)))
        assert receiver.received == []  # the request did not wait on the push service
        assert sender.Sender(app).tick().sent == 1
        [message] = receiver.wait_for(1)
    assert message.payload["kind"] == "call_scheduled"
    assert message.payload["ref"] == asked["id"]
    assert message.payload["url"] == f"/m/p/{p1}"
    assert message.payload["title"] == "NAV ringer deg"
    text = json.dumps(message.payload, ensure_ascii=False)
    for secret in ("Jonas", "Om arbeidstiden", world.users["counsellor_a"]["name"], "Lager 1"):
        assert secret not in text
