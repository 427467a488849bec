"""Gatherings (samlinger): the coordinator plans, changes, cancels and records who came;
mentors answer yes, no or maybe, add them to their calendar and give feedback after."""

from __future__ import annotations

from flask import Response, abort, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mentorapp.domain import access, clock, vocabulary
from mentorapp.network import actions, bp, forms, ics
from mentorapp.store import gatherings
from mentorapp.store.db import get_db
from mentorapp.web.forms import Form
from mentorapp.web.pages import render, safe_next, see_other


def _gathering_or_404(gathering_id: int) -> dict:
    found = gatherings.with_counts(get_db(), gathering_id, current_user.id)
    return access.network_object_or_404(found)


def started(gathering: dict) -> bool:
    return gathering["starts_at"] <= clock.now_iso()


def ended(gathering: dict) -> bool:
    return gathering["ends_at"] <= clock.now_iso()


@bp.route("/gatherings", endpoint="gatherings")
@access.allow(access.COORDINATOR, access.MENTOR)
def gatherings_page():
    network_id = access.my_network_or_404()
    db = get_db()
    now = clock.now_iso()
    return render("network/gatherings.html",
                  upcoming=gatherings.upcoming(db, network_id, now, current_user.id),
                  past=gatherings.past(db, network_id, now, current_user.id, limit=20))


def _page(gathering: dict, *, submitted: dict | None = None, status: int = 200):
    db = get_db()
    submitted = submitted or {}
    mine = gatherings.feedback_of(db, gathering["id"], current_user.id)
    context = {
        "g": gathering, "started": started(gathering), "ended": ended(gathering),
        "feedback_form": submitted.get("feedback") or Form(
            {"rating": mine["rating"], "useful": mine["useful"], "wish": mine["wish"]}
            if mine else {}),
        "answer_form": submitted.get("answer") or Form({"answer": gathering["my_answer"] or ""}),
        "my_feedback": mine,
    }
    if access.may_manage_network(current_user):
        context["responses"] = gatherings.responses(db, gathering["id"],
                                                         gathering["network_id"])
        context["summary"] = gatherings.feedback_summary(db, gathering["id"])
        context["attendance_error"] = submitted.get("attendance_error")
    return render("network/gathering.html", status=status, **context)


@bp.route("/gatherings/<int:gathering_id>")
@access.allow(access.COORDINATOR, access.MENTOR)
def gathering(gathering_id: int):
    return _page(_gathering_or_404(gathering_id))


@bp.route("/gatherings/new", methods=["GET", "POST"])
@access.allow(access.COORDINATOR)
def new_gathering():
    network_id = access.my_network_or_404()
    if request.method == "GET":
        return render("network/gathering_form.html", form=forms.gathering_defaults(),
                      g=None)
    form = Form(request.form)
    fields = forms.gathering(form, now=clock.now())
    if not form.ok:
        return render("network/gathering_form.html", form=form, g=None, status=422)
    gathering_id = actions.plan_gathering(get_db(), current_user, network_id, fields)
    return see_other("network.gathering", gathering_id=gathering_id)


@bp.route("/gatherings/<int:gathering_id>/edit", methods=["GET", "POST"])
@access.allow(access.COORDINATOR)
def edit_gathering(gathering_id: int):
    found = _gathering_or_404(gathering_id)
    if found["cancelled_at"] or ended(found):
        abort(404)
    if request.method == "GET":
        return render("network/gathering_form.html",
                      form=forms.gathering_defaults(found), g=found)
    form = Form(request.form)
    fields = forms.gathering(form, now=clock.now(), current_start=found["starts_at"])
    if not form.ok:
        return render("network/gathering_form.html", form=form, g=found, status=422)
    actions.change_gathering(get_db(), found, fields)
    return see_other("network.gathering", gathering_id=gathering_id)


@bp.route("/gatherings/<int:gathering_id>/cancel", methods=["POST"])
@access.allow(access.COORDINATOR)
def cancel_gathering(gathering_id: int):
    found = _gathering_or_404(gathering_id)
    if not found["cancelled_at"] and not started(found):
        actions.cancel_gathering(get_db(), found)
    return see_other("network.gathering", gathering_id=gathering_id)


@bp.route("/gatherings/<int:gathering_id>/answer", methods=["POST"])
@access.allow(access.MENTOR)
def answer(gathering_id: int):
    found = _gathering_or_404(gathering_id)
    form = Form(request.form)
    value = form.choice("answer", vocabulary.GATHERING_ANSWERS)
    if found["cancelled_at"]:
        form.error("answer", _("The gathering is cancelled."))
    elif started(found):
        form.error("answer", _("The gathering has started; answers are closed."))
    if not form.ok:
        return _page(found, submitted={"answer": form}, status=422)
    actions.answer(get_db(), current_user, found, value)
    target = safe_next(request.form.get("next"),
                       url_for("network.gathering", gathering_id=gathering_id))
    return redirect(target, code=303)


@bp.route("/gatherings/<int:gathering_id>/attendance", methods=["POST"])
@access.allow(access.COORDINATOR)
def attendance(gathering_id: int):
    found = _gathering_or_404(gathering_id)
    if found["cancelled_at"] or not started(found):
        return _page(found, submitted={"attendance_error": _(
            "Attendance can be recorded once the gathering has started.")}, status=422)
    listed = [row["user_id"] for row in gatherings.responses(get_db(), gathering_id,
                                                                  found["network_id"])]
    present = set()
    for raw in request.form.getlist("present"):
        if raw.isdigit() and int(raw) in listed:
            present.add(int(raw))
    actions.record_attendance(get_db(), found, present, listed)
    return see_other("network.gathering", gathering_id=gathering_id, _anchor="attendance")


@bp.route("/gatherings/<int:gathering_id>/feedback", methods=["POST"])
@access.allow(access.MENTOR)
def give_feedback(gathering_id: int):
    found = _gathering_or_404(gathering_id)
    if found["cancelled_at"] or not ended(found):
        abort(404)
    form = Form(request.form)
    rating, useful, wish = forms.feedback(form)
    if not form.ok:
        return _page(found, submitted={"feedback": form}, status=422)
    actions.give_feedback(get_db(), current_user, found, rating=rating, useful=useful, wish=wish)
    return see_other("network.gathering", gathering_id=gathering_id, _anchor="feedback")


@bp.route("/gatherings/<int:gathering_id>/calendar.ics")
@access.allow(access.COORDINATOR, access.MENTOR)
def calendar(gathering_id: int):
    """The gathering as an iCalendar file; a cancelled one as a cancellation, so that a
    calendar that has it already marks it cancelled."""
    found = _gathering_or_404(gathering_id)
    link = url_for("network.gathering", gathering_id=gathering_id, _external=True)
    description = "\n\n".join(part for part in (
        found["agenda"],
        _("Video link: %(url)s", url=found["video_url"]) if found["video_url"] else "",
        link) if part)
    event = ics.Event(
        uid=f"gathering-{found['id']}@{request.host.split(':')[0]}",
        starts_at=clock.parse(found["starts_at"]), ends_at=clock.parse(found["ends_at"]),
        stamp=clock.parse(found["updated_at"]), sequence=found["sequence"],
        summary=found["title"], location=found["place"] or found["video_url"],
        description=description, url=link, cancelled=bool(found["cancelled_at"]))
    body = ics.calendar([event])
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="gathering-{found["id"]}.ics"')
    return response
