"""The participant's own app: how the day or week went, their own goals, asking to talk
to the counsellor, what the mentor wrote for them, and who can read what."""

from flask import Blueprint

bp = Blueprint("participant", __name__, url_prefix="/p")

from mentorapp.participant import views  # noqa: E402,F401
