"""The counsellor's side: caseload, placement pages, actions on flags and calls, reports."""

from flask import Blueprint

bp = Blueprint("counsellor", __name__, url_prefix="/c")

from mentorapp.counsellor import views  # noqa: E402,F401
