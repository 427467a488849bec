"""`python -m bench.restore`: recovery point and recovery time on a national database.

A copy of the national database (bench/national.py) is replicated by Litestream to a
file replica, as in production to a bucket. Measured:
- the first snapshot: how long until the replica holds the whole database;
- recovery point: a small write is committed through `store.db.write`, then the replica
  is polled until a restore holds it (the time an acknowledged write can be missing from
  the replica: what a lost disk would lose);
- recovery time: `litestream restore` of the whole database into a new folder, then
  `integrity_check`, then the app's start on it (migrations already current);
- `mentorapp backup`'s snapshot (SQLite's online backup) of the same database.

    python -m bench.restore --source /tmp/national.db
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from mentorapp.privacy import backup
from mentorapp.store import audit, migrations
from mentorapp.store.db import close, connect, write


def _prepare(source: Path, path: Path) -> None:
    shutil.copyfile(source, path)
    db = connect(str(path))
    try:
        with write(db):
            migrations.migrate(db)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        close(db)
    with open(path, "rb+") as handle:  # on the disk before anything is timed
        os.fsync(handle.fileno())


def _ltx_count(binary: str, config: Path, database: Path) -> int:
    result = subprocess.run([binary, "ltx", "-config", str(config), str(database)],
                            capture_output=True, text=True, check=False)
    return max(0, len(result.stdout.strip().splitlines()) - 1) if result.returncode == 0 else 0


def run(source: Path) -> dict:
    binary = backup.litestream_binary()
    with tempfile.TemporaryDirectory(prefix="bench-restore-") as folder:
        folder = Path(folder)
        database = folder / "live" / "mentorapp.db"
        database.parent.mkdir()
        _prepare(source, database)
        config = folder / "litestream.yml"
        config.write_text(f"dbs:\n  - path: {database}\n    replica:\n      type: file\n"
                          f"      path: {folder / 'replica'}\n", encoding="utf-8")
        figures = {"database_mb": round(database.stat().st_size / 2**20)}

        started = time.perf_counter()
        made = backup.snapshot(str(database), folder / "snapshot.db")
        figures["backup_snapshot_s"] = round(time.perf_counter() - started, 1)
        (folder / "snapshot.db").unlink()
        del made

        replicating = subprocess.Popen([binary, "replicate", "-config", str(config)],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            started = time.perf_counter()
            while _ltx_count(binary, config, database) == 0:
                time.sleep(0.5)
            figures["first_replica_snapshot_s"] = round(time.perf_counter() - started, 1)

            db = connect(str(database))
            try:
                lags = []
                for n in range(3):
                    before = _ltx_count(binary, config, database)
                    with write(db):
                        audit.record(db, user_id=None, action=f"bench.rpo.{n}")
                    written = time.perf_counter()
                    while _ltx_count(binary, config, database) <= before:
                        time.sleep(0.05)
                    lags.append(time.perf_counter() - written)
                figures["recovery_point_max_s"] = round(max(lags), 2)
            finally:
                close(db)
        finally:
            replicating.send_signal(signal.SIGTERM)
            try:
                replicating.wait(timeout=120)
            except subprocess.TimeoutExpired:
                replicating.kill()
                replicating.wait()

        started = time.perf_counter()
        restored = backup.restore_litestream(config, str(database), folder / "drill")
        figures["restore_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        from mentorapp import create_app

        app = create_app({"INSTANCE_PATH": str(folder / "drill"), "LOG_LEVEL": "WARNING"})
        check = connect(app.config["DATABASE"])
        try:
            found = check.execute("SELECT count(*) FROM audit_log WHERE action LIKE "
                                  "'bench.rpo.%'").fetchone()[0]
        finally:
            close(check)
        figures["app_start_on_copy_s"] = round(time.perf_counter() - started, 1)
        figures["recovery_time_s"] = round(figures["restore_s"] + figures["app_start_on_copy_s"], 1)
        figures["acknowledged_writes_found"] = f"{found}/3"
        figures["restored_mb"] = round(restored.stat().st_size / 2**20)
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.restore", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, required=True,
                        help="a national database made by bench/national.py (copied, not changed)")
    args = parser.parse_args(argv)
    for key, value in run(args.source).items():
        print(f"{key:32} {value}")


if __name__ == "__main__":
    main()
