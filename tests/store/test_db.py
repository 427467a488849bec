"""The connection (store/db.py): tuned for durability, one write lock per unit of work taken
when it begins, flushed to disk before it returns, and writers queued instead of failing."""

from __future__ import annotations

import fcntl
import os
import threading

import pytest

from mentorapp.store import migrations
from mentorapp.store.db import close, connect, write


def test_connection_is_tuned_for_durability(tmp_path):
    db = connect(str(tmp_path / "x.db"))
    pragma = lambda name: db.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 1  # NORMAL: write() flushes the WAL itself
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") == 5000


def test_a_unit_of_work_is_on_disk_when_it_returns_and_others_need_not_wait(tmp_path, monkeypatch):
    # synchronous=NORMAL leaves the WAL in the page cache at COMMIT; write() must flush it
    # before it returns (or an acknowledged sync could vanish in a power cut), and after it
    # has released the write lock (or the writers queue behind each other's flushes).
    path = str(tmp_path / "x.db")
    db = connect(path)
    migrations.migrate(db)
    flushes: list[dict] = []
    real_fdatasync = os.fdatasync

    def observed_fdatasync(fd: int) -> None:
        other = os.open(path + ".writer-lock", os.O_RDWR)
        try:
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if the lock is held
            fcntl.flock(other, fcntl.LOCK_UN)
        finally:
            os.close(other)
        reader = connect(path)
        flushes.append({"file": os.fstat(fd).st_ino, "committed": reader["offices"].count})
        close(reader)
        real_fdatasync(fd)

    monkeypatch.setattr(os, "fdatasync", observed_fdatasync)
    with write(db):
        db["offices"].insert({"name": "NAV A", "created_at": "2026-01-01T00:00:00.000Z"})
        assert flushes == []
    assert flushes == [{"file": os.stat(path + "-wal").st_ino, "committed": 1}]

    with pytest.raises(RuntimeError), write(db):
        db["offices"].insert({"name": "NAV B", "created_at": "2026-01-01T00:00:00.000Z"})
        raise RuntimeError("nothing to flush")
    assert len(flushes) == 1


def test_a_failed_unit_of_work_leaves_nothing(tmp_path):
    db = connect(str(tmp_path / "x.db"))
    migrations.migrate(db)
    with pytest.raises(RuntimeError), write(db):
        db["offices"].insert({"name": "halfway", "created_at": "2026-01-01T00:00:00.000Z"})
        raise RuntimeError("power cut")
    assert db["offices"].count == 0


def test_concurrent_writers_queue_instead_of_failing(tmp_path):
    path = str(tmp_path / "x.db")
    migrations.migrate(connect(path))
    errors: list[Exception] = []

    def writer(number: int) -> None:
        db = connect(path)
        try:
            for row in range(25):
                with write(db):
                    # Read then write in one transaction: the pattern that fails with
                    # "database is locked" under deferred transactions.
                    count = db.execute("SELECT count(*) FROM offices").fetchone()[0]
                    db["offices"].insert({"name": f"w{number}-{row}-{count}",
                                          "created_at": "2026-01-01T00:00:00.000Z"})
        except Exception as error:
            errors.append(error)
        finally:
            close(db)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert connect(path)["offices"].count == 20 * 25


def test_a_unit_of_work_takes_the_write_lock_when_it_begins(tmp_path):
    # A deferred BEGIN takes the write lock only at its first write. In WAL mode a unit that
    # read first then fails at once with "database is locked" if another writer got in
    # between: no busy timeout helps, as waiting cannot make its snapshot current. So the
    # store must begin IMMEDIATE, taking the lock (or queueing for it) before it reads.
    db = connect(str(tmp_path / "x.db"))
    migrations.migrate(db)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    with write(db):
        db.execute("SELECT count(*) FROM offices").fetchone()
        db["offices"].insert({"name": "NAV A", "created_at": "2026-01-01T00:00:00.000Z"})
        with write(db):  # a nested unit joins the outer one as a savepoint
            db["offices"].insert({"name": "NAV B", "created_at": "2026-01-01T00:00:00.000Z"})
    db.conn.set_trace_callback(None)
    assert statements[0] == "BEGIN IMMEDIATE" and statements[-1] == "COMMIT"
    assert [s for s in statements if s.upper().startswith("BEGIN")] == ["BEGIN IMMEDIATE"]
    assert any(s.upper().startswith("SAVEPOINT") for s in statements)


def test_every_transaction_a_request_opens_begins_immediate(app, world, as_mentor, as_counsellor):
    # The app's own connection, through real requests that write (a sync, a counsellor's
    # answer, the audit line of a read): a write outside store.db.write() would show here
    # as the sqlite3 module's own deferred "BEGIN".
    from mentorapp.store.db import get_db
    from tests.support.events import event, sync

    p1 = world.placements["p1"]
    statements: list[str] = []
    with app.app_context():
        # The test client serves requests on this thread, so they reuse this connection.
        connection = get_db().conn
    connection.set_trace_callback(statements.append)
    try:
        flag = event("flag", p1, {"category": "absence", "severity": "attention"})
        assert sync(as_mentor, [flag]).status_code == 200
        assert as_counsellor.get(f"/c/p/{p1}").status_code == 200
        assert as_counsellor.post(f"/c/p/{p1}/flags/{flag['id']}/acknowledge",
                                  data={"csrf_token": as_counsellor.csrf_token}).status_code == 303
    finally:
        connection.set_trace_callback(None)
    begins = [s.strip().upper() for s in statements if s.strip().upper().startswith("BEGIN")]
    assert len(begins) >= 3
    assert set(begins) == {"BEGIN IMMEDIATE"}
