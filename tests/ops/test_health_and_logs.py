"""Health for the operator, and request logs that hold no personal data."""

from __future__ import annotations

import json
import logging

from mentorapp.store import migrations


def test_healthz_is_ok_with_a_current_schema(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["schema"] == migrations.names()[-1]


def test_healthz_says_when_the_schema_is_behind(client, db):
    db.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [migrations.names()[-1]])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["pending"] == [migrations.names()[-1]]


def test_healthz_says_when_the_database_is_unreachable(app, client, tmp_path):
    app.config["DATABASE"] = str(tmp_path / "no-such-folder" / "x.db")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_request_logs_are_structured_and_hold_no_personal_data(app, world, as_counsellor, caplog):
    app.logger.disabled = False
    logging.getLogger("mentorapp").setLevel(logging.INFO)
    name, note = "Hemmelig Deltaker", "Hun gråt i lunsjen"
    with caplog.at_level(logging.INFO, logger="mentorapp.requests"):
        as_counsellor.post("/c/p/new?who=Hemmelig", data={
            "csrf_token": as_counsellor.csrf_token, "participant_name": name, "goals": note})
        as_counsellor.get(f"/c/p/{world.placements['p1']}")
    records = [r for r in caplog.records if r.name == "mentorapp.requests"]
    assert len(records) >= 2
    from mentorapp.web.requestlog import JsonLines

    lines = [JsonLines().format(r) for r in records]
    for line in lines:
        entry = json.loads(line)
        assert {"method", "route", "status", "ms", "role", "request_id"} <= set(entry)
        assert "Hemmelig" not in line and "gråt" not in line
        assert world.users["counsellor_a"]["email"] not in line
    assert any(json.loads(line)["route"] == "/c/p/<int:placement_id>" for line in lines)
