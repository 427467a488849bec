"""The mentor's app: today's placements, the daily log, flags, call requests, time."""

from flask import Blueprint

bp = Blueprint("mentor", __name__, url_prefix="/m")

from mentorapp.mentor import views  # noqa: E402,F401
