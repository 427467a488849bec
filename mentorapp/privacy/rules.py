"""When a placement ends, how long its case data is kept after that, and so when its
mentor's access ends and `mentorapp purge` deletes it. One rule for both (NAV's: the
mentor keeps access for 12 weeks after the end; the data is not kept longer than that)."""

from __future__ import annotations

from datetime import date, timedelta

from mentorapp.domain import clock


def ended_on(placement: dict) -> date:
    """The placement's last day: the day it was ended, or its end date while it runs on."""
    if placement.get("ended_at"):
        return clock.today(clock.parse(placement["ended_at"]))
    return date.fromisoformat(placement["end_date"])


def kept_until(placement: dict, retention_days: int) -> date:
    """The last day its case data is kept and its mentor may open it."""
    return ended_on(placement) + timedelta(days=retention_days)


def is_due(placement: dict, today: date, retention_days: int) -> bool:
    """Due for deletion from the day after `kept_until`."""
    return today > kept_until(placement, retention_days)


def latest_due_end(today: date, retention_days: int) -> date:
    """The latest last day a placement can have and be due today."""
    return today - timedelta(days=retention_days + 1)
