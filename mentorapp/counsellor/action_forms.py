"""Reading what a counsellor sends when answering the mentor: notes, a call time, a
message, a report period. Times are typed in Oslo time and stored in UTC."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from mentorapp import clock, worktime
from mentorapp.forms import Form

MAX_NOTE = 2000
LATEST_CALL = timedelta(days=90)
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def note(form: Form, name: str = "note", *, required: bool) -> str | None:
    return form.text(name, required=required, max_length=MAX_NOTE, multiline=True)


def call_time(form: Form, name: str = "at", now: datetime | None = None) -> datetime | None:
    """A time for the call from a datetime-local field: in the future, within 90 days."""
    raw = (form.data.get(name) or "").strip()
    now = now or clock.now()
    if not raw:
        form.error(name, _("Choose a day and time for the call."))
        return None
    try:
        local = datetime.strptime(raw[:16], LOCAL_FORMAT)
    except ValueError:
        form.error(name, _("Write the time as YYYY-MM-DD HH:MM."))
        return None
    moment = local.replace(tzinfo=clock.OSLO)
    form.values[name] = local.strftime(LOCAL_FORMAT)
    if moment <= now:
        form.error(name, _("This time has passed. Choose a later time, or mark the call as done."))
        return None
    if moment > now + LATEST_CALL:
        form.error(name, _("Choose a time within the next 90 days."))
        return None
    return moment


def suggested_call_time(call: dict, now: datetime | None = None) -> str:
    """The next start of a window the mentor said suits them (or 09:00 the next working
    day), as a datetime-local value: the form opens with a sensible time."""
    now = clock.local(now or clock.now())
    windows = sorted(call["payload"].get("windows") or ["08-10"])
    hours = [int(w.split("-")[0]) for w in windows]
    day = now.date()
    for _attempt in range(15):
        if worktime.is_working_day(day):
            for hour in hours:
                moment = datetime(day.year, day.month, day.day, max(hour, 8), 0, tzinfo=clock.OSLO)
                if moment > now + timedelta(minutes=30):
                    return moment.strftime(LOCAL_FORMAT)
        day += timedelta(days=1)
    return (now + timedelta(days=1)).strftime(LOCAL_FORMAT)


def period(form: Form, default: tuple[date, date]) -> tuple[date, date] | None:
    """The report period: both dates, in order, at most three years apart."""
    if not form.data.get("from") and not form.data.get("to"):
        form.values.update({"from": default[0], "to": default[1]})
        return default
    first = form.date("from")
    last = form.date("to")
    if first and last and last < first:
        form.error("to", _("The end of the period must be on or after its start."))
    elif first and last and last - first > timedelta(days=3 * 366):
        form.error("to", _("A report can cover at most three years."))
    if not form.ok or first is None or last is None:
        return None
    return first, last
