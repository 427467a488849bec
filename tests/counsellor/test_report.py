"""The follow-up report: made from what was logged, for any period (the agreement period
unless chosen), as a printable page and as CSV, in Bokmål, Nynorsk and English."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest

from mentorapp.counsellor import reports
from mentorapp.domain import clock, worktime
from tests.support.counsellor import call_request, flag, send
from tests.support.events import daily_log


def _plain_week() -> date:
    """A Monday in the placement's past whose whole week has no public holiday."""
    monday = clock.today() - timedelta(days=clock.today().weekday() + 7)
    while not all(worktime.is_working_day(monday + timedelta(days=d)) for d in range(5)):
        monday -= timedelta(days=7)
    return monday


@pytest.fixture
def logged_week(world, as_mentor, as_counsellor, db):
    """A week of logs with a flag and a call NAV answered, on p1 (2 h a week agreed)."""
    p1 = world.placements["p1"]
    monday = _plain_week()
    at = lambda day, hour, minute=0: datetime(  # noqa: E731
        day.year, day.month, day.day, hour, minute, tzinfo=clock.OSLO)
    days = [(0, "on_time", 2), (1, "late", 3), (2, "absent", None), (3, "on_time", 4),
            (4, "day_off", None)]
    send(as_mentor, *[daily_log(p1, monday + timedelta(days=d), at=at(monday + timedelta(days=d), 16),
                                attendance=a, mastery=m, social=2, wellbeing=3,
                                minutes=60 if a != "day_off" else 0, tasks=["Plukk"])
                      for d, a, m in days])
    raised = flag(as_mentor, p1, severity="urgent", category="conflict", at=at(monday, 9))
    asked = call_request(as_mentor, p1, urgency="today", at=at(monday, 10))
    # NAV's answers at known times: 2.5 and 8 working hours for the flag, ½ for the call.
    db.execute("UPDATE flags SET status = 'resolved', acknowledged_at = ?, resolved_at = ?, "
               "resolution_note = ? WHERE event_id = ?",
               [clock.iso(at(monday, 11, 30)), clock.iso(at(monday + timedelta(days=1), 9)),
                "Møte med begge", raised["id"]])
    db.execute("UPDATE call_requests SET status = 'done', seen_at = ?, done_at = ?, "
               "done_note = ? WHERE event_id = ?",
               [clock.iso(at(monday, 10, 30)), clock.iso(at(monday, 13)), "Ringte", asked["id"]])
    db.conn.commit()
    return {"placement": p1, "from": monday, "to": monday + timedelta(days=6)}


def _report(client, week, path="report", **params):
    query = {"from": week["from"].isoformat(), "to": week["to"].isoformat(), **params}
    return client.get(f"/c/p/{week['placement']}/{path}", query_string=query)


def test_the_report_is_made_from_what_was_logged(logged_week, as_counsellor):
    response = _report(as_counsellor, logged_week)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Oppfølgingsrapport: Jonas" in page
    assert "75 % oppmøte på de 4 arbeidsdagene som er logget" in page
    assert "Presis når til stede</dt><dd>67 %" in page
    assert "Arbeidsdager uten dagslogg</dt><dd>0 av 5" in page
    assert "1 utfordring meldt i perioden." in page
    assert "NAV så dem etter 2,5 arbeidstimer (median)." in page
    assert "Møte med begge" in page and ">8<" in page  # 8 working hours to resolve
    assert "1 samtaleønske i perioden." in page
    assert "NAV svarte etter 0,5 arbeidstimer (median)." in page
    assert "4 timer" in page and "200 %" in page  # mentor hours vs 2 h agreed
    assert "<li>Møte presis</li>" in page and "Plukk: 5 dager" in page
    assert page.count('role="img"') == 4 and '<table class="weeks">' in page
    assert "Ingenting her er skrevet inn på nytt." in page


def test_the_report_has_print_styles(logged_week, as_counsellor):
    page = _report(as_counsellor, logged_week).get_data(as_text=True)
    assert "/static/css/report.css" in page
    css = as_counsellor.get("/static/css/report.css").get_data(as_text=True)
    assert "@media print" in css and ".no-print" in css


def test_the_report_in_english(logged_week, as_counsellor):
    page = _report(as_counsellor, logged_week, lang="en").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Follow-up report: Jonas" in page
    assert "75 % attendance on the 4 working days logged" in page
    assert "NAV acknowledged them after 2.5 working hours (median)." in page


def test_the_report_in_nynorsk(logged_week, as_counsellor):
    page = _report(as_counsellor, logged_week, lang="nn").get_data(as_text=True)
    assert '<html lang="nn">' in page and '<option value="nn" lang="nn" selected>' in page
    assert "Oppfølgingsrapport: Jonas" in page
    assert "75 % oppmøte på dei 4 arbeidsdagane som er logga" in page
    assert "Presis når til stades</dt><dd>67 %" in page
    assert "1 melding om ei utfordring i perioden." in page
    assert "NAV såg dei etter 2,5 arbeidstimar (median)." in page
    assert "4 timar" in page and "Plukk: 5 dagar" in page
    assert "Ingenting her er skrive inn på nytt." in page


def test_the_default_period_is_the_agreement(world, as_counsellor, db):
    p1 = world.placements["p1"]
    placement = db["placements"].get(p1)
    page = as_counsellor.get(f"/c/p/{p1}/report").get_data(as_text=True)
    assert f'value="{placement["start_date"]}"' in page
    assert f'value="{placement["end_date"]}"' in page
    assert "logget til og med" in page  # the period runs into the future


@pytest.mark.parametrize(("params", "message"), [
    ({"from": "2026-05-01", "to": "2026-04-01"}, "Slutten av perioden må være samme dag"),
    ({"from": "not a date", "to": "2026-04-01"}, "Skriv datoen som ÅÅÅÅ-MM-DD."),
    ({"from": "2020-01-01", "to": "2026-01-01"}, "En rapport kan dekke høyst tre år."),
    ({"from": "2026-01-01"}, "Velg en dato."),
])
@pytest.mark.parametrize("path", ["report", "report.csv"])
def test_a_bad_period_is_explained(world, as_counsellor, params, message, path):
    response = as_counsellor.get(f"/c/p/{world.placements['p1']}/{path}", query_string=params)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and 'aria-invalid="true"' in page


def test_csv_in_bokmal(logged_week, as_counsellor):
    response = _report(as_counsellor, logged_week, path="report.csv")
    assert response.mimetype == "text/csv"
    assert 'filename="oppfolging-' in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Del", "Punkt", "Verdi"]
    assert ["Oppmøte", "Oppmøte (%)", "75"] in rows
    assert ["Oppmøte", "Presis når til stede (%)", "66,7"] in rows
    assert ["Mentortimer", "Logget som andel av avtalt (%)", "200"] in rows
    assert ["Utfordringer", "Arbeidstimer til sett (median)", "2,5"] in rows
    assert ["Samtaleønsker", "Arbeidstimer til svar (median)", "0,5"] in rows
    assert ["Mål", "Mål", "Møte presis"] in rows
    week = logged_week["from"].isocalendar()[1]
    assert [str(week), logged_week["from"].isoformat(), "75", "1", "3", "2", "3", "4", "2"] in rows
    flag_row = next(r for r in rows if r[:2] and r[1] == "Konflikt")
    assert flag_row[2:] == ["Haster", "Løst", "2,5", "8", "Møte med begge"]


def test_csv_in_english(logged_week, as_counsellor):
    response = _report(as_counsellor, logged_week, path="report.csv", lang="en")
    assert 'filename="follow-up-' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Section", "Item", "Value"]
    assert ["Attendance", "On time when present (%)", "66.7"] in rows


def test_csv_in_nynorsk(logged_week, as_counsellor):
    response = _report(as_counsellor, logged_week, path="report.csv", lang="nn")
    assert 'filename="oppfolging-' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))
    assert rows[0] == ["Del", "Punkt", "Verdi"]
    assert ["Oppmøte", "Presis når til stades (%)", "66,7"] in rows
    assert ["Utfordringar", "Arbeidstimar til sett (median)", "2,5"] in rows
    assert ["Samtaleønske", "Arbeidstimar til svar (median)", "0,5"] in rows


def test_csv_cells_cannot_become_spreadsheet_formulas(world, as_counsellor, db):
    p1 = world.placements["p1"]
    db.execute("UPDATE placements SET goals = ? WHERE id = ?", ["=HYPERLINK(\"x\")\n+1", p1])
    db.conn.commit()
    text = as_counsellor.get(f"/c/p/{p1}/report.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert ["Mål", "Mål", "'=HYPERLINK(\"x\")"] in rows and ["Mål", "Mål", "'+1"] in rows


def test_report_and_csv_leave_audit_lines(world, as_counsellor, db):
    p1 = world.placements["p1"]
    as_counsellor.get(f"/c/p/{p1}/report")
    as_counsellor.get(f"/c/p/{p1}/report.csv")
    actions = [row["action"] for row in db.query(
        "SELECT action FROM audit_log WHERE placement_id = ? ORDER BY id", [p1])]
    assert actions[-2:] == ["report", "report_csv"]


def test_another_counsellor_gets_no_report(app, world):
    from tests.support.clients import signed_in

    outsider = signed_in(app, world, "counsellor_b")
    for path in ("report", "report.csv"):
        assert outsider.get(f"/c/p/{world.placements['p1']}/{path}").status_code == 404


@pytest.mark.parametrize(("values", "direction"), [
    ([2, 2, 3, 3], "rising"),
    ([3, 3, 2, 2], "falling"),
    ([3, 3.1, 3, 3.1], "stable"),
    ([3, None, None], "unknown"),
    ([], "unknown"),
])
def test_trends_compare_the_first_half_with_the_second(values, direction):
    assert reports._trend("mastery", "Mestring", values).direction == direction
