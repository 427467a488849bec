"""Who needs the counsellor now: the caseload ordered by need, each row saying why.

The order, most pressing first (a placement sits in the tier of its most pressing reason):
  1 urgent flags nobody has acknowledged        5 agreement ending within 14 days, undecided
  2 call requests not yet answered (by age),    6 mentor hours far above the agreement
    and the participant asking to talk          7 new messages from the mentor
  3 other flags needing follow-up, and the      8 the rest (by end date)
    participant's week gone badly twice in a row
  4 no daily log for N working days
Everything is read in a handful of queries over the caseload's own placements
(store.followup), so the cost follows the caseload, not the database.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlite_utils
from flask import current_app
from flask_babel import format_timedelta, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from mentorapp.domain import clock, vocabulary, worktime
from mentorapp.store import followup, participant
from mentorapp.web import i18n

URGENT, CALL, FLAG, STALE, ENDING, HOURS, MESSAGE, REST = range(1, 9)

ENDING_WITHIN_DAYS = 14
HOURS_WINDOW_DAYS = 28
# "Far above": half as much again as agreed, and at least an hour more.
HOURS_FACTOR = 1.5
HOURS_MARGIN_MINUTES = 60
URGENCY_RANK = {"today": 0, "two_days": 1, "this_week": 2}

# The reasons one can filter the list by, in the order of need.
REASONS = {
    "urgent_flag": _l("Urgent problem"),
    "call_request": _l("Asks to be called"),
    "participant_talk": _l("The participant asks to talk"),
    "flag": _l("Problem to follow up"),
    "participant_week": _l("The participant's week went badly twice"),
    "stale": _l("No recent daily log"),
    "ending": _l("Agreement ending"),
    "hours": _l("Many mentor hours"),
    "message": _l("New message"),
    "none": _l("Nothing needs you"),
}


@dataclass
class Reason:
    code: str
    tier: int
    level: str  # urgent | attention | info: how it is shown
    text: str
    key: tuple = ()  # order within the tier: smaller is more pressing


@dataclass
class Row:
    placement: dict
    reasons: list[Reason] = field(default_factory=list)
    is_backup: bool = False

    @property
    def tier(self) -> int:
        return min((r.tier for r in self.reasons), default=REST)

    @property
    def needs_you(self) -> bool:
        return self.tier < REST

    @property
    def codes(self) -> set[str]:
        return {r.code for r in self.reasons if r.tier < REST} or {"none"}

    def sort_key(self) -> tuple:
        first = min((r for r in self.reasons if r.tier == self.tier), key=lambda r: r.key,
                    default=None)
        return (self.tier, first.key if first else (), self.placement["end_date"],
                self.placement["id"])


def _ago(moment: str, now: datetime) -> str:
    return format_timedelta(-(now - clock.parse(moment)), add_direction=True,
                            granularity="minute", threshold=1.0)


def _flag_reasons(flags: list[dict], now: datetime) -> list[Reason]:
    reasons = []
    unacknowledged_urgent = [f for f in flags if f["severity"] == "urgent" and f["status"] == "open"]
    if unacknowledged_urgent:
        oldest = unacknowledged_urgent[0]
        count = len(unacknowledged_urgent)
        text = ngettext("Urgent problem reported %(age)s, not acknowledged",
                        "%(num)d urgent problems not acknowledged, the first reported %(age)s",
                        count, age=_ago(oldest["raised_at"], now))
        if any(f["escalated_at"] for f in unacknowledged_urgent):
            text += " · " + _("backup counsellor alerted")
        reasons.append(Reason("urgent_flag", URGENT, "urgent", text, (oldest["raised_at"],)))
    follow_up = [f for f in flags if f not in unacknowledged_urgent
                 and not (f["severity"] == "info" and f["status"] == "acknowledged")]
    if follow_up:
        count = len(follow_up)
        text = ngettext("%(num)d problem report to follow up (%(category)s)",
                        "%(num)d problem reports to follow up", count,
                        category=vocabulary.label(vocabulary.FLAG_CATEGORIES,
                                                  follow_up[0]["category"]))
        reasons.append(Reason("flag", FLAG, "attention", text,
                              (-count, follow_up[0]["raised_at"])))
    return reasons


def _call_reasons(calls: list[dict], now: datetime) -> list[Reason]:
    reasons = []
    waiting = sorted((c for c in calls if c["status"] in ("sent", "seen")),
                     key=lambda c: (URGENCY_RANK.get(c["urgency"], 9), c["requested_at"]))
    if waiting:
        first = waiting[0]
        urgency = vocabulary.label(vocabulary.URGENCY, first["urgency"])
        text = ngettext("Asks to be called (%(urgency)s), asked %(age)s",
                        "%(num)d call requests not answered, the most urgent (%(urgency)s) asked %(age)s",
                        len(waiting), urgency=urgency, age=_ago(first["requested_at"], now))
        if first["status"] == "seen":
            text += " · " + _("seen, no time set")
        if any(c["escalated_at"] for c in waiting):
            text += " · " + _("backup counsellor alerted")
        level = "urgent" if first["urgency"] == "today" else "attention"
        reasons.append(Reason("call_request", CALL, level, text,
                              (URGENCY_RANK.get(first["urgency"], 9), first["requested_at"])))
    now_iso = clock.iso(now)
    for call in calls:
        if call["status"] != "scheduled":
            continue
        when = i18n.when(call["scheduled_for"], "short")
        if call["scheduled_for"] < now_iso:
            reasons.append(Reason("call_request", FLAG, "attention",
                                  _("The call planned for %(when)s is not marked done", when=when),
                                  (0, call["scheduled_for"])))
        else:
            reasons.append(Reason("call_planned", REST, "info",
                                  _("Call planned for %(when)s", when=when),
                                  (call["scheduled_for"],)))
    return reasons


# How much of what the participant wrote the caseload row quotes.
QUOTE_LENGTH = 80


def _quote(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= QUOTE_LENGTH else text[:QUOTE_LENGTH - 1] + "…"


def _participant_reasons(talks: list[dict], weeks: list[dict], now: datetime) -> list[Reason]:
    """The participant's own voice: asking to talk (with their words), and two weeks in a
    row that they said went badly (their own words shown on the placement page)."""
    reasons = []
    if talks:
        first = talks[0]
        text = ngettext("The participant asks to talk, asked %(age)s",
                        "The participant asks to talk (%(num)d times), first asked %(age)s",
                        len(talks), age=_ago(first["requested_at"], now))
        said = _quote(first["payload"].get("text"))
        if said:
            text += " · " + _("“%(words)s”", words=said)
        reasons.append(Reason("participant_talk", CALL, "attention", text,
                              (len(URGENCY_RANK), first["requested_at"])))
    if len(weeks) >= 2 and all(w["mood"] in vocabulary.BAD_MOODS for w in weeks[:2]):
        text = _("The participant's week went badly twice in a row (%(last)s, then %(before)s)",
                 last=vocabulary.label(vocabulary.MOODS, weeks[0]["mood"]).lower(),
                 before=vocabulary.label(vocabulary.MOODS, weeks[1]["mood"]).lower())
        reasons.append(Reason("participant_week", FLAG, "attention", text,
                              (0, weeks[0]["occurred_at"])))
    return reasons


def _stale_reason(placement: dict, last_log: str | None, today: date,
                  limit: int) -> Reason | None:
    start = date.fromisoformat(placement["start_date"])
    if start >= today:
        return None
    # Whole working days missed: today is not over, so it does not count yet.
    since = date.fromisoformat(last_log) if last_log else start - timedelta(days=1)
    missed = worktime.working_days_between(since, today - timedelta(days=1))
    if missed < limit:
        return None
    if last_log is None:
        text = ngettext("No daily log yet (%(num)d working day since the start)",
                        "No daily log yet (%(num)d working days since the start)", missed)
    else:
        text = ngettext("No daily log for %(num)d working day", "No daily log for %(num)d working days",
                        missed)
    return Reason("stale", STALE, "attention", text, (-missed,))


def _ending_reason(placement: dict, today: date) -> Reason | None:
    days_left = (date.fromisoformat(placement["end_date"]) - today).days
    if days_left < 0:
        text = ngettext("The agreement ended %(num)d day ago: extend or end the placement",
                        "The agreement ended %(num)d days ago: extend or end the placement",
                        -days_left)
        return Reason("ending", ENDING, "urgent", text, (days_left,))
    if days_left > ENDING_WITHIN_DAYS or placement["extension_status"] != "undecided":
        return None
    if days_left == 0:
        text = _("The agreement ends today, no decision on extension")
    else:
        text = ngettext("The agreement ends in %(num)d day, no decision on extension",
                        "The agreement ends in %(num)d days, no decision on extension", days_left)
    return Reason("ending", ENDING, "attention", text, (days_left,))


def hours_window(today: date) -> tuple[date, date]:
    return today - timedelta(days=HOURS_WINDOW_DAYS - 1), today


def _hours_reason(placement: dict, minutes: int, today: date) -> Reason | None:
    agreed = placement["agreed_minutes_per_week"]
    if not agreed or not minutes:
        return None
    first, _last = hours_window(today)
    first = max(first, date.fromisoformat(placement["start_date"]))
    days = (today - first).days + 1
    if days < 7:
        return None  # too early to tell from a few days
    expected = agreed * days / 7
    if minutes < expected * HOURS_FACTOR or minutes - expected < HOURS_MARGIN_MINUTES:
        return None
    percent = round(100 * minutes / expected)
    text = _("Mentor hours at %(percent)s %% of the agreement over the last %(weeks)s weeks "
             "(%(hours)s h)", percent=percent, weeks=i18n.number(days / 7, 0),
             hours=i18n.number(minutes / 60))
    return Reason("hours", HOURS, "attention", text, (-percent,))


def _message_reason(count: int) -> Reason | None:
    if not count:
        return None
    text = ngettext("%(num)d new message from the mentor", "%(num)d new messages from the mentor",
                    count)
    return Reason("message", MESSAGE, "info", text, (-count,))


def assess(db: sqlite_utils.Database, user, placements: list[dict], *,
           now: datetime | None = None) -> list[Row]:
    """Each placement with the reasons it needs the user, most pressing first."""
    now = now or clock.now()
    today = clock.today(now)
    ids = [p["id"] for p in placements]
    flags = followup.open_flags(db, ids)
    calls = followup.open_calls(db, ids)
    active = [p["id"] for p in placements if p["status"] == "active"]
    last_logs = followup.last_log_dates(db, active)
    first, last = hours_window(today)
    minutes = followup.minutes_since(db, active, first.isoformat(), last.isoformat())
    unread = followup.unread_messages(db, user.id, ids)
    talks = participant.open_talks(db, ids)
    weeks = participant.recent_week_checkins(db, active)
    stale_after = current_app.config["STALE_LOG_WORKDAYS"]

    rows = []
    for placement in placements:
        pid = placement["id"]
        row = Row(placement, is_backup=placement["counsellor_id"] != user.id)
        row.reasons += _flag_reasons(flags.get(pid, []), now)
        row.reasons += _call_reasons(calls.get(pid, []), now)
        row.reasons += _participant_reasons(talks.get(pid, []),
                                            weeks.get(pid, []) if placement["status"] == "active"
                                            else [], now)
        if placement["status"] == "active":
            row.reasons += [r for r in (
                _stale_reason(placement, last_logs.get(pid), today, stale_after),
                _ending_reason(placement, today),
                _hours_reason(placement, minutes.get(pid, 0), today)) if r]
        message = _message_reason(unread.get(pid, 0))
        if message:
            row.reasons.append(message)
        row.reasons.sort(key=lambda r: (r.tier, r.key))
        rows.append(row)
    rows.sort(key=Row.sort_key)
    return rows


@dataclass
class Filters:
    status: str = "active"
    reason: str | None = None
    workplace: int | None = None
    mentor: int | None = None
    role: str | None = None  # responsible | backup
    text: str | None = None  # part of a participant's, workplace's or mentor's name

    def as_args(self) -> dict:
        """The filters as query arguments (for links and the refresh request)."""
        args = {"status": self.status, "reason": self.reason, "workplace": self.workplace,
                "mentor": self.mentor, "role": self.role, "q": self.text}
        return {k: v for k, v in args.items() if v not in (None, "")}


STATUSES = {"active": _l("Active"), "ended": _l("Ended"), "all": _l("All")}
ROLES = {"responsible": _l("I am responsible"), "backup": _l("I am backup")}


def read_filters(args) -> Filters:
    """Filters from the query string; anything unknown is ignored, never an error."""
    status = args.get("status", "active")
    reason = args.get("reason") or None
    role = args.get("role") or None
    text = " ".join((args.get("q") or "").split())[:60] or None
    return Filters(status=status if status in STATUSES else "active",
                   reason=reason if reason in REASONS else None,
                   workplace=args.get("workplace", type=int), mentor=args.get("mentor", type=int),
                   role=role if role in ROLES else None, text=text)


def choices(rows: list[Row]) -> dict:
    """The workplaces and mentors one can filter by: those in the user's own caseload."""
    workplaces = sorted({(r.placement["workplace_id"], r.placement["workplace_name"]) for r in rows},
                        key=lambda c: c[1])
    mentors = sorted({(r.placement["mentor_id"], r.placement["mentor_name"]) for r in rows
                      if r.placement["mentor_id"]}, key=lambda c: c[1])
    return {"workplaces": workplaces, "mentors": mentors}


def apply(rows: list[Row], filters: Filters) -> list[Row]:
    shown = rows
    if filters.workplace:
        shown = [r for r in shown if r.placement["workplace_id"] == filters.workplace]
    if filters.mentor:
        shown = [r for r in shown if r.placement["mentor_id"] == filters.mentor]
    if filters.role:
        shown = [r for r in shown if r.is_backup == (filters.role == "backup")]
    if filters.text:
        wanted = filters.text.casefold()
        shown = [r for r in shown if any(
            wanted in (r.placement[key] or "").casefold()
            for key in ("participant_name", "workplace_name", "mentor_name"))]
    if filters.reason:
        shown = [r for r in shown if filters.reason in r.codes]
    return shown


def fingerprint(rows: list[Row], filters: Filters) -> str:
    """What the list shows, condensed: the page asks again with it and gets 204 (nothing
    to swap) until something a counsellor would see has changed."""
    shown = [[r.placement["id"], r.placement["participant_name"], r.placement["mentor_name"],
              r.placement["end_date"], r.placement["status"], r.is_backup,
              [(x.code, x.text) for x in r.reasons]] for r in rows]
    text = json.dumps([filters.as_args(), shown], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:20]
