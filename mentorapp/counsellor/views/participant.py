"""The participant's own voice on the counsellor's side: invite the participant to their
own app (a one-time link, or a code for someone without e-mail; again for a new phone),
and mark "I want to talk to my counsellor" as done."""

from __future__ import annotations

from flask import abort, session
from flask_babel import gettext as _
from flask_login import current_user

from mentorapp.auth import invitations
from mentorapp.counsellor import bp, casework
from mentorapp.counsellor.views.placements import placement_page
from mentorapp.domain import access
from mentorapp.participant import accounts
from mentorapp.store import participant
from mentorapp.store.db import get_db, write
from mentorapp.web.pages import see_other


def _remember_sign_in(token: str, code: str) -> None:
    # Shown once, on the next page (the counsellor's pages are not kept by the phone).
    session["participant_sign_in"] = {"link": invitations.link(token), "code": code}


@bp.route("/p/<int:placement_id>/participant/invite", methods=["POST"])
@access.allow(access.COUNSELLOR)
def invite_participant(placement_id: int):
    """Invite the participant to their own app; when they have it already, a new link and
    code (a new phone, a lost code), and the ones made before stop working."""
    placement = access.audited_placement_or_404(placement_id, access.MANAGE, audit_as="participant_invite")
    if placement["status"] != "active":
        return placement_page(placement, status=422,
                              participant_problem=_("The placement has ended."))
    if accounts.has_open_account(placement) and access.may_show_sign_in_code(current_user,
                                                                             placement):
        token, code = accounts.new_sign_in(get_db(), current_user, placement)
    else:
        token, code = accounts.invite(get_db(), current_user, placement)
    _remember_sign_in(token, code)
    return see_other("counsellor.placement", placement_id=placement_id, _anchor="voice-h")


@bp.route("/p/<int:placement_id>/talks/<talk_id>/done", methods=["POST"])
@access.allow(access.COUNSELLOR)
def talk_done(placement_id: int, talk_id: str):
    placement = access.audited_placement_or_404(placement_id, access.MANAGE, audit_as="talk_done")
    db = get_db()
    talk = participant.talk_request(db, talk_id)
    if talk is None or talk["placement_id"] != placement["id"]:
        abort(404)
    with write(db):
        current = participant.talk_request(db, talk_id)
        if current["status"] == "open":
            participant.close_talk_request(db, talk_id, current_user.id)
            casework.record_nav_event(db, author_id=current_user.id, placement_id=placement["id"],
                                    event_type="talk_done", payload={"talk": talk_id})
    return see_other("counsellor.placement", placement_id=placement_id, _anchor="voice-h")
