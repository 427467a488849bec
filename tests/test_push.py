"""Web Push end to end without the internet: pywebpush's real requests to a local push
service that checks VAPID and decrypts; retries, gone subscriptions, escalation."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from mentorapp import clock, push, reminders
from mentorapp.store import notifications
from tests.support.events import event, sync
from tests.support.push_receiver import PushReceiver

NOTE = "Jonas slo en kollega i dag og gikk hjem"


@pytest.fixture
def receiver():
    with PushReceiver() as service:
        yield service


@pytest.fixture
def sender(app):
    # No app context is held open here: the test client's requests need their own.
    return push.Sender(app)


def subscribe(client, subscription, label="Jobbtelefon"):
    response = client.post("/api/v1/push/subscriptions", json={**subscription, "label": label},
                           headers={"X-CSRF-Token": client.csrf_token})
    assert response.status_code == 201, response.get_json()
    return response


def urgent_flag(as_mentor, world, at=None):
    flag = event("flag", world.placements["p1"],
                 {"category": "conflict", "severity": "urgent", "note": NOTE}, at=at)
    assert sync(as_mentor, [flag]).get_json()["results"][0]["status"] == "created"
    return flag


def test_urgent_flag_reaches_the_counsellor_without_personal_data(
        app, world, as_mentor, as_counsellor, receiver, sender):
    subscription = receiver.subscription()
    subscribe(as_counsellor, subscription)
    flag = urgent_flag(as_mentor, world)
    assert receiver.received == []  # the request did not wait on the push service
    outcome = sender.tick()
    assert outcome.sent == 1
    [message] = receiver.wait_for(1)
    assert message.payload["kind"] == "flag_urgent"
    assert message.payload["ref"] == flag["id"]
    assert message.payload["url"] == f"/c/p/{world.placements['p1']}#e-{flag['id']}"
    text = str(message.payload) + message.raw.decode("latin-1")
    for secret in ("Jonas", NOTE, "slo", world.users["mentor_a"]["name"], "Lager 1"):
        assert secret not in text
    assert message.claims["sub"] == app.config["VAPID_SUBJECT"]
    assert int(message.headers["ttl"]) > 0 and message.headers["urgency"] == "high"
    assert message.payload["title"] == "Utfordring meldt – haster"


def test_call_request_alerts_with_normal_urgency_unless_today(
        world, as_mentor, as_counsellor, receiver, sender):
    subscribe(as_counsellor, receiver.subscription())
    sync(as_mentor, [event("call_request", world.placements["p1"],
                           {"urgency": "this_week", "topic": "Lønn"})])
    sender.tick()
    [message] = receiver.wait_for(1)
    assert message.payload["kind"] == "call_request"
    assert message.headers["urgency"] == "normal"


def test_a_gone_subscription_is_deleted_and_the_others_still_get_theirs(
        app, world, as_mentor, as_counsellor, receiver, sender, db):
    gone = receiver.subscription(answers=[410])
    working = receiver.subscription()
    subscribe(as_counsellor, gone, "Gammel telefon")
    subscribe(as_counsellor, working, "Ny telefon")
    urgent_flag(as_mentor, world)
    outcome = sender.tick()
    assert (outcome.gone, outcome.sent) == (1, 1)
    assert len(receiver.messages_for(working)) == 1
    endpoints = [s["endpoint"] for s in notifications.subscriptions_of(db, world.ids["counsellor_a"])]
    assert endpoints == [working["endpoint"]]


def test_a_failing_push_service_is_retried_with_backoff(
        world, as_mentor, as_counsellor, receiver, sender, db):
    flaky = receiver.subscription(answers=[500, 503])
    subscribe(as_counsellor, flaky)
    urgent_flag(as_mentor, world)
    now = clock.now()
    assert sender.tick(now).retried == 1
    delivery = next(db.query("SELECT * FROM deliveries"))
    first_wait = clock.parse(delivery["next_attempt_at"]) - now
    assert delivery["attempts"] == 1
    assert abs(first_wait - push.backoff(1)) < timedelta(seconds=1)  # stored to the ms
    assert sender.tick(now).busy is False  # not due yet: nothing is sent twice
    later = now + first_wait + timedelta(seconds=1)
    assert sender.tick(later).retried == 1
    delivery = next(db.query("SELECT * FROM deliveries"))
    assert abs(clock.parse(delivery["next_attempt_at"]) - later - push.backoff(2)) < timedelta(seconds=1)
    assert sender.tick(later + push.backoff(2) + timedelta(seconds=1)).sent == 1
    assert len(receiver.messages_for(flaky)) == 1


def test_backoff_grows_and_is_capped():
    waits = [push.backoff(n).total_seconds() for n in range(1, 10)]
    assert waits[:4] == [30, 60, 120, 240]
    assert max(waits) == 3600


def test_nothing_depends_on_push_a_counsellor_without_subscriptions_still_sees_it(
        world, as_mentor, as_counsellor, sender, db):
    flag = urgent_flag(as_mentor, world)
    sender.tick()
    page = as_counsellor.get(f"/c/p/{world.placements['p1']}").get_data(as_text=True)
    assert f'id="e-{flag["id"]}"' in page
    assert db["deliveries"].count == 0


def test_subscriptions_are_checked(as_counsellor):
    bad = as_counsellor.post("/api/v1/push/subscriptions", json={"endpoint": "ftp://x"},
                             headers={"X-CSRF-Token": as_counsellor.csrf_token})
    assert bad.status_code == 400 and bad.get_json()["error"] == "invalid_subscription"


def test_unsubscribe(world, as_counsellor, receiver, db):
    subscription = receiver.subscription()
    subscribe(as_counsellor, subscription)
    response = as_counsellor.delete("/api/v1/push/subscriptions",
                                    json={"endpoint": subscription["endpoint"]},
                                    headers={"X-CSRF-Token": as_counsellor.csrf_token})
    assert response.get_json()["status"] == "unsubscribed"
    assert notifications.subscriptions_of(db, world.ids["counsellor_a"]) == []


MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=clock.OSLO)


def test_backup_is_alerted_after_two_working_hours_without_an_answer(
        app, world, as_mentor, as_counsellor, receiver, sender, db):
    from tests.conftest import _signed_in

    backup = _signed_in(app, world, "counsellor_a2")
    subscribe(backup, receiver.subscription())
    flag = urgent_flag(as_mentor, world, at=MONDAY_9)
    with app.app_context():
        assert reminders.escalate(db, MONDAY_9 + timedelta(hours=1, minutes=59)) == 0
        assert reminders.escalate(db, MONDAY_9 + timedelta(hours=2, minutes=1)) == 1
        assert reminders.escalate(db, MONDAY_9 + timedelta(hours=5)) == 0  # once only
    sender.tick()
    kinds = {m.payload["kind"] for m in receiver.wait_for(1)}
    assert kinds == {"flag_urgent_escalated"}
    assert next(db.query("SELECT escalated_at FROM flags WHERE event_id = ?",
                         [flag["id"]]))["escalated_at"] is not None


def test_no_escalation_once_the_counsellor_has_acknowledged(app, world, as_mentor, db):
    flag = urgent_flag(as_mentor, world, at=MONDAY_9)
    db.execute("UPDATE flags SET status = 'acknowledged' WHERE event_id = ?", [flag["id"]])
    with app.app_context():
        assert reminders.escalate(db, MONDAY_9 + timedelta(hours=8)) == 0


def test_a_friday_afternoon_flag_escalates_on_monday_morning(app, world, as_mentor, db):
    friday_15 = datetime(2026, 11, 20, 15, 0, tzinfo=clock.OSLO)
    urgent_flag(as_mentor, world, at=friday_15)
    with app.app_context():
        assert reminders.escalate(db, datetime(2026, 11, 23, 8, 30, tzinfo=clock.OSLO)) == 0
        assert reminders.escalate(db, datetime(2026, 11, 23, 9, 5, tzinfo=clock.OSLO)) == 1
