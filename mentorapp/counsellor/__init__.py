"""The counsellor's side: caseload, placement pages, answers to flags and calls, reports,
alerts. Routes are in views/; what they do with a placement is in casework, caseload,
reports and charts beside them."""

from flask import Blueprint

bp = Blueprint("counsellor", __name__, url_prefix="/c")

from mentorapp.counsellor import views  # noqa: E402,F401
