"""The SQLite connection: one per worker thread, reused across requests, tuned for
durability; and the one way to open a write transaction.

Why these settings: WAL lets readers run beside the one writer. Why a reused connection:
opening one per request costs a WAL checkpoint whenever the last connection closes. Why a
lock file before BEGIN IMMEDIATE: SQLite's busy handler sleeps on a fixed schedule (up to
100 ms a try), so waiting writers do not queue in order and the slowest wait seconds; an
flock() on a file beside the database queues them in the kernel, and BEGIN IMMEDIATE then
finds the database free.

Why the WAL is flushed by `write()` and not by SQLite: an acknowledged write must survive a
power cut, so the WAL must reach the disk before `write()` returns. synchronous=FULL does
that inside COMMIT, while the writer still holds the one write lock, so every other writer
waits for each flush in turn and the flushes cap throughput. With synchronous=NORMAL,
COMMIT only writes the WAL; `write()` then releases the lock and flushes the WAL itself
(fdatasync, what FULL would have done) before returning. Writers that finish together share
one journal commit of the file system (group commit, as PostgreSQL does). Nothing is
acknowledged earlier than before: WAL frames are replayed in order, so a flush that covers
one transaction covers every one committed before it; a checkpoint under NORMAL still
flushes the WAL before copying it and the database after. What changes: other readers may
see a transaction for the moment before its flush ends; a power cut in that moment loses a
write nobody was answered for, which the phone, still holding it in its outbox, sends again
with the same id.

What each of these choices bought, measured: docs/performance.md (findings 1-4, and
bench/locking.py for the ways of queueing writers).
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils
from flask import Flask, current_app, g

BUSY_TIMEOUT_MS = 5000


class Database(sqlite_utils.Database):
    """sqlite-utils' Database, plus the writer lock file and the WAL that belong to its file."""

    writer_lock: int | None = None
    wal_path: str | None = None


def connect(path: str) -> Database:
    new_file = path == ":memory:" or not os.path.exists(path) or os.path.getsize(path) == 0
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if new_file:
        # A new file gives deleted pages back (`mentorapp purge` runs incremental_vacuum);
        # this only takes effect before the first table exists, so it is set before WAL
        # and the migrations. Never on an existing file: there it would change nothing,
        # yet it asks for a lock that Litestream's snapshot may hold (measured: "database
        # is locked" beside `litestream replicate`). An older file keeps its mode until
        # one VACUUM (docs/privacy.md).
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")  # write() flushes the WAL: see above
    conn.execute("PRAGMA foreign_keys = ON")
    # A deleted row's bytes are overwritten where that costs no extra I/O, so a purged or
    # erased person's name does not linger in the free space of a page still in use
    # (freed whole pages go back to the file system with the purge's incremental vacuum;
    # copies SQLite made while the row lived go with `mentorapp purge --compact`).
    conn.execute("PRAGMA secure_delete = FAST")
    db = Database(conn, execute_plugins=False)
    if path != ":memory:":
        db.writer_lock = os.open(f"{path}.writer-lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC,
                                 0o600)
        db.wal_path = f"{path}-wal"
    return db


def dict_rows(db: sqlite_utils.Database, sql: str, params: list | dict = ()) -> list[dict]:
    """A read's rows as dicts, straight from the connection: for the reads every sync
    request makes. sqlite-utils' `db.query` wraps each read in a SAVEPOINT and a RELEASE
    (outside a transaction, a transaction of its own) and de-duplicates column names on
    every call; these reads need neither (their column names are distinct)."""
    cursor = db.conn.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def close(db: sqlite_utils.Database) -> None:
    lock = getattr(db, "writer_lock", None)
    if lock is not None:
        os.close(lock)
        db.writer_lock = None
    db.close()


class _Connections(threading.local):
    """This thread's connections, by process (never reuse one across a fork) and file."""

    def __init__(self):
        self.by_key: dict[tuple[int, str], Database] = {}

    def __del__(self):
        for db in self.by_key.values():
            close(db)


def get_db() -> Database:
    if "db" not in g:
        connections = current_app.extensions["mentorapp.db"]
        key = (os.getpid(), current_app.config["DATABASE"])
        db = connections.by_key.get(key)
        if db is None:
            db = connections.by_key[key] = connect(current_app.config["DATABASE"])
        g.db = db
    return g.db


def release_db(_error: BaseException | None = None) -> None:
    """End of a request: the connection stays open for the next one, with nothing pending."""
    db = g.pop("db", None)
    if db is not None and db.conn.in_transaction:
        db.conn.execute("ROLLBACK")


@contextmanager
def write(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One unit of work: all of it is stored, or none of it; stored on disk when this returns."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    lock = getattr(db, "writer_lock", None)
    if lock is not None:
        fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        try:
            db.conn.execute("COMMIT")
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
    finally:
        if lock is not None:
            fcntl.flock(lock, fcntl.LOCK_UN)
    _flush_wal(db)


def _flush_wal(db: sqlite_utils.Database) -> None:
    """The committed transaction to the disk, outside the write lock (see above). Opened
    each time, as the WAL is a new file after SQLite deletes it with the last connection;
    closing it drops no lock of SQLite's, which locks the database and -shm files only."""
    path = getattr(db, "wal_path", None)
    if path is None:
        return
    wal = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fdatasync(wal)
    finally:
        os.close(wal)


def init_app(app: Flask) -> None:
    app.extensions["mentorapp.db"] = _Connections()
    app.teardown_appcontext(release_db)
