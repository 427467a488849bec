"""Request logs: one JSON line per request, with no personal data in it."""

from __future__ import annotations

import json
import logging
import re

import pytest

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


@pytest.mark.parametrize(("sent", "kept"), [
    ("a1b2c3d4-e5f6.7:8_9", True),  # what proxies send: a UUID, hex, a dotted trace id
    ("x" * 64, True),
    ("x" * 65, False),
    ("Hemmelig Deltaker", False),  # a space: free text, not an id
    ('abc","role":"admin', False),  # would pose as fields of the log line
    ("Ø1", False),
    ("", False),
])
def test_only_a_short_plain_request_id_is_kept(app, client, caplog, sent, kept):
    app.logger.disabled = False
    logging.getLogger("mentorapp").setLevel(logging.INFO)
    with caplog.at_level(logging.INFO, logger="mentorapp.requests"):
        response = client.get("/healthz", headers={"X-Request-Id": sent})
    [record] = [r for r in caplog.records if r.name == "mentorapp.requests"]
    logged = record.fields["request_id"]
    assert response.headers["X-Request-Id"] == logged
    if kept:
        assert logged == sent
    else:
        assert logged != sent and re.fullmatch(r"[0-9a-f]{16}", logged)
