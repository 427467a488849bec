"""Slowing down password guessing, per account and per address.

An unknown e-mail address counts exactly like a known one, so the answers never tell
which addresses have accounts.

Every attempt is counted before its password is checked, in the same write transaction
as the look at the count: checking argon2 takes a while, and had the failure been written
after it, parallel requests across the workers would all have passed the look first (4 +
workers guesses a window instead of 5). The write lock puts the attempts in a queue; a
correct password then takes its own attempt back.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass
class Attempt:
    """An attempt let through: counted already (as a failure until it proves otherwise)."""
    email: str
    rows: list[int]


def attempt(db: sqlite_utils.Database, email: str, address: str
            ) -> Attempt | timedelta:
    """Count an attempt now, or say how long to wait if it is one too many. One write
    transaction: no other worker can look at the count between the look and the count."""
    now = clock.now()
    with write(db):
        wait = blocked_for(db, email, address, now)
        if wait is not None:
            return wait
        rows = [users.record_failure(db, kind, key, clock.iso(now))
                for kind, key in _keys(email, address).items()]
        users.forget_failures_before(db, clock.iso(now - 4 * WINDOW))
    return Attempt(email, rows)


def succeeded(db: sqlite_utils.Database, attempt: Attempt) -> None:
    """The password was right: this attempt was no failure, and the account starts afresh
    (the address keeps its other failures)."""
    with write(db):
        users.forget_failures(db, attempt.rows)
        users.clear_failures(db, "account", attempt.email.strip().lower())


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


def code_attempt(db: sqlite_utils.Database, address: str) -> Attempt | timedelta:
    """Count a code's try now, or say how long to wait if it is one too many: the look and
    the count in one write transaction, as for passwords, so that parallel tries across the
    workers cannot all pass the look first. A right code then takes its try back."""
    now = clock.now()
    with write(db):
        wait = code_blocked_for(db, address, now)
        if wait is not None:
            return wait
        rows = [users.record_failure(db, "address", key, clock.iso(now))
                for key in _code_keys(address).values()]
        users.forget_failures_before(db, clock.iso(now - 4 * WINDOW))
    return Attempt(address, rows)


def code_succeeded(db: sqlite_utils.Database, attempt: Attempt) -> None:
    """The code was right: its try was no failure."""
    with write(db):
        users.forget_failures(db, attempt.rows)
