"""The mentors' voice: topics proposed and voted on, feedback after gatherings seen
together by the coordinator, and the "what we changed" notes that answer it."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from mentorapp.domain import access, clock, vocabulary
from mentorapp.network import actions, bp, forms
from mentorapp.store import gatherings, voice
from mentorapp.store.db import get_db
from mentorapp.web import i18n
from mentorapp.web.forms import Form
from mentorapp.web.pages import is_htmx, render, see_other


def _topics_page(*, form: Form | None = None, status: int = 200, problem: str | None = None):
    network_id = access.my_network_or_404()
    db = get_db()
    now = clock.now_iso()
    return render("network/topics.html", status=status, problem=problem,
                  topics=voice.in_network(db, network_id, current_user.id),
                  form=form or Form({}),
                  upcoming=[g for g in gatherings.upcoming(db, network_id, now, current_user.id)
                            if not g["cancelled_at"]])


@bp.route("/topics")
@access.allow(access.COORDINATOR, access.MENTOR)
def topics():
    return _topics_page()


@bp.route("/topics/new", methods=["POST"])
@access.allow(access.MENTOR)
def propose_topic():
    network_id = access.my_network_or_404()
    form = Form(request.form)
    title, description = forms.topic(form)
    if not form.ok:
        return _topics_page(form=form, status=422)
    topic_id = actions.propose_topic(get_db(), current_user, network_id, title, description)
    return see_other("network.topics", _anchor=f"topic-{topic_id}")


def _topic_or_404(topic_id: int) -> dict:
    return access.network_object_or_404(voice.get(get_db(), topic_id))


@bp.route("/topics/<int:topic_id>/vote", methods=["POST"])
@access.allow(access.MENTOR)
def vote(topic_id: int):
    """Vote, or withdraw the vote (withdraw=1). One vote per mentor and topic."""
    topic = _topic_or_404(topic_id)
    if topic["status"] == "open":  # once planned or taken up, the count stands
        actions.vote(get_db(), current_user, topic,
                     withdraw=request.form.get("withdraw") == "1")
    if is_htmx():
        row = next(t for t in voice.in_network(get_db(), topic["network_id"], current_user.id)
                   if t["id"] == topic_id)
        return render("network/_topic.html", t=row)
    return see_other("network.topics", _anchor=f"topic-{topic_id}")


@bp.route("/topics/<int:topic_id>/status", methods=["POST"])
@access.allow(access.COORDINATOR)
def topic_status(topic_id: int):
    topic = _topic_or_404(topic_id)
    form = Form(request.form)
    db = get_db()
    status = form.choice("status", vocabulary.TOPIC_STATUS)
    choices = [g["id"] for g in gatherings.in_network(db, topic["network_id"])]
    gathering_id = form.choice("gathering_id", choices, required=False)
    if not form.ok:
        return _topics_page(status=422, problem=_("Choose a status, and a gathering from the list."))
    actions.set_topic_status(db, topic, status, gathering_id)
    return see_other("network.topics", _anchor=f"topic-{topic_id}")


# Feedback and what we changed ----------------------------------------------------------

@bp.route("/feedback")
@access.allow(access.COORDINATOR)
def feedback():
    """Every past gathering with its feedback summed up: the coordinator's view of what
    the mentors said, without names."""
    network_id = access.my_network_or_404()
    db = get_db()
    past = gatherings.past(db, network_id, clock.now_iso(), current_user.id, limit=50)
    summaries = [(g, gatherings.feedback_summary(db, g["id"])) for g in past
                 if not g["cancelled_at"]]
    return render("network/feedback.html", summaries=summaries)


def _changes_page(*, form: Form | None = None, status: int = 200):
    network_id = access.my_network_or_404()
    db = get_db()
    past = [g for g in gatherings.past(db, network_id, clock.now_iso(), current_user.id)
            if not g["cancelled_at"]]
    return render("network/changes.html", status=status,
                  notes=voice.notes(db, network_id), form=form or Form({}),
                  gathering_options=[(g["id"], f"{g['title']} ({i18n.day(g['starts_at'])})")
                                     for g in past])


@bp.route("/changes")
@access.allow(access.COORDINATOR, access.MENTOR)
def changes():
    return _changes_page()


@bp.route("/changes/new", methods=["POST"])
@access.allow(access.COORDINATOR)
def publish_note():
    network_id = access.my_network_or_404()
    form = Form(request.form)
    db = get_db()
    past = [g["id"] for g in gatherings.past(db, network_id, clock.now_iso(), current_user.id)]
    title, body, gathering_id = forms.note(form, past)
    if not form.ok:
        return _changes_page(form=form, status=422)
    actions.publish_note(db, current_user, network_id, title=title, body=body,
                         gathering_id=gathering_id)
    return see_other("network.changes")


@bp.route("/changes/<int:note_id>/delete", methods=["POST"])
@access.allow(access.COORDINATOR)
def delete_note(note_id: int):
    note = access.network_object_or_404(voice.note(get_db(), note_id))
    actions.delete_note(get_db(), note)
    return see_other("network.changes")

