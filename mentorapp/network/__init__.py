"""The mentor network: resources, gatherings, the mentors' voice; overview for coordinators."""

from flask import Blueprint

bp = Blueprint("network", __name__, url_prefix="/n")

from mentorapp.network import views  # noqa: E402,F401
