"""Web Push end to end without the internet: pywebpush's real requests to a local push
service that checks VAPID and decrypts; retries, gone subscriptions, escalation."""

from __future__ import annotations

import socket
import threading
from datetime import date, datetime, time, timedelta

import pytest

from mentorapp import create_app
from mentorapp.domain import clock, worktime
from mentorapp.push import reminders, sender, vapid
from mentorapp.store import notifications
from tests.support.clients import signed_in
from tests.support.counsellor import post
from tests.support.events import event, sync
from tests.support.push_receiver import PushReceiver

NOTE = "Jonas slo en kollega i dag og gikk hjem"


@pytest.fixture
def receiver():
    with PushReceiver() as service:
        yield service


@pytest.fixture
def worker(app):
    # No app context is held open here: the test client's requests need their own.
    return sender.Sender(app)


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
        app, world, as_mentor, as_counsellor, receiver, worker):
    subscription = receiver.subscription()
    subscribe(as_counsellor, subscription)
    flag = urgent_flag(as_mentor, world)
    assert receiver.received == []  # the request did not wait on the push service
    outcome = worker.tick()
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


def test_the_alert_is_in_the_counsellors_own_language(
        world, as_mentor, as_counsellor, receiver, worker, db):
    # Sent by the worker, outside any request: the language comes from the account.
    db["users"].update(world.ids["counsellor_a"], {"locale": "nn"})
    db.conn.commit()
    subscribe(as_counsellor, receiver.subscription())
    urgent_flag(as_mentor, world)
    assert worker.tick().sent == 1
    [message] = receiver.wait_for(1)
    assert message.payload["title"] == "Melding om ei utfordring som hastar"
    assert message.payload["body"] == "Ein mentor treng deg. Opne mentorapp for å sjå."


def test_call_request_alerts_with_normal_urgency_unless_today(
        world, as_mentor, as_counsellor, receiver, worker):
    subscribe(as_counsellor, receiver.subscription())
    sync(as_mentor, [event("call_request", world.placements["p1"],
                           {"urgency": "this_week", "topic": "Lønn"})])
    worker.tick()
    [message] = receiver.wait_for(1)
    assert message.payload["kind"] == "call_request"
    assert message.headers["urgency"] == "normal"


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_deleted_and_the_others_still_get_theirs(
        app, world, as_mentor, as_counsellor, receiver, worker, db, status):
    gone = receiver.subscription(answers=[status])
    working = receiver.subscription()
    subscribe(as_counsellor, gone, "Gammel telefon")
    subscribe(as_counsellor, working, "Ny telefon")
    urgent_flag(as_mentor, world)
    outcome = worker.tick()
    assert (outcome.gone, outcome.sent) == (1, 1)
    assert len(receiver.messages_for(working)) == 1
    endpoints = [s["endpoint"] for s in notifications.subscriptions_of(db, world.ids["counsellor_a"])]
    assert endpoints == [working["endpoint"]]


def test_a_failing_push_service_is_retried_with_backoff(
        world, as_mentor, as_counsellor, receiver, worker, db):
    flaky = receiver.subscription(answers=[500, 503])
    subscribe(as_counsellor, flaky)
    urgent_flag(as_mentor, world)
    now = clock.now()
    assert worker.tick(now).retried == 1
    delivery = next(db.query("SELECT * FROM deliveries"))
    first_wait = clock.parse(delivery["next_attempt_at"]) - now
    assert delivery["attempts"] == 1
    assert abs(first_wait - sender.backoff(1)) < timedelta(seconds=1)  # stored to the ms
    assert worker.tick(now).busy is False  # not due yet: nothing is sent twice
    later = now + first_wait + timedelta(seconds=1)
    assert worker.tick(later).retried == 1
    delivery = next(db.query("SELECT * FROM deliveries"))
    assert abs(clock.parse(delivery["next_attempt_at"]) - later - sender.backoff(2)) < timedelta(seconds=1)
    assert worker.tick(later + sender.backoff(2) + timedelta(seconds=1)).sent == 1
    assert len(receiver.messages_for(flaky)) == 1


def test_backoff_grows_and_is_capped():
    waits = [sender.backoff(n).total_seconds() for n in range(1, 10)]
    assert waits[:4] == [30, 60, 120, 240]
    assert max(waits) == 3600


def test_nothing_depends_on_push_a_counsellor_without_subscriptions_still_sees_it(
        world, as_mentor, as_counsellor, worker, db):
    flag = urgent_flag(as_mentor, world)
    worker.tick()
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


def _recent_monday() -> date:
    """A Monday of the last few weeks that is a working day, as is the Friday before it.
    Recent, because the world's placements began 30 days ago and events from before
    that are refused; a fixed date would stop working a month after it was written."""
    today = clock.today()
    monday = today - timedelta(days=today.weekday() + 7)
    while not (worktime.is_working_day(monday) and worktime.is_working_day(monday - timedelta(days=3))):
        monday -= timedelta(weeks=1)
    return monday


MONDAY_9 = datetime.combine(_recent_monday(), time(9), tzinfo=clock.OSLO)


def escalates_once_after_two_working_hours(app, db) -> None:
    """What was asked at MONDAY_9 goes to the backup just after 11:00, and only once."""
    with app.app_context():
        assert reminders.escalate(db, MONDAY_9 + timedelta(hours=1, minutes=59)) == 0
        assert reminders.escalate(db, MONDAY_9 + timedelta(hours=2, minutes=1)) == 1
        assert reminders.escalate(db, MONDAY_9 + timedelta(hours=5)) == 0  # once only


def test_backup_is_alerted_after_two_working_hours_without_an_answer(
        app, world, as_mentor, as_counsellor, receiver, worker, db):
    backup = signed_in(app, world, "counsellor_a2")
    subscribe(backup, receiver.subscription())
    flag = urgent_flag(as_mentor, world, at=MONDAY_9)
    escalates_once_after_two_working_hours(app, db)
    worker.tick()
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
    friday_15 = MONDAY_9 - timedelta(days=3) + timedelta(hours=6)
    urgent_flag(as_mentor, world, at=friday_15)
    with app.app_context():
        assert reminders.escalate(db, MONDAY_9 - timedelta(minutes=30)) == 0
        assert reminders.escalate(db, MONDAY_9 + timedelta(minutes=5)) == 1


def call_request(as_mentor, world, at=None, topic="Lønn og Jonas sin arbeidstid"):
    asked = event("call_request", world.placements["p1"], {"urgency": "this_week", "topic": topic},
                  at=at)
    assert sync(as_mentor, [asked]).get_json()["results"][0]["status"] == "created"
    return asked


def same_instance_with(app, monkeypatch, **environment):
    """A second app on the same instance folder (database, VAPID key), built from these
    environment settings the way `mentorapp` reads them in production."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return create_app({"TESTING": True, "INSTANCE_PATH": app.config["INSTANCE_PATH"],
                       "LOG_LEVEL": "WARNING"})


def assert_no_personal_data(message, *secrets):
    text = str(message.payload)
    for secret in ("Jonas", NOTE, "Lager 1", "Ahmed Mentor", *secrets):
        assert secret not in text, (secret, message.payload)


def test_send_notifications_alerts_the_responsible_and_escalates_to_the_backup(
        app, world, as_mentor, as_counsellor, receiver, runner):
    # The command the operator runs beside the server, with the real clock: its round must
    # both run the escalation step and send what is queued, or a backup is never told.
    backup = signed_in(app, world, "counsellor_a2")
    responsible_phone, backup_phone = receiver.subscription(), receiver.subscription()
    subscribe(as_counsellor, responsible_phone)
    subscribe(backup, backup_phone)
    flag = urgent_flag(as_mentor, world, at=MONDAY_9)  # a week or more ago: long overdue
    # In a thread, so that a --once that never stops fails here instead of hanging the run.
    results = []
    worker = threading.Thread(target=lambda: results.append(
        runner.invoke(args=["send-notifications", "--once"])), daemon=True)
    worker.start()
    worker.join(timeout=15)
    assert results, "send-notifications --once did not stop"
    assert results[0].exit_code == 0, results[0].output
    [alert] = receiver.messages_for(responsible_phone)
    [escalation] = receiver.messages_for(backup_phone)
    assert (alert.payload["kind"], alert.payload["ref"]) == ("flag_urgent", flag["id"])
    assert (escalation.payload["kind"], escalation.payload["ref"]) == ("flag_urgent_escalated",
                                                                       flag["id"])
    assert escalation.headers["urgency"] == "high"
    for message in (alert, escalation):
        assert_no_personal_data(message, "Kari Veileder", "Per Backup")


def test_pushes_are_signed_with_the_instances_vapid_key(
        app, world, as_mentor, as_counsellor, receiver, worker, runner):
    # Browsers subscribed with the key the app hands out; a push signed with any other key
    # is refused by the real push services, so k must be that very key.
    subscribe(as_counsellor, receiver.subscription())
    urgent_flag(as_mentor, world)
    assert worker.tick().sent == 1
    [message] = receiver.wait_for(1)
    printed = runner.invoke(args=["vapid-public-key"]).output.strip()
    assert message.claims["k"] == printed == vapid.public_key(app.config["VAPID_PRIVATE_KEY_FILE"])
    assert receiver.refused == []  # and the signature verified against it


def test_the_vapid_subject_setting_is_the_sub_claim(app, world, as_mentor, as_counsellor,
                                                    receiver, monkeypatch):
    subject = "mailto:push-drift@nav.example.no"
    assert subject != app.config["VAPID_SUBJECT"]  # else this would prove nothing
    configured = same_instance_with(app, monkeypatch, MENTORAPP_VAPID_SUBJECT=subject)
    subscribe(as_counsellor, receiver.subscription())
    urgent_flag(as_mentor, world)
    assert sender.Sender(configured).tick().sent == 1
    [message] = receiver.wait_for(1)
    assert message.claims["sub"] == subject


def test_an_unseen_call_request_alerts_the_backup_after_two_working_hours(
        app, world, as_mentor, receiver, worker, db):
    backup = signed_in(app, world, "counsellor_a2")
    subscribe(backup, receiver.subscription())
    asked = call_request(as_mentor, world, at=MONDAY_9)
    escalates_once_after_two_working_hours(app, db)
    worker.tick()
    [message] = receiver.wait_for(1)
    assert (message.payload["kind"], message.payload["ref"]) == ("call_request_escalated",
                                                                 asked["id"])
    assert message.payload["url"] == f"/c/p/{world.placements['p1']}#e-{asked['id']}"
    assert_no_personal_data(message, "Lønn", "arbeidstid")
    assert next(db.query("SELECT escalated_at FROM call_requests WHERE event_id = ?",
                         [asked["id"]]))["escalated_at"] is not None


def test_a_seen_call_request_is_not_escalated(app, world, as_mentor, db):
    asked = call_request(as_mentor, world, at=MONDAY_9)
    db.execute("UPDATE call_requests SET status = 'seen', seen_at = ? WHERE event_id = ?",
               [clock.iso(MONDAY_9 + timedelta(minutes=30)), asked["id"]])
    db.conn.commit()
    with app.app_context():
        assert reminders.escalate(db, MONDAY_9 + timedelta(hours=8)) == 0


def test_the_escalation_hours_setting_is_honoured(app, world, as_mentor, db, monkeypatch):
    asked = call_request(as_mentor, world, at=MONDAY_9)
    after_one_hour = MONDAY_9 + timedelta(hours=1, minutes=1)
    with app.app_context():
        assert reminders.escalate(db, after_one_hour) == 0  # the default is 2 working hours
    quicker = same_instance_with(app, monkeypatch, MENTORAPP_ESCALATION_WORK_HOURS="1")
    with quicker.app_context():
        assert reminders.escalate(db, MONDAY_9 + timedelta(minutes=59)) == 0
        assert reminders.escalate(db, after_one_hour) == 1
    [alert] = notifications.for_user(db, world.ids["counsellor_a2"])
    assert (alert["kind"], alert["ref"]) == ("call_request_escalated", asked["id"])


def closed_port() -> int:
    """A local port nobody listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_push_service_is_retried_and_its_subscription_kept(
        world, as_mentor, as_counsellor, receiver, worker, db):
    # A push service that cannot be reached says nothing about the subscription: unlike
    # 404/410 it must not be forgotten, and it must not hold up the working one.
    unreachable = {**receiver.subscription(),
                   "endpoint": f"http://127.0.0.1:{closed_port()}/push/nowhere"}
    working = receiver.subscription()
    subscribe(as_counsellor, unreachable, "Telefon uten nett")
    subscribe(as_counsellor, working, "Ny telefon")
    urgent_flag(as_mentor, world)
    outcome = worker.tick()
    assert (outcome.sent, outcome.retried, outcome.gone, outcome.failed) == (1, 1, 0, 0)
    assert len(receiver.messages_for(working)) == 1
    endpoints = {s["endpoint"] for s in notifications.subscriptions_of(db, world.ids["counsellor_a"])}
    assert endpoints == {unreachable["endpoint"], working["endpoint"]}
    [waiting] = db.query("""SELECT deliveries.* FROM deliveries JOIN push_subscriptions
                            ON push_subscriptions.id = deliveries.subscription_id
                            WHERE push_subscriptions.endpoint = ?""", [unreachable["endpoint"]])
    assert (waiting["status"], waiting["attempts"]) == ("pending", 1)
    assert "ConnectionError" in waiting["last_error"]


def test_a_delivery_gives_up_after_the_last_attempt(
        world, as_mentor, as_counsellor, receiver, worker, db):
    broken = receiver.subscription(answers=[500] * sender.MAX_ATTEMPTS)
    subscribe(as_counsellor, broken)
    urgent_flag(as_mentor, world)
    now = clock.now()
    for attempt in range(1, sender.MAX_ATTEMPTS):
        assert worker.tick(now).retried == 1, attempt
        now += sender.backoff(attempt) + timedelta(seconds=1)
    last = worker.tick(now)
    assert (last.failed, last.retried, last.sent) == (1, 0, 0)
    delivery = next(db.query("SELECT * FROM deliveries"))
    assert (delivery["status"], delivery["attempts"]) == ("failed", sender.MAX_ATTEMPTS)
    assert delivery["last_error"].startswith("500")
    # Given up for good: the service would now accept it, but nothing is sent again.
    assert worker.tick(now + timedelta(hours=2)).busy is False
    assert receiver.messages_for(broken) == []
    # A service that keeps failing is not a gone subscription: the device stays listed.
    [kept] = notifications.subscriptions_of(db, world.ids["counsellor_a"])
    assert kept["endpoint"] == broken["endpoint"]


def test_a_message_from_nav_alerts_the_mentor_without_its_text(
        world, as_mentor, as_counsellor, receiver, worker):
    phone = receiver.subscription()
    subscribe(as_mentor, phone)
    text = "Jonas må ha med legeerklæringen på torsdag"
    p1 = world.placements["p1"]
    assert post(as_counsellor, f"/c/p/{p1}/comment", text=text).status_code == 303
    assert worker.tick().sent == 1
    [message] = receiver.messages_for(phone)
    assert (message.payload["kind"], message.payload["url"]) == ("nav_comment", f"/m/p/{p1}")
    assert_no_personal_data(message, text, "legeerklæringen", "torsdag", "Kari Veileder")
