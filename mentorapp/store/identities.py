"""Links between accounts and OpenID Connect identities (keyed hashes of the subject)."""

from __future__ import annotations

import sqlite_utils

from mentorapp.domain import clock


def user_for(db: sqlite_utils.Database, provider: str, subject_hash: str) -> dict | None:
    """The account this identity is linked to (active or not), or None."""
    rows = list(db.query("""
        SELECT users.* FROM identity_links JOIN users ON users.id = identity_links.user_id
        WHERE identity_links.provider = ? AND identity_links.subject_hash = ?
    """, [provider, subject_hash]))
    return rows[0] if rows else None


def link(db: sqlite_utils.Database, user_id: int, provider: str, subject_hash: str) -> None:
    """Bind the identity to the account (inside the caller's transaction); a new link of the
    same provider replaces the account's old one (a new invitation, a new identity)."""
    now = clock.now_iso()
    db.execute("DELETE FROM identity_links WHERE user_id = ? AND provider = ?",
               [user_id, provider])
    db["identity_links"].insert({"user_id": user_id, "provider": provider,
                                 "subject_hash": subject_hash, "linked_at": now,
                                 "last_sign_in_at": now})


def signed_in(db: sqlite_utils.Database, provider: str, subject_hash: str) -> None:
    db.execute("UPDATE identity_links SET last_sign_in_at = ? WHERE provider = ? "
               "AND subject_hash = ?", [clock.now_iso(), provider, subject_hash])
