"""Weekly figures from what the mentor logged, and the four week charts of a placement
(attendance, mastery, social inclusion, mentor hours) drawn from them with the chart
model of mentorapp.web.charts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _

from mentorapp.domain import clock, vocabulary
from mentorapp.web import charts, i18n


@dataclass
class Week:
    monday: date
    number: int  # ISO week number
    expected_days: int = 0  # logged days the participant was expected at work
    present_days: int = 0
    late_days: int = 0
    absent_days: int = 0
    days_off: int = 0
    mastery: list[int] = field(default_factory=list)
    social: list[int] = field(default_factory=list)
    wellbeing: list[int] = field(default_factory=list)
    minutes: int = 0
    agreed_minutes: int = 0
    partial: bool = False  # the week is only partly inside the period

    @property
    def attendance_rate(self) -> float | None:
        return self.present_days / self.expected_days if self.expected_days else None

    @staticmethod
    def _mean(values: list[int]) -> float | None:
        return sum(values) / len(values) if values else None

    @property
    def mastery_avg(self) -> float | None:
        return self._mean(self.mastery)

    @property
    def social_avg(self) -> float | None:
        return self._mean(self.social)

    @property
    def wellbeing_avg(self) -> float | None:
        return self._mean(self.wellbeing)

    @property
    def logged(self) -> bool:
        return bool(self.expected_days or self.days_off)


def weeks(day_logs: list[dict], minutes_by_day: list[dict], first: date, last: date,
          agreed_minutes_per_week: int) -> list[Week]:
    """One Week per calendar week touching [first, last], oldest first."""
    result: dict[date, Week] = {}
    monday = clock.monday_of(first)
    while monday <= last:
        week = Week(monday, monday.isocalendar()[1],
                    agreed_minutes=agreed_minutes_per_week,
                    partial=monday < first or monday + timedelta(days=6) > last)
        result[monday] = week
        monday += timedelta(days=7)
    for log in day_logs:
        week = result.get(clock.monday_of(date.fromisoformat(log["log_date"])))
        if week is None:
            continue
        attendance = log["attendance"]
        if attendance in vocabulary.WORKING_ATTENDANCE:
            week.expected_days += 1
            week.present_days += attendance in ("on_time", "late")
            week.late_days += attendance == "late"
            week.absent_days += attendance == "absent"
        else:
            week.days_off += 1
        for name in ("mastery", "social", "wellbeing"):
            if log.get(name) is not None:
                getattr(week, name).append(log[name])
    for row in minutes_by_day:
        week = result.get(clock.monday_of(date.fromisoformat(row["work_date"])))
        if week is not None:
            week.minutes += row["minutes"]
    return list(result.values())


# The charts of a placement ----------------------------------------------------------------

def _columns(week_list: list[Week], centres: list[float]) -> list[tuple[float, str]]:
    # Label every week while there is room, then every second or fourth.
    step = 1 if len(week_list) <= 10 else 2 if len(week_list) <= 20 else 4
    return [(round(x, 1), str(w.number)) for i, (w, x) in enumerate(zip(week_list, centres, strict=True))
            if i % step == 0 or i == len(week_list) - 1]


def _week_name(week: Week) -> str:
    return _("Week %(number)d", number=week.number)


def attendance_chart(week_list: list[Week]) -> charts.Chart:
    span, centres = charts.x_slots(len(week_list))
    chart = charts.Chart("attendance", _("Attendance by week"), "", _("Attendance (%)"),
                  ticks=[(charts.y_of(v, 0, 100), f"{v}") for v in (0, 50, 100)],
                  columns=_columns(week_list, centres))
    rates = []
    for week, x in zip(week_list, centres, strict=True):
        rate = week.attendance_rate
        if rate is None:
            continue
        rates.append(rate)
        top = charts.y_of(rate * 100, 0, 100)
        chart.bars.append(charts.Bar(round(x - span * 0.35, 1), top, round(span * 0.7, 1),
                              round(charts.HEIGHT - charts.BOTTOM - top, 1),
                              f"{_week_name(week)}: {i18n.number(rate * 100, 0)} %",
                              week.partial))
    chart.empty = not rates
    chart.description = _range_text(_("Attendance"), [r * 100 for r in rates], " %", 0)
    return chart


def _line_chart(key: str, title: str, axis: str, week_list: list[Week], values: list[float | None],
                scale: dict) -> charts.Chart:
    low, high = min(scale), max(scale)
    _span, centres = charts.x_slots(len(week_list))
    chart = charts.Chart(key, title, "", axis,
                  ticks=[(charts.y_of(v, low, high), str(v)) for v in sorted(scale)],
                  columns=_columns(week_list, centres))
    segment: list[str] = []
    for week, x, value in zip(week_list, centres, values, strict=True):
        if value is None:
            if segment:
                chart.lines.append(" ".join(segment))
            segment = []
            continue
        y = charts.y_of(value, low, high)
        segment.append(f"{round(x, 1)},{y}")
        chart.dots.append((round(x, 1), y, f"{_week_name(week)}: {i18n.number(value)}"))
    if segment:
        chart.lines.append(" ".join(segment))
    present = [v for v in values if v is not None]
    chart.empty = not present
    chart.description = _range_text(title, present, "", 1)
    return chart


def mastery_chart(week_list: list[Week]) -> charts.Chart:
    return _line_chart("mastery", _("Mastery by week"),
                       _("Mastery (1 struggled a lot – 4 managed well)"), week_list,
                       [w.mastery_avg for w in week_list], vocabulary.MASTERY)


def social_chart(week_list: list[Week]) -> charts.Chart:
    return _line_chart("social", _("Social inclusion by week"),
                       _("Part of the group (1 kept to themselves – 3 part of the group)"),
                       week_list, [w.social_avg for w in week_list], vocabulary.SOCIAL)


def hours_chart(week_list: list[Week]) -> charts.Chart:
    agreed = max((w.agreed_minutes for w in week_list), default=0) / 60
    most = max([w.minutes / 60 for w in week_list] + [agreed, 1])
    high = charts.nice_ceiling(most)
    span, centres = charts.x_slots(len(week_list))
    chart = charts.Chart("hours", _("Mentor hours by week"), "", _("Hours"),
                  ticks=[(charts.y_of(v, 0, high), i18n.number(v)) for v in (0, high / 2, high)],
                  columns=_columns(week_list, centres))
    for week, x in zip(week_list, centres, strict=True):
        hours = week.minutes / 60
        top = charts.y_of(hours, 0, high)
        if hours:
            chart.bars.append(charts.Bar(round(x - span * 0.35, 1), top, round(span * 0.7, 1),
                                  round(charts.HEIGHT - charts.BOTTOM - top, 1),
                                  f"{_week_name(week)}: {i18n.number(hours)} h", week.partial))
    if agreed:
        chart.target = (charts.y_of(agreed, 0, high), _("agreed %(hours)s h", hours=i18n.number(agreed)))
    total = sum(w.minutes for w in week_list) / 60
    chart.empty = not total and not agreed
    chart.description = _("Mentor hours: %(total)s in %(weeks)d weeks; agreed %(agreed)s per week.",
                          total=i18n.number(total), weeks=len(week_list),
                          agreed=i18n.number(agreed))
    return chart


def _range_text(what: str, values: list[float], unit: str, digits: int) -> str:
    if not values:
        return _("%(what)s: nothing logged in these weeks.", what=what)
    return _("%(what)s: from %(low)s to %(high)s; first week %(first)s, last week %(last)s.",
             what=what, low=i18n.number(min(values), digits) + unit,
             high=i18n.number(max(values), digits) + unit,
             first=i18n.number(values[0], digits) + unit,
             last=i18n.number(values[-1], digits) + unit)


def all_charts(week_list: list[Week]) -> list[charts.Chart]:
    return [attendance_chart(week_list), mastery_chart(week_list), social_chart(week_list),
            hours_chart(week_list)]
