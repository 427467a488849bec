"""The audit trail: who on the NAV side read or changed a placement, or what one NAV user
read."""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from mentorapp.admin import bp
from mentorapp.domain import access
from mentorapp.store import audit, placements, users
from mentorapp.store.db import get_db, write
from mentorapp.web.pages import render

# What each audit action means, for the people reading the trail.
AUDIT_ACTIONS = {
    "counsellor.placement": _l("Opened the placement page"),
    "timeline": _l("Read older timeline entries"),
    "report": _l("Opened the follow-up report"),
    "report_csv": _l("Downloaded the report as CSV"),
    "api_placement": _l("Read the placement through the API"),
    "api_feed": _l("NAV system read events through the feed"),
    "caseload": _l("Opened the list of placements"),
    "flag_acknowledge": _l("Marked a problem report as seen"),
    "flag_resolve": _l("Resolved a problem report"),
    "call_seen": _l("Marked a call request as seen"),
    "call_schedule": _l("Planned a call"),
    "call_done": _l("Marked a call as done"),
    "comment": _l("Wrote to the mentor"),
    "change_mentor": _l("Changed the mentor"),
    "extend": _l("Extended the agreement"),
    "decide_extension": _l("Decided on extension"),
    "end": _l("Ended the placement"),
    "audit_trail": _l("Read the audit trail"),
}
TRAIL_LIMIT = 500


@bp.route("/audit")
@access.allow(access.ADMIN)
def audit_trail():
    """Who has opened a placement (or what one NAV user has opened), newest first."""
    db = get_db()
    placement_id = request.args.get("placement", type=int)
    user_id = request.args.get("user", type=int)
    placement = placements.get(db, placement_id) if placement_id else None
    person = users.get(db, user_id) if user_id else None
    lines: list[dict] = []
    if placement is not None:
        with write(db):
            audit.record(db, user_id=current_user.id, action="audit_trail",
                         placement_id=placement_id)
        lines = audit.trail(db, placement_id, TRAIL_LIMIT)
    elif person is not None:
        lines = audit.trail_of_user(db, user_id, TRAIL_LIMIT)
    nav_side = [u for u in users.all_users(db) if u["role"] in access.NAV_SIDE]
    return render("admin/audit.html", placement_id=placement_id, found=placement is not None,
                  user_id=user_id, person=person, lines=lines, limit=TRAIL_LIMIT,
                  people=[(u["id"], f"{u['name']} ({u['email']})") for u in nav_side],
                  action_label=lambda action: str(AUDIT_ACTIONS.get(action, action)))
