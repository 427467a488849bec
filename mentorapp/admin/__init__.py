"""Administration: accounts, API tokens for NAV systems, audit trails."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from mentorapp.admin import views  # noqa: E402,F401
