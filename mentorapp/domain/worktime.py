"""Working days and working hours in Norway: weekdays, 08:00–16:00 Oslo time, without
public holidays. "No log for 3 working days" and "2 working hours without an answer"
are counted this way, so a weekend or Easter does not set off alarms."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache

from mentorapp.domain import clock

DAY_START = time(8, 0)
DAY_END = time(16, 0)


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache
def holidays(year: int) -> frozenset[date]:
    easter = easter_sunday(year)
    moving = [-3, -2, 0, 1, 39, 49, 50]  # Maundy Thu, Good Fri, Easter, Easter Mon, Ascension, Whitsun, Whit Mon
    fixed = [date(year, 1, 1), date(year, 5, 1), date(year, 5, 17), date(year, 12, 25),
             date(year, 12, 26)]
    return frozenset([easter + timedelta(days=d) for d in moving] + fixed)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in holidays(day.year)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def working_hours_between(start: datetime, end: datetime) -> float:
    """Working hours that passed between two moments."""
    if end <= start:
        return 0.0
    start, end = clock.local(start), clock.local(end)
    total = 0.0
    day = start.date()
    while day <= end.date():
        if is_working_day(day):
            open_ = datetime.combine(day, DAY_START, tzinfo=clock.OSLO)
            close = datetime.combine(day, DAY_END, tzinfo=clock.OSLO)
            overlap = min(close, end) - max(open_, start)
            total += max(overlap.total_seconds(), 0) / 3600
        day += timedelta(days=1)
    return total
