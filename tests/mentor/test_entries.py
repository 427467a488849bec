"""The entry forms without JavaScript: each builds the event the phone would send and goes
through sync.ingest; a double submit is stored once; the same day again is a correction."""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta

import pytest

from mentorapp.domain import clock
from mentorapp.mentor import entries
from tests.mentor.conftest import checked, field_value, form_event_id
from tests.support.counsellor import new_placement
from tests.support.events import daily_log
from tests.support.events import sync as send


def _stored(db, placement_id: int, kind: str) -> list[dict]:
    rows = db.query("SELECT * FROM events WHERE placement_id = ? AND type = ? ORDER BY seq",
                    [placement_id, kind])
    return [{**row, "payload": json.loads(row["payload"])} for row in rows]


def test_an_ordinary_day_opens_prefilled_from_the_last_day_at_work(world, as_mentor, forms):
    p1 = world.placements["p1"]
    yesterday = clock.today() - timedelta(days=1)
    send(as_mentor, [daily_log(p1, yesterday - timedelta(days=1), mastery=2, social=1,
                               minutes=40, at=clock.now() - timedelta(days=1, hours=1)),
                     daily_log(p1, yesterday, attendance="day_off", mastery=None, social=None,
                               minutes=0, at=clock.now() - timedelta(hours=20))])
    page = forms.open("log")
    assert checked(page, "attendance") == ["on_time"]
    assert checked(page, "mastery") == ["2"] and checked(page, "social") == ["1"]
    assert checked(page, "wellbeing") == [""]  # optional: "not noted" until tapped
    assert field_value(page, "minutes") == "0"  # the latest log's minutes
    assert field_value(page, "date") == clock.today().isoformat()
    assert 'data-correction-notice hidden' in page


def test_the_first_log_ever_opens_with_on_time_and_nothing_guessed(forms):
    page = forms.open("log")
    assert checked(page, "attendance") == ["on_time"]
    assert checked(page, "mastery") == [""] and checked(page, "social") == [""]
    assert field_value(page, "minutes") == ""


def test_a_log_posted_without_javascript_is_stored_as_the_phone_would_send_it(world, forms, db):
    p1 = world.placements["p1"]
    response = forms.post("log", {
        "date": clock.today().isoformat(), "attendance": "late", "mastery": "3", "social": "2",
        "wellbeing": "", "tasks": ["Plukk"], "tasks_other": "Varemottak, plukk; Rydding",
        "minutes": "45", "note": "  Fin dag\r\nmed mye å gjøre  "})
    assert response.status_code == 303 and response.headers["Location"] == "/m/"
    [stored] = _stored(db, p1, "daily_log")
    assert stored["payload"] == {"date": clock.today().isoformat(), "attendance": "late",
                                 "mastery": 3, "social": 2,
                                 "tasks": ["Plukk", "Varemottak", "Rydding"], "minutes": 45,
                                 "note": "Fin dag\nmed mye å gjøre"}
    assert stored["amends"] is None
    assert "Lagret og sendt til NAV." in forms.client.get("/m/").get_data(as_text=True)


def test_a_double_submit_is_stored_once(world, forms, db):
    event_id = form_event_id(forms.open("flag"))
    data = {"category": "motivation", "severity": "info", "note": "Lite motivert"}
    assert forms.post("flag", data, event_id).status_code == 303
    assert forms.post("flag", data, event_id).status_code == 303
    assert len(_stored(db, world.placements["p1"], "flag")) == 1


def test_the_same_form_sent_again_with_other_content_is_kept_as_well(world, forms, db):
    event_id = form_event_id(forms.open("flag"))
    forms.post("flag", {"category": "motivation", "severity": "info"}, event_id)
    forms.post("flag", {"category": "safety", "severity": "urgent"}, event_id)
    categories = [f["payload"]["category"] for f in _stored(db, world.placements["p1"], "flag")]
    assert categories == ["motivation", "safety"]


def test_changing_the_days_log_is_a_correction_pointing_at_the_original(world, forms, db):
    p1 = world.placements["p1"]
    today = clock.today().isoformat()
    forms.post("log", {"date": today, "attendance": "on_time", "mastery": "3", "minutes": "30"})
    page = forms.open("log")
    assert "Denne dagen er logget allerede" in page
    assert 'data-correction-notice hidden' not in page
    assert checked(page, "mastery") == ["3"] and field_value(page, "minutes") == "30"
    forms.post("log", {"date": today, "attendance": "late", "mastery": "2", "minutes": "50"})
    forms.post("log", {"date": today, "attendance": "late", "mastery": "1", "minutes": "55"})
    original, first_fix, second_fix = _stored(db, p1, "daily_log")
    assert original["amends"] is None
    assert first_fix["amends"] == original["id"] and second_fix["amends"] == original["id"]
    day = next(db.query("SELECT * FROM day_logs WHERE placement_id = ? AND log_date = ?",
                        [p1, today]))
    assert day["event_id"] == second_fix["id"] and day["mastery"] == 1
    assert db.execute("SELECT sum(minutes) FROM mentor_time WHERE placement_id = ?",
                      [p1]).fetchone()[0] == 55


def test_an_earlier_day_can_be_logged_and_opened(world, forms, db):
    day = (clock.today() - timedelta(days=2)).isoformat()
    assert forms.post("log", {"date": day, "attendance": "absent", "mastery": "4",
                              "social": "3", "tasks": ["x"]}).status_code == 303
    [stored] = _stored(db, world.placements["p1"], "daily_log")
    # Nothing about mastery or the group on a day the participant was not there.
    assert stored["payload"] == {"date": day, "attendance": "absent"}
    page = forms.open("log", f"?date={day}")
    assert field_value(page, "date") == day and checked(page, "attendance") == ["absent"]


@pytest.mark.parametrize(("kind", "data", "field", "message"), [
    ("log", {"attendance": "on_time"}, "date", "Velg en dato."),
    ("log", {"date": "{today}"}, "attendance", "Velg ett."),
    ("log", {"date": "{tomorrow}", "attendance": "on_time"}, "date", "Datoen kan ikke være etter"),
    ("log", {"date": "{today}", "attendance": "sometimes"}, "attendance", "Velg ett av alternativene."),
    ("log", {"date": "{today}", "attendance": "on_time", "minutes": "721"}, "minutes", "Velg et tall fra 0 til 720."),
    ("log", {"date": "{today}", "attendance": "on_time", "tasks_other": ", ".join(f"t{n}" for n in range(13))},
     "tasks_other", "Høyst 12 oppgaver per dag."),
    ("log", {"date": "{today}", "attendance": "on_time", "tasks_other": "x" * 61},
     "tasks_other", "Hver oppgave kan ha høyst 60 tegn."),
    ("flag", {"severity": "info"}, "category", "Velg ett."),
    ("flag", {"category": "diagnosis", "severity": "info"}, "category", "Velg ett av alternativene."),
    ("call", {"urgency": "today", "phone": "ring meg"}, "phone", "Skriv telefonnummeret med bare sifre"),
    ("call", {"urgency": "today", "phone": "912 34 567", "windows": ["03-04"]}, "windows", "Velg ett av alternativene."),
    ("call", {"phone": "912 34 567"}, "urgency", "Velg ett."),
    ("call", {"urgency": "today", "phone": ""}, "phone", "Fyll ut dette feltet."),
    ("time", {"date": "{today}", "minutes": "0"}, "minutes", "Velg et tall fra 1 til 720."),
    ("message", {"text": "   "}, "text", "Fyll ut dette feltet."),
])
def test_bad_input_is_shown_beside_the_field_and_nothing_is_stored(world, forms, db, kind, data,
                                                                    field, message):
    today, tomorrow = clock.today(), clock.today() + timedelta(days=1)
    data = {k: (v.format(today=today, tomorrow=tomorrow) if isinstance(v, str) else v)
            for k, v in data.items()}
    before = db["events"].count
    response = forms.post(kind, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = page.split(f'id="{field}-error">', 1)[1].split("</p>", 1)[0]
    assert message in error
    assert db["events"].count == before


def test_a_day_before_the_placement_is_refused(world, forms, db):
    day = (clock.today() - timedelta(days=400)).isoformat()
    response = forms.post("time", {"date": day, "minutes": "30"})
    assert response.status_code == 422
    assert "Datoen kan ikke være før" in response.get_data(as_text=True)


def test_a_call_request_opens_with_the_mentors_phone_and_is_stored(world, forms, db):
    page = forms.open("call")
    assert field_value(page, "phone") == "912 34 567"
    assert forms.post("call", {"urgency": "two_days", "windows": ["08-10", "14-16"],
                               "phone": "912 34 567", "topic": "Fravær"}).status_code == 303
    [stored] = _stored(db, world.placements["p1"], "call_request")
    assert stored["payload"] == {"urgency": "two_days", "windows": ["08-10", "14-16"],
                                 "phone": "912 34 567", "topic": "Fravær"}
    assert db["call_requests"].get(stored["id"])["status"] == "sent"
    # NAV is alerted (a push to the counsellor, through the durable outbox).
    assert db.execute("SELECT count(*) FROM notifications WHERE kind = 'call_request'"
                      ).fetchone()[0] == 1


def test_a_message_to_nav_is_a_comment_event(world, forms, db):
    assert forms.post("message", {"text": "Kan vi ta et møte?"}).status_code == 303
    [stored] = _stored(db, world.placements["p1"], "comment")
    assert stored["payload"] == {"text": "Kan vi ta et møte?"}
    assert "Kan vi ta et møte?" in forms.open("message")


def test_nothing_more_is_logged_on_an_ended_placement(world, forms, as_counsellor, db):
    p1 = world.placements["p1"]
    as_counsellor.post(f"/c/p/{p1}/end", data={"csrf_token": as_counsellor.csrf_token,
                                               "outcome": "employed"})
    assert "Forløpet er avsluttet" in forms.open("log")
    before = db["events"].count
    response = forms.post("log", {"date": clock.today().isoformat(), "attendance": "on_time"},
                          event_id=str(uuid.uuid4()))
    assert response.status_code == 422 and db["events"].count == before


def _options(page: str, name: str) -> list[tuple[str, str]]:
    """Each chip of a field in order: its value and the label beside it."""
    return re.findall(rf'<input type="(?:radio|checkbox)"[^>]*name="{name}" value="([^"]*)"'
                      rf'[^>]*>\s*<label[^>]*>([^<]*)</label>', page)


def test_the_flag_form_offers_the_ten_categories_and_three_severities(forms):
    forms.client.post("/language", data={"csrf_token": forms.client.csrf_token, "locale": "en"})
    page = forms.open("flag")
    assert _options(page, "category") == [
        ("absence", "Absence"), ("conflict", "Conflict"), ("wellbeing", "Wellbeing"),
        ("motivation", "Motivation"), ("development_stalled", "Development has stalled"),
        ("accommodation", "Need for accommodation"), ("safety", "Safety"),
        ("practical", "Practical matters or pay"),
        ("mentor_relief", "I need relief as a mentor"), ("other", "Something else")]
    assert _options(page, "severity") == [
        ("info", "For information"), ("attention", "Needs attention"), ("urgent", "Urgent")]
    # Nothing chosen in advance: a report's category is the mentor's own answer.
    assert checked(page, "category") == [] and checked(page, "severity") == []


def test_the_call_form_offers_today_two_working_days_and_this_week(forms):
    forms.client.post("/language", data={"csrf_token": forms.client.csrf_token, "locale": "en"})
    page = forms.open("call")
    assert _options(page, "urgency") == [("today", "Today"),
                                         ("two_days", "Within 2 working days"),
                                         ("this_week", "This week")]


# Task chips: the tasks of earlier logs, offered as chips so a usual day is a few taps.

def _log_with_tasks(placement_id: int, days_ago: int, tasks: list[str]) -> dict:
    # Written on the day it is about, so "recent" by date and by time agree.
    return daily_log(placement_id, clock.today() - timedelta(days=days_ago), tasks=tasks,
                     at=clock.now() - timedelta(days=days_ago))


def test_task_chips_are_the_most_used_first_then_the_most_recent(world, as_mentor, forms):
    p1 = world.placements["p1"]
    send(as_mentor, [_log_with_tasks(p1, 8, ["Melk"]),
                     _log_with_tasks(p1, 7, ["Arkiv"]),
                     _log_with_tasks(p1, 6, ["Varemottak"]),
                     _log_with_tasks(p1, 5, ["Varemottak", "Rydding"]),
                     _log_with_tasks(p1, 4, ["Rydding", "Varemottak"]),
                     _log_with_tasks(p1, 3, ["Kasse"])])
    # Varemottak three times, Rydding twice; then the ones used once, the latest first. The
    # names are chosen so that neither alphabetical order gives this.
    assert [value for value, _label in _options(forms.open("log"), "tasks")] == [
        "Varemottak", "Rydding", "Kasse", "Arkiv", "Melk"]
    assert checked(forms.open("log"), "tasks") == []  # offered, not chosen


def test_task_chips_are_at_most_twelve_and_the_least_used_oldest_are_left_out(world, as_mentor,
                                                                             forms):
    p1 = world.placements["p1"]
    often = [f"Ofte {n}" for n in range(11)]
    send(as_mentor, [_log_with_tasks(p1, 8, ["Gammel"]),
                     _log_with_tasks(p1, 7, often),
                     _log_with_tasks(p1, 6, often),
                     _log_with_tasks(p1, 5, ["Ny"]),
                     _log_with_tasks(p1, 4, ["Nyest"])])
    chips = [value for value, _label in _options(forms.open("log"), "tasks")]
    # Eleven used twice (in no set order among themselves: a tie), then the most recent of
    # those used once; the older single ones are left out.
    assert sorted(chips[:11]) == sorted(often) and chips[11] == "Nyest"
    assert len(chips) == entries.MAX_TASKS == 12


def test_task_chips_count_the_log_in_effect_not_its_corrections(world, as_mentor, forms):
    p1 = world.placements["p1"]
    day = clock.today() - timedelta(days=2)
    first = daily_log(p1, day, tasks=["Feil oppgave"], at=clock.now() - timedelta(days=2, hours=2))
    second = daily_log(p1, day, tasks=["Kasse"], amends=first["id"],
                       at=clock.now() - timedelta(days=2, hours=1))
    third = daily_log(p1, day, tasks=["Kasse"], amends=first["id"], at=clock.now() - timedelta(days=2))
    send(as_mentor, [first, second, third, _log_with_tasks(p1, 1, ["Oppvask"]),
                     _log_with_tasks(p1, 3, ["Oppvask"])])
    # One day corrected twice is one use of "Kasse"; the task the correction took out is gone.
    assert [value for value, _label in _options(forms.open("log"), "tasks")] == ["Oppvask", "Kasse"]


def test_task_chips_belong_to_the_placement(app, world, as_mentor, forms):
    other = new_placement(app, world, "Lise")
    send(as_mentor, [_log_with_tasks(other, 2, ["Kun hos Lise"])])
    assert _options(forms.open("log"), "tasks") == []
