"""The participant's pages. Their own placement only, found through the one gate
(mentorapp.domain.access): the URLs carry no placement id, and every other page of the
app answers them 404.

Each form works without JavaScript (it posts here and goes through sync.ingest); with
JavaScript the same form goes into the phone's outbox first, as on the mentor's phone.
"""

from __future__ import annotations

import hashlib
import json

from flask import abort, jsonify, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mentorapp.auth import sessions
from mentorapp.domain import access, clock, vocabulary
from mentorapp.mentor import entries
from mentorapp.participant import accounts, bp, forms, texts
from mentorapp.store import participant
from mentorapp.store.db import get_db
from mentorapp.web import i18n
from mentorapp.web.forms import Form
from mentorapp.web.pages import invalid, render, see_other

TEMPLATES = {"participant_checkin": "participant/checkin.html",
             "participant_goals": "participant/goals.html",
             "talk_request": "participant/talk.html"}


@bp.after_request
def never_in_the_http_cache(response):
    # As the mentor's pages: kept by the service worker only, and removed at logout.
    response.headers["Cache-Control"] = "no-store"
    return response


def own_placement() -> dict:
    """The participant's own placement, through the gate; 404 if there is none."""
    found = access.visible_placements(current_user, status=None)
    if not found:
        abort(404)
    return access.placement_or_404(found[0]["id"], access.OWN)


def _warm_urls() -> list[str]:
    """The pages the phone keeps for a day without coverage."""
    return [url_for("participant.home"), url_for("participant.checkin", period="day"),
            url_for("participant.checkin", period="week"), url_for("participant.goals"),
            url_for("participant.talk"), url_for("participant.mentor_notes"),
            url_for("participant.privacy"), url_for("participant.outbox")]


@bp.context_processor
def participant_context() -> dict:
    if not current_user.is_authenticated or current_user.role != access.PARTICIPANT:
        return {}
    version = hashlib.sha256(json.dumps(texts.js_texts()).encode()).hexdigest()[:12]
    return {"texts_url": url_for("participant.texts_for_scripts", lang=i18n.current_locale(),
                                 v=version),
            "warm_urls": " ".join(_warm_urls()), "rendered_at": clock.now_iso(),
            "faces": vocabulary.MOOD_FACES}


def _saved_notice() -> str | None:
    return session.pop("participant_saved", None) if request.method == "GET" else None


@bp.route("/")
@access.allow(access.PARTICIPANT)
def home():
    p = own_placement()
    db = get_db()
    mine = participant.own_entries(db, p["id"], limit=20)
    return render("participant/home.html", p=p, saved=_saved_notice(), mine=mine[:10],
                  last_checkin=next((e for e in mine if e["type"] == "participant_checkin"), None),
                  open_talk=any(e["type"] == "talk_request" and e["talk_status"] == "open"
                                for e in mine))


# Entry forms ---------------------------------------------------------------------------------

def _period() -> str:
    asked = request.values.get("period", "day")
    return asked if asked in vocabulary.CHECKIN_PERIODS else "day"


def _form_context(kind: str, placement: dict, form: Form) -> dict:
    context = {"p": placement, "form": form, "kind": kind,
               "event_id": form.data.get("event_id") or entries.new_event_id(),
               "ended": placement["status"] != "active"}
    if kind == "participant_checkin":
        context.update(period=_period(), moods=vocabulary.MOODS)
    if kind == "participant_goals":
        context["own_goals"] = participant.current_goals(get_db(), placement["id"])
    return context


def _defaults(kind: str, placement: dict) -> dict:
    if kind == "participant_checkin":
        return {"period": _period()}
    if kind == "participant_goals":
        current = participant.current_goals(get_db(), placement["id"])
        return {"text": current["payload"]["text"] if current else ""}
    return {}


def _entry(kind: str):
    placement = own_placement()
    template = TEMPLATES[kind]
    if request.method == "GET":
        return render(template, **_form_context(kind, placement, Form(_defaults(kind, placement))))
    form = Form(request.form)
    payload = forms.READERS[kind](form)
    if placement["status"] != "active":
        form.error("_entry", _("Your placement has ended. You cannot write more here."))
    if not form.ok:
        return invalid(template, **_form_context(kind, placement, form),
                       problem=form.errors.get("_entry"))
    outcome = entries.store(get_db(), current_user, kind, placement, payload,
                                  entries.form_event_id(form))
    if not outcome.ok:
        message = outcome.message or _("This could not be saved.")
        if outcome.field and outcome.field in request.form:
            form.error(outcome.field, message)
        return invalid(template, **_form_context(kind, placement, form), problem=message)
    session["participant_saved"] = kind
    return see_other("participant.home")


@bp.route("/checkin", methods=["GET", "POST"])
@access.allow(access.PARTICIPANT)
def checkin():
    return _entry("participant_checkin")


@bp.route("/goals", methods=["GET", "POST"])
@access.allow(access.PARTICIPANT)
def goals():
    return _entry("participant_goals")


@bp.route("/talk", methods=["GET", "POST"])
@access.allow(access.PARTICIPANT)
def talk():
    return _entry("talk_request")


# Reading --------------------------------------------------------------------------------------

@bp.route("/mentor")
@access.allow(access.PARTICIPANT)
def mentor_notes():
    """What the mentor logged, as far as the mentor left it visible to the participant."""
    p = own_placement()
    return render("participant/mentor_notes.html", p=p,
                  logs=access.mentor_logs_for(current_user, p))


@bp.route("/privacy")
@access.allow(access.PARTICIPANT)
def privacy():
    """Who can read what about the participant, and taking back the app access."""
    p = own_placement()
    return render("participant/privacy.html", p=p, form=Form({}))


@bp.route("/close", methods=["POST"])
@access.allow(access.PARTICIPANT)
def close_account():
    p = own_placement()
    form = Form(request.form)
    choice = form.choice("entries", ("keep", "delete"))
    if not form.checked("sure"):
        form.error("sure", _("Tick the box if you are sure."))
    if not form.ok:
        return invalid("participant/privacy.html", p=p, form=form)
    accounts.close(get_db(), current_user._get_current_object(), p,
                   delete_entries=choice == "delete")
    sessions.end(current_user)
    return render("participant/closed.html", deleted=choice == "delete")


@bp.route("/texts.json")
@access.allow(access.PARTICIPANT)
def texts_for_scripts():
    return jsonify(texts.js_texts())


@bp.route("/outbox")
@access.allow(access.PARTICIPANT)
def outbox():
    """What waits on this phone: drawn by the script from the phone's own storage."""
    return render("participant/outbox.html", p=own_placement())
