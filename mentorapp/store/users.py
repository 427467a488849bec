"""Users, their sessions, invitations and failed logins."""

from __future__ import annotations

import sqlite_utils

from mentorapp.domain import clock
from mentorapp.store.db import dict_rows

STAFF_ROLES = ("mentor", "counsellor", "coordinator", "admin")
ROLES = (*STAFF_ROLES, "participant")


def create(db: sqlite_utils.Database, *, email: str | None, name: str, role: str,
           password_hash: str | None = None, office_id: int | None = None,
           network_id: int | None = None, workplace_id: int | None = None,
           phone: str | None = None, locale: str | None = None) -> int:
    now = clock.now_iso()
    return db["users"].insert({
        "email": email.strip() if email else None, "name": name.strip(), "role": role,
        "password_hash": password_hash, "office_id": office_id, "network_id": network_id,
        "workplace_id": workplace_id, "phone": phone, "locale": locale, "active": 1,
        "created_at": now, "password_changed_at": now if password_hash else None,
    }).last_pk


def get(db: sqlite_utils.Database, user_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM users WHERE id = ?", [user_id]))
    return rows[0] if rows else None


def by_email(db: sqlite_utils.Database, email: str) -> dict | None:
    rows = list(db.query("SELECT * FROM users WHERE email = ? COLLATE NOCASE", [email.strip()]))
    return rows[0] if rows else None


def email_taken(db: sqlite_utils.Database, email: str) -> bool:
    return by_email(db, email) is not None


def all_users(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("""
        SELECT users.*, offices.name AS office_name, networks.name AS network_name,
               workplaces.name AS workplace_name,
               (SELECT group_concat(provider, ' ') FROM identity_links
                WHERE identity_links.user_id = users.id) AS linked_providers
        FROM users
        LEFT JOIN offices ON offices.id = users.office_id
        LEFT JOIN networks ON networks.id = users.network_id
        LEFT JOIN workplaces ON workplaces.id = users.workplace_id
        ORDER BY users.active DESC, users.role, users.name
    """))


def with_role(db: sqlite_utils.Database, role: str, *, office_id: int | None = None,
              network_id: int | None = None) -> list[dict]:
    sql = "SELECT * FROM users WHERE role = ? AND active = 1"
    params: list = [role]
    if office_id is not None:
        sql += " AND office_id = ?"
        params.append(office_id)
    if network_id is not None:
        sql += " AND network_id = ?"
        params.append(network_id)
    return list(db.query(sql + " ORDER BY name", params))


def update(db: sqlite_utils.Database, user_id: int, **fields) -> None:
    db["users"].update(user_id, fields)


def set_password(db: sqlite_utils.Database, user_id: int, password_hash: str) -> None:
    db["users"].update(user_id, {"password_hash": password_hash,
                                 "password_changed_at": clock.now_iso()})


def deactivate(db: sqlite_utils.Database, user_id: int) -> None:
    db["users"].update(user_id, {"active": 0})
    delete_sessions(db, user_id)


def reactivate(db: sqlite_utils.Database, user_id: int) -> None:
    db["users"].update(user_id, {"active": 1})


# Sessions -------------------------------------------------------------------------------

def create_session(db: sqlite_utils.Database, user_id: int, id_hash: str,
                   remember: bool) -> None:
    now = clock.now_iso()
    db["sessions"].insert({"id_hash": id_hash, "user_id": user_id, "created_at": now,
                           "last_seen_at": now, "remember": int(remember)})


def session_with_user(db: sqlite_utils.Database, id_hash: str) -> dict | None:
    found = dict_rows(db, """
        SELECT sessions.id_hash, sessions.last_seen_at, sessions.remember,
               sessions.created_at AS session_created_at, users.*
        FROM sessions JOIN users ON users.id = sessions.user_id
        WHERE sessions.id_hash = ?
    """, [id_hash])
    return found[0] if found else None


def touch_session(db: sqlite_utils.Database, id_hash: str, when: str) -> None:
    db.execute("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", [when, id_hash])


def delete_session(db: sqlite_utils.Database, id_hash: str) -> None:
    db.execute("DELETE FROM sessions WHERE id_hash = ?", [id_hash])


def delete_sessions(db: sqlite_utils.Database, user_id: int) -> None:
    db.execute("DELETE FROM sessions WHERE user_id = ?", [user_id])


# Invitations ----------------------------------------------------------------------------

def create_invitation(db: sqlite_utils.Database, *, user_id: int, token_hash: str,
                      created_by: int | None, expires_at: str) -> None:
    db["invitations"].insert({"token_hash": token_hash, "user_id": user_id,
                              "created_by": created_by, "created_at": clock.now_iso(),
                              "expires_at": expires_at, "used_at": None})


def open_invitation(db: sqlite_utils.Database, token_hash: str, now: str) -> dict | None:
    """The invitation if it exists, is unused and has not expired."""
    rows = list(db.query("""
        SELECT invitations.id AS invitation_id, users.*
        FROM invitations JOIN users ON users.id = invitations.user_id
        WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? AND users.active = 1
    """, [token_hash, now]))
    return rows[0] if rows else None


def close_invitations(db: sqlite_utils.Database, user_id: int) -> None:
    """Every open invitation of the account stops working (a newer one replaces them)."""
    db.execute("UPDATE invitations SET used_at = ? WHERE user_id = ? AND used_at IS NULL",
               [clock.now_iso(), user_id])


def use_invitation(db: sqlite_utils.Database, invitation_id: int) -> bool:
    """Mark used; False if someone used it first (two tabs, one link)."""
    cursor = db.execute("UPDATE invitations SET used_at = ? WHERE id = ? AND used_at IS NULL",
                        [clock.now_iso(), invitation_id])
    return cursor.rowcount == 1


# Failed logins --------------------------------------------------------------------------

def record_failure(db: sqlite_utils.Database, kind: str, key: str, at: str) -> int:
    return db.execute("INSERT INTO login_failures (kind, key, at) VALUES (?, ?, ?)",
                      [kind, key, at]).lastrowid


def forget_failures(db: sqlite_utils.Database, rowids: list[int]) -> None:
    for rowid in rowids:
        db.execute("DELETE FROM login_failures WHERE id = ?", [rowid])


def failures_since(db: sqlite_utils.Database, kind: str, key: str, since: str) -> list[str]:
    return [row[0] for row in db.execute(
        "SELECT at FROM login_failures WHERE kind = ? AND key = ? AND at > ? ORDER BY at",
        [kind, key, since]).fetchall()]


def clear_failures(db: sqlite_utils.Database, kind: str, key: str) -> None:
    db.execute("DELETE FROM login_failures WHERE kind = ? AND key = ?", [kind, key])


def forget_failures_before(db: sqlite_utils.Database, before: str) -> None:
    db.execute("DELETE FROM login_failures WHERE at < ?", [before])


def active_mentors_at(db: sqlite_utils.Database, workplace_id: int) -> list[dict]:
    """The active mentors of one workplace (users_workplace), by name."""
    return list(db.query("SELECT id, name FROM users WHERE workplace_id = ? AND role = 'mentor' "
                         "AND active = 1 ORDER BY name", [workplace_id]))


def active_mentors_of_office(db: sqlite_utils.Database, office_id: int) -> list[dict]:
    """Active mentors in the office's networks (and those in none), with their workplace."""
    return list(db.query("""
        SELECT users.id, users.name, workplaces.name AS workplace_name FROM users
        LEFT JOIN workplaces ON workplaces.id = users.workplace_id
        LEFT JOIN networks ON networks.id = users.network_id
        WHERE users.role = 'mentor' AND users.active = 1
          AND (networks.office_id = ? OR users.network_id IS NULL)
        ORDER BY users.name
    """, [office_id]))

