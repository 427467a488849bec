"""The schema: built by numbered migrations; an upgrade from any step ends where a fresh
database does; Nynorsk widens the saved language in place."""

from __future__ import annotations

import pytest

from mentorapp.store import migrations
from mentorapp.store.db import connect, write


def schema(db) -> list[tuple]:
    return sorted(
        (row["type"], row["name"], " ".join((row["sql"] or "").split()))
        for row in db.query("SELECT type, name, sql FROM sqlite_master "
                            "WHERE name NOT LIKE 'sqlite_%' AND name != '_sqlite_migrations'"))


def test_fresh_database_has_every_table(tmp_path):
    db = connect(str(tmp_path / "fresh.db"))
    applied = migrations.migrate(db)
    assert applied == migrations.names()
    tables = set(db.table_names())
    for table in ("offices", "networks", "workplaces", "users", "sessions", "invitations",
                  "participants", "placements", "mentor_history", "extensions", "events",
                  "day_logs", "mentor_time", "flags", "call_requests", "resources",
                  "gatherings", "push_subscriptions", "notifications", "deliveries",
                  "audit_log", "api_tokens", "_sqlite_migrations"):
        assert table in tables
    assert migrations.pending(db) == []
    assert migrations.migrate(db) == []  # a second run changes nothing


@pytest.mark.parametrize("stop_before", migrations.names()[1:])
def test_upgrade_from_every_earlier_version_ends_identical(tmp_path, stop_before):
    fresh = connect(str(tmp_path / "fresh.db"))
    migrations.migrate(fresh)

    old = connect(str(tmp_path / "old.db"))
    migrations.migrate(old, stop_before=stop_before)
    assert stop_before in migrations.pending(old)
    # Data written at the old version survives the upgrade.
    old["offices"].insert({"name": "NAV Gammel", "created_at": "2026-01-01T00:00:00.000Z"})
    migrations.migrate(old)

    assert schema(old) == schema(fresh)
    assert [o["name"] for o in old.query("SELECT name FROM offices")] == ["NAV Gammel"]


def test_the_participant_step_keeps_every_session_and_invitation(tmp_path):
    """0050 widens `users` (a participant role, no e-mail needed) without rebuilding it: a
    rebuild would cascade-delete the sessions and invitations that point at it."""
    import sqlite3

    db = connect(str(tmp_path / "old.db"))
    migrations.migrate(db, stop_before="0050_participant")
    db.execute("INSERT INTO users (email, name, role, created_at) "
               "VALUES ('m@example.no', 'Mona', 'mentor', '2026-01-01T00:00:00Z')")
    db.execute("INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at) "
               "VALUES ('h', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')")
    db.execute("INSERT INTO invitations (token_hash, user_id, created_at, expires_at) "
               "VALUES ('t', 1, '2026-01-01T00:00:00Z', '2099-01-01T00:00:00Z')")
    db.conn.commit()
    assert migrations.migrate(db)[0] == "0050_participant"
    assert db["sessions"].count == 1 and db["invitations"].count == 1
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # Two participants without e-mail; an unknown role is still refused, and so is a
    # second account with the same address.
    for name in ("Jonas", "Amina"):
        db.execute("INSERT INTO users (email, name, role, created_at) "
                   "VALUES (NULL, ?, 'participant', '2026-01-01T00:00:00Z')", [name])
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO users (email, name, role, created_at) "
                   "VALUES (NULL, 'X', 'guest', '2026-01-01T00:00:00Z')")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO users (email, name, role, created_at) "
                   "VALUES ('M@example.no', 'Y', 'mentor', '2026-01-01T00:00:00Z')")


def test_nynorsk_widens_the_saved_language_and_keeps_every_user(tmp_path):
    import sqlite3

    db = connect(str(tmp_path / "old.db"))
    migrations.migrate(db, stop_before="0059_nynorsk")
    now = "2026-01-01T00:00:00.000Z"
    for email, locale in (("a@example.no", "nb"), ("b@example.no", "en"), ("c@example.no", None)):
        db["users"].insert({"email": email, "name": "X", "role": "admin", "locale": locale,
                            "created_at": now})
    with pytest.raises(sqlite3.IntegrityError):
        db["users"].insert({"email": "d@example.no", "name": "X", "role": "admin",
                            "locale": "nn", "created_at": now})
    db.conn.rollback()
    assert migrations.migrate(db) == ["0059_nynorsk"]
    assert [(u["email"], u["locale"]) for u in db.query("SELECT * FROM users ORDER BY id")] == [
        ("a@example.no", "nb"), ("b@example.no", "en"), ("c@example.no", None)]
    with write(db):
        db["users"].update(1, {"locale": "nn"})
    with pytest.raises(sqlite3.IntegrityError):
        db["users"].update(2, {"locale": "xx"})
    db.conn.rollback()
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
