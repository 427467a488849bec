"""Backups that are restored: a snapshot of the running database and a replica kept by
Litestream, each restored into a new folder where the app starts and finds every event the
server had acknowledged; and bad input (an existing file, a folder that is not empty)
refused with nothing changed."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from mentorapp import create_app
from mentorapp.privacy.backup import litestream_binary
from mentorapp.store.db import close, connect
from tests.support.clients import signed_in
from tests.support.events import daily_log, event, sync
from tests.support.phone import wait_until


def acknowledged(client, placement_id: int, count: int) -> list[str]:
    events = [event("comment", placement_id, {"text": f"Melding {n}"}) for n in range(count)]
    results = sync(client, events).get_json()["results"]
    return [r["id"] for r in results if r["status"] == "created"]


def events_in(folder: Path, ids: list[str]) -> int:
    """Start the app on the restored folder and count the events it has among `ids`."""
    app = create_app({"INSTANCE_PATH": str(folder), "LOG_LEVEL": "WARNING"})
    db = connect(app.config["DATABASE"])
    try:
        marks = ", ".join("?" for _ in ids)
        return db.execute(f"SELECT count(*) FROM events WHERE id IN ({marks})", ids).fetchone()[0]  # noqa: S608
    finally:
        close(db)


def test_a_snapshot_is_restored_and_the_app_runs_on_it(app, world, runner, tmp_path):
    mentor = signed_in(app, world, "mentor_a")
    ids = acknowledged(mentor, world.placements["p1"], 20)
    assert len(ids) == 20
    snapshot = tmp_path / "snapshot.db"
    made = runner.invoke(args=["backup", "--to", str(snapshot)])
    assert made.exit_code == 0, made.output
    assert "integrity ok" in made.output and snapshot.stat().st_mode & 0o777 == 0o600
    restored = runner.invoke(args=["restore", "--from", str(snapshot), "--to",
                                   str(tmp_path / "drill")])
    assert restored.exit_code == 0, restored.output
    assert events_in(tmp_path / "drill", ids) == len(ids)


def test_a_backup_never_writes_over_a_file(runner, tmp_path):
    existing = tmp_path / "old.db"
    existing.write_bytes(b"keep me")
    result = runner.invoke(args=["backup", "--to", str(existing)])
    assert result.exit_code == 2 and "exists already" in result.output
    assert existing.read_bytes() == b"keep me"


def test_a_restore_into_a_folder_that_is_not_empty_is_refused(app, runner, tmp_path):
    snapshot = tmp_path / "snapshot.db"
    assert runner.invoke(args=["backup", "--to", str(snapshot)]).exit_code == 0
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "mentorapp.db").write_bytes(b"someone's database")
    result = runner.invoke(args=["restore", "--from", str(snapshot), "--to", str(folder)])
    assert result.exit_code == 2 and "not an empty folder" in result.output
    assert (folder / "mentorapp.db").read_bytes() == b"someone's database"
    assert sorted(p.name for p in folder.iterdir()) == ["mentorapp.db"]


@pytest.mark.parametrize("args", [["--to", "x"], ["--from", "a", "--litestream", "--to", "x"]])
def test_a_restore_needs_one_source(runner, tmp_path, args):
    result = runner.invoke(args=["restore", *args])
    assert result.exit_code == 2 and "exactly one" in result.output


def test_a_damaged_snapshot_is_not_restored(runner, tmp_path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    result = runner.invoke(args=["restore", "--from", str(broken), "--to", str(tmp_path / "new")])
    assert result.exit_code != 0
    assert not (tmp_path / "new").exists()


def litestream_config(tmp_path: Path, database: str) -> Path:
    config = tmp_path / "litestream.yml"
    config.write_text(f"dbs:\n  - path: {database}\n    replicas:\n      - type: file\n"
                      f"        path: {tmp_path / 'replica'}\n", encoding="utf-8")
    return config


@pytest.mark.slow
def test_litestream_replica_holds_every_acknowledged_event(app, world, tmp_path):
    config = litestream_config(tmp_path, app.config["DATABASE"])
    app.config["LITESTREAM_CONFIG"] = str(config)
    replicating = subprocess.Popen([litestream_binary(), "replicate", "-config", str(config)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        mentor = signed_in(app, world, "mentor_a")
        ids = []
        for _day in range(5):
            ids += acknowledged(mentor, world.placements["p1"], 30)
            results = sync(mentor, [daily_log(world.placements["p1"])]).get_json()["results"]
            ids += [r["id"] for r in results if r["status"] == "created"]
        assert len(ids) >= 150

        # Restore drills until the replica has caught up (it ships the WAL each second).
        attempt = {"n": 0}

        def caught_up() -> bool:
            attempt["n"] += 1
            folder = tmp_path / f"drill-{attempt['n']}"
            runner = app.test_cli_runner()
            result = runner.invoke(args=["restore", "--litestream", "--to", str(folder)])
            return result.exit_code == 0 and events_in(folder, ids) == len(ids)

        wait_until(caught_up, timeout=60, interval=1)
        doctor = app.test_cli_runner().invoke(args=["doctor"])
        assert "ok    Litestream: the replica answers" in doctor.output
    finally:
        replicating.send_signal(signal.SIGTERM)
        replicating.wait(timeout=30)
    assert os.path.exists(tmp_path / "replica")
