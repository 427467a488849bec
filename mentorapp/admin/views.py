"""Admin pages: accounts (create, invite, deactivate), the audit trail of a placement or
of a NAV user, and the API tokens of NAV systems."""

from __future__ import annotations

import secrets

from flask import abort, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from mentorapp import access, accounts, vocabulary
from mentorapp.admin import bp
from mentorapp.auth import invitations
from mentorapp.forms import Form
from mentorapp.pages import invalid, render, see_other
from mentorapp.store import api_tokens, audit, orgs, placements, users
from mentorapp.store.db import get_db, write


def _options() -> dict:
    db = get_db()
    return {
        "roles": list(vocabulary.ROLES.items()),
        "offices": [(o["id"], o["name"]) for o in orgs.offices(db)],
        "networks": [(n["id"], n["name"]) for n in orgs.networks(db)],
        "workplaces": [(w["id"], w["name"]) for w in orgs.workplaces(db)],
    }


@bp.route("/users", methods=["GET", "POST"])
@access.allow(access.ADMIN)
def users_page():
    db = get_db()
    options = _options()
    if request.method == "GET":
        return render("admin/users.html", users=users.all_users(db), form=Form({}),
                      options=options, invitation_link=session.pop("invitation_link", None))
    form = Form(request.form)
    name = form.text("name", max_length=100)
    email = form.email()
    role = form.choice("role", vocabulary.ROLES)
    office_id = form.choice("office_id", [o for o, _n in options["offices"]], required=False)
    network_id = form.choice("network_id", [n for n, _n in options["networks"]], required=False)
    workplace_id = form.choice("workplace_id", [w for w, _n in options["workplaces"]],
                               required=False)
    if form.ok:
        try:
            _user_id, token = accounts.create(
                db, email=email, name=name, role=role, office_id=office_id,
                network_id=network_id, workplace_id=workplace_id, invite=True,
                created_by=current_user.id)
        except accounts.AccountError as error:
            form.error({"office": "office_id", "network": "network_id",
                        "workplace": "workplace_id"}.get(error.field, error.field), str(error))
        else:
            session["invitation_link"] = invitations.link(token)
            return see_other("admin.users_page")
    return invalid("admin/users.html", users=users.all_users(db), form=form, options=options,
                   invitation_link=None)


# The nav and the role home use this name.
bp.add_url_rule("/", endpoint="users", view_func=users_page)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@access.allow(access.ADMIN)
def set_active(user_id: int):
    db = get_db()
    user = users.get(db, user_id)
    if user is None or user_id == current_user.id:
        abort(404)
    with write(db):
        if request.form.get("active") == "1":
            users.reactivate(db, user_id)
        else:
            # Deactivating deletes the account's sessions: it is signed out everywhere at once.
            users.deactivate(db, user_id)
        audit.record(db, user_id=current_user.id, action="set_active",
                     detail=f"user {user_id} active={request.form.get('active') == '1'}")
    return see_other("admin.users_page")


@bp.route("/users/<int:user_id>/invite", methods=["POST"])
@access.allow(access.ADMIN)
def reinvite(user_id: int):
    db = get_db()
    if users.get(db, user_id) is None:
        abort(404)
    with write(db):
        token = invitations.create(db, user_id, current_user.id)
    session["invitation_link"] = invitations.link(token)
    return see_other("admin.users_page")


# What each audit action means, for the people reading the trail.
AUDIT_ACTIONS = {
    "counsellor.placement": _l("Opened the placement page"),
    "timeline": _l("Read older timeline entries"),
    "report": _l("Opened the follow-up report"),
    "report_csv": _l("Downloaded the report as CSV"),
    "api_placement": _l("Read the placement through the API"),
    "api_feed": _l("NAV system read events through the feed"),
    "caseload": _l("Opened the list of placements"),
    "flag_acknowledge": _l("Marked a problem report as seen"),
    "flag_resolve": _l("Resolved a problem report"),
    "call_seen": _l("Marked a call request as seen"),
    "call_schedule": _l("Planned a call"),
    "call_done": _l("Marked a call as done"),
    "comment": _l("Wrote to the mentor"),
    "change_mentor": _l("Changed the mentor"),
    "extend": _l("Extended the agreement"),
    "decide_extension": _l("Decided on extension"),
    "end": _l("Ended the placement"),
    "audit_trail": _l("Read the audit trail"),
}
TRAIL_LIMIT = 500


@bp.route("/audit")
@access.allow(access.ADMIN)
def audit_trail():
    """Who has opened a placement (or what one NAV user has opened), newest first."""
    db = get_db()
    placement_id = request.args.get("placement", type=int)
    user_id = request.args.get("user", type=int)
    placement = placements.get(db, placement_id) if placement_id else None
    person = users.get(db, user_id) if user_id else None
    lines: list[dict] = []
    if placement is not None:
        with write(db):
            audit.record(db, user_id=current_user.id, action="audit_trail",
                         placement_id=placement_id)
        lines = audit.trail(db, placement_id, TRAIL_LIMIT)
    elif person is not None:
        lines = audit.trail_of_user(db, user_id, TRAIL_LIMIT)
    nav_side = [u for u in users.all_users(db) if u["role"] in access.NAV_SIDE]
    return render("admin/audit.html", placement_id=placement_id, found=placement is not None,
                  user_id=user_id, person=person, lines=lines, limit=TRAIL_LIMIT,
                  people=[(u["id"], f"{u['name']} ({u['email']})") for u in nav_side],
                  action_label=lambda action: str(AUDIT_ACTIONS.get(action, action)))


# API tokens for NAV systems ----------------------------------------------------------------

# Recognisable in logs and secret scanners; not a secret itself.
TOKEN_PREFIX = "mapp_"  # noqa: S105


@bp.route("/tokens", methods=["GET", "POST"])
@access.allow(access.ADMIN)
def tokens():
    """Tokens NAV systems read the feed with: one per system and office. The token is shown
    once, when made; only its hash is stored, so a lost token is revoked and made anew."""
    db = get_db()
    offices = [(o["id"], o["name"]) for o in orgs.offices(db)]
    if request.method == "GET":
        return render("admin/tokens.html", tokens=api_tokens.all_tokens(db), form=Form({}),
                      offices=offices, new_token=session.pop("new_api_token", None))
    form = Form(request.form)
    name = form.text("name", max_length=100)
    office_id = form.choice("office_id", [o for o, _n in offices])
    if not form.ok:
        return invalid("admin/tokens.html", tokens=api_tokens.all_tokens(db), form=form,
                       offices=offices, new_token=None)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with write(db):
        token_id = api_tokens.create(db, office_id=office_id, name=name,
                                     token_hash=access.token_hash(token), hint=token[-4:],
                                     created_by=current_user.id)
        audit.record(db, user_id=current_user.id, action="api_token_created",
                     detail=f"token {token_id} ({name}) for office {office_id}")
    session["new_api_token"] = {"id": token_id, "name": name, "token": token}
    return see_other("admin.tokens")


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@access.allow(access.ADMIN)
def revoke_token(token_id: int):
    db = get_db()
    token = api_tokens.get(db, token_id)
    if token is None:
        abort(404)
    with write(db):
        if api_tokens.revoke(db, token_id):
            audit.record(db, user_id=current_user.id, action="api_token_revoked",
                         detail=f"token {token_id} ({token['name']})")
    return see_other("admin.tokens")
