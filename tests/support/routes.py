"""Walking the app's URL map: real values for every URL argument, and the whole
database's state before and after, for tests that must reach every route."""

from __future__ import annotations

import re


def fill(rule, **values) -> str:
    """The rule's URL with every argument taken from `values` (real ids, so that a request
    the gate let through would find something to act on)."""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(values[m.group(1)]), rule.rule)


def state(db) -> dict:
    """Every row of every table. A refused request must store nothing, and a row count
    would miss a flag flipped in place (a placement ended, an account deactivated). A
    session's last-seen time is left out: any request, refused or not, uses the session."""
    rows = {}
    for table in db.table_names():
        rows[table] = sorted(repr({k: v for k, v in row.items()
                                    if (table, k) != ("sessions", "last_seen_at")})
                              for row in db[table].rows)
    return rows


def one_of_everything(app, world, db) -> dict:
    """A real value for every URL argument in the app, each thing made through the real
    forms and APIs (an open flag and call on p1, a gathering, a resource, a topic, a change
    note, a counsellor's alert device, an API token, an unused invitation, and p1's
    participant with their own app and a request to talk), so a walk
    over the URL map reaches real pages and a refused change has something it could harm."""
    from mentorapp.auth import invitations
    from mentorapp.store.db import write
    from tests.support import network
    from tests.support.clients import signed_in
    from tests.support.events import event, sync
    from tests.support.participant import ask_to_talk, participant_of

    mentor, counsellor = signed_in(app, world, "mentor_a"), signed_in(app, world, "counsellor_a")
    coordinator, admin = signed_in(app, world, "coordinator"), signed_in(app, world, "admin")
    p1 = world.placements["p1"]
    flag = event("flag", p1, {"category": "absence", "severity": "urgent"})
    call = event("call_request", p1, {"urgency": "today"})
    assert sync(mentor, [flag, call]).status_code == 200
    gathering_id = network.plan(coordinator)
    resource_id = network.created_id(network.add_link(coordinator))
    made = [network.post(mentor, "/n/topics/new", {"title": "Lunsjpraten"}),
            network.post(coordinator, "/n/changes/new", {"title": "Ny rutine", "body": "Slik"}),
            network.post(admin, "/admin/tokens", {"name": "Fagsystem",
                                                  "office_id": world.ids["office_a"]})]
    assert [r.status_code for r in made] == [303, 303, 303]
    device = counsellor.post("/api/v1/push/subscriptions", headers={
        "X-CSRF-Token": counsellor.csrf_token}, json={
        "endpoint": "https://push.example.net/kontor", "keys": {"p256dh": "BAAA", "auth": "aaa"}})
    assert device.status_code == 201
    with app.test_request_context(), write(db):
        invitation = invitations.create(db, world.ids["mentor_idle"], world.ids["admin"])
    talk = ask_to_talk(participant_of(app, world, "p1"), p1)
    one = lambda table: max(row["id"] for row in db[table].rows)  # noqa: E731
    return {"placement_id": p1, "flag_id": flag["id"], "call_id": call["id"],
            "user_id": world.ids["mentor_b"], "kind": "office", "token": invitation,
            "gathering_id": gathering_id, "resource_id": resource_id,
            "topic_id": one("topics"), "note_id": one("change_notes"),
            "token_id": one("api_tokens"), "device_id": device.get_json()["id"],
            "talk_id": talk["id"], "provider": "staff"}
