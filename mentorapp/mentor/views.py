"""Mentor pages. Every placement read goes through mentorapp.domain.access.

Each form works without JavaScript (it posts here and goes through sync.ingest); with
JavaScript the same form goes into the phone's outbox first (static/js/mentor.js).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta

from flask import abort, jsonify, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mentorapp.auth import invitations
from mentorapp.counsellor import casework
from mentorapp.domain import access, clock, vocabulary
from mentorapp.mentor import bp, cases, entries, mentortime, texts
from mentorapp.participant import accounts
from mentorapp.store import events
from mentorapp.store.db import get_db
from mentorapp.web import i18n
from mentorapp.web.forms import Form
from mentorapp.web.pages import invalid, render, see_other

# Where each kind of entry goes after it is saved, and the page its form is on.
AFTER_SAVE = {"daily_log": "mentor.home", "flag": "mentor.placement",
              "call_request": "mentor.placement", "time": "mentor.time",
              "comment": "mentor.placement"}
TEMPLATES = {"daily_log": "mentor/log.html", "flag": "mentor/flag.html",
             "call_request": "mentor/call.html", "time": "mentor/time_entry.html",
             "comment": "mentor/message.html"}


@bp.after_request
def never_in_the_http_cache(response):
    # Case pages are kept by the service worker (and removed from it at logout), never by
    # the browser's own caches: the next person on a shared phone cannot page back to them.
    # The one exception is the scripts' texts under their fingerprinted URL: the same
    # sentences for everyone, nobody's data.
    if request.endpoint == "mentor.texts_for_scripts" and request.args.get("v"):
        return response
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_template_filter("duration")
def duration(minutes: int | None) -> str:
    """Minutes as hours and minutes, the way the mentor grant is counted."""
    minutes = int(minutes or 0)
    hours, rest = divmod(abs(minutes), 60)
    sign = "−" if minutes < 0 else ""
    if not hours:
        return sign + _("%(minutes)d min", minutes=rest)
    if not rest:
        return sign + _("%(hours)d h", hours=hours)
    return sign + _("%(hours)d h %(minutes)d min", hours=hours, minutes=rest)


def _warm_urls(placements: list[dict]) -> list[str]:
    """The pages the phone keeps for a day without coverage."""
    urls = [url_for("mentor.home"), url_for("mentor.time"), url_for("mentor.outbox")]
    for p in placements:
        for endpoint in ("mentor.placement", "mentor.log", "mentor.flag", "mentor.call",
                         "mentor.time_entry", "mentor.message"):
            urls.append(url_for(endpoint, placement_id=p["id"]))
    return urls


@bp.context_processor
def mentor_context() -> dict:
    if not current_user.is_authenticated or current_user.role != access.MENTOR:
        return {}
    placements = access.visible_placements(current_user)
    # The texts' own fingerprint in the URL: the service worker keeps them until they change.
    version = hashlib.sha256(json.dumps(texts.js_texts()).encode()).hexdigest()[:12]
    return {"texts_url": url_for("mentor.texts_for_scripts", lang=i18n.current_locale(), v=version),
            "warm_urls": " ".join(_warm_urls(placements)), "rendered_at": clock.now_iso()}


def _saved_notice() -> str | None:
    return session.pop("mentor_saved", None) if request.method == "GET" else None


@bp.route("/")
@access.allow(access.MENTOR)
def home():
    db = get_db()
    states = [cases.today_state(db, p, current_user.id)
              for p in access.visible_placements(current_user)]
    return render("mentor/home.html", cases=states, saved=_saved_notice())


@bp.route("/p/<int:placement_id>")
@access.allow(access.MENTOR)
def placement(placement_id: int):
    p = access.placement_or_404(placement_id, access.VIEW)
    view = cases.placement_view(get_db(), p, current_user.id)
    return render("mentor/placement.html", p=p, view=view, saved=_saved_notice(),
                  participant_has_app=accounts.has_open_account(p))


@bp.route("/p/<int:placement_id>/participant-code", methods=["POST"])
@access.allow(access.MENTOR)
def participant_code(placement_id: int):
    """A one-time code the mentor shows the participant on this phone (for someone with
    no e-mail, or a new phone). Answered with the page itself, never a redirect: the
    service worker keeps GET pages only, so the code is never kept on the phone."""
    p = access.placement_or_404(placement_id, access.LOG)
    if not access.may_show_sign_in_code(current_user, p) or \
            not accounts.has_open_account(p):
        abort(404)
    token, code = accounts.new_sign_in(get_db(), current_user, p)
    return render("mentor/participant_code.html", p=p, code=code,
                  link=invitations.link(token), minutes=invitations.CODE_MINUTES)


# Entry forms -------------------------------------------------------------------------------

def _chip_options(choices: dict, optional: bool) -> list[tuple]:
    options = [(code, str(label)) for code, label in choices.items()]
    return [("", _("Not noted")), *options] if optional else options


def _form_context(kind: str, placement: dict, form: Form) -> dict:
    db = get_db()
    context = {"p": placement, "form": form, "kind": kind,
               "event_id": form.data.get("event_id") or entries.new_event_id(),
               "today": clock.today(), "earliest": entries.earliest_day(placement),
               "ended": casework.has_ended(placement)}
    if kind == "daily_log":
        chips = events.task_chips(db, placement["id"])
        chips += [t for t in form.values_of("tasks") if t and t not in chips]
        context.update(
            task_options=[(t, t) for t in chips],
            attendance_options=_chip_options(vocabulary.ATTENDANCE, False),
            mastery_options=_chip_options(vocabulary.MASTERY, True),
            social_options=_chip_options(vocabulary.SOCIAL, True),
            wellbeing_options=_chip_options(vocabulary.WELLBEING, True),
            days_json=cases.correction_days(db, placement, current_user.id),
            participant_has_app=accounts.has_open_account(placement))
    elif kind == "flag":
        context.update(category_options=_chip_options(vocabulary.FLAG_CATEGORIES, False),
                       severity_options=_chip_options(vocabulary.SEVERITY, False))
    elif kind == "call_request":
        context.update(urgency_options=_chip_options(vocabulary.URGENCY, False),
                       window_options=_chip_options(vocabulary.CALL_WINDOWS, False))
    elif kind == "comment":
        context["recent"] = [e for e in cases.recent_entries(db, placement["id"], current_user.id)
                             if e["type"] in ("comment", "nav_comment")][:10]
    return context


def _defaults(kind: str, placement: dict) -> tuple[dict, dict | None]:
    today = clock.today()
    if kind == "daily_log":
        day = today
        try:
            asked = date.fromisoformat(request.args.get("date", ""))
            if entries.earliest_day(placement) <= asked <= today:
                day = asked
        except ValueError:
            pass
        return cases.log_defaults(get_db(), placement, current_user.id, day)
    if kind == "flag":
        return {}, None
    if kind == "call_request":
        return {"phone": current_user.phone or "", "windows": []}, None
    if kind == "time":
        return {"date": today.isoformat()}, None
    return {}, None


def _entry(kind: str, placement_id: int):
    action = access.VIEW if request.method == "GET" else access.LOG
    placement = access.placement_or_404(placement_id, action)
    template = TEMPLATES[kind]
    if request.method == "GET":
        defaults, original = _defaults(kind, placement)
        return render(template, **_form_context(kind, placement, Form(defaults)),
                      original=original)
    form = Form(request.form)
    payload = entries.READERS[kind](form, placement)
    if casework.has_ended(placement):
        form.error("_entry", _("The placement has ended: nothing more can be logged on it."))
    if not form.ok:
        return invalid(template, **_form_context(kind, placement, form), original=None,
                       problem=form.errors.get("_entry"))
    outcome = entries.store(get_db(), current_user, kind, placement, payload,
                            entries.form_event_id(form))
    if not outcome.ok:
        message = outcome.message or _("NAV could not accept this entry.")
        if outcome.field and outcome.field in request.form:
            form.error(outcome.field, message)
        return invalid(template, **_form_context(kind, placement, form), original=None,
                       problem=message)
    session["mentor_saved"] = kind
    endpoint = AFTER_SAVE[kind]
    if endpoint == "mentor.placement":
        return see_other(endpoint, placement_id=placement_id)
    return see_other(endpoint)


@bp.route("/p/<int:placement_id>/log", methods=["GET", "POST"])
@access.allow(access.MENTOR)
def log(placement_id: int):
    return _entry("daily_log", placement_id)


@bp.route("/p/<int:placement_id>/flag", methods=["GET", "POST"])
@access.allow(access.MENTOR)
def flag(placement_id: int):
    return _entry("flag", placement_id)


@bp.route("/p/<int:placement_id>/call", methods=["GET", "POST"])
@access.allow(access.MENTOR)
def call(placement_id: int):
    return _entry("call_request", placement_id)


@bp.route("/p/<int:placement_id>/time", methods=["GET", "POST"])
@access.allow(access.MENTOR)
def time_entry(placement_id: int):
    return _entry("time", placement_id)


@bp.route("/p/<int:placement_id>/message", methods=["GET", "POST"])
@access.allow(access.MENTOR)
def message(placement_id: int):
    return _entry("comment", placement_id)


# Time and the phone's outbox ----------------------------------------------------------------

@bp.route("/time")
@access.allow(access.MENTOR)
def time():
    db = get_db()
    monday = mentortime.parse_week(request.args.get("week"))
    this_monday = clock.monday_of(clock.today())
    if monday > this_monday:
        monday = this_monday
    sheets = []
    for p in access.visible_placements(current_user):
        sheets.append({"placement": p, "week": mentortime.week_of(db, p, monday),
                       "history": mentortime.recent_weeks(db, p, monday)})
    previous = mentortime.week_code(monday - timedelta(weeks=1))
    following = (mentortime.week_code(monday + timedelta(weeks=1))
                 if monday < this_monday else None)
    return render("mentor/time.html", sheets=sheets, monday=monday,
                  sunday=monday + timedelta(days=6),
                  week_number=monday.isocalendar()[1], previous=previous, following=following,
                  is_this_week=monday == this_monday, saved=_saved_notice(),
                  locale=i18n.current_locale())


@bp.route("/texts.json")
@access.allow(access.MENTOR)
def texts_for_scripts():
    """The sentences the scripts show, in the mentor's language. Fetched once and kept by
    the service worker, instead of weighing down every page. Under the URL the pages
    name (language and a fingerprint of the texts) the answer never changes, so the
    browser keeps it too: the worker's copy then comes from the browser, not the network."""
    response = jsonify(texts.js_texts())
    if request.args.get("v"):
        response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


@bp.route("/outbox")
@access.allow(access.MENTOR)
def outbox():
    """What waits on this phone and what it sent lately: drawn by the script from the
    phone's own storage (the server cannot know what a phone holds)."""
    return render("mentor/outbox.html")
