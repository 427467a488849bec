"""Counsellor pages. Every placement is opened through mentorapp.access (404 if not theirs)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import request, session
from flask_babel import gettext as _
from flask_login import current_user

from mentorapp import access, casework, clock
from mentorapp.auth import invitations
from mentorapp.counsellor import bp, placement_forms
from mentorapp.forms import Form
from mentorapp.pages import invalid, render, see_other
from mentorapp.store import audit, events, placements
from mentorapp.store.db import get_db, write


@bp.route("/")
@access.allow(access.COUNSELLOR)
def caseload():
    status = request.args.get("status", "active")
    rows = access.visible_placements(current_user,
                                     status=status if status in ("active", "ended") else None)
    db = get_db()
    with write(db):
        audit.record(db, user_id=current_user.id, action="caseload")
    return render("counsellor/caseload.html", placements=rows, shown=status)


@bp.route("/p/new", methods=["GET", "POST"])
@access.allow(access.COUNSELLOR)
def new_placement():
    options = placement_forms.choices(current_user)
    if request.method == "GET":
        return render("counsellor/new_placement.html", form=placement_forms.new_placement_defaults(),
                      options=options)
    form = Form(request.form)
    data = placement_forms.read_new_placement(form, options)
    if not form.ok:
        return invalid("counsellor/new_placement.html", form=form, options=options)
    placement_id, token = casework.create_placement(get_db(), current_user, **data)
    _remember_invitation(token)
    return see_other("counsellor.placement", placement_id=placement_id)


def _remember_invitation(token: str | None) -> None:
    # The link is shown once, on the next page, for the counsellor to send to the mentor.
    if token:
        session["invitation_link"] = invitations.link(token)


def _placement_page(placement: dict, *, forms: dict | None = None, status: int = 200):
    db = get_db()
    options = placement_forms.choices(current_user)
    forms = forms or {}
    today = clock.today()
    context = {
        "p": placement,
        "options": options,
        "days_left": (date.fromisoformat(placement["end_date"]) - today).days,
        "history": placements.mentor_history(db, placement["id"]),
        "extensions": placements.extensions(db, placement["id"]),
        "timeline": events.timeline(db, placement["id"], limit=30),
        "invitation_link": session.pop("invitation_link", None),
        "mentor_form": forms.get("mentor", Form({})),
        "extend_form": forms.get("extend", Form({"new_end_date": placement_forms.add_months(
            date.fromisoformat(placement["end_date"]), 3).isoformat()})),
        "decision_form": forms.get("decision", Form({"decision": placement["extension_status"]})),
        "end_form": forms.get("end", Form({})),
    }
    template = "counsellor/placement.html"
    return render(template, **context) if status == 200 else invalid(template, **context)


@bp.route("/p/<int:placement_id>")
@access.allow(access.COUNSELLOR)
def placement(placement_id: int):
    return _placement_page(access.placement_or_404(placement_id, access.VIEW))


@bp.route("/p/<int:placement_id>/mentor", methods=["POST"])
@access.allow(access.COUNSELLOR)
def change_mentor(placement_id: int):
    placement = access.placement_or_404(placement_id, access.MANAGE, audit_as="change_mentor")
    form = Form(request.form)
    options = placement_forms.choices(current_user)
    mentor_id, new_mentor = placement_forms.read_mentor(form, options)
    reason = form.text("reason", required=False, max_length=500)
    if mentor_id is not None and mentor_id == placement["mentor_id"]:
        form.error("mentor_id", _("This is already the mentor."))
    if placement["status"] != "active":
        form.error("mentor_id", _("The placement has ended."))
    if not form.ok:
        return _placement_page(placement, forms={"mentor": form}, status=422)
    token = casework.change_mentor(get_db(), current_user, placement, mentor_id=mentor_id,
                                   new_mentor=new_mentor, reason=reason)
    _remember_invitation(token)
    return see_other("counsellor.placement", placement_id=placement_id)


@bp.route("/p/<int:placement_id>/extend", methods=["POST"])
@access.allow(access.COUNSELLOR)
def extend(placement_id: int):
    placement = access.placement_or_404(placement_id, access.MANAGE, audit_as="extend")
    form = Form(request.form)
    current_end = date.fromisoformat(placement["end_date"])
    new_end = form.date("new_end_date", earliest=current_end + timedelta(days=1),
                        latest=current_end + placement_forms.MAX_PERIOD)
    note = form.text("note", required=False, max_length=500)
    if placement["status"] != "active":
        form.error("new_end_date", _("The placement has ended."))
    if not form.ok:
        return _placement_page(placement, forms={"extend": form}, status=422)
    casework.extend(get_db(), current_user, placement, new_end, note)
    return see_other("counsellor.placement", placement_id=placement_id)


@bp.route("/p/<int:placement_id>/decision", methods=["POST"])
@access.allow(access.COUNSELLOR)
def decide_extension(placement_id: int):
    placement = access.placement_or_404(placement_id, access.MANAGE, audit_as="decide_extension")
    form = Form(request.form)
    decision = form.choice("decision", ["undecided", "extending", "not_extending"])
    if not form.ok:
        return _placement_page(placement, forms={"decision": form}, status=422)
    casework.decide_extension(get_db(), current_user, placement, decision)
    return see_other("counsellor.placement", placement_id=placement_id)


@bp.route("/p/<int:placement_id>/end", methods=["POST"])
@access.allow(access.COUNSELLOR)
def end(placement_id: int):
    placement = access.placement_or_404(placement_id, access.MANAGE, audit_as="end")
    form = Form(request.form)
    outcome = form.choice("outcome", ["employed", "education", "other_measure", "ended"])
    note = form.text("outcome_note", required=False, max_length=1000, multiline=True)
    if placement["status"] != "active":
        form.error("outcome", _("The placement has already ended."))
    if not form.ok:
        return _placement_page(placement, forms={"end": form}, status=422)
    casework.end(get_db(), current_user, placement, outcome, note)
    return see_other("counsellor.placement", placement_id=placement_id)
