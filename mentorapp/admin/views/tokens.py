"""API tokens of NAV systems: issued once (shown one time), revoked, stored as a hash."""

from __future__ import annotations

import secrets

from flask import abort, request, session
from flask_login import current_user

from mentorapp.admin import bp
from mentorapp.domain import access
from mentorapp.store import api_tokens, audit, orgs
from mentorapp.store.db import get_db, write
from mentorapp.web.forms import Form
from mentorapp.web.pages import invalid, render, see_other

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
        token_id = api_tokens.create(db, office_id=office_id, name=name, token=token,
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
