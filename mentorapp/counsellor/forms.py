"""Reading the counsellor's forms: a placement (new, extended, ended, its mentor changed)
and the answers to the mentor (notes, a call time, a message, a report period). Times are
typed in Oslo time and stored in UTC; every message is translated and stands beside its field."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from mentorapp.counsellor.casework import NewMentor
from mentorapp.domain import clock, vocabulary, worktime
from mentorapp.store import orgs, users
from mentorapp.store.db import get_db
from mentorapp.web.forms import EMAIL, Form

DEFAULT_MONTHS = 3
MAX_PERIOD = timedelta(days=3 * 366)


def add_months(start: date, months: int) -> date:
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    days_in_month = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
                     31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(start.day, days_in_month))


def looks_minimal(name: str) -> bool:
    """A first name, maybe with initials ("Ola", "Ola N.", "O.N."): never a full name or a
    number that could be an identity number."""
    if any(ch.isdigit() for ch in name):
        return False
    later_words = name.split()[1:]
    return all(len(word.rstrip(".")) <= 2 for word in later_words)


def choices(counsellor) -> dict:
    """The workplaces, mentors and backup counsellors this counsellor may pick."""
    db = get_db()
    workplaces = orgs.workplaces_of_office(db, counsellor.office_id)
    mentors = users.active_mentors_of_office(db, counsellor.office_id)
    backups = [u for u in users.with_role(db, "counsellor", office_id=counsellor.office_id)
               if u["id"] != counsellor.id]
    return {
        "workplaces": [(w["id"], w["name"]) for w in workplaces],
        "mentors": [(m["id"], f"{m['name']} ({m['workplace_name'] or '–'})") for m in mentors],
        "backups": [(b["id"], b["name"]) for b in backups],
        "outcomes": list(vocabulary.OUTCOMES.items()),
        "decisions": list(vocabulary.EXTENSION_STATUS.items()),
    }


def placement_choices(placement: dict) -> dict:
    """What the forms on a placement's page offer. A new mentor comes from the same
    workplace (or is invited), so only its mentors are listed: the page stays small
    however many mentors the office has."""
    mentors = users.active_mentors_at(get_db(), placement["workplace_id"])
    return {
        "mentors": [(m["id"], m["name"]) for m in mentors],
        "outcomes": list(vocabulary.OUTCOMES.items()),
        "decisions": list(vocabulary.EXTENSION_STATUS.items()),
    }


def new_placement_defaults() -> Form:
    today = clock.today()
    return Form({"start_date": today.isoformat(),
                 "end_date": add_months(today, DEFAULT_MONTHS).isoformat(),
                 "agreed_hours": "2"})


def read_mentor(form: Form, options: dict) -> tuple[int | None, NewMentor | None]:
    """An existing mentor picked from the list, or a new one to invite."""
    mentor_id = form.choice("mentor_id", [m for m, _label in options["mentors"]], required=False)
    if mentor_id is not None:
        return mentor_id, None
    name = form.text("mentor_name", required=False, max_length=100)
    email = form.text("mentor_email", required=False, max_length=254)
    phone = form.phone("mentor_phone")
    if not name:
        form.error("mentor_name", _("Choose a mentor from the list, or write the name of a new one."))
    if not email:
        form.error("mentor_email", _("A new mentor needs an e-mail address to log in with."))
    elif not EMAIL.match(email):  # the same rule as every other e-mail field
        form.error("mentor_email", _("This does not look like an e-mail address."))
    elif users.email_taken(get_db(), email):
        form.error("mentor_email", _("Someone already has this e-mail address. Choose them from the list instead."))
    return None, NewMentor(name or "", email or "", phone)


def read_new_placement(form: Form, options: dict) -> dict:
    participant = form.text("participant_name", max_length=40)
    if participant and not looks_minimal(participant):
        form.error("participant_name", _("Use a first name or initials only, no surname or numbers."))
    workplace_id = form.choice("workplace_id", [w for w, _label in options["workplaces"]])
    mentor_id, new_mentor = read_mentor(form, options)
    backup = form.choice("backup_counsellor_id", [b for b, _label in options["backups"]],
                         required=False)
    start = form.date("start_date")
    end = form.date("end_date")
    if start and end and end <= start:
        form.error("end_date", _("The end date must be after the start date."))
    elif start and end and end - start > MAX_PERIOD:
        form.error("end_date", _("A placement period can be at most three years."))
    hours = form.decimal("agreed_hours", minimum=0, maximum=40)
    goals = form.text("goals", required=False, max_length=4000, multiline=True) or ""
    return {"participant_name": participant, "workplace_id": workplace_id,
            "mentor_id": mentor_id, "new_mentor": new_mentor,
            "backup_counsellor_id": backup, "start_date": start, "end_date": end,
            "agreed_minutes_per_week": round((hours or 0) * 60), "goals": goals}


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
