"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
MAX_LENGTH = 200

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@cache
def _dummy_hash() -> str:
    return _hasher.hash("not a real password, only here to spend the same time")


def verify(password_hash: str | None, password: str) -> bool:
    """True if the password matches; an unknown account costs the same time as a known one."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def problem(password: str, email: str = "") -> str | None:
    """Why this password will not do, as an untranslated code; None if it will."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    if len(password) > MAX_LENGTH:
        return "too_long"
    if email and password.strip().lower() == email.strip().lower():
        return "is_email"
    if len(set(password)) < 4:
        return "too_simple"
    return None
