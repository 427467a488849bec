"""`python -m bench.purge`: the retention purge on a national database, beside a writer.

A copy of the national database (bench/national.py) gets a share of its placements ended
long ago; `mentorapp.privacy.retention.purge` then deletes them while a second thread
writes small transactions through `store.db.write` the whole time, as the app's own
writers would. Printed: rows deleted, transactions, the longest transaction of the purge
(lock wait + hold + WAL flush: an upper bound of the time it held the write lock), and
how long the other writer waited at most and at the 99th percentile.

    python -m bench.purge --source /tmp/national.db --share 0.02
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from mentorapp.domain import clock
from mentorapp.privacy import retention
from mentorapp.store import audit, migrations
from mentorapp.store.db import close, connect, write

RETENTION_DAYS = 84


def migrate(path: Path) -> None:
    """The copy's schema brought up to date, as the app does at start-up."""
    db = connect(str(path))
    try:
        with write(db):
            migrations.migrate(db)
    finally:
        close(db)


def settle(path: Path) -> None:
    """The fresh copy on the disk before anything is timed: otherwise the first checkpoint
    pays for flushing gigabytes the copy left in the page cache."""
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def end_some(path: Path, share: float) -> int:
    """End every n-th placement a year ago (so it is due); how many."""
    step = max(1, round(1 / share))
    ended = clock.iso(clock.now() - timedelta(days=365))
    db = connect(str(path))
    try:
        with write(db):
            cursor = db.execute(
                "UPDATE placements SET status = 'ended', ended_at = ?, outcome = 'employed' "
                "WHERE id % ? = 0", [ended, step])
            count = cursor.rowcount
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return count
    finally:
        close(db)


class Writer(threading.Thread):
    """Small write transactions one after another, each timed from asking to done."""

    def __init__(self, path: Path, pause: float = 0.002):
        super().__init__(daemon=True)
        self.path, self.pause = path, pause
        self.stop = threading.Event()
        self.times: list[float] = []

    def run(self) -> None:
        db = connect(str(self.path))
        try:
            while not self.stop.is_set():
                started = time.perf_counter()
                with write(db):
                    audit.record(db, user_id=None, action="bench.writer")
                self.times.append((time.perf_counter() - started) * 1000)
                time.sleep(self.pause)
        finally:
            close(db)


def run(source: Path, share: float, batch_rows: int, pause_seconds: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-purge-") as folder:
        path = Path(folder) / "national.db"
        shutil.copyfile(source, path)
        migrate(path)
        size_before = path.stat().st_size
        ended = end_some(path, share)
        settle(path)
        writer = Writer(path)
        writer.start()
        db = connect(str(path))
        started = time.perf_counter()
        try:
            report = retention.purge(db, clock.today(), RETENTION_DAYS, batch_rows=batch_rows,
                                     pause_seconds=pause_seconds)
        finally:
            seconds = time.perf_counter() - started
            writer.stop.set()
            writer.join()
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            close(db)
        waits = sorted(writer.times)
        return {
            "database_mb": round(size_before / 2**20),
            "placements_ended": ended,
            "placements_deleted": len(report.deleted),
            "rows_deleted": sum(d.total for d in report.deleted),
            "transactions": report.transactions,
            "longest_purge_transaction_ms": round(report.longest_lock_ms, 1),
            "longest_purge_step": max(report.deleted, key=lambda d: d.longest_lock_ms).longest_step
            if report.deleted else "",
            "seconds": round(seconds, 1),
            "pages_freed": report.pages_freed,
            "database_mb_after": round(path.stat().st_size / 2**20),
            "writer_transactions": len(waits),
            "writer_median_ms": round(statistics.median(waits), 2) if waits else None,
            "writer_p99_ms": round(waits[int(len(waits) * 0.99) - 1], 1) if waits else None,
            "writer_max_ms": round(waits[-1], 1) if waits else None,
        }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.purge", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, required=True,
                        help="a national database made by bench/national.py (copied, not changed)")
    parser.add_argument("--share", type=float, default=0.02,
                        help="share of its placements to end a year ago (default 0.02)")
    parser.add_argument("--batch-rows", type=int, default=500)
    parser.add_argument("--pause", type=float, default=0.005)
    args = parser.parse_args(argv)
    for key, value in run(args.source, args.share, args.batch_rows, args.pause).items():
        print(f"{key:32} {value}")


if __name__ == "__main__":
    main()
