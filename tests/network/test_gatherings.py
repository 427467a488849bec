"""Gatherings: planned with time, place and/or video link and agenda; mentors answer yes,
no or maybe; the coordinator records who came, changes or cancels; feedback afterwards."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from mentorapp.domain import clock
from tests.support.clients import signed_in
from tests.support.network import created_id, gathering_form, move_gathering, plan, post


def test_a_planned_gathering_shows_what_a_mentor_needs(world, as_coordinator, as_mentor, db):
    day = clock.today() + timedelta(days=10)
    gathering_id = plan(as_coordinator, day=day, start="09:00", end="11:30")
    row = db["gatherings"].get(gathering_id)
    assert row["starts_at"] == clock.iso(datetime.combine(day, time(9), tzinfo=clock.OSLO))
    assert row["ends_at"] == clock.iso(datetime.combine(day, time(11, 30), tzinfo=clock.OSLO))
    assert row["network_id"] == world.ids["network_1"]
    page = as_mentor.get(f"/n/gatherings/{gathering_id}").get_data(as_text=True)
    assert "Nettverkssamling: de første ukene" in page and "NAV A-by, møterom 2" in page
    assert "09:00–11:30" in page and "Velkommen\nErfaringer, runde" in page
    assert 'href="https://meet.example.no/samling"' in page
    assert f'href="/n/gatherings/{gathering_id}/calendar.ics"' in page
    assert "Kommer du?" in page
    listing = as_mentor.get("/n/gatherings").get_data(as_text=True)
    assert "Nettverkssamling: de første ukene" in listing


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"title": ""}, "title", "Fyll ut dette feltet."),
    ({"date": (clock.today() - timedelta(days=1)).isoformat()}, "date", "Datoen kan ikke være før"),
    ({"date": "31.12.2026"}, "date", "Skriv datoen som ÅÅÅÅ-MM-DD."),
    ({"start_time": "9"}, "start_time", "Skriv klokkeslettet som TT:MM"),
    ({"start_time": ""}, "start_time", "Skriv et klokkeslett"),
    ({"start_time": "12:00", "end_time": "11:00"}, "end_time", "Slutten må være etter starten."),
    ({"start_time": "06:00", "end_time": "20:00"}, "end_time", "En samling kan vare høyst 12 timer."),
    ({"place": "", "video_url": ""}, "place", "Skriv hvor samlingen er, eller legg inn en videolenke"),
    ({"video_url": "javascript:alert(1)"}, "video_url", "Skriv en hel nettadresse"),
    ({"agenda": "x" * 4001}, "agenda", "Høyst 4000 tegn"),
])
def test_bad_plans_are_refused_beside_the_field(world, as_coordinator, db, change, field, message):
    response = post(as_coordinator, "/n/gatherings/new", gathering_form(**change))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and f'id="{field}-error"' in page
    assert db["gatherings"].count == 0


def test_a_gathering_earlier_today_is_refused(world, as_coordinator, db):
    now = clock.local(clock.now())
    if now.hour == 0:
        pytest.skip("just after midnight there is no earlier time today")
    response = post(as_coordinator, "/n/gatherings/new",
                    gathering_form(day=now.date(), start="00:00", end="00:30"))
    assert response.status_code == 422
    assert "Starttidspunktet har allerede vært" in response.get_data(as_text=True)


def test_video_only_or_place_only_is_fine(world, as_coordinator):
    plan(as_coordinator, place="")
    plan(as_coordinator, video_url="")


def test_mentors_answer_and_change_their_answer(world, as_coordinator, as_mentor, db):
    gathering_id = plan(as_coordinator)
    for answer in ("maybe", "yes"):
        response = post(as_mentor, f"/n/gatherings/{gathering_id}/answer",
                        {"answer": answer, "next": "/n/gatherings#g-1"})
        assert response.status_code == 303 and response.headers["Location"] == "/n/gatherings#g-1"
    rows = list(db.query("SELECT * FROM gathering_responses"))
    assert [(r["user_id"], r["answer"]) for r in rows] == [(world.ids["mentor_a"], "yes")]
    page = as_mentor.get(f"/n/gatherings/{gathering_id}").get_data(as_text=True)
    assert "Ditt svar: Ja, jeg kommer" in page
    coordinator_page = as_coordinator.get(f"/n/gatherings/{gathering_id}").get_data(as_text=True)
    assert "Ja: 1 · Kanskje: 0 · Nei: 0" in coordinator_page
    assert "Ahmed Mentor" in coordinator_page and "Berit Mentor" in coordinator_page


def test_an_answer_must_be_yes_no_or_maybe_and_next_stays_on_the_site(world, as_coordinator,
                                                                       as_mentor, db):
    gathering_id = plan(as_coordinator)
    bad = post(as_mentor, f"/n/gatherings/{gathering_id}/answer", {"answer": "perhaps"})
    assert bad.status_code == 422 and db["gathering_responses"].count == 0
    away = post(as_mentor, f"/n/gatherings/{gathering_id}/answer",
                {"answer": "no", "next": "https://evil.example/"})
    assert away.headers["Location"] == f"/n/gatherings/{gathering_id}"


def test_answers_close_when_it_starts_or_is_cancelled(world, as_coordinator, as_mentor, db):
    started = plan(as_coordinator)
    move_gathering(db, started, clock.now() - timedelta(minutes=5))
    response = post(as_mentor, f"/n/gatherings/{started}/answer", {"answer": "yes"})
    assert response.status_code == 422
    assert "Samlingen har begynt" in response.get_data(as_text=True)
    cancelled = plan(as_coordinator)
    post(as_coordinator, f"/n/gatherings/{cancelled}/cancel")
    response = post(as_mentor, f"/n/gatherings/{cancelled}/answer", {"answer": "yes"})
    assert response.status_code == 422
    assert db["gathering_responses"].count == 0


def test_only_mentors_answer(world, as_coordinator, db):
    gathering_id = plan(as_coordinator)
    assert post(as_coordinator, f"/n/gatherings/{gathering_id}/answer",
                {"answer": "yes"}).status_code == 404


def test_cancelling_tells_those_who_said_yes_or_maybe(app, world, as_coordinator, as_mentor, db):
    gathering_id = plan(as_coordinator)
    post(as_mentor, f"/n/gatherings/{gathering_id}/answer", {"answer": "yes"})
    mentor_b = signed_in(app, world, "mentor_b")
    post(mentor_b, f"/n/gatherings/{gathering_id}/answer", {"answer": "no"})
    assert post(as_coordinator, f"/n/gatherings/{gathering_id}/cancel").status_code == 303
    row = db["gatherings"].get(gathering_id)
    assert row["cancelled_at"] and row["sequence"] == 1
    alerts = list(db.query("SELECT user_id, kind, url FROM notifications"))
    assert alerts == [{"user_id": world.ids["mentor_a"], "kind": "gathering_cancelled",
                       "url": f"/n/gatherings/{gathering_id}"}]
    assert "Denne samlingen er avlyst." in as_mentor.get(
        f"/n/gatherings/{gathering_id}").get_data(as_text=True)
    post(as_coordinator, f"/n/gatherings/{gathering_id}/cancel")  # twice: nothing more
    assert db["notifications"].count == 1


def test_the_coordinator_changes_a_gathering(world, as_coordinator, as_mentor, db):
    gathering_id = plan(as_coordinator)
    post(as_mentor, f"/n/gatherings/{gathering_id}/answer", {"answer": "yes"})
    day = clock.today() + timedelta(days=20)
    response = post(as_coordinator, f"/n/gatherings/{gathering_id}/edit",
                    gathering_form(day=day, title="Flyttet samling", start="12:00", end="14:00"))
    assert response.status_code == 303
    row = db["gatherings"].get(gathering_id)
    assert row["title"] == "Flyttet samling" and row["sequence"] == 1
    assert row["starts_at"] == clock.iso(datetime.combine(day, time(12), tzinfo=clock.OSLO))
    assert db["gathering_responses"].count == 1  # answers are kept
    assert post(as_coordinator, f"/n/gatherings/{gathering_id}/edit",
                gathering_form(end="")).status_code == 422


def test_attendance_is_recorded_once_it_has_started(app, world, as_coordinator, as_mentor, db):
    gathering_id = plan(as_coordinator)
    post(as_mentor, f"/n/gatherings/{gathering_id}/answer", {"answer": "yes"})
    early = post(as_coordinator, f"/n/gatherings/{gathering_id}/attendance",
                 {"present": str(world.ids["mentor_a"])})
    assert early.status_code == 422
    move_gathering(db, gathering_id, clock.now() - timedelta(hours=3))
    page = as_coordinator.get(f"/n/gatherings/{gathering_id}").get_data(as_text=True)
    # Ticked from the yes answers until the coordinator saves.
    assert f'id="present-{world.ids["mentor_a"]}" name="present" value="{world.ids["mentor_a"]}" checked' in page
    response = post(as_coordinator, f"/n/gatherings/{gathering_id}/attendance",
                    {"present": [str(world.ids["mentor_b"]), str(world.ids["mentor_c"]), "x"]})
    assert response.status_code == 303
    attended = {r["user_id"]: r["attended"] for r in db.query(
        "SELECT user_id, attended FROM gathering_responses WHERE gathering_id = ?", [gathering_id])}
    # mentor_a said yes but did not come; mentor_b came without answering; mentor_c is in
    # another network and is not recorded; the idle mentor is recorded as absent.
    assert attended == {world.ids["mentor_a"]: 0, world.ids["mentor_b"]: 1,
                        world.ids["mentor_idle"]: 0}
    assert "1 kom" in as_coordinator.get("/n/gatherings").get_data(as_text=True)


def test_feedback_after_the_gathering_one_per_mentor(app, world, as_coordinator, as_mentor, db):
    gathering_id = plan(as_coordinator)
    early = post(as_mentor, f"/n/gatherings/{gathering_id}/feedback", {"rating": "4"})
    assert early.status_code == 404  # not before it has ended
    move_gathering(db, gathering_id, clock.now() - timedelta(days=1))
    page = as_mentor.get(f"/n/gatherings/{gathering_id}").get_data(as_text=True)
    assert "Var samlingen nyttig for deg?" in page
    bad = post(as_mentor, f"/n/gatherings/{gathering_id}/feedback",
               {"rating": "7", "useful": "x" * 501})
    assert bad.status_code == 422 and db["gathering_feedback"].count == 0
    for rating in ("3", "5"):
        response = post(as_mentor, f"/n/gatherings/{gathering_id}/feedback",
                        {"rating": rating, "useful": "Erfaringsrunden", "wish": "Mer om fravær"})
        assert response.status_code == 303
    rows = list(db.query("SELECT * FROM gathering_feedback"))
    assert [(r["user_id"], r["rating"]) for r in rows] == [(world.ids["mentor_a"], 5)]
    assert "Takk! Tilbakemeldingen din er lagret." in as_mentor.get(
        f"/n/gatherings/{gathering_id}").get_data(as_text=True)


def test_the_coordinator_sees_feedback_together_without_names(app, world, as_coordinator,
                                                             as_mentor, db):
    gathering_id = plan(as_coordinator)
    move_gathering(db, gathering_id, clock.now() - timedelta(days=1))
    post(as_mentor, f"/n/gatherings/{gathering_id}/feedback",
         {"rating": "5", "useful": "Erfaringsrunden", "wish": "Mer om fravær"})
    mentor_b = signed_in(app, world, "mentor_b")
    post(mentor_b, f"/n/gatherings/{gathering_id}/feedback", {"rating": "2", "wish": "Kortere"})
    for path in (f"/n/gatherings/{gathering_id}", "/n/feedback"):
        page = as_coordinator.get(path).get_data(as_text=True)
        assert "2 mentorer ga tilbakemelding." in page and "Snitt: 3,5 av 5." in page
        assert "Erfaringsrunden" in page and "Mer om fravær" in page and "Kortere" in page
        feedback_part = page.split('id="summary-h"' if "summary-h" in page else "fb-h-")[1]
        assert "Ahmed Mentor" not in feedback_part and "Berit Mentor" not in feedback_part
    assert as_mentor.get("/n/feedback").status_code == 404


def test_a_cancelled_gathering_takes_no_feedback(world, as_coordinator, as_mentor, db):
    gathering_id = plan(as_coordinator)
    post(as_coordinator, f"/n/gatherings/{gathering_id}/cancel")
    move_gathering(db, gathering_id, clock.now() - timedelta(days=1))
    assert post(as_mentor, f"/n/gatherings/{gathering_id}/feedback",
                {"rating": "3"}).status_code == 404


def test_past_and_coming_are_listed_apart(world, as_coordinator, as_mentor, db):
    past = plan(as_coordinator, title="Vårsamling")
    move_gathering(db, past, clock.now() - timedelta(days=30))
    plan(as_coordinator, title="Høstsamling")
    page = as_mentor.get("/n/gatherings").get_data(as_text=True)
    coming, earlier = page.split("Tidligere samlinger")
    assert "Høstsamling" in coming and "Vårsamling" in earlier
    assert "Gi tilbakemelding" in earlier


def test_created_id_helper_reads_the_location(world, as_coordinator):
    assert created_id(post(as_coordinator, "/n/gatherings/new", gathering_form())) > 0
