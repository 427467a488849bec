"""A coordinator sends a short message to every mentor of the network: it is in the
list mentors see at once, and each gets a push alert that says nothing but "a message"."""

from __future__ import annotations

import pytest

from mentorapp.push import sender
from tests.support.clients import signed_in
from tests.support.network import post
from tests.support.push_receiver import PushReceiver

BODY = "Husk: samlingen flyttes til rom 3. Jonas' mentor tar med kaffe."


@pytest.fixture
def receiver():
    with PushReceiver() as service:
        yield service


def test_a_message_reaches_every_mentor_of_the_network_in_app_and_by_push(
        app, world, as_coordinator, as_mentor, receiver, db):
    phones = {}
    for key in ("mentor_a", "mentor_b", "mentor_c"):
        client = as_mentor if key == "mentor_a" else signed_in(app, world, key)
        phones[key] = receiver.subscription()
        client.post("/api/v1/push/subscriptions", json=phones[key],
                    headers={"X-CSRF-Token": client.csrf_token})
    response = post(as_coordinator, "/n/messages/new", {"body": BODY})
    assert response.status_code == 303
    [message] = db.query("SELECT * FROM broadcasts")
    assert response.headers["Location"] == f"/n/messages#b-{message['id']}"
    assert message["recipients"] == 3  # mentor_a, mentor_b and the idle mentor

    page = as_mentor.get("/n/messages").get_data(as_text=True)
    assert "Husk: samlingen flyttes til rom 3." in page
    other = signed_in(app, world, "mentor_c")
    assert "samlingen flyttes" not in other.get("/n/messages").get_data(as_text=True)

    assert sender.Sender(app).tick().sent == 2
    received = receiver.wait_for(2)
    assert len(receiver.messages_for(phones["mentor_c"])) == 0
    for alert in received:
        assert alert.payload["kind"] == "broadcast"
        assert alert.payload["url"] == f"/n/messages#b-{message['id']}"
        assert alert.payload["title"] == "Melding fra mentornettverket"
        assert "rom 3" not in str(alert.payload) and "Jonas" not in str(alert.payload)


def test_the_latest_message_is_news_on_the_mentors_network_page(world, as_coordinator, as_mentor):
    post(as_coordinator, "/n/messages/new", {"body": BODY})
    page = as_mentor.get("/n/resources").get_data(as_text=True)
    assert "Nytt fra nettverket" in page and "samlingen flyttes" in page


@pytest.mark.parametrize(("body", "message"), [
    ("", "Fyll ut dette feltet."), ("x" * 501, "Høyst 500 tegn"),
    ("null\x00byte", "Feltet inneholder tegn som ikke er tillatt."),
])
def test_an_empty_or_long_message_is_refused_and_nobody_is_alerted(world, as_coordinator, db,
                                                                   body, message):
    response = post(as_coordinator, "/n/messages/new", {"body": body})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db["broadcasts"].count == 0 and db["notifications"].count == 0


def test_only_coordinators_broadcast(world, as_mentor, as_counsellor, db):
    for client in (as_mentor, as_counsellor):
        assert post(client, "/n/messages/new", {"body": "Hei"}).status_code == 404
    assert db["broadcasts"].count == 0
