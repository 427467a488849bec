"""`mentorapp doctor`: a readable list of what is wrong with a deployment, exit 1 while
anything is; exit 0 for a sound one."""

from __future__ import annotations

import signal
import sqlite3
import subprocess

import pytest

from mentorapp.privacy import doctor
from mentorapp.privacy.backup import litestream_binary
from tests.privacy.test_backup import litestream_config
from tests.support.phone import wait_until


def lines(output: str) -> dict[str, str]:
    found = {}
    for line in output.splitlines():
        if line.startswith(("ok  ", "FAIL", "WARN")):
            state, rest = line.split(None, 1)
            found[rest.split(":", 1)[0]] = state
    return found


def test_a_demo_instance_with_weak_settings_is_not_ready(app, runner):
    app.config["SECRET_KEY"] = "dev"
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    result = runner.invoke(args=["doctor"])
    assert result.exit_code == 1
    found = lines(result.output)
    for check in ("secret key", "VAPID key", "demo data", "Litestream", "HTTPS"):
        assert found[check] == "FAIL", (check, result.output)
    for check in ("database", "WAL mode", "schema", "space given back", "clock", "disk space"):
        assert found[check] == "ok", (check, result.output)
    assert "problem(s): this deployment is not ready" in result.output
    assert "MENTORAPP_VAPID_SUBJECT is still the example address" in result.output


def test_a_clock_behind_the_data_is_found(app, db, runner):
    from tests.support.world import build

    with app.app_context(), app.test_request_context():
        world = build(app)
    with db.conn:
        db.execute("INSERT INTO events (id, type, placement_id, author_id, occurred_at, "
                   "received_at, payload, digest) VALUES ('e-future', 'comment', ?, ?, "
                   "'2099-01-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z', '{}', 'x')",
                   [world.placements["p1"], world.ids["mentor_a"]])
    result = runner.invoke(args=["doctor"])
    assert lines(result.output)["clock"] == "FAIL" and result.exit_code == 1


@pytest.mark.slow
def test_a_sound_deployment_passes(app, runner, tmp_path):
    config = litestream_config(tmp_path, app.config["DATABASE"])
    app.config.update(HTTPS=True, VAPID_SUBJECT="mailto:drift@nav.no",
                      LITESTREAM_CONFIG=str(config))
    replicating = subprocess.Popen([litestream_binary(), "replicate", "-config", str(config)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        result = wait_until(lambda: (r := runner.invoke(args=["doctor"])).exit_code == 0 and r,
                            timeout=60, interval=1)
    finally:
        replicating.send_signal(signal.SIGTERM)
        replicating.wait(timeout=30)
    assert "Every check passed." in result.output
    states = lines(result.output)
    # This machine's Python has an SQLite with the WAL-reset bug: a warning, not a failure.
    expected = "ok" if not doctor.sqlite_library(sqlite3.sqlite_version_info).warning else "WARN"
    assert states.pop("SQLite library") == expected
    assert set(states.values()) == {"ok"}


@pytest.mark.parametrize(("version", "warned"), [
    ((3, 40, 1), True), ((3, 51, 2), True), ((3, 50, 6), True), ((3, 44, 5), True),
    ((3, 51, 3), False), ((3, 53, 0), False), ((3, 50, 7), False), ((3, 44, 6), False),
    ((4, 0, 0), False)])
def test_an_sqlite_with_the_wal_reset_bug_is_warned_of(version, warned):
    finding = doctor.sqlite_library(version)
    assert finding.ok and finding.warning is warned
    assert ("WAL-reset" in finding.message) is True
