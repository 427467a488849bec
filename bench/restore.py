"""`python -m bench.restore`: recovery point and recovery time on a national database.

A copy of the national database (bench/national.py) is replicated by Litestream to a
file replica, as in production to a bucket, while a writer commits small transactions
through the app's own `store.db.write` at the national peak rate (15 a second), each one
acknowledged (committed) before the next. Then the server is lost: Litestream is killed
with SIGKILL at a random moment and the writer stops with it, as when the machine and its
disk are gone. What the replica holds is restored as the drill in docs/operations.md
does it, and the app started on the copy. Several such losses in a row (Litestream
started again in between, as systemd would); measured:

- the first snapshot: how long until the replica holds the whole database;
- the writers beside Litestream: commit time (median, p99, max) and refused writes
  ("database is locked"), so that replication is seen not to hold the app up;
- recovery point: acknowledged writes missing from the restored copy, and the time
  between the newest write the copy holds and the loss (what a lost disk loses);
- recovery time: `litestream restore` of the whole database into a new folder with its
  `integrity_check` (mentorapp.privacy.backup.restore_litestream, what `mentorapp
  restore --litestream` runs), then the app's start on it;
- `mentorapp backup`'s snapshot (SQLite's online backup + integrity_check);
- `mentorapp purge --compact`'s VACUUM of the whole file (how long it holds the lock).

    python -m bench.restore --source /tmp/national.db [--losses 3] [--seconds 30]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from mentorapp.privacy import backup
from mentorapp.store import audit, health, lifecycle, migrations
from mentorapp.store.db import close, connect, write

RATE = 15  # writes a second: the national peak of sync requests (docs/scaling.md)


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


def _config(database: Path, replica: Path) -> str:
    # A list of one replica: what 0.3 takes, and 0.5 still reads.
    return (f"dbs:\n  - path: {database}\n    replicas:\n      - type: file\n"
            f"        path: {replica}\n")


def _replica_files(binary: str, listing: str, config: Path, database: Path) -> int:
    """Files in the replica: snapshots (0.3) or LTX files (0.5), as `listing` lists them."""
    result = subprocess.run([binary, listing, "-config", str(config), str(database)],
                            capture_output=True, text=True, check=False)
    return max(0, len(result.stdout.strip().splitlines()) - 1) if result.returncode == 0 else 0


class Writer(threading.Thread):
    """Commits `RATE` small writes a second; keeps each one's acknowledgement time."""

    def __init__(self, database: Path):
        super().__init__(daemon=True)
        self.database = database
        self.acknowledged: dict[int, float] = {}
        self.commit_ms: list[float] = []
        self.refused = 0
        self.running = threading.Event()
        self.stopped = threading.Event()
        self.idle = threading.Event()
        self.next = 0

    def run(self) -> None:
        db = connect(str(self.database))
        try:
            while not self.stopped.is_set():
                if not self.running.is_set():
                    self.idle.set()
                    time.sleep(0.01)
                    continue
                self.idle.clear()
                started = time.perf_counter()
                number = self.next
                try:
                    with write(db):
                        audit.record(db, user_id=None, action=f"bench.rpo.{number}")
                except sqlite3.OperationalError:
                    self.refused += 1
                else:
                    self.acknowledged[number] = time.time()
                    self.next += 1
                took = time.perf_counter() - started
                self.commit_ms.append(took * 1000)
                time.sleep(max(0.0, 1 / RATE - took))
        finally:
            close(db)

    def pause(self) -> None:
        self.running.clear()
        self.idle.wait()


def _newest_restored(database: Path) -> int:
    db = connect(str(database))
    try:
        numbers = [int(row[0].rsplit(".", 1)[1]) for row in db.execute(
            "SELECT action FROM audit_log WHERE action LIKE 'bench.rpo.%'")]
    finally:
        close(db)
    return max(numbers, default=-1)


def _start_app(folder: Path) -> float:
    from mentorapp import create_app

    started = time.perf_counter()
    create_app({"INSTANCE_PATH": str(folder), "LOG_LEVEL": "WARNING"})
    return time.perf_counter() - started


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(source: Path, losses: int = 3, seconds: float = 30.0, binary: str | None = None,
        say=lambda _line: None) -> dict:
    binary = binary or backup.litestream_binary()
    version = backup.litestream_version(binary)
    listing = backup.replica_listing(binary)
    rng = random.Random(20261202)  # when to lose the server: the same in every run
    with tempfile.TemporaryDirectory(prefix="bench-restore-") as folder:
        folder = Path(folder)
        database = folder / "live" / "mentorapp.db"
        database.parent.mkdir()
        _prepare(source, database)
        config = folder / "litestream.yml"
        config.write_text(_config(database, folder / "replica"), encoding="utf-8")
        figures: dict = {"litestream": version,
                         "database_mb": round(database.stat().st_size / 2**20)}

        made = backup.snapshot(str(database), folder / "snapshot.db")
        figures["backup_snapshot_s"] = round(made.seconds, 1)
        (folder / "snapshot.db").unlink()
        say(f"mentorapp backup: {made.seconds:.1f} s")

        log = (folder / "litestream.log").open("ab")
        writer = Writer(database)
        writer.start()
        rpo_writes, rpo_seconds, restore_s, start_s, failed = [], [], [], [], []
        try:
            for loss in range(losses):
                replicating = subprocess.Popen([binary, "replicate", "-config", str(config)],
                                               stdout=log, stderr=log)
                if loss == 0:
                    started = time.perf_counter()
                    writer.running.set()  # the app writes while the first snapshot is made
                    while _replica_files(binary, listing, config, database) == 0:
                        time.sleep(0.5)
                    figures["first_replica_snapshot_s"] = round(time.perf_counter() - started, 1)
                    say(f"first snapshot in the replica: {figures['first_replica_snapshot_s']} s")
                else:
                    writer.running.set()
                time.sleep(rng.uniform(seconds / 2, seconds))
                replicating.send_signal(signal.SIGKILL)  # the server is lost, now
                lost_at = time.time()
                writer.pause()
                replicating.wait()
                acknowledged = {n: at for n, at in writer.acknowledged.items() if at <= lost_at}
                drill = folder / f"drill-{loss}"
                started = time.perf_counter()
                try:
                    restored = backup.restore_litestream(config, str(database), drill,
                                                         binary=binary)
                except backup.BackupError as error:
                    # What the drill exists to find: say it, and whether the live
                    # database itself is sound (the replica is then what is wrong).
                    live = health.integrity(database)
                    failed.append(f"loss {loss + 1}: {error} (the live database: {live})")
                    say(failed[-1])
                    shutil.rmtree(drill, ignore_errors=True)
                    continue
                restore_s.append(time.perf_counter() - started)
                newest = _newest_restored(restored)
                start_s.append(_start_app(drill))
                missing = [n for n in acknowledged if n > newest]
                rpo_writes.append(len(missing))
                # The copy is this far behind the loss (a write committed just before the
                # kill may have been acknowledged just after it: no time lost then).
                behind_from = writer.acknowledged.get(newest, min(acknowledged.values()))
                rpo_seconds.append(max(0.0, lost_at - behind_from))
                say(f"loss {loss + 1}/{losses}: {len(missing)} of {len(acknowledged)} "
                    f"acknowledged writes missing, the copy {rpo_seconds[-1]:.2f} s behind; "
                    f"restore {restore_s[-1]:.1f} s, app start {start_s[-1]:.1f} s")
                shutil.rmtree(drill)
        finally:
            writer.stopped.set()
            writer.running.set()
            writer.join()
            log.close()
        figures["writes_beside_litestream"] = len(writer.commit_ms)
        figures["commit_ms_median_p99_max"] = (
            f"{statistics.median(writer.commit_ms):.1f} / "
            f"{_percentile(writer.commit_ms, 0.99):.1f} / {max(writer.commit_ms):.0f}")
        figures["refused_writes"] = writer.refused
        figures["losses"] = losses
        figures["restores_failed"] = len(failed)
        for line in failed:
            figures[f"failed_{line.split(':')[0].replace(' ', '_')}"] = line
        if not restore_s:
            return figures
        figures["rpo_missing_writes_max"] = max(rpo_writes)
        figures["rpo_seconds_max"] = round(max(rpo_seconds), 2)
        figures["rpo_seconds_each"] = ", ".join(f"{s:.2f}" for s in rpo_seconds)
        figures["restore_s_each"] = ", ".join(f"{s:.1f}" for s in restore_s)
        figures["app_start_on_copy_s_max"] = round(max(start_s), 1)
        figures["recovery_time_s_max"] = round(max(r + s for r, s in zip(restore_s, start_s,
                                                                          strict=True)), 1)

        db = connect(str(database))
        try:
            started = time.perf_counter()
            lifecycle.vacuum(db)
            figures["compact_vacuum_s"] = round(time.perf_counter() - started, 1)
        finally:
            close(db)
        say(f"purge --compact (VACUUM): {figures['compact_vacuum_s']} s")
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.restore", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, required=True,
                        help="a national database made by bench/national.py (copied, not changed)")
    parser.add_argument("--losses", type=int, default=3, help="how many times the server is lost")
    parser.add_argument("--seconds", type=float, default=30.0,
                        help="the longest time of writing before each loss")
    parser.add_argument("--litestream", help="another litestream binary to measure "
                        "(default: the one the app uses)")
    args = parser.parse_args(argv)
    if args.losses < 1 or args.seconds <= 0:
        parser.error("--losses must be at least 1 and --seconds above 0")
    for key, value in run(args.source, args.losses, args.seconds, args.litestream,
                          say=print).items():
        print(f"{key:32} {value}")


if __name__ == "__main__":
    main()
