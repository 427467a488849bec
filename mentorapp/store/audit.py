"""Audit lines: who on the NAV side read or changed which placement, and when."""

from __future__ import annotations

import sqlite_utils

from mentorapp.domain import clock


def record(db: sqlite_utils.Database, *, user_id: int | None, action: str,
           placement_id: int | None = None, detail: str | None = None) -> None:
    db["audit_log"].insert({"at": clock.now_iso(), "user_id": user_id, "action": action,
                            "placement_id": placement_id, "detail": detail})


def trail(db: sqlite_utils.Database, placement_id: int, limit: int = 500) -> list[dict]:
    return list(db.query("""
        SELECT audit_log.*, users.name AS user_name, users.role AS user_role
        FROM audit_log LEFT JOIN users ON users.id = audit_log.user_id
        WHERE placement_id = ? ORDER BY at DESC, audit_log.id DESC LIMIT ?
    """, [placement_id, limit]))


def trail_of_user(db: sqlite_utils.Database, user_id: int, limit: int = 500) -> list[dict]:
    """What one user has opened, newest first (audit_log_user)."""
    return list(db.query("""
        SELECT audit_log.*, users.name AS user_name, users.role AS user_role
        FROM audit_log LEFT JOIN users ON users.id = audit_log.user_id
        WHERE audit_log.user_id = ? ORDER BY at DESC, audit_log.id DESC LIMIT ?
    """, [user_id, limit]))


def all_for_placement(db: sqlite_utils.Database, placement_id: int) -> list[dict]:
    """Every line that names the placement, oldest first (the person's own copy)."""
    return list(db.query("""
        SELECT audit_log.*, users.name AS user_name, users.role AS user_role
        FROM audit_log LEFT JOIN users ON users.id = audit_log.user_id
        WHERE placement_id = ? ORDER BY at, audit_log.id
    """, [placement_id]))
