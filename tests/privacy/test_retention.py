"""Retention: `mentorapp purge` deletes a placement's case data a set time after it ended,
row by row in every table that can hold it, and nothing of a placement inside its time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mentorapp.domain import clock
from mentorapp.privacy import rules
from mentorapp.store import lifecycle
from tests.support.clients import signed_in
from tests.support.lifecycle import account_rows, all_rows, case_rows, filled_placement

DAYS = 84


@pytest.fixture
def clients(app, world):
    return signed_in(app, world, "mentor_a"), signed_in(app, world, "counsellor_a")


@pytest.fixture
def two(app, db, world, clients):
    """One placement a day past its time, one on the last day of it."""
    mentor, counsellor = clients
    old = filled_placement(app, db, world, mentor, counsellor, "Vilde", ended_days_ago=DAYS + 1)
    inside = filled_placement(app, db, world, mentor, counsellor, "Tobias", ended_days_ago=DAYS)
    return old, inside


def test_every_table_with_a_placement_column_is_deleted_or_kept_on_purpose(db):
    assert lifecycle.tables_with_placement_column(db) == (
        set(lifecycle.CASE_TABLES) | set(lifecycle.KEPT_TABLES))


def test_the_purge_deletes_a_placement_past_its_time_and_nothing_inside_it(app, db, world, two,
                                                                            runner):
    old, inside = two
    before_old, before_inside = case_rows(db, old.placement_id), case_rows(db, inside.placement_id)
    # Every kind of case row is there to be deleted (a test that cannot fail otherwise),
    # the participant's own app account among them.
    assert [t for t, n in before_old.items() if n == 0] == [], before_old
    assert before_old["events"] >= 14
    account = old.participant_user_id
    assert account_rows(db, account) == {"users": 1, "sessions": 1, "push_subscriptions": 1}
    world_before = {key: case_rows(db, pid) for key, pid in world.placements.items()}

    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert f"placement {old.placement_id}" in result.output
    assert f"placement {inside.placement_id}" not in result.output

    after_old = case_rows(db, old.placement_id)
    assert {t: n for t, n in after_old.items() if t != "audit_log"} == dict.fromkeys(
        [t for t in after_old if t != "audit_log"], 0)
    assert case_rows(db, inside.placement_id) == before_inside
    assert {key: case_rows(db, pid) for key, pid in world.placements.items()} == world_before
    names = [row[0] for row in db.execute("SELECT display_name FROM participants")]
    assert "Vilde" not in names and "Tobias" in names
    assert account_rows(db, account) == {"users": 0, "sessions": 0, "push_subscriptions": 0}
    assert account_rows(db, inside.participant_user_id)["users"] == 1
    # What the participant did stays on the record, no longer pointing at anyone.
    assert db.execute("SELECT count(*) FROM audit_log WHERE user_id = ?",
                      [account]).fetchone()[0] == 0

    lines = list(db.query("SELECT * FROM audit_log WHERE placement_id = ? ORDER BY id",
                          [old.placement_id]))
    # The reads before stay (who at NAV opened the case); the purge says what went.
    assert {line["action"] for line in lines} >= {"counsellor.placement", "privacy.purge.started",
                                                  "privacy.purge"}
    [done] = [line for line in lines if line["action"] == "privacy.purge"]
    assert done["user_id"] is None
    assert f"{before_old['events']:,} events" in done["detail"]
    for line in lines:
        assert "Vilde" not in (line["detail"] or "")


def test_nothing_of_the_person_is_left_in_the_file(app, db, world, two, runner):
    _old, _inside = two
    result = runner.invoke(args=["purge", "--compact"])
    assert result.exit_code == 0, result.output
    assert "Compacted the database file" in result.output
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    content = open(app.config["DATABASE"], "rb").read()  # noqa: SIM115
    assert b"Vilde" not in content
    assert b"Tobias" in content  # the one inside its time is all there
    assert lifecycle.space(db)["free_pages"] == 0  # the freed pages went back


def test_a_second_purge_finds_nothing(db, two, runner):
    assert runner.invoke(args=["purge"]).exit_code == 0
    rows = all_rows(db)
    again = runner.invoke(args=["purge"])
    assert again.exit_code == 0 and "Deleted 0 placement(s)" in again.output
    assert all_rows(db) == rows


def test_the_dry_run_prints_what_would_go_and_changes_nothing(db, two, runner):
    old, _inside = two
    rows = all_rows(db)
    result = runner.invoke(args=["purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"placement {old.placement_id}" in result.output
    assert f"{len(old.event_ids)} events" in result.output
    assert "1 placement(s) would be deleted" in result.output
    assert all_rows(db) == rows


def test_compacting_cannot_go_with_a_dry_run(db, two, runner):
    rows = all_rows(db)
    result = runner.invoke(args=["purge", "--dry-run", "--compact"])
    assert result.exit_code == 2 and "--compact" in result.output
    assert all_rows(db) == rows


@pytest.mark.parametrize("days", ["0", "-3", "soon"])
def test_a_limit_below_one_day_is_refused_and_changes_nothing(db, two, runner, days):
    rows = all_rows(db)
    result = runner.invoke(args=["purge", "--days", days])
    assert result.exit_code == 2
    assert "--days" in result.output
    assert all_rows(db) == rows


def test_a_placement_that_ran_out_unended_counts_from_its_end_date(app, db, world, clients,
                                                                    runner):
    mentor, counsellor = clients
    expired = filled_placement(app, db, world, mentor, counsellor, "Mira",
                               ended_days_ago=DAYS + 1, how="expired")
    assert lifecycle.placement(db, expired.placement_id)["status"] == "active"
    assert runner.invoke(args=["purge"]).exit_code == 0
    assert lifecycle.placement(db, expired.placement_id) is None


def test_the_setting_sets_the_time(app, db, world, two, runner):
    old, inside = two
    app.config["RETENTION_DAYS"] = DAYS - 1
    assert runner.invoke(args=["purge"]).exit_code == 0
    assert lifecycle.placement(db, old.placement_id) is None
    assert lifecycle.placement(db, inside.placement_id) is None


def test_the_rule_counts_whole_days_in_oslo():
    today = clock.today()
    ended = {"ended_at": None, "end_date": (today - timedelta(days=DAYS)).isoformat()}
    assert not rules.is_due(ended, today, DAYS)
    assert rules.is_due(ended, today + timedelta(days=1), DAYS)
    # Ended at 00:30 in Oslo, which is the day before in UTC: Oslo's day counts.
    late = {"ended_at": "2026-03-09T23:30:00.000Z", "end_date": "2026-06-01"}
    assert rules.ended_on(late).isoformat() == "2026-03-10"


@pytest.mark.parametrize("value", ["0", "-1", "twelve weeks"])
def test_a_retention_setting_below_one_day_stops_the_app_with_its_name(value):
    from mentorapp import config

    with pytest.raises(SystemExit) as stopped:
        config.from_environment({"MENTORAPP_RETENTION_DAYS": value})
    assert "MENTORAPP_RETENTION_DAYS" in str(stopped.value)
