"""The JSON API, versioned under /api/v1/: sync for the phone, feed for NAV systems."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from mentorapp.api import views  # noqa: E402,F401
