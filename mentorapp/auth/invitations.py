"""One-time, expiring invitation links: the invited person only chooses a password.

A participant may have no e-mail: the mentor or counsellor can show a short one-time
code on their own phone instead, which the participant types in on theirs. A code lives
for CODE_MINUTES, guesses are throttled per address (auth.throttle), and it is stored
hashed like a link's token (the code is random: 40 bits from CODE_ALPHABET).
"""

from __future__ import annotations

import hashlib
import re
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


# No 0/O, 1/I/L: a code is read aloud and typed on a small screen.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_MINUTES = 30
_NOT_CODE = re.compile(r"[\s-]+")


def _code_hash(code: str) -> str:
    return _hash("code:" + code)


def normal_code(typed: str) -> str:
    """A typed code as stored: capitals, without spaces or the dash shown in the middle."""
    return _NOT_CODE.sub("", typed or "").upper()[:40]


def create_code(db: sqlite_utils.Database, user_id: int, created_by: int | None) -> str:
    """A one-time sign-in code (inside the caller's transaction), shown as ABCD-EFGH."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    users.create_invitation(db, user_id=user_id, token_hash=_code_hash(code),
                            created_by=created_by,
                            expires_at=clock.iso(clock.now() + timedelta(minutes=CODE_MINUTES)))
    return f"{code[:4]}-{code[4:]}"


def find_code(db: sqlite_utils.Database, typed: str) -> dict | None:
    code = normal_code(typed)
    if len(code) != CODE_LENGTH:
        return None
    return users.open_invitation(db, _code_hash(code), clock.now_iso())


def link(token: str) -> str:
    return url_for("auth.accept_invitation", token=token, _external=True)


def find(db: sqlite_utils.Database, token: str) -> dict | None:
    if len(token) > 100:
        return None
    return users.open_invitation(db, _hash(token), clock.now_iso())
