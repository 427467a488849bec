"""Access around the mentor network: coordinators never reach a case; everybody sees the
network things of their own network only, by page, by file and by every action."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest

from mentorapp.domain import clock
from mentorapp.store import users
from mentorapp.store.db import write
from tests.support.clients import signed_in
from tests.support.network import add_file, add_link, created_id, move_gathering, plan, post
from tests.support.world import password_hash

# Routes in the case blueprints that hold no case data: the API's description, who is
# signed in, and turning alerts on or off for this device.
NOT_CASE = {"api.openapi_document", "api.session_info", "api.subscribe", "api.unsubscribe",
            "api.feed"}  # the feed takes an office's API token, never a session: see below
CASE_BLUEPRINTS = ("mentor", "counsellor", "api")


def _value(rule, name: str, ids: dict):
    converter = type(rule._converters[name]).__name__
    if name in ids:
        return ids[name]
    if converter == "IntegerConverter":
        return 1
    if converter == "UUIDConverter":
        return str(uuid.uuid4())
    return "x"


def _url(rule, ids: dict) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(_value(rule, m.group(1), ids)),
                  rule.rule)


def _request(client, method: str, url: str):
    headers = {"X-CSRF-Token": client.csrf_token}
    if method == "GET":
        return client.get(url, headers=headers)
    return client.open(url, method=method, headers=headers,
                       data={"csrf_token": client.csrf_token, "answer": "yes", "rating": "5",
                             "status": "done", "title": "x", "body": "x"})


def case_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in CASE_BLUEPRINTS and rule.endpoint not in NOT_CASE:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def test_a_coordinators_session_cannot_read_the_feed(as_coordinator):
    response = as_coordinator.get("/api/v1/feed")
    assert response.status_code == 401 and "events" not in response.get_json()


def test_there_are_case_routes_to_check(app):
    endpoints = {rule.endpoint for rule, _method in case_routes(app)}
    assert {"mentor.home", "counsellor.caseload", "counsellor.placement", "api.sync_events",
            "api.placement_summary", "api.received"} <= endpoints


@pytest.mark.parametrize("placement", ["p1", "p2", "p3"])
def test_a_coordinator_gets_404_for_every_case_page_and_case_api(app, world, as_coordinator,
                                                                  placement):
    ids = {"placement_id": world.placements[placement]}
    for rule, method in case_routes(app):
        response = _request(as_coordinator, method, _url(rule, ids))
        assert response.status_code == 404, f"{method} {rule.rule}: {response.status_code}"
        body = response.get_data(as_text=True)
        for secret in ("Jonas", "Amina", "Siri", "Møte presis"):
            assert secret not in body, f"{method} {rule.rule} shows {secret}"


def test_coordinators_read_no_case_and_leave_no_audit_line(app, world, as_coordinator, db):
    before = db["audit_log"].count
    for path in ("/n/", "/n/resources", "/n/gatherings", "/n/topics", "/n/feedback",
                 "/n/changes", "/n/messages"):
        page = as_coordinator.get(path)
        assert page.status_code == 200
        for secret in ("Jonas", "Amina", "Siri", "Møte presis"):
            assert secret not in page.get_data(as_text=True)
    assert db["audit_log"].count == before


@pytest.fixture
def network_1(app, world, as_coordinator, as_mentor, db):
    """One of everything in network 1, by its own coordinator and a mentor."""
    ended = plan(as_coordinator, title="Samling i nettverk 1")
    move_gathering(db, ended, clock.now() - timedelta(days=2))
    topic = post(as_mentor, "/n/topics/new", {"title": "Tema i nettverk 1"})
    post(as_coordinator, "/n/changes/new", {"title": "Endring i nettverk 1", "body": "Tekst"})
    post(as_coordinator, "/n/messages/new", {"body": "Melding i nettverk 1"})
    return {
        "resource_id": created_id(add_file(as_coordinator, title="Fil i nettverk 1")),
        "link_id": created_id(add_link(as_coordinator, title="Lenke i nettverk 1")),
        "gathering_id": ended,
        "upcoming_id": plan(as_coordinator, title="Kommende i nettverk 1"),
        "topic_id": int(topic.headers["Location"].rsplit("topic-", 1)[1]),
        "note_id": next(db.query("SELECT id FROM change_notes"))["id"],
    }


def object_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("network.") and rule.arguments:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


@pytest.mark.parametrize("who", ["mentor_c", "coordinator_b"])
def test_another_network_sees_nothing_of_this_one_on_any_url(app, world, network_1, db, who):
    client = signed_in(app, world, who)
    checked = 0
    for ids in ({"resource_id": network_1["resource_id"], "gathering_id": network_1["gathering_id"],
                 "topic_id": network_1["topic_id"], "note_id": network_1["note_id"]},
                {"resource_id": network_1["link_id"], "gathering_id": network_1["upcoming_id"]}):
        for rule, method in object_routes(app):
            if not set(rule.arguments) <= set(ids):
                continue
            response = _request(client, method, _url(rule, ids))
            assert response.status_code == 404, f"{who}: {method} {rule.rule}"
            checked += 1
    assert checked >= 20
    for path in ("/n/resources", "/n/gatherings", "/n/topics", "/n/changes", "/n/messages"):
        page = client.get(path).get_data(as_text=True)
        assert "nettverk 1" not in page, path
    # Nothing was changed by all those attempts.
    assert db["gatherings"].get(network_1["upcoming_id"])["cancelled_at"] is None
    assert db["resources"].get(network_1["resource_id"])["deleted_at"] is None
    assert db["gathering_responses"].count == 0 and db["gathering_feedback"].count == 0
    assert db["topics"].get(network_1["topic_id"])["status"] == "open"
    assert db["change_notes"].count == 1


def test_the_file_of_another_network_is_not_served(app, world, network_1):
    url = f"/n/resources/{network_1['resource_id']}/file"
    assert signed_in(app, world, "mentor_b").get(url).status_code == 200  # same network
    response = signed_in(app, world, "mentor_c").get(url)
    assert response.status_code == 404 and b"%PDF" not in response.data


def test_counsellors_and_admins_have_no_network_pages(app, world, network_1, as_counsellor,
                                                      as_admin):
    for client in (as_counsellor, as_admin):
        for path in ("/n/", "/n/resources", f"/n/resources/{network_1['resource_id']}/file",
                     f"/n/gatherings/{network_1['gathering_id']}"):
            assert client.get(path).status_code == 404, path


def test_a_mentor_in_no_network_sees_no_network(app, world, network_1, db):
    with write(db):
        users.create(db, email="ingen@test.mentorapp.no", name="Uten Nettverk", role="mentor",
                     password_hash=password_hash())
    world.users["loner"] = users.by_email(db, "ingen@test.mentorapp.no")
    client = signed_in(app, world, "loner")
    assert client.get("/n/resources").status_code == 404
    assert client.get(f"/n/resources/{network_1['resource_id']}/file").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    for path in ("/n/", "/n/resources", "/n/resources/1/file", "/n/gatherings/1/calendar.ics"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
