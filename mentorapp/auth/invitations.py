"""One-time, expiring invitation links: the invited person only chooses a password."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlite_utils
from flask import current_app, url_for

from mentorapp.domain import clock
from mentorapp.store import users


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(db: sqlite_utils.Database, user_id: int, created_by: int | None,
           days: int | None = None) -> str:
    """Make an invitation (inside the caller's transaction); return its token."""
    days = days if days is not None else current_app.config["INVITATION_DAYS"]
    token = secrets.token_urlsafe(24)
    users.create_invitation(db, user_id=user_id, token_hash=_hash(token), created_by=created_by,
                            expires_at=clock.iso(clock.now() + timedelta(days=days)))
    return token


def link(token: str) -> str:
    return url_for("auth.accept_invitation", token=token, _external=True)


def find(db: sqlite_utils.Database, token: str) -> dict | None:
    if len(token) > 100:
        return None
    return users.open_invitation(db, _hash(token), clock.now_iso())
