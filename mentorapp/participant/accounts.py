"""The participant's account: made by the counsellor's invitation, signed in with a
one-time link or a short code the mentor can show, and closed by the participant.

Each step is one transaction with a line on the placement's timeline; closing the account
also leaves an audit line, whatever the participant chose for their own entries.
"""

from __future__ import annotations

import sqlite_utils

from mentorapp.auth import invitations
from mentorapp.counsellor import casework
from mentorapp.store import audit, participant, users
from mentorapp.store.db import write


def has_open_account(placement: dict) -> bool:
    return bool(placement.get("participant_user_id") and placement.get("participant_account_active"))


def invite(db: sqlite_utils.Database, counsellor, placement: dict) -> tuple[str, str]:
    """A new participant account for the placement; its one-time link's token and code.
    The account holds the participant's display name and nothing else (no e-mail)."""
    with write(db):
        user_id = users.create(db, email=None, name=placement["participant_name"],
                               role="participant")
        participant.link_account(db, placement["id"], user_id)
        token = invitations.create(db, user_id, created_by=counsellor.id)
        code = invitations.create_code(db, user_id, created_by=counsellor.id)
        casework.record_nav_event(db, author_id=counsellor.id, placement_id=placement["id"],
                                event_type="participant_invited", payload={})
    return token, code


def new_sign_in(db: sqlite_utils.Database, by, placement: dict) -> tuple[str, str]:
    """A fresh link and code for the participant's open account (a new phone, a lost
    code); the ones made before stop working."""
    user_id = placement["participant_user_id"]
    with write(db):
        users.close_invitations(db, user_id)
        token = invitations.create(db, user_id, created_by=by.id)
        code = invitations.create_code(db, user_id, created_by=by.id)
    return token, code


def close(db: sqlite_utils.Database, person, placement: dict, *,
          delete_entries: bool) -> int:
    """The participant takes back the app access: the account is closed (every session
    ends, no link or code works), their own entries are kept or deleted as they chose,
    and an audit line says so. Returns how many entries were deleted."""
    with write(db):
        removed = (participant.delete_own_entries(db, placement["id"], person.id)
                   if delete_entries else 0)
        users.close_invitations(db, person.id)
        users.deactivate(db, person.id)
        choice = "deleted" if delete_entries else "kept"
        casework.record_nav_event(db, author_id=person.id, placement_id=placement["id"],
                                event_type="participant_account_closed",
                                payload={"entries": choice})
        audit.record(db, user_id=person.id, placement_id=placement["id"],
                     action="participant_account_closed",
                     detail=f"own entries {choice}" + (f" ({removed})" if delete_entries else ""))
    return removed
