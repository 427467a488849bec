"""What keeps the app running and installable: health, service worker, manifest."""

from flask import Blueprint

bp = Blueprint("ops", __name__)

from mentorapp.ops import views  # noqa: E402,F401
