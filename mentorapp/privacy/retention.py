"""The daily purge: every placement whose case data has been kept its time after it
ended is deleted (privacy.deletion), old tallies are dropped, and the freed pages are
given back to the file system. `mentorapp purge` runs it; the push sender runs it once a
day beside its work, so a deployment that runs the sender purges without a timer."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import sqlite_utils

from mentorapp.privacy import deletion, rules, tallies
from mentorapp.store import lifecycle
from mentorapp.store.db import write

VACUUM_PAGES = 256  # pages given back per transaction (1 MiB at 4 KiB pages)


@dataclass
class Due:
    placement_id: int
    ended_on: date
    rows: dict[str, int]
    resumed: bool  # a deletion that started earlier and is finished now


@dataclass
class Report:
    due: list[Due] = field(default_factory=list)
    deleted: list[deletion.Deleted] = field(default_factory=list)
    tallies_dropped: int = 0
    pages_freed: int = 0
    longest_lock_ms: float = 0.0
    transactions: int = 0


def due(db: sqlite_utils.Database, today: date, retention_days: int) -> list[Due]:
    """The placements to delete today, with what each holds."""
    if retention_days < 1:
        raise ValueError("the retention must be at least one day")
    latest = rules.latest_due_end(today, retention_days).isoformat()
    found = []
    for row in lifecycle.ended_candidates(db, latest):
        resumed = row["deletion_started_at"] is not None
        if resumed or rules.is_due(row, today, retention_days):
            found.append(Due(row["id"], rules.ended_on(row), lifecycle.counts(db, row["id"]),
                             resumed))
    return found


def purge(db: sqlite_utils.Database, today: date, retention_days: int, *,
          dry_run: bool = False, batch_rows: int = 500, pause_seconds: float = 0.0,
          say: Callable[[str], None] = lambda _line: None) -> Report:
    report = Report(due=due(db, today, retention_days))
    for item in report.due:
        say(f"placement {item.placement_id} (ended {item.ended_on.isoformat()}"
            f"{', deletion resumed' if item.resumed else ''}): "
            f"{deletion.describe(item.rows)}")
    if dry_run:
        return report
    for item in report.due:
        done = deletion.delete(db, item.placement_id, today=today, action="privacy.purge",
                               reason=f"retention {retention_days} days after the end",
                               batch_rows=batch_rows, pause_seconds=pause_seconds)
        report.deleted.append(done)
        report.transactions += done.transactions
        report.longest_lock_ms = max(report.longest_lock_ms, done.longest_lock_ms)
    started = time.perf_counter()
    with write(db):
        report.tallies_dropped = lifecycle.drop_tallies_before(
            db, tallies.first_week(today).isoformat())
    report.longest_lock_ms = max(report.longest_lock_ms, (time.perf_counter() - started) * 1000)
    report.transactions += 1
    freed, longest, count = give_space_back(db, pause_seconds)
    report.pages_freed = freed
    report.transactions += count
    report.longest_lock_ms = max(report.longest_lock_ms, longest)
    return report


def give_space_back(db: sqlite_utils.Database, pause_seconds: float = 0.0
                    ) -> tuple[int, float, int]:
    """Free pages back to the file system, VACUUM_PAGES per transaction (only a database
    made with auto_vacuum=INCREMENTAL can; an older one keeps its free pages for reuse).
    Returns pages freed, the longest transaction in ms, and the number of transactions."""
    space = lifecycle.space(db)
    if space["auto_vacuum"] != 2:
        return 0, 0.0, 0
    freed, longest, count = 0, 0.0, 0
    while lifecycle.space(db)["free_pages"]:
        before = lifecycle.space(db)["free_pages"]
        started = time.perf_counter()
        with write(db):
            lifecycle.incremental_vacuum(db, VACUUM_PAGES)
        longest = max(longest, (time.perf_counter() - started) * 1000)
        count += 1
        after = lifecycle.space(db)["free_pages"]
        freed += before - after
        if after >= before:
            break
        if pause_seconds:
            time.sleep(pause_seconds)
    return freed, longest, count


def run(app, *, dry_run: bool = False, retention_days: int | None = None,
        say: Callable[[str], None] = lambda _line: None) -> Report:
    """The purge with the app's settings, on its database (a connection of its own)."""
    from mentorapp.domain import clock
    from mentorapp.store.db import close, connect

    db = connect(app.config["DATABASE"])
    try:
        return purge(db, clock.today(), retention_days or app.config["RETENTION_DAYS"],
                     dry_run=dry_run, batch_rows=app.config["PURGE_BATCH_ROWS"],
                     pause_seconds=app.config["PURGE_PAUSE_SECONDS"], say=say)
    finally:
        close(db)


def compact(app) -> float:
    """Rewrite the whole database file (VACUUM); seconds taken.

    Deleting a row zeroes its bytes (store.db sets secure_delete), but SQLite may have made
    other copies of a row while it lived: when a page splits or is rebuilt, the cells are
    rewritten and the old bytes stay in the page's unused space until something overwrites
    them. Only rewriting the file removes those. It holds the write lock throughout (the
    app's writers time out after 5 s; phones keep their entries and send them again), so
    it runs weekly in a quiet hour (docs/deploy.md), not with the daily purge."""
    from mentorapp.store.db import close, connect

    db = connect(app.config["DATABASE"])
    try:
        started = time.perf_counter()
        lifecycle.vacuum(db)
        return time.perf_counter() - started
    finally:
        close(db)
