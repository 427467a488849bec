"""The coordinator's home: anonymised figures over the network's placements, and what is
coming up in the network."""

from __future__ import annotations

from mentorapp import access, clock
from mentorapp.network import bp, charts, figures
from mentorapp.pages import render
from mentorapp.store import gatherings, users, voice
from mentorapp.store.db import get_db


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


def _charts(numbers: dict) -> dict:
    from flask_babel import gettext as _

    from mentorapp.i18n import number

    def shown(value: figures.Value, text: str) -> tuple:
        return (value.value if value.shown else None, text if value.shown else "")

    logs = [(v.label, *shown(v, number(v.value, 0)), None) for v in numbers["logs"]]
    flags = [(v.label, *shown(v, number(v.value, 0)), None) for v in numbers["flags"]]
    hours = [(v.label, v.value if v.shown else None,
              _("%(logged)s of %(agreed)s h", logged=number(v.value, 1),
                agreed=number(v.extra["agreed"], 1)) if v.shown else "",
              v.extra["agreed"] if v.shown else None) for v in numbers["hours"]]
    response = numbers["response"]
    times = [(_("Median"), *shown(response["median"], _("%(hours)s h", hours=number(
                 response["median"].value or 0, 1))), None),
             (_("90th percentile"), *shown(response["p90"], _("%(hours)s h", hours=number(
                 response["p90"].value or 0, 1))), None)] if response["shown"] else []
    return {"logs": charts.horizontal(logs), "flags": charts.horizontal(flags),
            "hours": charts.horizontal(hours),
            "response": charts.horizontal(times) if times else None}
