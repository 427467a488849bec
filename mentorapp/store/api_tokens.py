"""API tokens for NAV systems: one per system and office, stored only as a hash."""

from __future__ import annotations

import hashlib

import sqlite_utils

from mentorapp.domain import clock


def _hash(token: str) -> str:
    # API tokens are long random strings, so a plain SHA-256 is enough to store them:
    # there is nothing to guess that a slow hash would protect.
    return hashlib.sha256(token.encode()).hexdigest()


def create(db: sqlite_utils.Database, *, office_id: int, name: str, token: str,
           created_by: int | None) -> int:
    """Keep a new token as its hash and its last four characters (to tell tokens apart)."""
    return db["api_tokens"].insert({
        "office_id": office_id, "name": name, "token_hash": _hash(token), "hint": token[-4:],
        "created_by": created_by, "created_at": clock.now_iso(), "revoked_at": None,
        "last_used_at": None}).last_pk


def by_token(db: sqlite_utils.Database, token: str) -> dict | None:
    rows = list(db.query("SELECT * FROM api_tokens WHERE token_hash = ?", [_hash(token)]))
    return rows[0] if rows else None


def get(db: sqlite_utils.Database, token_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM api_tokens WHERE id = ?", [token_id]))
    return rows[0] if rows else None


def all_tokens(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("""
        SELECT api_tokens.id, api_tokens.office_id, api_tokens.name, api_tokens.hint,
               api_tokens.created_at, api_tokens.revoked_at, api_tokens.last_used_at,
               offices.name AS office_name, users.name AS created_by_name
        FROM api_tokens
        JOIN offices ON offices.id = api_tokens.office_id
        LEFT JOIN users ON users.id = api_tokens.created_by
        ORDER BY api_tokens.revoked_at IS NOT NULL, offices.name, api_tokens.name
    """))


def revoke(db: sqlite_utils.Database, token_id: int) -> bool:
    cursor = db.conn.execute(
        "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
        [clock.now_iso(), token_id])
    return cursor.rowcount == 1


def used(db: sqlite_utils.Database, token_id: int) -> None:
    db.conn.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?",
                    [clock.now_iso(), token_id])
