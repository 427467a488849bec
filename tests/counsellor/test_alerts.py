"""The alerts page: the counsellor turns alerts on per device (the browser's part is in
static/js/alerts.js; here the server's, with subscriptions made by the local push
service), sees and removes devices, and sends a test alert that really arrives."""

from __future__ import annotations

import json
import re

import pytest

from mentorapp.push import sender, vapid
from mentorapp.store import notifications
from tests.support.counsellor import flag, post
from tests.support.push_receiver import PushReceiver


@pytest.fixture
def receiver():
    with PushReceiver() as service:
        yield service


def subscribe(client, subscription, label="Jobbtelefon"):
    response = client.post("/api/v1/push/subscriptions", json={**subscription, "label": label},
                           headers={"X-CSRF-Token": client.csrf_token})
    assert response.status_code == 201
    return subscription


def test_the_page_gives_the_browser_the_vapid_key_and_its_texts(app, as_counsellor):
    page = as_counsellor.get("/c/alerts").get_data(as_text=True)
    key = vapid.public_key(app.config["VAPID_PRIVATE_KEY_FILE"])
    assert f'data-vapid-key="{key}"' in page
    assert "/static/js/alerts.js" in page
    assert 'data-msg-denied="Nettleseren blokkerer varsler' in page
    assert 'id="push-on" hidden' in page  # shown by the script when the browser can do it
    assert "For å slå på varsler trengs JavaScript." in page
    assert "Ingen enhet får varsler ennå." in page


def test_devices_are_listed_with_what_the_server_knows_of_them(world, as_counsellor, receiver,
                                                                 db):
    phone = subscribe(as_counsellor, receiver.subscription(), "Jobbtelefon")
    page = as_counsellor.get("/c/alerts").get_data(as_text=True)
    assert "Jobbtelefon" in page and "Send et prøvevarsel" in page
    endpoints = json.loads(re.search(r'data-endpoints="([^"]*)"', page).group(1)
                           .replace("&#34;", '"'))
    assert endpoints == [phone["endpoint"]]  # so the page knows this device is on


def test_a_test_alert_reaches_every_device(app, world, as_counsellor, receiver):
    phone = subscribe(as_counsellor, receiver.subscription(), "Jobbtelefon")
    laptop = subscribe(as_counsellor, receiver.subscription(), "PC")
    response = post(as_counsellor, "/c/alerts/test")
    assert response.status_code == 303
    assert receiver.received == []  # the request did not wait on the push service
    assert sender.Sender(app).tick().sent == 2
    receiver.wait_for(2)
    for device in (phone, laptop):
        [message] = receiver.messages_for(device)
        assert message.payload["kind"] == "test"
        assert message.payload["title"] == "Varslene virker"
        assert message.payload["url"] == "/c/alerts"
    page = as_counsellor.get("/c/alerts").get_data(as_text=True)
    assert "Et prøvevarsel er på vei" in page
    assert "siste varsel levert" in page
    assert "Varslene virker" in page  # in the list of recent alerts


def test_a_double_click_sends_one_test_alert(world, as_counsellor, receiver, db):
    subscribe(as_counsellor, receiver.subscription())
    post(as_counsellor, "/c/alerts/test")
    post(as_counsellor, "/c/alerts/test")
    assert [n["kind"] for n in notifications.for_user(db, world.ids["counsellor_a"])] == ["test"]


def test_a_test_alert_without_devices_says_what_to_do(world, as_counsellor, db):
    post(as_counsellor, "/c/alerts/test")
    page = as_counsellor.get("/c/alerts").get_data(as_text=True)
    assert "Ingen enhet får varsler ennå. Slå dem på først." in page
    assert notifications.for_user(db, world.ids["counsellor_a"]) == []


def test_remove_a_device(world, as_counsellor, receiver, db):
    subscribe(as_counsellor, receiver.subscription())
    [device] = notifications.subscriptions_of(db, world.ids["counsellor_a"])
    assert post(as_counsellor, f"/c/alerts/devices/{device['id']}/remove").status_code == 303
    assert notifications.subscriptions_of(db, world.ids["counsellor_a"]) == []


def test_nobody_removes_someone_elses_device(app, world, as_counsellor, receiver, db):
    from tests.support.clients import signed_in

    other = signed_in(app, world, "counsellor_b")
    subscribe(other, receiver.subscription())
    [device] = notifications.subscriptions_of(db, world.ids["counsellor_b"])
    assert post(as_counsellor, f"/c/alerts/devices/{device['id']}/remove").status_code == 404
    assert len(notifications.subscriptions_of(db, world.ids["counsellor_b"])) == 1


def test_an_urgent_flag_alerts_the_device_turned_on_here_and_links_to_the_matter(
        app, world, as_mentor, as_counsellor, receiver):
    device = subscribe(as_counsellor, receiver.subscription())
    raised = flag(as_mentor, world.placements["p1"], severity="urgent")
    sender.Sender(app).tick()
    [message] = receiver.messages_for(device)
    assert message.payload["url"] == f"/c/p/{world.placements['p1']}#e-{raised['id']}"
    page = as_counsellor.get(message.payload["url"].split("#")[0]).get_data(as_text=True)
    matters = page.split('<section id="matters"')[1].split("</section>")[0]
    assert f'id="e-{raised["id"]}"' in matters  # the link lands on the actions


def test_only_counsellors_have_the_alerts_page(as_mentor, as_coordinator):
    assert as_mentor.get("/c/alerts").status_code == 404
    assert as_coordinator.get("/c/alerts").status_code == 404
