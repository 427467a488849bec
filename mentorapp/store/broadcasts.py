"""Short messages from a coordinator to every mentor of the network."""

from __future__ import annotations

import sqlite_utils

from mentorapp.domain import clock


def create(db: sqlite_utils.Database, *, network_id: int, body: str, created_by: int,
           recipients: int) -> int:
    return db["broadcasts"].insert({
        "network_id": network_id, "body": body, "recipients": recipients,
        "created_by": created_by, "created_at": clock.now_iso(),
    }).last_pk


def in_network(db: sqlite_utils.Database, network_id: int, limit: int = 100) -> list[dict]:
    return list(db.query("""
        SELECT broadcasts.*, users.name AS author_name FROM broadcasts
        LEFT JOIN users ON users.id = broadcasts.created_by
        WHERE broadcasts.network_id = ? ORDER BY broadcasts.created_at DESC, broadcasts.id DESC
        LIMIT ?
    """, [network_id, limit]))


def latest(db: sqlite_utils.Database, network_id: int, since: str) -> dict | None:
    rows = in_network(db, network_id, limit=1)
    return rows[0] if rows and rows[0]["created_at"] >= since else None
