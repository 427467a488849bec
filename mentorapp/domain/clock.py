"""Time as the app stores and shows it: UTC ISO text in the database, Oslo time for people.

Stored timestamps all have one fixed-width form, so SQLite compares them as text.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


def now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """2026-11-25T21:07:50.123Z: the one form every stored timestamp has."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: say which time zone it is in")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.astimezone(UTC).microsecond // 1000:03d}Z"
    )


def now_iso() -> str:
    return iso(now())


def parse(text: str) -> datetime:
    """An ISO 8601 timestamp with a zone (Z or an offset) as an aware datetime."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("a timestamp needs a time zone")
    return moment


def local(moment: datetime | str) -> datetime:
    if isinstance(moment, str):
        moment = parse(moment)
    return moment.astimezone(OSLO)


def today(moment: datetime | None = None) -> date:
    """The date in Oslo, where every workplace in the app is."""
    return local(moment or now()).date()


def days_ago(days: float, moment: datetime | None = None) -> str:
    return iso((moment or now()) - timedelta(days=days))


def monday_of(day: date) -> date:
    """The Monday of a day's week: weeks are how NAV counts mentor time and follow-up."""
    return day - timedelta(days=day.weekday())
