"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

MIN_LENGTH = 10
MAX_LENGTH = 200
# argon2-cffi's own defaults (RFC 9106's low-memory choice); settings may change them.
DEFAULT_TIME_COST, DEFAULT_MEMORY_KIB = 3, 65536


@cache
def _hasher_for(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)


def _hasher() -> PasswordHasher:
    if not has_app_context():
        return _hasher_for(DEFAULT_TIME_COST, DEFAULT_MEMORY_KIB)
    config = current_app.config
    return _hasher_for(config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_KIB"])


def hash_password(password: str) -> str:
    return _hasher().hash(password)


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("not a real password, only here to spend the same time")


def verify(password_hash: str | None, password: str) -> bool:
    """True if the password matches; an unknown account costs the same time as a known one."""
    hasher = _hasher()
    try:
        return hasher.verify(password_hash or _dummy_hash(hasher), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other costs than the settings ask for now."""
    return _hasher().check_needs_rehash(password_hash)


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
