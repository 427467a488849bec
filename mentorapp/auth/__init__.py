"""Signing in and out, invitations, one's own account and language."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from mentorapp.auth import oidc_views, views  # noqa: E402,F401  (registers the routes)
