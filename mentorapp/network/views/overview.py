"""The coordinator's home: anonymised figures over the network's placements, and what is
coming up in the network."""

from __future__ import annotations

from flask_babel import gettext as _

from mentorapp.domain import access, clock
from mentorapp.network import bp, figures
from mentorapp.store import gatherings, users, voice
from mentorapp.store.db import get_db
from mentorapp.web import charts
from mentorapp.web.i18n import number
from mentorapp.web.pages import render


@bp.route("/")
@access.allow(access.COORDINATOR)
def overview():
    network_id = access.my_network_or_404()
    db = get_db()
    numbers = figures.overview(db, network_id, clock.today())
    open_topics = [t for t in voice.in_network(db, network_id, 0) if t["status"] == "open"]
    return render(
        "network/overview.html", f=numbers, charts=_charts(numbers),
        mentors_in_network=len(users.with_role(db, "mentor", network_id=network_id)),
        next_gathering=gatherings.next_for(db, network_id, clock.now_iso(), 0),
        open_topics=open_topics[:3], open_topic_count=len(open_topics))


def _bar(value: figures.Value, text: str, marker: float | None = None) -> tuple:
    """One chart row: a hidden figure gets no bar, no text and no marker."""
    if not value.shown:
        return (value.label, None, "", None)
    return (value.label, value.value, text, marker)


def _charts(numbers: dict) -> dict:
    """The bars for the page; the figures themselves come from network.figures."""
    logs = [_bar(v, number(v.value, 0)) for v in numbers["logs"]]
    flags = [_bar(v, number(v.value, 0)) for v in numbers["flags"]]
    hours = [_bar(v, _("%(logged)s of %(agreed)s h", logged=number(v.value, 1),
                       agreed=number(v.extra["agreed"], 1)), v.extra["agreed"])
             for v in numbers["hours"]]
    response = numbers["response"]
    times = None
    if response["shown"]:
        median, p90 = response["median"], response["p90"]
        times = charts.horizontal([
            (_("Median"), median.value, _("%(hours)s h", hours=number(median.value, 1)), None),
            (_("90th percentile"), p90.value, _("%(hours)s h", hours=number(p90.value, 1)), None),
        ])
    return {"logs": charts.horizontal(logs), "flags": charts.horizontal(flags),
            "hours": charts.horizontal(hours), "response": times}
