"""The coordinator's network overview: anonymised figures over the network's placements.

The rule that keeps them anonymous lives here: a figure built from fewer than
MIN_PLACEMENTS placements is not shown (the page says so instead). Each figure is
checked on its own: a week with logs from only three placements is hidden even when
the network has fifty. No figure is a sum of others that are hidden, so a hidden one
cannot be worked out by subtraction. No free text from cases is read at all.
A deleted placement still counts in the weeks shown, through its anonymous tallies
(mentorapp.privacy.tallies), so that deleting old case data changes no figure.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlite_utils
from flask_babel import gettext as _

from mentorapp.domain import clock, vocabulary, worktime
from mentorapp.store import aggregates, lifecycle
from mentorapp.web import charts

MIN_PLACEMENTS = 5
WEEKS = 12


@dataclass
class Value:
    """One figure: shown only when built from enough placements."""
    label: str
    value: float | None
    placements: int
    extra: dict = field(default_factory=dict)

    @property
    def shown(self) -> bool:
        return self.value is not None and self.placements >= MIN_PLACEMENTS


@dataclass
class Window:
    start: date  # a Monday
    end: date  # the Monday after the last week (exclusive)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def weeks(self) -> list[date]:
        return [self.start + timedelta(weeks=n) for n in range((self.end - self.start).days // 7)]

    def utc(self) -> tuple[str, str]:
        """The window as stored timestamps: Oslo midnights in UTC."""
        return (clock.iso(datetime.combine(self.start, time(0), tzinfo=clock.OSLO)),
                clock.iso(datetime.combine(self.end, time(0), tzinfo=clock.OSLO)))


def window(today: date, weeks: int = WEEKS) -> Window:
    """The last `weeks` whole weeks, Monday to Sunday, before this one."""
    this_monday = clock.monday_of(today)
    return Window(this_monday - timedelta(weeks=weeks), this_monday)


def overview(db: sqlite_utils.Database, network_id: int, today: date) -> dict:
    span = window(today)
    active = aggregates.active_placements(db, network_id)
    return {
        "window": span,
        "min_placements": MIN_PLACEMENTS,
        "active_placements": Value("active", active["placements"], active["placements"]),
        "mentors": Value("mentors", active["mentors"], active["placements"]),
        "logs": logs_per_week(db, network_id, span),
        "flags": flags_by_category(db, network_id, span),
        "response": response_times(db, network_id, span),
        "hours": hours_per_week(db, network_id, span),
    }


def week_label(monday: date) -> str:
    return _("Week %(number)d", number=monday.isocalendar().week)


def logs_per_week(db: sqlite_utils.Database, network_id: int, span: Window) -> list[Value]:
    rows = {row["week"]: row for row in aggregates.logs_per_week(
        db, network_id, span.start.isoformat(), span.end.isoformat())}
    purged = _purged_by_week(db, network_id, "logs", span)
    values = []
    for monday in span.weeks:
        row = rows.get(monday.isoformat(), {"logs": 0, "placements": 0})
        amount, cohorts = purged.get(monday.isoformat(), (0, 0))
        values.append(Value(week_label(monday), row["logs"] + int(amount),
                            row["placements"] + cohorts, {"monday": monday}))
    return values


def _purged(db: sqlite_utils.Database, network_id: int, metric: str, span: Window
            ) -> list[dict]:
    """The tallies of deleted placements for one figure (mentorapp.privacy.tallies):
    counted beside the live rows, each cohort being one placement."""
    return lifecycle.tallies(db, network_id, metric, span.start.isoformat(),
                             span.end.isoformat())


def _purged_by_week(db: sqlite_utils.Database, network_id: int, metric: str, span: Window
                    ) -> dict[str, tuple[float, int]]:
    """Per week: the tallied amount and the number of deleted placements behind it."""
    amounts: dict[str, float] = {}
    cohorts: dict[str, set[str]] = {}
    for row in _purged(db, network_id, metric, span):
        amounts[row["week"]] = amounts.get(row["week"], 0) + (row["amount"] or 0)
        cohorts.setdefault(row["week"], set()).add(row["cohort"])
    return {week: (amounts[week], len(cohorts[week])) for week in amounts}


def flags_by_category(db: sqlite_utils.Database, network_id: int, span: Window) -> list[Value]:
    start, end = span.utc()
    rows = {row["category"]: row for row in aggregates.flags_by_category(db, network_id, start, end)}
    purged: dict[str, list[dict]] = {}
    for tally in _purged(db, network_id, "flags", span):
        purged.setdefault(tally["key"], []).append(tally)
    for code, tallies in purged.items():
        row = rows.setdefault(code, {"flags": 0, "placements": 0})
        rows[code] = {"flags": row["flags"] + sum(int(t["amount"]) for t in tallies),
                      "placements": row["placements"] + len({t["cohort"] for t in tallies})}
    values = []
    for code, label in vocabulary.FLAG_CATEGORIES.items():
        row = rows.pop(code, {"flags": 0, "placements": 0})
        values.append(Value(str(label), row["flags"], row["placements"], {"code": code}))
    for code, row in rows.items():  # a category this version does not know: shown by code
        values.append(Value(code, row["flags"], row["placements"], {"code": code}))
    return values


def response_times(db: sqlite_utils.Database, network_id: int, span: Window) -> dict:
    """Working hours from a call request to NAV's first answer: median and 90th
    percentile over the answered ones; how many still wait."""
    start, end = span.utc()
    rows = aggregates.call_requests(db, network_id, start, end)
    purged = _purged(db, network_id, "calls", span)
    placements = len({row["placement_id"] for row in rows}) + len({t["cohort"] for t in purged})
    hours = sorted([worktime.working_hours_between(clock.parse(row["requested_at"]),
                                                   clock.parse(row["answered_at"]))
                    for row in rows if row["answered_at"]]
                   + [t["amount"] for t in purged if t["amount"] is not None])
    waiting = (sum(1 for row in rows if not row["answered_at"])
               + sum(1 for t in purged if t["amount"] is None))
    median = statistics.median(hours) if hours else None
    p90 = percentile(hours, 90) if hours else None
    return {
        "median": Value("median", median, placements),
        "p90": Value("p90", p90, placements),
        "answered": Value("answered", len(hours), placements),
        "waiting": Value("waiting", waiting, placements),
        "shown": placements >= MIN_PLACEMENTS and bool(hours),
    }


def percentile(ordered: list[float], pct: float) -> float:
    """Linear interpolation between closest ranks (as spreadsheets do)."""
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def hours_per_week(db: sqlite_utils.Database, network_id: int, span: Window) -> list[Value]:
    """Mentor hours logged per week against the hours agreed for the placements running
    that week (pro rata for a placement that starts or ends within it)."""
    periods = aggregates.placement_periods(db, network_id, span.start.isoformat(),
                                           span.end.isoformat())
    logged = {row["week"]: row["minutes"] for row in aggregates.mentor_minutes_per_week(
        db, network_id, span.start.isoformat(), span.end.isoformat())}
    purged_minutes = _purged_by_week(db, network_id, "minutes", span)
    purged_agreed = _purged_by_week(db, network_id, "agreed", span)
    values = []
    for monday in span.weeks:
        agreed_minutes, running = purged_agreed.get(monday.isoformat(), (0.0, 0))
        for period in periods:
            agreed = agreed_in_week(period, monday)
            if agreed is None:
                continue
            running += 1
            agreed_minutes += agreed
        minutes = logged.get(monday.isoformat(), 0) + purged_minutes.get(
            monday.isoformat(), (0, 0))[0]
        values.append(Value(week_label(monday), minutes / 60, running,
                            {"monday": monday, "agreed": agreed_minutes / 60}))
    return values


def agreed_in_week(period: dict, monday: date) -> float | None:
    """Mentor minutes agreed for the part of the week the placement ran (pro rata); None
    if it did not run that week."""
    first = max(monday, date.fromisoformat(period["start_date"]))
    last_day = date.fromisoformat(period["end_date"])
    if period["ended_on"]:
        last_day = min(last_day, date.fromisoformat(period["ended_on"]))
    last = min(monday + timedelta(days=6), last_day)
    if last < first:
        return None
    return period["agreed_minutes_per_week"] * ((last - first).days + 1) / 7


def ratings(summary: dict) -> charts.RowChart:
    """How many gave each rating, from a gatherings.feedback_summary()."""
    return charts.horizontal([(f"{vocabulary.label(vocabulary.GATHERING_RATINGS, value)} ({value})",
                        count, str(count), None) for value, count in summary["ratings"]])
