"""The follow-up report for a period, generated from what was logged: it replaces the
three-monthly form, so nobody types in again what the mentor and NAV already wrote.

The same Report feeds the printable page and the CSV file, in Bokmål or English.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median

import sqlite_utils
from flask_babel import gettext as _

from mentorapp.counsellor import charts
from mentorapp.domain import clock, vocabulary, worktime
from mentorapp.store import events, followup, participant, placements
from mentorapp.web import i18n
from mentorapp.web.charts import Chart

MAX_PERIOD = timedelta(days=3 * 366)
# A change of this much between the first and the second half of the period is a trend.
TREND_STEP = {"attendance": 0.05, "mastery": 0.25, "social": 0.25, "wellbeing": 0.25}


@dataclass
class Trend:
    key: str
    label: str
    first: float | None
    last: float | None
    direction: str  # rising | falling | stable | unknown

    @property
    def direction_label(self) -> str:
        return {"rising": _("rising"), "falling": _("falling"), "stable": _("stable"),
                "unknown": _("too little logged to tell")}[self.direction]


@dataclass
class FlagLine:
    event_id: str
    raised_at: str
    category: str
    severity: str
    status: str
    hours_to_acknowledge: float | None
    hours_to_resolve: float | None
    resolution_note: str | None
    escalated: bool


@dataclass
class CallLine:
    event_id: str
    requested_at: str
    urgency: str
    status: str
    hours_to_answer: float | None
    scheduled_for: str | None
    done_at: str | None
    done_note: str | None
    escalated: bool


@dataclass
class Voice:
    """The participant's own words in the period, kept apart from the mentor's."""
    checkins: list[dict] = field(default_factory=list)
    own_goals: str | None = None
    talk_requests: int = 0

    @property
    def moods(self) -> list[tuple[int, int]]:
        """How often each face was chosen, from bad to very good."""
        return [(mood, sum(1 for c in self.checkins if c["mood"] == mood))
                for mood in vocabulary.MOODS]


@dataclass
class Report:
    placement: dict
    first: date
    last: date
    data_until: date
    generated_at: str
    weeks: list[charts.Week]
    attendance: dict
    trends: list[Trend]
    flags: list[FlagLine]
    calls: list[CallLine]
    hours: dict
    goals: list[str]
    tasks: list[tuple[str, int]]
    mentors: list[dict]
    extensions: list[dict]
    counts: dict
    flag_categories: list[tuple[str, int]] = field(default_factory=list)
    voice: Voice = field(default_factory=Voice)

    @property
    def charts(self) -> list[Chart]:
        return charts.all_charts(self.weeks)

    @property
    def median_hours_to_acknowledge(self) -> float | None:
        values = [f.hours_to_acknowledge for f in self.flags if f.hours_to_acknowledge is not None]
        return median(values) if values else None

    @property
    def median_hours_to_answer(self) -> float | None:
        values = [c.hours_to_answer for c in self.calls if c.hours_to_answer is not None]
        return median(values) if values else None


def default_period(placement: dict) -> tuple[date, date]:
    """The agreement period: from the start to the end date (or the day it ended)."""
    first = date.fromisoformat(placement["start_date"])
    last = date.fromisoformat(placement["end_date"])
    if placement["status"] == "ended" and placement["ended_at"]:
        last = min(last, clock.today(clock.parse(placement["ended_at"])))
    return first, max(first, last)


def _working_hours(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    return round(worktime.working_hours_between(clock.parse(start), clock.parse(end)), 1)


def _first_answer(call: dict) -> str | None:
    answers = [call[k] for k in ("seen_at", "scheduled_at", "done_at") if call[k]]
    return min(answers) if answers else None


def _half_means(values: list[float | None]) -> tuple[float | None, float | None]:
    present = [v for v in values if v is not None]
    if len(present) < 2:
        return (present[0] if present else None), None
    middle = len(present) // 2
    first, last = present[:middle], present[middle:]
    return sum(first) / len(first), sum(last) / len(last)


def _trend(key: str, label: str, values: list[float | None]) -> Trend:
    first, last = _half_means(values)
    if first is None or last is None:
        return Trend(key, label, first, last, "unknown")
    step = TREND_STEP[key]
    direction = "rising" if last - first >= step else "falling" if first - last >= step else "stable"
    return Trend(key, label, first, last, direction)


def _attendance(day_logs: list[dict], first: date, until: date) -> dict:
    counts = {code: 0 for code in vocabulary.ATTENDANCE}
    for log in day_logs:
        counts[log["attendance"]] = counts.get(log["attendance"], 0) + 1
    expected = sum(counts[c] for c in vocabulary.WORKING_ATTENDANCE)
    present = counts["on_time"] + counts["late"]
    logged_days = {log["log_date"] for log in day_logs}
    working_days = 0
    unlogged = 0
    day = first
    while day <= until:
        if worktime.is_working_day(day):
            working_days += 1
            unlogged += day.isoformat() not in logged_days
        day += timedelta(days=1)
    return {"counts": counts, "expected": expected, "present": present,
            "rate": present / expected if expected else None,
            "punctual_rate": counts["on_time"] / present if present else None,
            "logged_days": len(day_logs), "working_days": working_days,
            "unlogged_working_days": unlogged}


def build(db: sqlite_utils.Database, placement: dict, first: date, last: date,
          now: datetime | None = None) -> Report:
    now = now or clock.now()
    today = clock.today(now)
    # Figures run to today at the latest: the rest of the period has not happened yet.
    until = min(last, today)
    has_days = until >= first
    start_iso = clock.iso(datetime.combine(first, datetime.min.time(), clock.OSLO))
    end_iso = clock.iso(datetime.combine(last + timedelta(days=1), datetime.min.time(), clock.OSLO))
    pid = placement["id"]

    day_logs = events.day_logs(db, pid, first.isoformat(), last.isoformat())
    minutes = events.minutes_by_day(db, pid, first.isoformat(), last.isoformat())
    week_list = charts.weeks(day_logs, minutes, first, until if has_days else last,
                             placement["agreed_minutes_per_week"])

    flags = [FlagLine(f["event_id"], f["raised_at"], f["category"], f["severity"], f["status"],
                      _working_hours(f["raised_at"], f["acknowledged_at"]),
                      _working_hours(f["raised_at"], f["resolved_at"]), f["resolution_note"],
                      bool(f["escalated_at"]))
             for f in followup.flags_raised_between(db, pid, start_iso, end_iso)]
    calls = [CallLine(c["event_id"], c["requested_at"], c["urgency"], c["status"],
                      _working_hours(c["requested_at"], _first_answer(c)), c["scheduled_for"],
                      c["done_at"], c["done_note"], bool(c["escalated_at"]))
             for c in followup.calls_requested_between(db, pid, start_iso, end_iso)]
    categories: dict[str, int] = {}
    for flag in flags:
        categories[flag.category] = categories.get(flag.category, 0) + 1

    total_minutes = sum(row["minutes"] for row in minutes)
    days_covered = (until - first).days + 1 if has_days else 0
    agreed_total = placement["agreed_minutes_per_week"] * days_covered / 7
    hours = {"total": total_minutes / 60, "agreed_per_week": placement["agreed_minutes_per_week"] / 60,
             "agreed_total": agreed_total / 60, "weeks": days_covered / 7,
             "ratio": total_minutes / agreed_total if agreed_total else None,
             "per_week": total_minutes / 60 / (days_covered / 7) if days_covered else None}

    trends = [
        _trend("attendance", _("Attendance"), [w.attendance_rate for w in week_list]),
        _trend("mastery", _("Mastery"), [w.mastery_avg for w in week_list]),
        _trend("social", _("Part of the group"), [w.social_avg for w in week_list]),
        _trend("wellbeing", _("Wellbeing"), [w.wellbeing_avg for w in week_list]),
    ]
    mentors = [m for m in placements.mentor_history(db, pid)
               if m["started_at"] < end_iso and (m["ended_at"] is None or m["ended_at"] >= start_iso)]
    extensions = [e for e in placements.extensions(db, pid) if start_iso <= e["decided_at"] < end_iso]
    return Report(
        placement=placement, first=first, last=last, data_until=until,
        generated_at=clock.iso(now), weeks=week_list,
        attendance=_attendance(day_logs, first, until),
        trends=trends, flags=flags, calls=calls, hours=hours,
        goals=[g.strip() for g in placement["goals"].splitlines() if g.strip()],
        tasks=followup.tasks_between(db, pid, first.isoformat(), last.isoformat()),
        mentors=mentors, extensions=extensions,
        counts=followup.event_counts_between(db, pid, start_iso, end_iso),
        flag_categories=sorted(categories.items(), key=lambda item: -item[1]),
        voice=_voice(db, pid, start_iso, end_iso))


def _voice(db: sqlite_utils.Database, placement_id: int, start: str, end: str) -> Voice:
    goals = participant.current_goals(db, placement_id)
    checkins = [{**c, "text": json.loads(c["payload"]).get("text")}
                for c in participant.checkins_between(db, placement_id, start, end)]
    talks = [e for e in participant.own_entries(db, placement_id, limit=500, since=start,
                                                      until=end) if e["type"] == "talk_request"]
    return Voice(checkins=checkins, own_goals=goals["payload"]["text"] if goals else None,
                 talk_requests=len(talks))


# CSV ------------------------------------------------------------------------------------------

def _cell(value) -> str:
    """A cell as text; one that a spreadsheet would run as a formula is made plain text."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _percent(value: float | None) -> str:
    return "" if value is None else i18n.number(value * 100, 1)


def _moment(value: str | None) -> str:
    """Oslo time in one sortable form, whatever the language: 2026-11-23 09:30."""
    return clock.local(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _hours(value: float | None) -> str:
    return "" if value is None else i18n.number(value, 1)


def to_csv(report: Report, locale: str) -> str:
    """The report as CSV for a spreadsheet: a summary table, then weeks, flags and calls,
    each with its own header row and a blank line between. Where numbers have a decimal
    comma (Bokmål, Nynorsk) the cells are parted by semicolons, as Norwegian spreadsheets
    expect."""
    out = io.StringIO()
    delimiter = ";" if locale in i18n.DECIMAL_COMMA else ","
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")

    def row(*cells):
        writer.writerow([_cell(c) for c in cells])

    p, a, h = report.placement, report.attendance, report.hours
    row(_("Section"), _("Item"), _("Value"))
    about = _("Placement")
    row(about, _("Participant"), p["participant_name"])
    row(about, _("Workplace"), p["workplace_name"])
    row(about, _("Mentor"), p["mentor_name"] or "")
    row(about, _("Counsellor"), p["counsellor_name"])
    row(about, _("Agreement"), f"{p['start_date']} – {p['end_date']}")
    row(about, _("Extension"), vocabulary.label(vocabulary.EXTENSION_STATUS, p["extension_status"]))
    if p["outcome"]:
        row(about, _("Outcome"), vocabulary.label(vocabulary.OUTCOMES, p["outcome"]))
    row(about, _("Report period"), f"{report.first.isoformat()} – {report.last.isoformat()}")
    row(about, _("Logged up to"), report.data_until.isoformat())
    section = _("Attendance")
    row(section, _("Attendance rate (%)"), _percent(a["rate"]))
    row(section, _("On time when present (%)"), _percent(a["punctual_rate"]))
    for code, text in vocabulary.ATTENDANCE.items():
        row(section, str(text), a["counts"].get(code, 0))
    row(section, _("Working days without a daily log"), a["unlogged_working_days"])
    section = _("Trends")
    for trend in report.trends:
        row(section, trend.label, trend.direction_label)
    section = _("Mentor hours")
    row(section, _("Logged hours"), _hours(h["total"]))
    row(section, _("Agreed hours in the period"), _hours(h["agreed_total"]))
    row(section, _("Logged as share of agreed (%)"), _percent(h["ratio"]))
    section = _("Problem reports")
    row(section, _("Number"), len(report.flags))
    row(section, _("Median working hours to acknowledge"), _hours(report.median_hours_to_acknowledge))
    section = _("Call requests")
    row(section, _("Number"), len(report.calls))
    row(section, _("Median working hours to answer"), _hours(report.median_hours_to_answer))
    for goal in report.goals:
        row(_("Goals"), _("Goal"), goal)
    for task, days in report.tasks:
        row(_("Tasks logged most often"), task, days)
    section = _("The participant's own words")
    if report.voice.own_goals:
        row(section, _("The participant's own goals"), report.voice.own_goals)
    for mood, times in report.voice.moods:
        row(section, _("Said: %(mood)s", mood=vocabulary.label(vocabulary.MOODS, mood)), times)
    row(section, _("Asked to talk to the counsellor"), report.voice.talk_requests)

    writer.writerow([])
    row(_("Week"), _("Monday"), _("Attendance rate (%)"), _("Days absent"), _("Mastery (1–4)"),
        _("Part of the group (1–3)"), _("Wellbeing (1–4)"), _("Mentor hours"), _("Agreed hours"))
    for week in report.weeks:
        row(week.number, week.monday.isoformat(), _percent(week.attendance_rate), week.absent_days,
            _hours(week.mastery_avg), _hours(week.social_avg), _hours(week.wellbeing_avg),
            _hours(week.minutes / 60), _hours(week.agreed_minutes / 60))

    writer.writerow([])
    row(_("Problem reported"), _("Category"), _("Severity"), _("Status"),
        _("Working hours to acknowledge"), _("Working hours to resolve"), _("Resolution note"))
    for flag in report.flags:
        row(_moment(flag.raised_at),
            vocabulary.label(vocabulary.FLAG_CATEGORIES, flag.category),
            vocabulary.label(vocabulary.SEVERITY, flag.severity),
            vocabulary.label(vocabulary.FLAG_STATUS, flag.status),
            _hours(flag.hours_to_acknowledge), _hours(flag.hours_to_resolve),
            flag.resolution_note or "")

    writer.writerow([])
    row(_("Call requested"), _("Urgency"), _("Status"), _("Working hours to answer"),
        _("Call planned for"), _("Done"), _("Note"))
    for call in report.calls:
        row(_moment(call.requested_at), vocabulary.label(vocabulary.URGENCY, call.urgency),
            vocabulary.label(vocabulary.CALL_STATUS, call.status), _hours(call.hours_to_answer),
            _moment(call.scheduled_for), _moment(call.done_at), call.done_note or "")

    writer.writerow([])
    row(_("Participant's check-in"), _("About"), _("The participant said"),
        _("In the participant's own words"))
    for checkin in report.voice.checkins:
        row(_moment(checkin["occurred_at"]),
            vocabulary.label(vocabulary.CHECKIN_PERIODS, checkin["period"]),
            vocabulary.label(vocabulary.MOODS, checkin["mood"]), checkin["text"] or "")
    return out.getvalue()
