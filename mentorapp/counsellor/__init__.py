"""The counsellor's side: caseload, placement pages, actions on flags and calls, reports,
alerts."""

from flask import Blueprint

bp = Blueprint("counsellor", __name__, url_prefix="/c")

from mentorapp.counsellor import actions, alerts, report_views, views  # noqa: E402,F401
