"""The mentor's pages: today's state, the placement with NAV's answers, time, the outbox page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from mentorapp.counsellor import casework
from mentorapp.domain import clock
from mentorapp.store import events
from mentorapp.store.db import write
from tests.support.events import daily_log, event
from tests.support.events import sync as send


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _nav_answers(db, flag_id: str, call_id: str, counsellor_id: int) -> str:
    """What the counsellor's side does: sees the flag, schedules the call."""
    scheduled_for = clock.iso(clock.now() + timedelta(days=1))
    with write(db):
        events.update_flag(db, flag_id, status="acknowledged", acknowledged_by=counsellor_id,
                           acknowledged_at=clock.now_iso())
        events.update_call_request(db, call_id, status="scheduled", seen_at=clock.now_iso(),
                                   scheduled_for=scheduled_for, scheduled_by=counsellor_id,
                                   scheduled_at=clock.now_iso())
    return scheduled_for


def test_home_shows_today_open_matters_with_navs_answer_and_days_left(world, as_mentor, db):
    p1 = world.placements["p1"]
    home = _page(as_mentor, "/m/")
    assert "Jonas" in home and "Ikke logget i dag" in home and "Logg i dag" in home
    assert "60 dager igjen" in home
    assert "Ingenting åpent" in home

    flag = event("flag", p1, {"category": "absence", "severity": "attention"})
    call = event("call_request", p1, {"urgency": "today", "phone": "912 34 567"})
    send(as_mentor, [daily_log(p1), flag, call])
    home = _page(as_mentor, "/m/")
    assert "Logget i dag" in home and "Endre dagens logg" in home
    assert "Utfordring: Fravær · Trenger oppfølging" in home
    assert re.search(r"Ringebestilling: I dag\s*</span>\s*<span class=\"badge \">Sendt", home)

    _nav_answers(db, flag["id"], call["id"], world.ids["counsellor_a"])
    home = _page(as_mentor, "/m/")
    assert "Sett av NAV" in home and "Samtale avtalt" in home


def test_home_lists_only_the_mentors_own_active_placements(app, world):
    from tests.support.clients import signed_in

    idle = signed_in(app, world, "mentor_idle")
    assert "Du følger ikke noe forløp akkurat nå." in _page(idle, "/m/")
    other = signed_in(app, world, "mentor_b")
    home = _page(other, "/m/")
    assert "Amina" in home and "Jonas" not in home


def test_placement_page_shows_the_steps_of_a_call_and_navs_messages(world, as_mentor, db):
    p1 = world.placements["p1"]
    flag = event("flag", p1, {"category": "conflict", "severity": "urgent", "note": "Krangel"})
    call = event("call_request", p1, {"urgency": "two_days", "windows": ["08-10"],
                                      "phone": "912 34 567", "topic": "Oppfølging"})
    send(as_mentor, [flag, call])
    _nav_answers(db, flag["id"], call["id"], world.ids["counsellor_a"])
    with write(db):
        casework.record_nav_event(db, author_id=world.ids["counsellor_a"], placement_id=p1,
                              event_type="nav_comment", payload={"text": "Jeg ringer i morgen."})
        casework.record_nav_event(db, author_id=world.ids["counsellor_a"], placement_id=p1,
                              event_type="internal_note", payload={"text": "Kun for NAV"})
    page = _page(as_mentor, f"/m/p/{p1}")
    steps = re.search(rf'id="e-{call["id"]}".*?</ol>', page, re.S).group(0)
    assert re.findall(r'<li class="(done|todo)"', steps) == ["done", "done", "done", "todo"]
    assert 'aria-current="step"' in steps and "Samtale avtalt" in steps
    assert "Jeg ringer i morgen." in page
    assert "Kun for NAV" not in page
    assert "Kari Veileder" in page  # the counsellor, with a phone link when there is one


def test_a_mentor_does_not_see_another_mentors_entries_on_the_placement(app, world, as_mentor,
                                                                        db):
    p1 = world.placements["p1"]
    send(as_mentor, [daily_log(p1, note="Min egen logg")])
    with write(db):
        db.execute("UPDATE placements SET mentor_id = ? WHERE id = ?",
                   [world.ids["mentor_idle"], p1])
    from tests.support.clients import signed_in

    successor = signed_in(app, world, "mentor_idle")
    assert "Min egen logg" not in _page(successor, f"/m/p/{p1}")


def test_time_counts_the_week_against_the_agreed_hours(world, as_mentor, forms):
    p1 = world.placements["p1"]
    today = clock.today()
    send(as_mentor, [daily_log(p1, today, minutes=45)])
    assert forms.post("time", {"date": today.isoformat(), "minutes": "30",
                               "note": "Møte med NAV"}).status_code == 303
    page = _page(as_mentor, "/m/time")
    assert "1 t 15 min av 2 t avtalt" in page
    assert re.search(r'<meter id="meter-\d+" min="0" max="120"[^>]* value="75"', page)
    # A week before the placement started has nothing; a week to come shows this week.
    assert ">0 min av 2 t avtalt<" in _page(as_mentor, "/m/time?week=2020-W01")
    assert "1 t 15 min av 2 t avtalt" in _page(as_mentor, "/m/time?week=2999-W01")
    assert "1 t 15 min av 2 t avtalt" in _page(as_mentor, "/m/time?week=nonsense")


def test_a_correction_replaces_the_days_minutes_in_the_week(world, as_mentor):
    p1 = world.placements["p1"]
    original = daily_log(p1, minutes=60)
    send(as_mentor, [original])
    send(as_mentor, [daily_log(p1, minutes=20, amends=original["id"],
                               at=clock.now() + timedelta(seconds=1))])
    assert "20 min av 2 t avtalt" in _page(as_mentor, "/m/time")


@pytest.mark.parametrize("path", ["/m/", "/m/p/{p1}", "/m/p/{p1}/log", "/m/p/{p1}/flag",
                                  "/m/p/{p1}/call", "/m/p/{p1}/time", "/m/p/{p1}/message",
                                  "/m/time", "/m/outbox"])
def test_mentor_pages_stay_out_of_the_http_cache_and_carry_no_inline_code(world, as_mentor,
                                                                         path):
    response = as_mentor.get(path.format(p1=world.placements["p1"]))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "<script>" not in page and " style=" not in page and "<style" not in page
    assert " onclick=" not in page and "javascript:" not in page
    assert 'class="mentor-page"' in page and 'id="phone-status"' in page


def test_pages_tell_the_scripts_their_texts_and_the_pages_to_keep(world, as_mentor):
    page = _page(as_mentor, "/m/")
    texts_url = re.search(r'data-texts="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert texts_url.startswith("/m/texts.json?lang=nb&v=")
    texts = as_mentor.get(texts_url).get_json()
    assert texts["pending_many"] == "{n} oppføringer venter på denne telefonen."
    assert texts["all_sent"] == "Alt du har logget, har kommet fram til NAV."
    warm = re.search(r'data-warm="([^"]+)"', page).group(1).split()
    p1 = world.placements["p1"]
    assert {"/m/", "/m/time", "/m/outbox", f"/m/p/{p1}", f"/m/p/{p1}/log",
            f"/m/p/{p1}/flag", f"/m/p/{p1}/call"} <= set(warm)
    assert all(url.startswith("/m/") for url in warm)


def test_the_english_pages(world, as_mentor):
    as_mentor.post("/language", data={"csrf_token": as_mentor.csrf_token, "locale": "en"})
    page = _page(as_mentor, "/m/")
    assert "Log today" in page and "Report a problem" in page and "Ask NAV to call me" in page
    assert "60 days left" in page


# What the mentor sees as NAV answers, through the counsellor's own routes.

def _nav_post(client, url: str, **data):
    response = client.post(url, data={"csrf_token": client.csrf_token, **data})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]


def _call_badge(home: str) -> str:
    """The state shown beside the call request in the home page's open list."""
    return re.search(r'Ringebestilling:.*?<span class="badge[^"]*">([^<]*)</span>', home,
                     re.S).group(1).strip()


def _call_steps(page: str, call_id: str) -> list[tuple[str, str, bool]]:
    """The steps of one call on the placement page: reached or not, label, is it the current."""
    steps = re.search(rf'id="e-{call_id}".*?</ol>', page, re.S).group(0)
    return [(cls, label, bool(current)) for cls, current, label in re.findall(
        r'<li class="(done|todo)"( aria-current="step")?>\s*<span class="step-label">([^<]+)',
        steps)]


def test_a_call_moves_through_seen_scheduled_and_done_on_the_mentors_pages(
        world, as_mentor, as_counsellor):
    p1 = world.placements["p1"]
    call = event("call_request", p1, {"urgency": "two_days", "phone": "912 34 567"})
    send(as_mentor, [call])
    assert _call_badge(_page(as_mentor, "/m/")) == "Sendt"
    calls = f"/c/p/{p1}/calls/{call['id']}"

    _nav_post(as_counsellor, f"{calls}/seen")
    assert _call_badge(_page(as_mentor, "/m/")) == "Sett av NAV"
    assert _call_steps(_page(as_mentor, f"/m/p/{p1}"), call["id"]) == [
        ("done", "Sendt", False), ("done", "Sett av NAV", True),
        ("todo", "Samtale avtalt", False), ("todo", "Ferdig", False)]

    # Tomorrow at 10 Oslo time, typed as the counsellor's datetime-local field sends it.
    tomorrow = clock.today() + timedelta(days=1)
    _nav_post(as_counsellor, f"{calls}/schedule", at=f"{tomorrow.isoformat()}T10:00")
    shown = f"{tomorrow:%d.%m.%Y}, 10:00"
    assert _call_badge(_page(as_mentor, "/m/")) == f"Samtale avtalt {shown}"
    page = _page(as_mentor, f"/m/p/{p1}")
    assert _call_steps(page, call["id"])[2] == ("done", "Samtale avtalt", True)
    steps = re.search(rf'id="e-{call["id"]}".*?</ol>', page, re.S).group(0)
    assert shown in steps
    assert f"Samtale avtalt {shown}" in page  # and on the timeline, as NAV wrote it

    _nav_post(as_counsellor, f"{calls}/done", note="Snakket om arbeidstiden.")
    page = _page(as_mentor, f"/m/p/{p1}")
    assert [step[:2] for step in _call_steps(page, call["id"])] == [
        ("done", "Sendt"), ("done", "Sett av NAV"), ("done", "Samtale avtalt"),
        ("done", "Ferdig")]
    assert "Snakket om arbeidstiden." in page
    # Finished: no longer open with NAV.
    home = _page(as_mentor, "/m/")
    assert "Ringebestilling" not in home and "Ingenting åpent" in home


def test_a_resolved_flag_leaves_the_open_list_and_its_note_is_shown(world, as_mentor,
                                                                    as_counsellor):
    p1 = world.placements["p1"]
    kept = event("flag", p1, {"category": "motivation", "severity": "info"})
    solved = event("flag", p1, {"category": "conflict", "severity": "attention"})
    send(as_mentor, [kept, solved])
    home = _page(as_mentor, "/m/")
    assert "Utfordring: Konflikt" in home and "Utfordring: Motivasjon" in home

    _nav_post(as_counsellor, f"/c/p/{p1}/flags/{solved['id']}/resolve", note="Vi tok et møte.")
    home = _page(as_mentor, "/m/")
    # Only the resolved one goes: the other is still open with NAV.
    assert "Utfordring: Konflikt" not in home and "Utfordring: Motivasjon" in home
    page = _page(as_mentor, f"/m/p/{p1}")
    assert "Vi tok et møte." in page
    resolved = re.search(rf'id="e-{solved["id"]}".*?</ol>', page, re.S).group(0)
    assert re.findall(r'<li class="(done|todo)"', resolved) == ["done", "done", "done"]


def test_an_ended_placement_leaves_the_mentors_home(app, world, as_mentor, as_counsellor):
    from tests.support.counsellor import new_placement

    p1 = world.placements["p1"]
    new_placement(app, world, "Lise")  # mentor_a follows another one, still running
    assert "Jonas" in _page(as_mentor, "/m/")
    _nav_post(as_counsellor, f"/c/p/{p1}/end", outcome="employed")
    home = _page(as_mentor, "/m/")
    assert "Jonas" not in home and "Lise" in home
    assert f"/m/p/{p1}/log" not in home
