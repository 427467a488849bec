"""The one gate: who may open which route, and who may see or act on which placement.

Every view declares its rule with `@allow(...)` or `@public` (a test walks the URL map
and fails on a route without one). Every read of case data goes through
`placement_or_404` (`audited_placement_or_404` on the NAV side) or
`visible_placements`. Someone else's placement answers 404, never
403, so its existence is not revealed. NAV-side reads of a case leave an audit line.

A participant with an account sees their own placement only, through their own pages
(OWN): never a mentor's, counsellor's, network or admin page, nor the API beyond what
their phone sends. They read the mentor's daily logs the mentor left visible to them,
and nothing else the mentor or NAV wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app, g, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mentorapp.domain import clock
from mentorapp.privacy import rules
from mentorapp.store import api_tokens, audit, participant, placements
from mentorapp.store.db import get_db, write
from mentorapp.sync import schema
from mentorapp.web.pages import is_api

MENTOR, COUNSELLOR, COORDINATOR, ADMIN = "mentor", "counsellor", "coordinator", "admin"
PARTICIPANT = "participant"
STAFF = (MENTOR, COUNSELLOR, COORDINATOR, ADMIN)
EVERYONE = (*STAFF, PARTICIPANT)
NAV_SIDE = frozenset({COUNSELLOR, ADMIN})

# What one can do with a placement.
VIEW = "view"      # read the case: logs, flags, calls, charts, reports
LOG = "log"        # the mentor writes events (daily log, flag, call request, time)
MANAGE = "manage"  # the counsellor acts: acknowledge, schedule, extend, end, change mentor
OWN = "own"        # the participant reads their own page and writes their own entries


def _scope(user) -> tuple[str, ...]:
    """The placement columns that make a placement this user's case."""
    if user.role == MENTOR:
        return ("mentor_id",)
    if user.role == COUNSELLOR:
        return ("counsellor_id", "backup_counsellor_id")
    if user.role == PARTICIPANT:
        return ("participant_user_id",)
    return ()  # coordinators and admins never see case content


def may(user, action: str, placement: dict) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.active:
        return False
    if user.role == MENTOR:
        return (action in (VIEW, LOG) and placement["mentor_id"] == user.id
                and mentor_access_open(placement))
    if user.role == COUNSELLOR:
        return action in (VIEW, MANAGE) and user.id in (
            placement["counsellor_id"], placement["backup_counsellor_id"])
    if user.role == PARTICIPANT:
        return action == OWN and placement.get("participant_user_id") == user.id
    return False


def mentor_access_open(placement: dict) -> bool:
    """A mentor keeps a placement for RETENTION_DAYS after it ends, then it is gone for
    them, as its data is (the one rule: mentorapp.privacy.rules)."""
    return not rules.is_due(placement, clock.today(), current_app.config["RETENTION_DAYS"])


def event_gate(db, user, placement: dict) -> Callable[[str, str], bool]:
    """Whether `user` may write an event of a kind at a time to `placement`, as a function
    of (occurred_at, event_type): what does not depend on the event is decided once, for
    a whole batch. A mentor writes the mentor's kinds to a placement they follow, or
    followed when the event happened (an event logged offline just before a change of
    mentor must not be lost). A participant writes the participant's kinds to their own
    placement only."""
    if not user.active:
        return _never
    if user.role == PARTICIPANT:
        if placement.get("participant_user_id") != user.id:
            return _never
        return lambda _occurred_at, event_type: event_type in schema.PARTICIPANT_TYPES
    if user.role != MENTOR or not mentor_access_open(placement):
        return _never
    if placement["mentor_id"] == user.id:
        return lambda _occurred_at, event_type: event_type in schema.MENTOR_TYPES
    return lambda occurred_at, event_type: (
        event_type in schema.MENTOR_TYPES
        and placements.was_mentor_at(db, placement["id"], user.id, occurred_at))


def _never(_occurred_at: str, _event_type: str) -> bool:
    return False


# The participant's side -------------------------------------------------------------------
# Who reads what about the participant (shown to them on their "who can read" page):
# the mentor writes the daily log and reads their own; the counsellor and the backup
# counsellor read everything on the placement, the participant's own words too; the
# participant reads the mentor's daily logs the mentor left visible, and their own words.

def mentor_logs_for(user, placement: dict) -> list[dict]:
    """The mentor's daily logs this user may read on the participant's own page: those
    left visible to the participant. Nothing at all for anyone else."""
    if not may(user, OWN, placement):
        return []
    return participant.mentor_logs(get_db(), placement["id"], visible_only=True)


def may_show_sign_in_code(user, placement: dict) -> bool:
    """The mentor shows a participant who has no e-mail a one-time code on their own
    phone; the counsellor can make one too. Only for an open participant account."""
    if placement["status"] != "active" or not placement.get("participant_user_id"):
        return False
    if user.role == MENTOR:
        return may(user, LOG, placement)
    return may(user, MANAGE, placement)


def placement_or_404(placement_id: int, action: str = VIEW) -> dict:
    """The placement if the current user may do `action` with it; else 404."""
    placement = placements.get(get_db(), placement_id)
    if placement is None or not may(current_user, action, placement):
        abort(404)
    return placement


def audited_placement_or_404(placement_id: int, action: str = VIEW, *,
                             audit_as: str | None = None) -> dict:
    """The placement as placement_or_404 gives it, and, for a NAV-side reader, the audit
    line of that read (named `audit_as`, or the route). Every route of a NAV-side
    audience opens placements this way; the name says both steps."""
    placement = placement_or_404(placement_id, action)
    if current_user.role in NAV_SIDE:
        db = get_db()
        with write(db):
            audit.record(db, user_id=current_user.id, placement_id=placement_id,
                         action=audit_as or f"{request.endpoint}")
    return placement


def visible_placements(user, **filters: Any) -> list[dict]:
    found = placements.in_scope(get_db(), _scope(user), user.id, **filters)
    if user.role == MENTOR:
        found = [p for p in found if mentor_access_open(p)]
    return found


def open_placement_ids(user) -> list[int]:
    """Every placement a mentor may still open, ended or not: what their phone may keep
    (it drops pages and refused entries of any other, mentorapp/static/js/outbox.js)."""
    if user.role != MENTOR:
        return []
    return [p["id"] for p in visible_placements(user, status=None)]


# The mentor network ---------------------------------------------------------------------
# Coordinators and mentors see the resources, gatherings, topics and messages of their own
# network only. Coordinators never see case data: the network overview reads counts
# through mentorapp.store.aggregates, never a placement.

def network_of(user) -> int | None:
    """The network whose things `user` sees: a coordinator's or a mentor's own."""
    if not getattr(user, "is_authenticated", False) or not user.active:
        return None
    if user.role not in (COORDINATOR, MENTOR):
        return None
    return user.network_id


def my_network_or_404() -> int:
    """The current user's network id; 404 for someone who belongs to none yet."""
    network_id = network_of(current_user)
    if network_id is None:
        abort(404)
    return network_id


def network_object_or_404(row: dict | None) -> dict:
    """A network's object (resource, gathering, topic, note, message) if it belongs to the
    current user's network; else 404, the same answer as for one that does not exist."""
    if row is None or row.get("network_id") is None or row["network_id"] != network_of(current_user):
        abort(404)
    return row


def may_manage_network(user) -> bool:
    """Adding resources, planning gatherings, broadcasting: the network's coordinator."""
    return network_of(user) is not None and user.role == COORDINATOR


# Route rules ----------------------------------------------------------------------------

def _unauthenticated():
    if is_api():
        response = jsonify(error="unauthenticated", message="Sign in first.")
        response.status_code = 401
        return response
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def allow(*roles: str) -> Callable:
    """Only signed-in users with one of `roles`; others get 404 (or sign-in first)."""
    unknown = set(roles) - set(EVERYONE)
    if not roles or unknown:
        raise ValueError(f"allow() needs known roles, got {roles!r}")

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            user = current_user._get_current_object()  # one read of the proxy, not two
            if not user.is_authenticated:
                return _unauthenticated()
            if user.role not in roles:
                abort(404)
            return view(*args, **kwargs)

        guarded.access_rule = roles
        return guarded

    return decorate


def signed_in(view: Callable) -> Callable:
    """Any signed-in staff user (their own account pages, alert devices). A participant
    gets 404: their own page has what they need of their account."""
    @wraps(view)
    def guarded(*args, **kwargs):
        if not current_user.is_authenticated:
            return _unauthenticated()
        if current_user.role not in STAFF:
            abort(404)
        return view(*args, **kwargs)

    guarded.access_rule = ("signed-in",)
    return guarded


def public(view: Callable) -> Callable:
    """Open to everyone: sign-in, health, the service worker, the manifest."""
    view.access_rule = ("public",)
    return view


def _bad_token():
    response = jsonify(error="invalid_token",
                       message=_("The API token is missing, wrong or revoked."))
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="mentorapp"'
    return response


def api_token(view: Callable) -> Callable:
    """For NAV systems: `Authorization: Bearer <token>` with a token an admin made for one
    office. The office it belongs to is `g.api_token["office_id"]`; the route reads only
    that office's placements. A missing, wrong or revoked token answers 401."""
    @wraps(view)
    def guarded(*args, **kwargs):
        scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return _bad_token()
        db = get_db()
        found = api_tokens.by_token(db, token.strip())
        if found is None or found["revoked_at"] is not None:
            return _bad_token()
        with write(db):
            api_tokens.used(db, found["id"])
        g.api_token = found
        return view(*args, **kwargs)

    guarded.access_rule = ("api-token",)
    return guarded


def rule_of(view: Callable) -> tuple[str, ...] | None:
    return getattr(view, "access_rule", None)
