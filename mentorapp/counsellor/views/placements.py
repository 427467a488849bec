"""Counsellor pages: the caseload ordered by need, a placement's page, and the changes to
the agreement. Every placement is opened through mentorapp.domain.access (404 if not theirs,
an audit line if it is)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

from flask import Response, request, session
from flask_babel import gettext as _
from flask_login import current_user

from mentorapp.auth import invitations
from mentorapp.counsellor import bp, caseload, casework, charts, forms
from mentorapp.domain import access, clock
from mentorapp.participant import accounts
from mentorapp.store import audit, events, followup, participant, placements
from mentorapp.store.db import get_db, write
from mentorapp.web.forms import Form
from mentorapp.web.pages import invalid, is_htmx, render, see_other

CHART_WEEKS = 12
TIMELINE_PAGE = 30


@bp.app_template_filter("local_input")
def local_input(moment: str) -> str:
    """A stored UTC time as the value of a datetime-local field (Oslo time)."""
    return clock.local(moment).strftime(forms.LOCAL_FORMAT)


@bp.route("/", endpoint="caseload")
@access.allow(access.COUNSELLOR)
def caseload_page():
    filters = caseload.read_filters(request.args)
    db = get_db()
    cases = access.visible_placements(
        current_user, status=None if filters.status == "all" else filters.status)
    rows = caseload.assess(db, current_user, cases)
    shown = caseload.apply(rows, filters)
    version = caseload.fingerprint(shown, filters)
    if is_htmx() and request.args.get("v") == version:
        # The page asked whether anything changed: nothing did, so there is nothing to
        # swap (htmx leaves the list alone on 204) and nothing new was shown.
        return Response(status=204)
    with write(db):
        audit.record(db, user_id=current_user.id, action="caseload",
                     detail=f"{len(shown)} shown; " + " ".join(
                         f"{k}={v}" for k, v in sorted(filters.as_args().items())))
    return render("counsellor/caseload.html", partial="counsellor/_caseload_rows.html",
                  rows=shown, total=len(rows), filters=filters, version=version,
                  choices=caseload.choices(rows), reasons=caseload.REASONS,
                  reason_counts=Counter(code for row in caseload.apply(rows, replace(
                      filters, reason=None)) for code in row.codes),
                  statuses=caseload.STATUSES, roles=caseload.ROLES,
                  needing=sum(1 for r in shown if r.needs_you))


@bp.route("/p/new", methods=["GET", "POST"])
@access.allow(access.COUNSELLOR)
def new_placement():
    options = forms.choices(current_user)
    if request.method == "GET":
        return render("counsellor/new_placement.html", form=forms.new_placement_defaults(),
                      options=options)
    form = Form(request.form)
    data = forms.read_new_placement(form, options)
    if not form.ok:
        return invalid("counsellor/new_placement.html", form=form, options=options)
    placement_id, token = casework.create_placement(get_db(), current_user, **data)
    _remember_invitation(token)
    return see_other("counsellor.placement", placement_id=placement_id)


def _remember_invitation(token: str | None) -> None:
    # The link is shown once, on the next page, for the counsellor to send to the mentor.
    if token:
        session["invitation_link"] = invitations.link(token)


def chart_weeks(placement: dict, today: date) -> list[charts.Week]:
    """The last weeks of the placement (up to today), for the charts on its page."""
    db = get_db()
    start = date.fromisoformat(placement["start_date"])
    last = min(today, date.fromisoformat(placement["end_date"]))
    if placement["status"] == "ended" and placement["ended_at"]:
        last = min(last, clock.today(clock.parse(placement["ended_at"])))
    last = max(last, start)
    first = max(start, clock.monday_of(last) - timedelta(weeks=CHART_WEEKS - 1))
    return charts.weeks(events.day_logs(db, placement["id"], first.isoformat(), last.isoformat()),
                        events.minutes_by_day(db, placement["id"], first.isoformat(),
                                              last.isoformat()),
                        first, last, placement["agreed_minutes_per_week"])


def hours_summary(placement: dict, today: date) -> dict:
    db = get_db()
    monday = clock.monday_of(today)
    first, last = caseload.hours_window(today)
    return {
        "this_week": events.minutes_between(db, placement["id"], monday.isoformat(),
                                            today.isoformat()) / 60,
        "four_weeks": events.minutes_between(db, placement["id"], first.isoformat(),
                                             last.isoformat()) / 60,
        "agreed": placement["agreed_minutes_per_week"] / 60,
    }


def timeline_cursor(rows: list[dict]) -> dict | None:
    """Where the next page of the timeline starts, if this page was full."""
    if len(rows) < TIMELINE_PAGE:
        return None
    last = rows[-1]
    return {"before_at": last["occurred_at"], "before_seq": last["seq"]}


def placement_context(placement: dict, submitted: dict | None = None) -> dict:
    db = get_db()
    submitted = submitted or {}
    today = clock.today()
    flags, calls = followup.open_matters(db, placement["id"])
    timeline = followup.timeline_page(db, placement["id"], limit=TIMELINE_PAGE)
    week_list = chart_weeks(placement, today)
    return {
        "p": placement,
        "options": forms.placement_choices(placement),
        "days_left": (date.fromisoformat(placement["end_date"]) - today).days,
        "history": placements.mentor_history(db, placement["id"]),
        "extensions": placements.extensions(db, placement["id"]),
        "flags": flags,
        "calls": calls,
        "matter_ids": {f["event_id"] for f in flags} | {c["event_id"] for c in calls},
        "suggested": {c["event_id"]: forms.suggested_call_time(c) for c in calls},
        "timeline": timeline,
        "more": timeline_cursor(timeline),
        "weeks": week_list,
        "charts": charts.all_charts(week_list),
        "hours": hours_summary(placement, today),
        "invitation_link": session.pop("invitation_link", None),
        "forms": submitted,
        "blank": Form({}),
        "parallel_form": Form({"parallel_processes": "on" if placement["parallel_processes"] else ""}),
        "mentor_form": submitted.get("mentor", Form({})),
        "extend_form": submitted.get("extend", Form({"new_end_date": forms.add_months(
            date.fromisoformat(placement["end_date"]), 3).isoformat()})),
        "decision_form": submitted.get("decision", Form({"decision": placement["extension_status"]})),
        "end_form": submitted.get("end", Form({})),
        "comment_form": submitted.get("comment", Form({})),
        "voice": participant_voice(placement),
        "participant_sign_in": session.pop("participant_sign_in", None),
    }


def participant_voice(placement: dict) -> dict:
    """The participant's own words on the placement, beside the mentor's: their goals in
    effect, what they wrote lately, and their open requests to talk."""
    db = get_db()
    return {"goals": participant.current_goals(db, placement["id"]),
            "entries": participant.own_entries(db, placement["id"], limit=12),
            "talks": participant.open_talks(db, [placement["id"]]).get(placement["id"], []),
            "has_app": accounts.has_open_account(placement)}


def placement_page(placement: dict, *, submitted: dict | None = None, status: int = 200,
                   partial: str | None = None, **extra):
    context = {**placement_context(placement, submitted), **extra}
    template = "counsellor/placement.html"
    if status == 200:
        return render(template, partial=partial, **context)
    return invalid(template, partial=partial, **context)


@bp.route("/p/<int:placement_id>")
@access.allow(access.COUNSELLOR)
def placement(placement_id: int):
    db = get_db()
    with write(db):
        # One transaction for the audit line and "seen": one disk sync per page view.
        found = access.audited_placement_or_404(placement_id, access.VIEW)
        followup.mark_seen(db, current_user.id, placement_id)
    return placement_page(found)


@bp.route("/p/<int:placement_id>/timeline")
@access.allow(access.COUNSELLOR)
def timeline(placement_id: int):
    """Older entries of the timeline, a page at a time."""
    found = access.audited_placement_or_404(placement_id, access.VIEW, audit_as="timeline")
    before_at = request.args.get("before_at", "")
    before_seq = request.args.get("before_seq", type=int)
    cursor = (before_at, before_seq) if before_at and before_seq else None
    rows = followup.timeline_page(get_db(), placement_id, limit=TIMELINE_PAGE, before=cursor)
    flags, calls = followup.open_matters(get_db(), placement_id)
    return render("counsellor/timeline.html", partial="counsellor/_timeline_items.html",
                  p=found, timeline=rows, more=timeline_cursor(rows), focus_first=is_htmx(),
                  matter_ids={f["event_id"] for f in flags} | {c["event_id"] for c in calls})


@bp.route("/p/<int:placement_id>/mentor", methods=["POST"])
@access.allow(access.COUNSELLOR)
def change_mentor(placement_id: int):
    placement = access.audited_placement_or_404(placement_id, access.MANAGE, audit_as="change_mentor")
    form = Form(request.form)
    options = forms.placement_choices(placement)
    mentor_id, new_mentor = forms.read_mentor(form, options)
    reason = form.text("reason", required=False, max_length=500)
    if mentor_id is not None and mentor_id == placement["mentor_id"]:
        form.error("mentor_id", _("This is already the mentor."))
    if not form.ok:
        return placement_page(placement, submitted={"mentor": form}, status=422)
    try:
        token = casework.change_mentor(get_db(), current_user, placement, mentor_id=mentor_id,
                                       new_mentor=new_mentor, reason=reason)
    except casework.Ended:
        form.error("mentor_id", _("The placement has ended."))
        return placement_page(placement, submitted={"mentor": form}, status=422)
    _remember_invitation(token)
    return see_other("counsellor.placement", placement_id=placement_id)


@bp.route("/p/<int:placement_id>/extend", methods=["POST"])
@access.allow(access.COUNSELLOR)
def extend(placement_id: int):
    placement = access.audited_placement_or_404(placement_id, access.MANAGE, audit_as="extend")
    form = Form(request.form)
    current_end = date.fromisoformat(placement["end_date"])
    new_end = form.date("new_end_date", earliest=current_end + timedelta(days=1),
                        latest=current_end + forms.MAX_PERIOD)
    note = form.text("note", required=False, max_length=500)
    if not form.ok:
        return placement_page(placement, submitted={"extend": form}, status=422)
    try:
        casework.extend(get_db(), current_user, placement, new_end, note)
    except casework.Ended:
        form.error("new_end_date", _("The placement has ended."))
        return placement_page(placement, submitted={"extend": form}, status=422)
    return see_other("counsellor.placement", placement_id=placement_id)


@bp.route("/p/<int:placement_id>/decision", methods=["POST"])
@access.allow(access.COUNSELLOR)
def decide_extension(placement_id: int):
    placement = access.audited_placement_or_404(placement_id, access.MANAGE, audit_as="decide_extension")
    form = Form(request.form)
    decision = form.choice("decision", ["undecided", "extending", "not_extending"])
    if not form.ok:
        return placement_page(placement, submitted={"decision": form}, status=422)
    casework.decide_extension(get_db(), current_user, placement, decision)
    return see_other("counsellor.placement", placement_id=placement_id)


@bp.route("/p/<int:placement_id>/end", methods=["POST"])
@access.allow(access.COUNSELLOR)
def end(placement_id: int):
    placement = access.audited_placement_or_404(placement_id, access.MANAGE, audit_as="end")
    form = Form(request.form)
    outcome = form.choice("outcome", ["employed", "education", "other_measure", "ended"])
    note = form.text("outcome_note", required=False, max_length=1000, multiline=True)
    if not form.ok:
        return placement_page(placement, submitted={"end": form}, status=422)
    try:
        casework.end(get_db(), current_user, placement, outcome, note)
    except casework.Ended:
        form.error("outcome", _("The placement has already ended."))
        return placement_page(placement, submitted={"end": form}, status=422)
    return see_other("counsellor.placement", placement_id=placement_id)


@bp.route("/p/<int:placement_id>/parallel", methods=["POST"])
@access.allow(access.COUNSELLOR)
def parallel_processes(placement_id: int):
    """Note that doctor, family or other services work alongside: only that they exist."""
    placement = access.audited_placement_or_404(placement_id, access.MANAGE,
                                        audit_as="parallel_processes")
    form = Form(request.form)
    casework.note_parallel_processes(get_db(), placement, form.checked("parallel_processes"))
    return see_other("counsellor.placement", placement_id=placement_id, _anchor="facts-h")
