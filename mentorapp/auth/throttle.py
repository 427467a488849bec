"""Slowing down password guessing, per account and per address.

An unknown e-mail address counts exactly like a known one, so the answers never tell
which addresses have accounts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlite_utils

from mentorapp.domain import clock
from mentorapp.store import users
from mentorapp.store.db import write

WINDOW = timedelta(minutes=15)
LIMITS = {"account": 5, "address": 30}
# Sign-in codes are short: few wrong guesses from one address, and every address's wrong
# guesses together are capped too, so that many addresses cannot share the work.
CODE_LIMITS = {"address": 10, "everyone": 200}


def _keys(email: str, address: str) -> dict[str, str]:
    return {"account": email.strip().lower(), "address": address}


def blocked_for(db: sqlite_utils.Database, email: str, address: str,
                moment: datetime | None = None) -> timedelta | None:
    """How long until another attempt is allowed, or None if one is allowed now."""
    moment = moment or clock.now()
    longest = None
    for kind, key in _keys(email, address).items():
        recent = users.failures_since(db, kind, key, clock.iso(moment - WINDOW))
        if len(recent) >= LIMITS[kind]:
            # Free again when the oldest failure that counts drops out of the window.
            free_at = clock.parse(recent[-LIMITS[kind]]) + WINDOW
            wait = free_at - moment
            longest = wait if longest is None or wait > longest else longest
    return longest


def failed(db: sqlite_utils.Database, email: str, address: str) -> None:
    now = clock.now()
    with write(db):
        for kind, key in _keys(email, address).items():
            users.record_failure(db, kind, key, clock.iso(now))
        users.forget_failures_before(db, clock.iso(now - 4 * WINDOW))


def succeeded(db: sqlite_utils.Database, email: str) -> None:
    with write(db):
        users.clear_failures(db, "account", email.strip().lower())


# One-time sign-in codes ----------------------------------------------------------------------

def _code_keys(address: str) -> dict[str, str]:
    return {"address": f"code:{address}", "everyone": "code:*"}


def code_blocked_for(db: sqlite_utils.Database, address: str,
                     moment: datetime | None = None) -> timedelta | None:
    """How long until another code may be tried from this address, or None if now."""
    moment = moment or clock.now()
    longest = None
    for name, key in _code_keys(address).items():
        recent = users.failures_since(db, "address", key, clock.iso(moment - WINDOW))
        if len(recent) >= CODE_LIMITS[name]:
            wait = clock.parse(recent[-CODE_LIMITS[name]]) + WINDOW - moment
            longest = wait if longest is None or wait > longest else longest
    return longest


def code_failed(db: sqlite_utils.Database, address: str) -> None:
    now = clock.now()
    with write(db):
        for key in _code_keys(address).values():
            users.record_failure(db, "address", key, clock.iso(now))
        users.forget_failures_before(db, clock.iso(now - 4 * WINDOW))
