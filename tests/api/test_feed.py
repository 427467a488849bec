"""The feed for NAV systems: an office's new events after a cursor, read with an API token;
a wrong or revoked token answers 401; the route is in the OpenAPI document."""

from __future__ import annotations

import pytest

from tests.support.clients import signed_in
from tests.support.counsellor import flag, log_today, make_token, post


@pytest.fixture
def token(world, as_admin):
    return make_token(as_admin, world, "Saksbehandling A", "office_a")


def read(client, token, **params):
    return client.get("/api/v1/feed", query_string=params,
                      headers={"Authorization": f"Bearer {token}"})


def test_the_feed_gives_new_events_of_the_offices_placements_in_order(
        app, world, client, token, as_mentor, as_counsellor):
    as_mentor_b = signed_in(app, world, "mentor_b")
    first = read(client, token).get_json()
    assert first["more"] is False
    created = [e for e in first["events"] if e["type"] == "placement_created"]
    assert {e["placement_id"] for e in created} == {world.placements["p1"], world.placements["p2"]}
    cursor = first["next"]
    log = log_today(as_mentor, world.placements["p1"])
    raised = flag(as_mentor_b, world.placements["p2"], note="Kom ikke")
    post(as_counsellor, f"/c/p/{world.placements['p1']}/comment", text="Hei fra NAV")
    answer = read(client, token, since=cursor).get_json()
    events = answer["events"]
    assert [e["type"] for e in events] == ["daily_log", "flag", "nav_comment"]
    assert events[0]["id"] == log["id"] and events[1]["id"] == raised["id"]
    assert events[1]["payload"] == {"category": "absence", "severity": "attention",
                                    "note": "Kom ikke"}
    assert events[2]["author_role"] == "counsellor"
    assert [e["seq"] for e in events] == sorted(e["seq"] for e in events)
    assert answer["next"] == events[-1]["seq"]
    assert read(client, token, since=answer["next"]).get_json()["events"] == []


def test_another_offices_events_are_never_in_the_feed(app, world, client, token):
    mentor_c = signed_in(app, world, "mentor_c")
    flag(mentor_c, world.placements["p3"])
    placements = {e["placement_id"] for e in read(client, token).get_json()["events"]}
    assert world.placements["p3"] not in placements


def test_paging_with_limit(world, client, token, as_mentor):
    for _ in range(3):
        log_today(as_mentor, world.placements["p1"])
    seen, cursor = [], 0
    while True:
        page = read(client, token, since=cursor, limit=2).get_json()
        seen += [e["seq"] for e in page["events"]]
        cursor = page["next"]
        if not page["more"]:
            break
    assert seen == sorted(set(seen)) and len(seen) == 2 + 3  # two placements created, 3 logs


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Bearer wrong", "Basic abc",
                                           "Bearer mapp_nottherightone"])
def test_a_missing_or_wrong_token_answers_401(client, token, authorization):
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = client.get("/api/v1/feed", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_token"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_answers_401(world, client, token, as_admin, db):
    assert read(client, token).status_code == 200
    token_id = next(db.query("SELECT id FROM api_tokens"))["id"]
    post(as_admin, f"/admin/tokens/{token_id}/revoke")
    response = read(client, token)
    assert response.status_code == 401 and response.get_json()["error"] == "invalid_token"


def test_a_signed_in_user_without_a_token_gets_401(as_counsellor):
    assert as_counsellor.get("/api/v1/feed").status_code == 401


@pytest.mark.parametrize(("params", "field"), [
    ({"since": "-1"}, "since"), ({"since": "abc"}, "since"), ({"limit": "0"}, "limit"),
    ({"limit": "1001"}, "limit"), ({"limit": "x"}, "limit"),
])
def test_bad_parameters_answer_400(client, token, params, field):
    response = read(client, token, **params)
    assert response.status_code == 400
    assert response.get_json()["field"] == field


def test_each_read_is_audited_per_placement_and_the_token_is_marked_used(
        world, client, token, db):
    read(client, token)
    lines = list(db.query("SELECT * FROM audit_log WHERE action = 'api_feed' ORDER BY id"))
    assert {line["placement_id"] for line in lines} == {world.placements["p1"],
                                                        world.placements["p2"]}
    assert all(line["user_id"] is None and "Saksbehandling A" in line["detail"] for line in lines)
    assert next(db.query("SELECT last_used_at FROM api_tokens"))["last_used_at"] is not None


def test_the_feed_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    feed = document["paths"]["/api/v1/feed"]["get"]
    assert feed["security"] == [{"apiToken": []}]
    assert set(feed["responses"]) == {"200", "400", "401"}
    assert document["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    event = document["components"]["schemas"]["FeedEvent"]
    assert "nav_comment" in event["properties"]["type"]["enum"]
    assert "NavCallScheduledPayload" in document["components"]["schemas"]
