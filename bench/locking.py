"""Why the ingest tail is long: how writers queue for SQLite's one write lock.

mentorapp's gunicorn workers are separate processes; each write transaction starts with
BEGIN IMMEDIATE and, when another worker holds the lock, waits in SQLite's busy handler.
That handler does not queue: it sleeps and retries with growing sleeps (1, 2, 5, 10, 15,
20, 25, 25, 25, 50, 50, 100 ms), so a writer often sleeps long after the lock was freed,
and an unlucky one loses several rounds in a row. This experiment runs the same workload
(five processes, each: 2 ms of work outside the transaction, then five inserts and 1 ms
of work inside it, commit with synchronous=FULL on the same disk) three ways: waiting in
SQLite's busy handler; queueing first on an exclusive flock() of a lock file, which the
kernel hands to the next waiter the moment it is released; and the same queue with the
WAL flushed after the lock is released instead of inside COMMIT (synchronous=NORMAL, then
fdatasync of the WAL before the transaction counts as done), so that the next writer need
not wait for the disk and writers finishing together share a flush: what store.db.write
does.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import sqlite3
import time
from pathlib import Path

from bench import stats

WORKERS = 5


def _spin(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def _worker(path: str, mode: str, transactions: int, out) -> None:
    conn = sqlite3.connect(path, timeout=5, isolation_level=None)
    flush_after = mode == "flock_flush_after"
    conn.execute(f"PRAGMA synchronous = {'NORMAL' if flush_after else 'FULL'}")
    lock = open(path + ".lock", "w")  # noqa: SIM115 (held for the worker's life)
    samples = []
    for _ in range(transactions):
        _spin(0.002)
        began = time.perf_counter()
        if mode != "busy_handler":
            fcntl.flock(lock, fcntl.LOCK_EX)
        conn.execute("BEGIN IMMEDIATE")
        for _ in range(5):
            conn.execute("INSERT INTO t (v) VALUES (?)", [os.urandom(100)])
        _spin(0.001)
        conn.execute("COMMIT")
        if mode != "busy_handler":
            fcntl.flock(lock, fcntl.LOCK_UN)
        if flush_after:
            wal = os.open(path + "-wal", os.O_RDONLY)
            os.fdatasync(wal)
            os.close(wal)
        samples.append(time.perf_counter() - began)
    lock.close()
    conn.close()
    out.put(samples)


def run(folder: Path, transactions: int = 300) -> dict:
    path = folder / "locking.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v BLOB)")
    conn.commit()
    conn.close()
    results = {}
    context = multiprocessing.get_context("fork")
    for mode in ("busy_handler", "flock", "flock_flush_after"):
        queue = context.Queue()
        workers = [context.Process(target=_worker, args=(str(path), mode, transactions, queue))
                   for _ in range(WORKERS)]
        began = time.perf_counter()
        for worker in workers:
            worker.start()
        samples = [s for _ in workers for s in queue.get()]
        for worker in workers:
            worker.join()
        wall = time.perf_counter() - began
        results[mode] = {"transactions_per_second": len(samples) / wall,
                         "latency": stats.Latency.of(samples).__dict__}
    return results
