"""Network pages for coordinators and mentors. No case data is ever read here."""

from __future__ import annotations

from mentorapp import access
from mentorapp.network import bp
from mentorapp.pages import render


@bp.route("/")
@access.allow(access.COORDINATOR)
def overview():
    return render("network/overview.html")


@bp.route("/resources")
@access.allow(access.COORDINATOR, access.MENTOR)
def resources():
    return render("network/resources.html")
