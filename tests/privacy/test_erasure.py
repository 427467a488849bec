"""Erasure (art. 17) in two steps with a reason, and correction of the display name
(art. 16): every table that can hold case data before and after, nothing of the others."""

from __future__ import annotations

import pytest

from mentorapp.store import lifecycle
from tests.support.clients import signed_in
from tests.support.counsellor import post
from tests.support.lifecycle import account_rows, all_rows, case_rows, filled_placement


@pytest.fixture
def case(app, db, world):
    mentor, counsellor = signed_in(app, world, "mentor_a"), signed_in(app, world, "counsellor_a")
    # Still running: erasure does not wait for the end.
    filled = filled_placement(app, db, world, mentor, counsellor, "Vilde", ended_days_ago=-20,
                              how="expired")
    other = filled_placement(app, db, world, mentor, counsellor, "Tobias", ended_days_ago=-20,
                             how="expired")
    return filled, other, mentor, counsellor


def test_erasure_takes_two_steps_and_deletes_every_case_row(app, db, world, case):
    filled, other, mentor, counsellor = case
    pid = filled.placement_id
    before_other = case_rows(db, other.placement_id)
    world_before = {key: case_rows(db, p) for key, p in world.placements.items()}
    page = counsellor.get(f"/c/p/{pid}/privacy").get_data(as_text=True)
    assert "Slett forløpet" in page

    first = post(counsellor, f"/c/p/{pid}/erase", reason="request")
    assert first.status_code == 200
    confirm = first.get_data(as_text=True)
    assert f"Slette forløp {pid} (Vilde)?" in confirm
    assert f"Hendelser i tidslinjen (events): {len(filled.event_ids)}" in confirm
    assert lifecycle.placement(db, pid) is not None  # nothing yet

    wrong = post(counsellor, f"/c/p/{pid}/erase", reason="request", confirm="12")
    assert wrong.status_code == 422 and lifecycle.placement(db, pid) is not None

    done = post(counsellor, f"/c/p/{pid}/erase", reason="request", confirm=str(pid))
    assert done.status_code == 303 and done.headers["Location"].endswith("/c/erased")
    gone = counsellor.get("/c/erased").get_data(as_text=True)
    assert f"Forløp {pid} og alt som var lagret om det, er slettet" in gone

    after = case_rows(db, pid)
    assert {t: n for t, n in after.items() if t != "audit_log"} == dict.fromkeys(
        [t for t in after if t != "audit_log"], 0)
    # The participant's own app account went too; the other participant's stays.
    assert account_rows(db, filled.participant_user_id) == dict.fromkeys(
        ("users", "sessions", "push_subscriptions"), 0)
    assert account_rows(db, other.participant_user_id)["users"] == 1
    assert case_rows(db, other.placement_id) == before_other
    assert {key: case_rows(db, p) for key, p in world.placements.items()} == world_before
    [line] = list(db.query("SELECT * FROM audit_log WHERE placement_id = ? AND action = "
                           "'privacy.erase'", [pid]))
    assert line["user_id"] == world.ids["counsellor_a"]
    assert "erasure on request (request)" in line["detail"]
    assert f"{len(filled.event_ids)} events" in line["detail"] and "Vilde" not in line["detail"]
    # The case is gone for everyone, the mentor's phone included.
    assert counsellor.get(f"/c/p/{pid}").status_code == 404
    assert mentor.get(f"/m/p/{pid}").status_code == 404
    assert mentor.get(f"/api/v1/placements/{pid}").status_code == 404


@pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": "because"},
                                  {"reason": "unknown", "confirm": "x"}])
def test_erasure_without_a_known_reason_is_refused_and_changes_nothing(db, case, data):
    filled, _other, _mentor, counsellor = case
    rows = all_rows(db)
    response = post(counsellor, f"/c/p/{filled.placement_id}/erase", **data)
    assert response.status_code == 422
    assert "Se over feltene som er merket nedenfor" in response.get_data(as_text=True)
    after = all_rows(db)
    # Only the audit line of the counsellor's request is new.
    assert after.pop("audit_log") == rows.pop("audit_log") + 1
    assert after == rows


def test_someone_elses_placement_cannot_be_erased(app, db, world, case):
    filled, _other, _mentor, _counsellor = case
    stranger = signed_in(app, world, "counsellor_b")
    response = stranger.post(f"/c/p/{filled.placement_id}/erase",
                             data={"csrf_token": stranger.csrf_token, "reason": "request",
                                   "confirm": str(filled.placement_id)})
    assert response.status_code == 404
    assert lifecycle.placement(db, filled.placement_id) is not None
    assert post(signed_in(app, world, "counsellor_a"), "/c/p/999999/erase",
                reason="request", confirm="999999").status_code == 404


def test_erasure_needs_the_csrf_token(db, case):
    filled, _other, _mentor, counsellor = case
    response = counsellor.post(f"/c/p/{filled.placement_id}/erase",
                               data={"reason": "request", "confirm": str(filled.placement_id)})
    assert response.status_code in (400, 403)
    assert lifecycle.placement(db, filled.placement_id) is not None


def test_the_name_is_corrected_everywhere_at_once(app, db, world, case):
    filled, _other, mentor, counsellor = case
    pid = filled.placement_id
    response = post(counsellor, f"/c/p/{pid}/name", display_name="Vilja")
    assert response.status_code == 303
    for client, path in ((counsellor, f"/c/p/{pid}"), (counsellor, f"/c/p/{pid}/report"),
                         (counsellor, "/c/?status=all"), (mentor, f"/m/p/{pid}"),
                         (mentor, "/m/")):
        page = client.get(path).get_data(as_text=True)
        assert "Vilja" in page, path
        assert ">Vilde<" not in page, path
    assert mentor.get(f"/api/v1/placements/{pid}").get_json()["participant"] == "Vilja"
    # The participant's own app account carries the name too.
    assert db["users"].get(filled.participant_user_id)["name"] == "Vilja"
    [line] = list(db.query("SELECT * FROM audit_log WHERE placement_id = ? AND "
                           "action = 'privacy.correct'", [pid]))
    assert "Vilde" not in line["detail"] and "Vilja" not in line["detail"]


@pytest.mark.parametrize("name", ["", "Vilde Hansen Olsen 12", "x" * 41])
def test_a_bad_name_is_refused_and_changes_nothing(db, case, name):
    filled, _other, _mentor, counsellor = case
    response = post(counsellor, f"/c/p/{filled.placement_id}/name", display_name=name)
    assert response.status_code == 422
    assert lifecycle.placement(db, filled.placement_id)["participant_name"] == "Vilde"


def test_the_privacy_page_has_the_forms(case):
    filled, _other, _mentor, counsellor = case
    page = counsellor.get(f"/c/p/{filled.placement_id}/privacy").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    assert f"/c/p/{filled.placement_id}/export.json" in page
