"""Answering the mentor from a placement's page: acknowledge or resolve a flag; see,
schedule or finish a call request; write a message.

Each form works without JavaScript (303 back to the page after a change, the page again
with the messages beside the fields and 422 after a mistake). With htmx, the answer is
only the part that changed ("what needs you" or the message form), and the timeline is
swapped out of band beside it.
"""

from __future__ import annotations

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user

from mentorapp.counsellor import bp, casework, forms
from mentorapp.counsellor.views.placements import placement_page
from mentorapp.domain import access
from mentorapp.store import events
from mentorapp.store.db import get_db
from mentorapp.web.forms import Form
from mentorapp.web.pages import is_htmx, see_other

MATTERS = "counsellor/_matters.html"
COMMENT = "counsellor/_comment.html"


def _flag_of(placement: dict, flag_id: str) -> dict:
    flag = events.flag(get_db(), flag_id)
    if flag is None or flag["placement_id"] != placement["id"]:
        abort(404)
    return flag


def _call_of(placement: dict, call_id: str) -> dict:
    call = events.call_request(get_db(), call_id)
    if call is None or call["placement_id"] != placement["id"]:
        abort(404)
    return call


def _done(placement: dict, message: str, *, partial: str = MATTERS, anchor: str = "matters"):
    """After a change: the changed part for htmx, else 303 back to the page."""
    if is_htmx():
        return placement_page(placement, partial=partial, oob=True, done_message=message)
    return see_other("counsellor.placement", placement_id=placement["id"], _anchor=anchor)


def _mistake(placement: dict, key: str, form: Form, *, partial: str = MATTERS):
    return placement_page(placement, submitted={key: form}, status=422, partial=partial, oob=False)


@bp.route("/p/<int:placement_id>/flags/<flag_id>/acknowledge", methods=["POST"])
@access.allow(access.COUNSELLOR)
def acknowledge_flag(placement_id: int, flag_id: str):
    placement = access.audited_placement_or_404(placement_id, access.MANAGE, audit_as="flag_acknowledge")
    flag = _flag_of(placement, flag_id)
    try:
        casework.acknowledge_flag(get_db(), current_user, placement, flag)
    except casework.NotOpen:
        return _done(placement, _("This report had already been answered."))
    return _done(placement, _("Marked as seen. The mentor can see that NAV has read it."))


@bp.route("/p/<int:placement_id>/flags/<flag_id>/resolve", methods=["POST"])
@access.allow(access.COUNSELLOR)
def resolve_flag(placement_id: int, flag_id: str):
    placement = access.audited_placement_or_404(placement_id, access.MANAGE, audit_as="flag_resolve")
    flag = _flag_of(placement, flag_id)
    form = Form(request.form)
    note = forms.note(form, required=True)
    if not form.ok:
        return _mistake(placement, f"resolve-{flag_id}", form)
    try:
        casework.resolve_flag(get_db(), current_user, placement, flag, note)
    except casework.NotOpen:
        return _done(placement, _("This report had already been resolved."))
    return _done(placement, _("Resolved. The mentor sees your note."))


@bp.route("/p/<int:placement_id>/calls/<call_id>/seen", methods=["POST"])
@access.allow(access.COUNSELLOR)
def call_seen(placement_id: int, call_id: str):
    placement = access.audited_placement_or_404(placement_id, access.MANAGE, audit_as="call_seen")
    call = _call_of(placement, call_id)
    try:
        casework.mark_call_seen(get_db(), current_user, placement, call)
    except casework.NotOpen:
        return _done(placement, _("This request had already been answered."))
    return _done(placement, _("Marked as seen. The mentor can see that NAV will call."))


@bp.route("/p/<int:placement_id>/calls/<call_id>/schedule", methods=["POST"])
@access.allow(access.COUNSELLOR)
def schedule_call(placement_id: int, call_id: str):
    placement = access.audited_placement_or_404(placement_id, access.MANAGE, audit_as="call_schedule")
    call = _call_of(placement, call_id)
    form = Form(request.form)
    at = forms.call_time(form)
    if not form.ok or at is None:
        return _mistake(placement, f"schedule-{call_id}", form)
    try:
        casework.schedule_call(get_db(), current_user, placement, call, at)
    except casework.NotOpen:
        form.error("at", _("This call request is already closed."))
    except casework.Ended:
        form.error("at", _("The placement has ended."))
    if not form.ok:
        return _mistake(placement, f"schedule-{call_id}", form)
    return _done(placement, _("The call is planned. The mentor sees the time and gets an alert."))


@bp.route("/p/<int:placement_id>/calls/<call_id>/done", methods=["POST"])
@access.allow(access.COUNSELLOR)
def call_done(placement_id: int, call_id: str):
    placement = access.audited_placement_or_404(placement_id, access.MANAGE, audit_as="call_done")
    call = _call_of(placement, call_id)
    form = Form(request.form)
    note = forms.note(form, required=False)
    if not form.ok:
        return _mistake(placement, f"done-{call_id}", form)
    try:
        casework.mark_call_done(get_db(), current_user, placement, call, note)
    except casework.NotOpen:
        return _done(placement, _("This call had already been closed."))
    return _done(placement, _("The call is marked as done."))


@bp.route("/p/<int:placement_id>/comment", methods=["POST"])
@access.allow(access.COUNSELLOR)
def comment(placement_id: int):
    placement = access.audited_placement_or_404(placement_id, access.MANAGE, audit_as="comment")
    form = Form(request.form)
    text = forms.note(form, "text", required=True)
    if not form.ok:
        return _mistake(placement, "comment", form, partial=COMMENT)
    try:
        casework.comment(get_db(), current_user, placement, text)
    except casework.Ended:
        form.error("text", _("The placement has ended."))
        return _mistake(placement, "comment", form, partial=COMMENT)
    return _done(placement, _("Sent. The mentor sees it on their page and gets an alert."),
                 partial=COMMENT, anchor="comment")
