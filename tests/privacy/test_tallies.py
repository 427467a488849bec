"""The coordinator's figures do not change when old placements are deleted: what they
counted of them is kept as anonymous tallies (mentorapp.privacy.tallies)."""

from __future__ import annotations

import pytest

from mentorapp.domain import clock
from mentorapp.network import figures
from tests.support.clients import signed_in
from tests.support.lifecycle import filled_placement


def overview(app, db, world):
    with app.test_request_context():
        numbers = figures.overview(db, world.ids["network_1"], clock.today())
    flat = {}
    for name in ("logs", "flags", "hours"):
        for value in numbers[name]:
            flat[(name, value.label)] = (pytest.approx(value.value), value.placements,
                                         pytest.approx(value.extra.get("agreed", 0)))
    for name, value in numbers["response"].items():
        if isinstance(value, figures.Value):
            flat[("response", name)] = (pytest.approx(value.value), value.placements)
    return flat


def test_deleting_placements_changes_no_figure(app, db, world, runner):
    mentor, counsellor = signed_in(app, world, "mentor_a"), signed_in(app, world, "counsellor_a")
    mentor_b = signed_in(app, world, "mentor_b")
    gone = [filled_placement(app, db, world, mentor, counsellor, f"Borte {n}", ended_days_ago=10 + n,
                             how="ended" if n % 2 else "expired")
            for n in range(3)]
    gone.append(filled_placement(app, db, world, mentor_b, signed_in(app, world, "counsellor_a2"),
                                 "Borte B", ended_days_ago=9, workplace="w2", mentor_key="mentor_b",
                                 counsellor_key="counsellor_a2"))
    before = overview(app, db, world)
    assert any(placements >= 4 for (_v, placements, *_rest) in before.values())

    result = runner.invoke(args=["purge", "--days", "3"])
    assert result.exit_code == 0, result.output
    assert f"Deleted {len(gone)} placement(s)" in result.output
    assert db.execute("SELECT count(*) FROM placements").fetchone()[0] == 3  # the world's
    assert db["purged_tallies"].count > 0
    assert overview(app, db, world) == before


def test_tallies_hold_no_placement_person_or_text(app, db, world, runner):
    mentor, counsellor = signed_in(app, world, "mentor_a"), signed_in(app, world, "counsellor_a")
    filled_placement(app, db, world, mentor, counsellor, "Ingrid", ended_days_ago=10)
    assert runner.invoke(args=["purge", "--days", "3"]).exit_code == 0
    assert set(db["purged_tallies"].columns_dict) == {
        "network_id", "cohort", "week", "metric", "key", "amount", "count"}
    for row in db["purged_tallies"].rows:
        assert clock.today().fromisoformat(row["week"]).weekday() == 0
        assert row["key"] in ("", "wellbeing")


def test_tallies_of_weeks_no_figure_shows_are_dropped(app, db, world, runner):
    mentor, counsellor = signed_in(app, world, "mentor_a"), signed_in(app, world, "counsellor_a")
    filled_placement(app, db, world, mentor, counsellor, "Ingrid", ended_days_ago=10)
    assert runner.invoke(args=["purge", "--days", "3"]).exit_code == 0
    first = figures.window(clock.today()).start.isoformat()
    with db.conn:
        db.execute("UPDATE purged_tallies SET week = date(?, '-7 days')", [first])
    assert runner.invoke(args=["purge"]).exit_code == 0
    assert db["purged_tallies"].count == 0
