"""What `/healthz` and `mentorapp doctor` ask the database, and the file-level copies that backups are:
SQLite's online backup of a live database, and its integrity check."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils


def ping(db: sqlite_utils.Database) -> None:
    """Raise sqlite3.Error unless the database answers (the health check)."""
    db.execute("SELECT 1").fetchone()


def can_write(db: sqlite_utils.Database) -> str | None:
    """None if a write transaction can be opened (and is rolled back); else why not."""
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("ROLLBACK")
    except sqlite3.Error as error:
        return str(error)
    return None


def journal_mode(db: sqlite_utils.Database) -> str:
    return db.execute("PRAGMA journal_mode").fetchone()[0]


def users_in_domain(db: sqlite_utils.Database, domain: str) -> int:
    return db.execute("SELECT count(*) FROM users WHERE email LIKE ?",
                      [f"%@{domain}"]).fetchone()[0]


def newest_received(db: sqlite_utils.Database) -> str | None:
    return db.execute("SELECT max(received_at) FROM events").fetchone()[0]


def integrity(path: Path) -> str:
    """'ok', or the first problems `PRAGMA integrity_check` finds in the file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()
    return "ok" if rows == [("ok",)] else "; ".join(row[0] for row in rows[:5])


def online_copy(database: str, target: Path, pages: int = 4096) -> None:
    """A consistent copy of a database in use, `pages` pages a step so that its writers
    get in between (SQLite's backup API restarts a step a writer changed)."""
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy, pages=pages)
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
    finally:
        source.close()
