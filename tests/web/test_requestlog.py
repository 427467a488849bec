"""Request logs: one JSON line per request, with no personal data in it."""

from __future__ import annotations

import json
import logging

from mentorapp.web.requestlog import JsonLines


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
    lines = [JsonLines().format(r) for r in records]
    for line in lines:
        entry = json.loads(line)
        assert {"method", "route", "status", "ms", "role", "request_id"} <= set(entry)
        assert "Hemmelig" not in line and "gråt" not in line
        assert world.users["counsellor_a"]["email"] not in line
    assert any(json.loads(line)["route"] == "/c/p/<int:placement_id>" for line in lines)
