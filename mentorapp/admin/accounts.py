"""Creating accounts, shared by the admin pages and the `mentorapp create-user` command."""

from __future__ import annotations

import sqlite_utils
from flask_babel import gettext as _

from mentorapp.auth import invitations, passwords
from mentorapp.store import orgs, users
from mentorapp.store.db import write


class AccountError(ValueError):
    """What is wrong with the account asked for, in words for the person asking."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def check(db: sqlite_utils.Database, *, email: str, role: str, office_id: int | None,
          network_id: int | None, workplace_id: int | None = None,
          password: str | None = None) -> None:
    """Raise AccountError for the first thing that would make a bad account."""
    if role not in users.STAFF_ROLES:
        raise AccountError("role", _("Unknown role."))
    if users.email_taken(db, email):
        raise AccountError("email", _("Someone already has this e-mail address."))
    if role == "counsellor" and orgs.get(db, "offices", office_id) is None:
        raise AccountError("office", _("A counsellor belongs to a NAV office: give an existing office."))
    if role in ("coordinator", "mentor") and orgs.get(db, "networks", network_id) is None:
        raise AccountError("network", _("A coordinator or mentor belongs to a mentor network: give an existing network."))
    if office_id is not None and orgs.get(db, "offices", office_id) is None:
        raise AccountError("office", _("There is no office with this id."))
    if workplace_id is not None and orgs.get(db, "workplaces", workplace_id) is None:
        raise AccountError("workplace", _("There is no workplace with this id."))
    if password is not None:
        problem = passwords.problem(password, email)
        if problem:
            raise AccountError("password", _("The password is too weak: use at least %(count)d different-looking characters.", count=passwords.MIN_LENGTH))


def create(db: sqlite_utils.Database, *, email: str, name: str, role: str,
           office_id: int | None = None, network_id: int | None = None,
           workplace_id: int | None = None, phone: str | None = None,
           password: str | None = None, invite: bool = False,
           created_by: int | None = None) -> tuple[int, str | None]:
    """Create the account (checked first; all or nothing); return its id and any invite token."""
    check(db, email=email, role=role, office_id=office_id, network_id=network_id,
          workplace_id=workplace_id, password=password)
    with write(db):
        user_id = users.create(
            db, email=email, name=name, role=role, office_id=office_id,
            network_id=network_id, workplace_id=workplace_id, phone=phone,
            password_hash=passwords.hash_password(password) if password else None)
        token = invitations.create(db, user_id, created_by) if invite else None
    return user_id, token
