"""What the coordinator's network overview counted of a placement, kept when the
placement is deleted, so that its figures do not change silently.

The overview (mentorapp.network.figures) shows the last WEEKS whole weeks. Before a
placement's rows go, the same counts it makes are taken for every week the overview can
still show, and stored as rows of `purged_tallies`: network, week, figure, amount, and a
random cohort key that stands for "one placement" (so that "from how many placements" is
still counted right) and is held nowhere else. No placement id, participant, mentor, day
or text is kept. The purge drops tallies of weeks the overview no longer shows.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

import sqlite_utils

from mentorapp.domain import clock, worktime
from mentorapp.network import figures
from mentorapp.store import lifecycle


def first_week(today: date) -> date:
    """The oldest week the overview can show from today on."""
    return figures.window(today).start


def _week_of(moment: str) -> str:
    return clock.monday_of(clock.local(moment).date()).isoformat()


def for_placement(db: sqlite_utils.Database, placement: dict, today: date) -> list[dict]:
    """The tally rows standing in for `placement` (read before any of it is deleted)."""
    start = first_week(today)
    span = figures.Window(start, clock.monday_of(today) + timedelta(weeks=1))
    source = lifecycle.figure_sources(db, placement["id"], start.isoformat(), span.utc()[0])
    cohort = secrets.token_hex(12)
    base = {"network_id": placement["network_id"], "cohort": cohort, "key": "", "count": 1}
    rows = [{**base, "metric": "logs", "week": r["week"], "amount": r["amount"]}
            for r in source["logs"]]
    rows += [{**base, "metric": "minutes", "week": r["week"], "amount": r["amount"]}
             for r in source["minutes"]]
    for flag in source["flags"]:
        rows.append({**base, "metric": "flags", "week": _week_of(flag["raised_at"]),
                     "key": flag["category"], "amount": 1})
    for call in source["calls"]:
        hours = None
        if call["answered_at"]:
            hours = worktime.working_hours_between(clock.parse(call["requested_at"]),
                                                   clock.parse(call["answered_at"]))
        rows.append({**base, "metric": "calls", "week": _week_of(call["requested_at"]),
                     "amount": hours})
    period = {"start_date": placement["start_date"], "end_date": placement["end_date"],
              "ended_on": (placement["ended_at"] or "")[:10] or None,
              "agreed_minutes_per_week": placement["agreed_minutes_per_week"]}
    for monday in span.weeks:
        agreed = figures.agreed_in_week(period, monday)
        if agreed is not None:
            rows.append({**base, "metric": "agreed", "week": monday.isoformat(),
                         "amount": agreed})
    return rows
