"""Signed-in sessions, kept server-side so that they can be ended at once.

The cookie carries a random token; the database keeps only its hash. Flask-Login stores
the token as the "user id", so its user loader is where a session is checked: the account
still active, the session not idle for too long. A new token is made at every sign-in and
every change of password; deactivating an account deletes its sessions.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, session, url_for
from flask_login import LoginManager, UserMixin, login_user, logout_user

from mentorapp.domain import clock
from mentorapp.store import users
from mentorapp.store.db import get_db, write

login_manager = LoginManager()
login_manager.login_view = "auth.login"
# Mobile networks change a phone's address all the time: "strong" would sign mentors out.
login_manager.session_protection = "basic"

# Where each role lands after signing in.
HOME_BY_ROLE = {
    "mentor": "mentor.home",
    "counsellor": "counsellor.caseload",
    "coordinator": "network.overview",
    "admin": "admin.users",
    "participant": "participant.home",
}

# Sessions are touched at most this often, so that reading pages is not a write each time.
TOUCH_EVERY = timedelta(minutes=1)
MENTOR_IDLE = timedelta(hours=12)


class User(UserMixin):
    def __init__(self, row: dict, token: str):
        self.row = row
        self.id: int = row["id"]
        self.role: str = row["role"]
        self.name: str = row["name"]
        self.email: str | None = row["email"]
        self.locale: str | None = row["locale"]
        self.active: bool = bool(row["active"])
        self.office_id: int | None = row["office_id"]
        self.network_id: int | None = row["network_id"]
        self.workplace_id: int | None = row["workplace_id"]
        self.phone: str | None = row["phone"]
        self._token = token

    def get_id(self) -> str:
        return self._token

    @property
    def is_active(self) -> bool:
        return self.active


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Roles whose phone stays signed in (their own phone, used at work without coverage). A
# participant signs in with a one-time link or code and has no password to come back with.
PHONE_ROLES = ("mentor", "participant")


def _idle_limit(row: dict) -> timedelta:
    if row["role"] in PHONE_ROLES:
        days = current_app.config["REMEMBER_DAYS"]
        return timedelta(days=days) if row["remember"] else MENTOR_IDLE
    return timedelta(minutes=current_app.config["IDLE_TIMEOUT_MINUTES"])


@login_manager.user_loader
def load_user(token: str) -> User | None:
    db = get_db()
    row = users.session_with_user(db, _hash(token))
    if row is None or not row["active"]:
        return None
    now = clock.now()
    idle = now - clock.parse(row["last_seen_at"])
    if idle > _idle_limit(row):
        with write(db):
            users.delete_session(db, row["id_hash"])
        return None
    if idle > TOUCH_EVERY:
        with write(db):
            users.touch_session(db, row["id_hash"], clock.iso(now))
    return User(row, token)


def start(row: dict, remember: bool = False) -> User:
    """Sign in: a fresh session (new token, new CSRF token) replaces whatever was there."""
    remember = remember and row["role"] in PHONE_ROLES
    token = secrets.token_urlsafe(32)
    # A language picked on the sign-in page is the latest word on it: keep it, and save it.
    chosen_locale = session.get("locale")
    db = get_db()
    with write(db):
        users.create_session(db, row["id"], _hash(token), remember)
        if chosen_locale and chosen_locale != row["locale"]:
            users.update(db, row["id"], locale=chosen_locale)
            row = {**row, "locale": chosen_locale}
    session.clear()
    if chosen_locale:
        session["locale"] = chosen_locale
    user = User({**row, "remember": int(remember)}, token)
    login_user(user, remember=remember,
               duration=timedelta(days=current_app.config["REMEMBER_DAYS"]))
    return user


def home_for(role: str) -> str:
    return url_for(HOME_BY_ROLE[role])


def end(user: User | None) -> None:
    if user is not None and getattr(user, "is_authenticated", False):
        db = get_db()
        with write(db):
            users.delete_session(db, _hash(user.get_id()))
    logout_user()
    session.clear()


def restart_all(user: User) -> User:
    """After a password change: every other session of the account ends; this one renews."""
    db = get_db()
    with write(db):
        users.delete_sessions(db, user.id)
    row = users.get(db, user.id)
    return start(row, remember=bool(user.row.get("remember")))
