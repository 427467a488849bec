"""The participant's own copy (GDPR art. 15/20): everything stored about one placement,
with who at NAV read it, as JSON and a printable page in Bokmål or English; nothing of
another placement; only their counsellor can make it."""

from __future__ import annotations

import json

import pytest

from tests.support.clients import signed_in
from tests.support.lifecycle import filled_placement


@pytest.fixture
def case(app, db, world):
    mentor, counsellor = signed_in(app, world, "mentor_a"), signed_in(app, world, "counsellor_a")
    filled = filled_placement(app, db, world, mentor, counsellor, "Vilde", ended_days_ago=3)
    other = filled_placement(app, db, world, mentor, counsellor, "Tobias", ended_days_ago=2)
    return filled, other, counsellor


def test_the_json_holds_every_event_and_every_audit_line_and_nothing_else(db, case):
    filled, other, counsellor = case
    response = counsellor.get(f"/c/p/{filled.placement_id}/export.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["participant"]["display_name"] == "Vilde"
    stored = [row[0] for row in db.execute(
        "SELECT id FROM events WHERE placement_id = ? ORDER BY seq", [filled.placement_id])]
    assert [event["id"] for event in data["events"]] == stored == filled.event_ids
    lines = [row[0] for row in db.execute(
        "SELECT id FROM audit_log WHERE placement_id = ? ORDER BY id", [filled.placement_id])]
    assert [line["id"] for line in data["audit_log"]] == lines
    # The export itself is audited, and is in the export.
    assert data["audit_log"][-1]["action"] == "privacy.export_json"
    readers = {line["user"]["name"] for line in data["audit_log"] if line["user"]}
    assert "Kari Veileder" in readers
    for table in ("day_logs", "mentor_time", "flags", "call_requests", "notifications",
                  "mentor_history", "extensions", "seen_by_nav", "participant_checkins",
                  "talk_requests"):
        assert data[table], table
    account = data["participant"]["app_account"]
    assert account["open"] is True and [d["label"] for d in account["alert_devices"]] == ["Telefon"]
    text = json.dumps(data, ensure_ascii=False)
    assert "Vilde gråt i pausen" in text and "Vilde fikk jobb" in text
    assert "Vilde: tung dag" in text and "Vilde vil snakke om turnus" in text
    assert "Tobias" not in text
    for event_id in other.event_ids:
        assert event_id not in text


@pytest.mark.parametrize(("lang", "heading"), [("nb", "Alt mentorapp lagrer om Vilde"),
                                                ("en", "Everything mentorapp stores about Vilde")])
def test_the_printable_page_in_either_language(db, case, lang, heading):
    filled, _other, counsellor = case
    response = counsellor.get(f"/c/p/{filled.placement_id}/export?lang={lang}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page and heading in page
    for event_id in filled.event_ids:
        assert f'id="e-{event_id}"' in page
    for (line_id,) in db.execute("SELECT id FROM audit_log WHERE placement_id = ?",
                                 [filled.placement_id]):
        assert f'id="audit-{line_id}"' in page
    assert "Tobias" not in page
    download = counsellor.get(f"/c/p/{filled.placement_id}/export?lang={lang}&download=1")
    assert f"placement-{filled.placement_id}-{lang}.html" in download.headers["Content-Disposition"]
    # The file stands on its own: its style is inside it, not a link to the app.
    assert "<style>" in download.get_data(as_text=True) and "<style>" not in page


@pytest.mark.parametrize("who", ["counsellor_b", "mentor_a", "coordinator", "admin"])
def test_only_the_placements_counsellors_can_export(app, world, case, who):
    filled, _other, _counsellor = case
    client = signed_in(app, world, who)
    for path in ("export.json", "export", "privacy"):
        assert client.get(f"/c/p/{filled.placement_id}/{path}").status_code == 404


def test_an_unknown_placement_is_404(case):
    _filled, _other, counsellor = case
    assert counsellor.get("/c/p/999999/export.json").status_code == 404
    assert counsellor.get("/c/p/999999/export").status_code == 404
