"""A mentor's access to a placement ends with the retention rule (even before the purge
has run), the phone is told which placements it may keep, and a mentor with none left
sees a page that says so."""

from __future__ import annotations

import pytest

from tests.support.clients import signed_in
from tests.support.events import daily_log, sync
from tests.support.lifecycle import filled_placement

DAYS = 84


@pytest.fixture
def mentor(app, world):
    return signed_in(app, world, "mentor_b")


@pytest.fixture
def cases(app, db, world, mentor):
    counsellor = signed_in(app, world, "counsellor_a2")
    common = {"workplace": "w2", "mentor_key": "mentor_b", "counsellor_key": "counsellor_a2"}
    over = filled_placement(app, db, world, mentor, counsellor, "Vilde",
                            ended_days_ago=DAYS + 1, **common)
    inside = filled_placement(app, db, world, mentor, counsellor, "Tobias",
                              ended_days_ago=DAYS, **common)
    return over, inside


def test_the_mentor_loses_a_placement_the_day_after_its_time(world, mentor, cases):
    over, inside = cases
    assert mentor.get(f"/m/p/{over.placement_id}").status_code == 404
    assert mentor.get(f"/m/p/{over.placement_id}/log").status_code == 404
    assert mentor.get(f"/api/v1/placements/{over.placement_id}").status_code == 404
    assert mentor.get(f"/m/p/{inside.placement_id}").status_code == 200
    # What the phone may keep: its running placement and the one inside its time.
    kept = mentor.get("/api/v1/session").get_json()["placements"]
    assert sorted(kept) == sorted([world.placements["p2"], inside.placement_id])


def test_an_entry_for_a_placement_past_its_time_is_refused(mentor, cases):
    over, _inside = cases
    [result] = sync(mentor, [daily_log(over.placement_id)]).get_json()["results"]
    assert (result["status"], result["code"]) == ("rejected", "unknown_placement")


def test_counsellors_keep_their_view_until_the_purge(app, world, cases):
    over, _inside = cases
    counsellor = signed_in(app, world, "counsellor_a2")
    assert counsellor.get(f"/c/p/{over.placement_id}").status_code == 200


def test_a_mentor_with_no_placement_left_sees_a_clear_page(app, world):
    idle = signed_in(app, world, "mentor_idle")
    page = idle.get("/m/").get_data(as_text=True)
    assert "Du følger ikke noe forløp akkurat nå." in page
    assert "84 dager" in page
    assert idle.get("/api/v1/session").get_json()["placements"] == []


def test_nav_users_get_no_placement_list(as_counsellor):
    assert as_counsellor.get("/api/v1/session").get_json()["placements"] == []
