"""The public statements every Norwegian public service publishes: the privacy notice
(what is stored, why, how long, who sees it, the person's rights) and the accessibility
statement (WCAG 2.1 AA status, how to report a barrier). Linked from every page's footer,
open to everyone, signed in or not."""

from __future__ import annotations

from flask import Blueprint, current_app

from mentorapp.domain import access
from mentorapp.web.pages import render

bp = Blueprint("privacy", __name__)


@bp.route("/privacy", endpoint="notice")
@access.public
def notice():
    return render("privacy/notice.html", retention_days=current_app.config["RETENTION_DAYS"])


@bp.route("/accessibility", endpoint="accessibility")
@access.public
def accessibility():
    return render("privacy/accessibility.html")
