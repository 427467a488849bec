"""The day before a gathering, a push reminder to each mentor who said yes or maybe,
once, with no personal data; sent through the real push path to a local push service."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from mentorapp.domain import clock
from mentorapp.push import reminders, sender
from tests.support.clients import signed_in
from tests.support.network import plan, post
from tests.support.push_receiver import PushReceiver


@pytest.fixture
def receiver():
    with PushReceiver() as service:
        yield service


@pytest.fixture
def worker(app):
    return sender.Sender(app)


def subscribe(client, subscription):
    response = client.post("/api/v1/push/subscriptions", json=subscription,
                           headers={"X-CSRF-Token": client.csrf_token})
    assert response.status_code == 201


@pytest.fixture
def answered(app, world, as_coordinator, as_mentor, receiver):
    """A gathering the day after tomorrow: mentor_a says yes, mentor_b maybe, the idle
    mentor no; everyone has a phone subscribed."""
    day = clock.today() + timedelta(days=2)
    gathering_id = plan(as_coordinator, day=day, start="18:00", end="20:00",
                        title="Samling om Jonas og fravær")
    phones = {}
    for key, answer in (("mentor_a", "yes"), ("mentor_b", "maybe"), ("mentor_idle", "no"),
                        ("mentor_c", None)):
        client = as_mentor if key == "mentor_a" else signed_in(app, world, key)
        phones[key] = receiver.subscription()
        subscribe(client, phones[key])
        if answer:
            post(client, f"/n/gatherings/{gathering_id}/answer", {"answer": answer})
    return {"id": gathering_id, "day": day, "phones": phones}


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=clock.OSLO)


def test_the_day_before_those_who_said_yes_or_maybe_are_reminded_once(
        app, world, answered, receiver, worker, db):
    day_before = answered["day"] - timedelta(days=1)
    with app.app_context():
        assert reminders.remind_gatherings(db, at(day_before, 8, 59)) == 0  # not in the night
        assert reminders.remind_gatherings(db, at(day_before - timedelta(days=1), 12)) == 0
        assert reminders.remind_gatherings(db, at(day_before, 9, 0)) == 2
        assert reminders.remind_gatherings(db, at(day_before, 15)) == 0  # once only
    row = db["gatherings"].get(answered["id"])
    assert row["reminder_sent_at"] == clock.iso(at(day_before, 9, 0))

    assert worker.tick().sent == 2
    messages = receiver.wait_for(2)
    by_phone = {key: receiver.messages_for(phone) for key, phone in answered["phones"].items()}
    assert (len(by_phone["mentor_a"]), len(by_phone["mentor_b"])) == (1, 1)
    assert by_phone["mentor_idle"] == [] and by_phone["mentor_c"] == []
    for message in messages:
        assert message.payload["kind"] == "gathering_reminder"
        assert message.payload["url"] == f"/n/gatherings/{answered['id']}"
        assert message.payload["title"] == "Nettverkssamling i morgen"
        text = str(message.payload)
        for secret in ("Jonas", "fravær", "Samling om", "møterom", "Ahmed", "Berit"):
            assert secret not in text
    assert worker.tick().busy is False


def test_the_push_sender_runs_the_reminders_every_round(app, world, answered, db):
    day_before = answered["day"] - timedelta(days=1)
    with app.app_context():
        reminders.run_due(db, at(day_before, 10))
    kinds = [row["kind"] for row in db.query("SELECT kind FROM notifications")]
    assert kinds == ["gathering_reminder", "gathering_reminder"]


def test_a_cancelled_gathering_is_not_reminded(app, world, answered, as_coordinator, db):
    post(as_coordinator, f"/n/gatherings/{answered['id']}/cancel")
    with app.app_context():
        assert reminders.remind_gatherings(db, at(answered["day"] - timedelta(days=1), 10)) == 0
    assert {row["kind"] for row in db.query("SELECT kind FROM notifications")} == {
        "gathering_cancelled"}


def test_a_moved_gathering_is_reminded_again_for_its_new_day(app, world, answered,
                                                             as_coordinator, db):
    day_before = answered["day"] - timedelta(days=1)
    with app.app_context():
        assert reminders.remind_gatherings(db, at(day_before, 10)) == 2
    new_day = answered["day"] + timedelta(days=7)
    from tests.support.network import gathering_form

    post(as_coordinator, f"/n/gatherings/{answered['id']}/edit",
         gathering_form(day=new_day, start="18:00", end="20:00"))
    assert db["gatherings"].get(answered["id"])["reminder_sent_at"] is None
    with app.app_context():
        assert reminders.remind_gatherings(db, at(new_day - timedelta(days=1), 10)) == 2
    assert db["notifications"].count == 4


def test_a_mentor_who_changes_to_no_is_not_reminded(app, world, answered, as_mentor, db):
    post(as_mentor, f"/n/gatherings/{answered['id']}/answer", {"answer": "no"})
    with app.app_context():
        assert reminders.remind_gatherings(db, at(answered["day"] - timedelta(days=1), 10)) == 1
    [row] = db.query("SELECT user_id FROM notifications")
    assert row["user_id"] == world.ids["mentor_b"]
