"""What the participant does on their own pages: how the day or week went, their own
goals, asking to talk, reading what the mentor shared; and what never reaches them."""

from __future__ import annotations

import re

import pytest

from tests.support.events import daily_log, event, sync
from tests.support.participant import csrf_of
from tests.support.routes import state


def _post(phone, path: str, data: dict):
    return phone.post(path, data={"csrf_token": csrf_of(phone, path), **data})


def _form_event_id(phone, path: str) -> str:
    page = phone.get(path).get_data(as_text=True)
    return re.search(r'name="event_id" value="([^"]+)"', page).group(1)


def test_how_was_my_day_without_javascript_is_one_event_even_sent_twice(
        world, db, as_participant):
    event_id = _form_event_id(as_participant, "/p/checkin?period=day")
    form = {"event_id": event_id, "period": "day", "mood": "2", "text": "Travel dag"}
    for _ in range(2):
        response = _post(as_participant, "/p/checkin?period=day", form)
        assert response.status_code == 303
    rows = list(db.query("SELECT * FROM participant_checkins"))
    assert len(rows) == 1 and rows[0]["event_id"] == event_id
    assert rows[0]["mood"] == 2 and rows[0]["period"] == "day"
    assert rows[0]["placement_id"] == world.placements["p1"]
    home = as_participant.get("/p/").get_data(as_text=True)
    assert "Lagret og sendt" in home
    mine = home.split('id="mine-h"')[1].split("</section>")[0]
    assert "Dagen min" in mine and "Ikke så bra" in mine and "Travel dag" in mine


@pytest.mark.parametrize(("form", "message"), [
    ({"period": "day"}, "Velg et fjes."),
    ({"period": "day", "mood": "9"}, "Velg ett av alternativene."),
    ({"period": "month", "mood": "3"}, "Velg ett av alternativene."),
    ({"period": "day", "mood": "3", "text": "x" * 501}, "Høyst 500 tegn"),
])
def test_a_bad_check_in_is_explained_and_stores_nothing(db, as_participant, form, message):
    before = state(db)
    response = _post(as_participant, "/p/checkin", form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert state(db) == before


def test_own_goals_stand_beside_the_agreements_goals(world, as_participant, as_counsellor):
    assert _post(as_participant, "/p/goals", {"text": "Kjøre truck alene"}).status_code == 303
    assert _post(as_participant, "/p/goals", {"text": ""}).status_code == 422
    page = as_participant.get("/p/goals").get_data(as_text=True)
    assert "Lære varemottak" in page and "Kjøre truck alene" in page
    nav = as_counsellor.get(f"/c/p/{world.placements['p1']}").get_data(as_text=True)
    voice = nav.split('id="voice-h"')[1].split("</section>")[0]
    assert "Deltakerens egne mål" in voice and "Kjøre truck alene" in voice
    assert "Mål i avtalen" in voice and "Lære varemottak" in voice


def test_asking_to_talk_reaches_the_counsellor_with_an_alert_and_can_be_answered(
        world, db, as_participant, as_counsellor):
    p1 = world.placements["p1"]
    assert _post(as_participant, "/p/talk", {"text": "Om arbeidstida"}).status_code == 303
    talk = db.execute("SELECT event_id, status FROM talk_requests").fetchone()
    assert talk[1] == "open"
    alert = db.execute("SELECT user_id, kind, ref FROM notifications").fetchall()
    assert (world.ids["counsellor_a"], "talk_request", talk[0]) in alert
    assert "Du har bedt om en prat" in as_participant.get("/p/").get_data(as_text=True)
    page = as_counsellor.get(f"/c/p/{p1}").get_data(as_text=True)
    assert "Om arbeidstida" in page and "deltakerens ord" in page
    done = as_counsellor.post(f"/c/p/{p1}/talks/{talk[0]}/done",
                              data={"csrf_token": as_counsellor.csrf_token})
    assert done.status_code == 303
    assert db.execute("SELECT status FROM talk_requests").fetchone()[0] == "done"
    assert "Du har bedt om en prat" not in as_participant.get("/p/").get_data(as_text=True)


def test_the_mentor_sees_the_rule_on_the_log_form(world, as_mentor, as_counsellor):
    p1 = world.placements["p1"]
    page = as_mentor.get(f"/m/p/{p1}/log").get_data(as_text=True)
    assert "Jonas kan lese denne loggen" in page and "Hvis Jonas får appen" in page
    assert re.search(r'id="visible_to_participant"[^>]*checked', page)  # visible by default
    from tests.support.participant import invite
    invite(as_counsellor, p1)
    page = as_mentor.get(f"/m/p/{p1}/log").get_data(as_text=True)
    assert "Jonas har appen og leser loggene" in page


def test_a_hidden_log_never_reaches_the_participant(world, db, as_mentor, as_participant):
    from datetime import timedelta

    from mentorapp.domain import clock

    p1 = world.placements["p1"]
    today = clock.today()
    shown = daily_log(p1, today - timedelta(days=1), note="Flink med varemottaket")
    hidden = daily_log(p1, today - timedelta(days=2), note="Bekymret for sovnen",
                       visible_to_participant=False)
    assert [r["status"] for r in sync(as_mentor, [shown, hidden]).get_json()["results"]] == [
        "created", "created"]
    # And the no-JavaScript form, with the box unticked.
    form_page = as_mentor.get(f"/m/p/{p1}/log").get_data(as_text=True)
    event_id = re.search(r'name="event_id" value="([^"]+)"', form_page).group(1)
    posted = as_mentor.post(f"/m/p/{p1}/log", data={
        "csrf_token": as_mentor.csrf_token, "event_id": event_id, "date": today.isoformat(),
        "attendance": "on_time", "note": "Snakket om konflikten", "visibility_asked": "1"})
    assert posted.status_code == 303
    stored = db.execute("SELECT visible_to_participant FROM day_logs WHERE log_date = ?",
                        [today.isoformat()]).fetchone()[0]
    assert stored == 0
    everything = "".join(as_participant.get(path).get_data(as_text=True) for path in (
        "/p/", "/p/mentor", "/p/goals", "/p/privacy", "/p/outbox", "/p/checkin"))
    assert "Flink med varemottaket" in everything
    assert "Bekymret for sovnen" not in everything and "Snakket om konflikten" not in everything
    # The counsellor sees all three, the hidden ones marked as such.
    from tests.support.clients import signed_in
    nav = signed_in(as_mentor.application, world, "counsellor_a").get(f"/c/p/{p1}")
    text = nav.get_data(as_text=True)
    assert "Bekymret for sovnen" in text and text.count("ikke vist til deltakeren") == 2


def test_a_correction_can_hide_a_log_that_was_visible(world, db, as_mentor, as_participant):
    p1 = world.placements["p1"]
    first = daily_log(p1, note="Glemte hjelmen")
    fix = daily_log(p1, note="Glemte hjelmen", amends=first["id"], visible_to_participant=False)
    sync(as_mentor, [first])
    assert "Glemte hjelmen" in as_participant.get("/p/mentor").get_data(as_text=True)
    assert sync(as_mentor, [fix]).get_json()["results"][0]["status"] == "created"
    assert "Glemte hjelmen" not in as_participant.get("/p/mentor").get_data(as_text=True)


def test_the_participant_sees_who_can_read_what(world, as_participant):
    page = as_participant.get("/p/privacy").get_data(as_text=True)
    for name in ("Ahmed Mentor", "Kari Veileder", "Per Backup"):
        assert name in page
    assert "Slutt å bruke appen" in page


@pytest.mark.parametrize("choice", ["keep", "delete"])
def test_taking_back_the_app_access(app, world, db, as_participant, choice):
    p1 = world.placements["p1"]
    check_in = event("participant_checkin", p1, {"period": "week", "mood": 1,
                                                  "date": daily_log(p1)["payload"]["date"]})
    goals = event("participant_goals", p1, {"text": "Bli fast ansatt"})
    assert sync(as_participant, [check_in, goals]).status_code == 200
    account = db.execute("SELECT participant_user_id FROM placements WHERE id = ?",
                         [p1]).fetchone()[0]
    # Not sure yet: nothing happens.
    unsure = _post(as_participant, "/p/close", {"entries": choice})
    assert unsure.status_code == 422 and "Kryss av i boksen" in unsure.get_data(as_text=True)
    closed = _post(as_participant, "/p/close", {"entries": choice, "sure": "on"})
    assert closed.status_code == 200
    assert "Du har sluttet å bruke appen" in closed.get_data(as_text=True)
    assert db["users"].get(account)["active"] == 0
    assert db.execute("SELECT count(*) FROM sessions WHERE user_id = ?", [account]).fetchone()[0] == 0
    own = db.execute("SELECT count(*) FROM events WHERE author_id = ? AND type IN "
                     "('participant_checkin', 'participant_goals')", [account]).fetchone()[0]
    assert own == (2 if choice == "keep" else 0)
    assert db.execute("SELECT count(*) FROM participant_checkins").fetchone()[0] == own // 2
    line = db.execute("SELECT action, detail FROM audit_log WHERE user_id = ?",
                      [account]).fetchone()
    assert line[0] == "participant_account_closed"
    assert ("kept" if choice == "keep" else "deleted") in line[1]
    # Signed out, and the phone's session is gone for good.
    assert as_participant.get("/p/").status_code == 302
    assert sync(as_participant, [event("talk_request", p1, {})]).status_code in (401, 403)
