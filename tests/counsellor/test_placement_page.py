"""The placement page: what needs the counsellor, the timeline (paged, late entries in
their place), charts by week with a table beside them, goals and mentor history."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from mentorapp.counsellor import charts
from mentorapp.domain import clock
from tests.support.counsellor import call_request, flag, log_today, new_placement, send
from tests.support.events import daily_log, event


def test_the_page_shows_what_needs_the_counsellor_first(world, as_mentor, as_counsellor):
    p1 = world.placements["p1"]
    raised = flag(as_mentor, p1, severity="urgent", category="safety",
                  note="Glemte vernesko igjen")
    asked = call_request(as_mentor, p1, urgency="today")
    page = as_counsellor.get(f"/c/p/{p1}").get_data(as_text=True)
    matters = page.split('<section id="matters"')[1].split("</section>")[0]
    assert f'id="e-{raised["id"]}"' in matters and f'id="e-{asked["id"]}"' in matters
    assert "Sikkerhet" in matters and "Glemte vernesko igjen" in matters
    assert 'href="tel:91234567"' in matters  # the mentor's number, to call at once
    assert "Om arbeidstiden" in matters and "10–12" in matters
    # In the timeline the same entries have their own anchors: ids stay unique.
    assert f'id="t-{raised["id"]}"' in page
    assert page.index('id="matters"') < page.index('id="timeline"')


def test_nothing_open_says_so(world, as_counsellor):
    page = as_counsellor.get(f"/c/p/{world.placements['p1']}").get_data(as_text=True)
    assert "Ingenting åpent: ingen ubesvarte utfordringer eller samtaleønsker." in page


def test_goals_and_mentor_history(world, as_counsellor):
    p1 = world.placements["p1"]
    as_counsellor.post(f"/c/p/{p1}/mentor", data={
        "csrf_token": as_counsellor.csrf_token, "mentor_id": str(world.ids["mentor_idle"]),
        "reason": "Ahmed har byttet avdeling"})
    page = as_counsellor.get(f"/c/p/{p1}").get_data(as_text=True)
    goals = page.split('id="facts-h"')[1]
    assert "<li>Møte presis</li>" in goals and "<li>Lære varemottak</li>" in goals
    history = page.split('id="history-h"')[1].split("</section>")[0]
    assert "Ahmed Mentor" in history and "Idar Mentor" in history
    assert "Ahmed har byttet avdeling" in history
    assert "se etter endringer i oppmøtet" in history


def test_the_timeline_is_paged_and_a_late_entry_is_in_its_place(world, as_mentor, as_counsellor):
    p1 = world.placements["p1"]
    today = clock.today()
    logs = [daily_log(p1, today - timedelta(days=d), at=clock.now() - timedelta(days=d),
                      note=f"dag {d}") for d in range(1, 29)]
    send(as_mentor, *logs[1:])
    send(as_mentor, logs[0])  # yesterday's log arrives last, from a phone that was offline
    send(as_mentor, *[event("comment", p1, {"text": f"melding {n}"}) for n in range(5)])
    first = as_counsellor.get(f"/c/p/{p1}").get_data(as_text=True)
    notes = re.findall(r'<p class="small">(dag \d+)</p>', first)
    assert notes == [f"dag {d}" for d in range(1, 25)]  # by when it happened, not arrived
    more = re.search(r'href="(/c/p/\d+/timeline\?[^"]+)"', first).group(1).replace("&amp;", "&")
    rest = as_counsellor.get(more, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in rest
    assert re.findall(r'<p class="small">(dag \d+)</p>', rest) == [
        f"dag {d}" for d in range(25, 29)]
    first_ids = set(re.findall(r'<li id="[et]-([0-9a-f-]{36})"', first))
    rest_ids = set(re.findall(r'<li id="[et]-([0-9a-f-]{36})"', rest))
    assert len(first_ids) == 30 and len(rest_ids) == 4 and not first_ids & rest_ids
    assert 'id="timeline-more"' not in rest  # nothing older
    page = as_counsellor.get(more)  # without JavaScript: a page of its own
    assert page.status_code == 200 and "Eldre oppføringer" in page.get_data(as_text=True)


def test_charts_are_drawn_with_a_text_alternative(world, as_mentor, as_counsellor):
    p1 = world.placements["p1"]
    today = clock.today()
    monday = clock.monday_of(today) - timedelta(weeks=2)
    send(as_mentor, *[daily_log(p1, monday + timedelta(days=d), attendance=a, mastery=m,
                                social=2, minutes=60)
                      for d, a, m in [(0, "on_time", 2), (1, "late", 3), (2, "absent", None),
                                      (3, "on_time", 4)]])
    page = as_counsellor.get(f"/c/p/{p1}").get_data(as_text=True)
    for key in ("attendance", "mastery", "social", "hours"):
        assert f'aria-labelledby="chart-{key}-title chart-{key}-desc"' in page
    assert page.count('role="img"') == 4
    assert "Oppmøte: fra" in page  # the description says it in words
    table = page.split('<table class="weeks">')[1].split("</table>")[0]
    week = monday.isocalendar()[1]
    row = table.split(f"Uke {week} ")[1].split("</tr>")[0]
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    assert cells == ["75 %", "1", "3", "2", "–", "4 / 2"]
    assert '<rect class="bar"' in page and '<polyline class="line"' in page
    assert '<line class="target"' in page  # the agreed hours


def test_a_new_placement_has_empty_charts_that_say_so(app, world, as_counsellor):
    fresh = new_placement(app, world, "Ny", start=clock.today())
    page = as_counsellor.get(f"/c/p/{fresh}").get_data(as_text=True)
    assert "Ingenting logget ennå" in page
    assert "Oppmøte: ingenting logget disse ukene." in page


def test_hours_this_week_and_the_last_four_weeks(world, as_mentor, as_counsellor):
    p1 = world.placements["p1"]
    log_today(as_mentor, p1, minutes=90)
    page = as_counsellor.get(f"/c/p/{p1}").get_data(as_text=True)
    assert "1,5 denne uka, 1,5 de siste 4 ukene; avtalt 2 per uke" in page


def test_opening_the_page_leaves_an_audit_line(world, as_counsellor, db):
    as_counsellor.get(f"/c/p/{world.placements['p1']}")
    line = next(db.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1"))
    assert (line["action"], line["placement_id"], line["user_id"]) == (
        "counsellor.placement", world.placements["p1"], world.ids["counsellor_a"])


def test_the_page_links_to_the_report(world, as_counsellor):
    p1 = world.placements["p1"]
    page = as_counsellor.get(f"/c/p/{p1}").get_data(as_text=True)
    assert f'href="/c/p/{p1}/report"' in page and f'href="/c/p/{p1}/report.csv"' in page


# The weekly figures on their own ------------------------------------------------------------

def _log(day: str, attendance: str, mastery=None, social=None, wellbeing=None) -> dict:
    return {"log_date": day, "attendance": attendance, "mastery": mastery, "social": social,
            "wellbeing": wellbeing}


def test_weeks_count_expected_days_and_leave_days_off_out():
    logs = [_log("2026-11-02", "on_time", 2, 1), _log("2026-11-03", "late", 4, 3),
            _log("2026-11-04", "absent"), _log("2026-11-05", "day_off"),
            _log("2026-11-10", "on_time", 3)]
    minutes = [{"work_date": "2026-11-02", "minutes": 60}, {"work_date": "2026-11-11",
                                                           "minutes": 30}]
    first, second, third = charts.weeks(logs, minutes, date(2026, 11, 2), date(2026, 11, 18), 120)
    assert (first.number, first.expected_days, first.present_days, first.days_off) == (45, 3, 2, 1)
    assert first.attendance_rate == pytest.approx(2 / 3)
    assert first.mastery_avg == 3 and first.social_avg == 2 and first.wellbeing_avg is None
    assert first.minutes == 60 and second.minutes == 30
    assert third.attendance_rate is None and not third.logged
    assert third.partial and not first.partial


def test_a_line_chart_breaks_where_a_week_has_no_value(app):
    logs = [_log("2026-11-02", "on_time", 2), _log("2026-11-16", "on_time", 4)]
    week_list = charts.weeks(logs, [], date(2026, 11, 2), date(2026, 11, 22), 0)
    with app.test_request_context():
        chart = charts.mastery_chart(week_list)
    assert len(chart.lines) == 2 and len(chart.dots) == 2
    assert chart.dots[0][1] > chart.dots[1][1]  # 4 is drawn higher (smaller y) than 2


def test_note_that_other_services_work_alongside(world, as_counsellor, as_mentor, db):
    p1 = world.placements["p1"]
    events_before = db["events"].count
    response = as_counsellor.post(f"/c/p/{p1}/parallel", data={
        "csrf_token": as_counsellor.csrf_token, "parallel_processes": "on"})
    assert response.status_code == 303
    assert db["placements"].get(p1)["parallel_processes"] == 1
    assert db["events"].count == events_before  # NAV's note only: not on the shared timeline
    page = as_counsellor.get(f"/c/p/{p1}").get_data(as_text=True)
    assert 'id="parallel_processes" name="parallel_processes" value="on" checked' in page
    as_counsellor.post(f"/c/p/{p1}/parallel", data={"csrf_token": as_counsellor.csrf_token})
    assert db["placements"].get(p1)["parallel_processes"] == 0
    actions = [r["action"] for r in db.query("SELECT action FROM audit_log ORDER BY id")]
    assert actions.count("parallel_processes") == 2
