"""Admin pages for accounts: create (with an invitation), deactivate, invite again."""

from __future__ import annotations

from flask import abort, request, session
from flask_login import current_user

from mentorapp.admin import accounts, bp
from mentorapp.auth import invitations
from mentorapp.domain import access, vocabulary
from mentorapp.store import audit, orgs, users
from mentorapp.store.db import get_db, write
from mentorapp.web.forms import Form
from mentorapp.web.pages import invalid, render, see_other


def _options() -> dict:
    db = get_db()
    return {
        "roles": list(vocabulary.STAFF_ROLES.items()),
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
    role = form.choice("role", vocabulary.STAFF_ROLES)
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
