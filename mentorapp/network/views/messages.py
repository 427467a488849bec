"""Messages: a coordinator sends a short message to every mentor of the network; it shows
in the list here at once and as a push alert that only says there is a message."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from mentorapp.domain import access
from mentorapp.network import actions, bp, forms
from mentorapp.store import broadcasts, users
from mentorapp.store.db import get_db
from mentorapp.web.forms import Form
from mentorapp.web.pages import render, see_other


def _page(*, form: Form | None = None, status: int = 200):
    network_id = access.my_network_or_404()
    db = get_db()
    return render("network/messages.html", status=status,
                  messages=broadcasts.in_network(db, network_id), form=form or Form({}),
                  mentor_count=len(users.with_role(db, "mentor", network_id=network_id)))


@bp.route("/messages")
@access.allow(access.COORDINATOR, access.MENTOR)
def messages():
    return _page()


@bp.route("/messages/new", methods=["POST"])
@access.allow(access.COORDINATOR)
def send_message():
    network_id = access.my_network_or_404()
    form = Form(request.form)
    body = forms.broadcast(form)
    if not form.ok:
        return _page(form=form, status=422)
    broadcast_id = actions.broadcast(get_db(), current_user, network_id, body)
    return see_other("network.messages", _anchor=f"b-{broadcast_id}")
