"""Mentor time per week against the agreed hours: the basis of the mentor grant.

Minutes come from the daily logs and from separate time entries (store.events keeps the
version in effect of each, so a correction replaces its original instead of adding to it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import sqlite_utils

from mentorapp.domain import clock
from mentorapp.store import events

WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
HISTORY_WEEKS = 8


def parse_week(text: str | None) -> date:
    """The Monday of an ISO week written as 2026-W48; this week if missing or malformed."""
    match = WEEK.match(text or "")
    if match:
        try:
            return date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            pass
    return clock.monday_of(clock.today())


def week_code(monday: date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class Week:
    monday: date
    days: list[tuple[date, int]]
    total: int
    agreed: int

    @property
    def code(self) -> str:
        return week_code(self.monday)

    @property
    def number(self) -> int:
        return self.monday.isocalendar()[1]

    @property
    def difference(self) -> int:
        return self.total - self.agreed


def week_of(db: sqlite_utils.Database, placement: dict, monday: date) -> Week:
    sunday = monday + timedelta(days=6)
    by_day = {row["work_date"]: row["minutes"] for row in events.minutes_by_day(
        db, placement["id"], monday.isoformat(), sunday.isoformat())}
    days = [(monday + timedelta(days=n), by_day.get((monday + timedelta(days=n)).isoformat(), 0))
            for n in range(7)]
    return Week(monday, days, sum(m for _d, m in days), placement["agreed_minutes_per_week"])


def recent_weeks(db: sqlite_utils.Database, placement: dict, monday: date,
                 count: int = HISTORY_WEEKS) -> list[Week]:
    """Up to `count` weeks ending with `monday`'s, not before the placement started."""
    first = clock.monday_of(date.fromisoformat(placement["start_date"]))
    weeks = []
    for n in range(count):
        start = monday - timedelta(weeks=n)
        if start < first:
            break
        weeks.append(week_of(db, placement, start))
    return weeks
