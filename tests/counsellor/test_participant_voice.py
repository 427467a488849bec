"""The participant's own voice where decisions are made: the caseload's reasons, the
placement page and the follow-up report (page and CSV), each clearly marked as theirs."""

from __future__ import annotations

from datetime import timedelta

from mentorapp.domain import clock
from tests.support.events import event, sync
from tests.support.participant import ask_to_talk, participant_of


def _row(page: str, name: str) -> str:
    return next(part for part in page.split('<li class="case ')[1:] if f">{name}</a>" in part)


def _week(placement_id: int, mood: int, weeks_ago: int, text: str = "") -> dict:
    at = clock.now() - timedelta(weeks=weeks_ago)
    payload = {"period": "week", "date": clock.today(at).isoformat(), "mood": mood}
    if text:
        payload["text"] = text
    return event("participant_checkin", placement_id, payload, at=at)


def test_the_caseload_says_the_participant_asks_to_talk_with_their_words(
        app, world, as_counsellor):
    p1 = world.placements["p1"]
    phone = participant_of(app, world, "p1")
    assert "deltakeren vil snakke" not in _row(as_counsellor.get("/c/").get_data(as_text=True),
                                               "Jonas").lower()
    ask_to_talk(phone, p1, "Jeg vil snakke om turnusen")
    row = _row(as_counsellor.get("/c/").get_data(as_text=True), "Jonas")
    assert "Deltakeren vil snakke med deg" in row and "«Jeg vil snakke om turnusen»" in row
    only = as_counsellor.get("/c/?reason=participant_talk").get_data(as_text=True)
    assert ">Jonas</a>" in only


def test_the_caseload_says_when_the_week_went_badly_twice_in_a_row(app, world, as_counsellor):
    p1 = world.placements["p1"]
    phone = participant_of(app, world, "p1")
    sync(phone, [_week(p1, 4, 3), _week(p1, 1, 2)])
    assert "to ganger på rad" not in as_counsellor.get("/c/").get_data(as_text=True)
    sync(phone, [_week(p1, 2, 1, "Sliten")])
    row = _row(as_counsellor.get("/c/").get_data(as_text=True), "Jonas")
    assert "Deltakerens uke gikk dårlig to ganger på rad (ikke så bra, før det dårlig)" in row
    # A good week after them ends it.
    sync(phone, [_week(p1, 3, 0)])
    assert "to ganger på rad" not in _row(as_counsellor.get("/c/").get_data(as_text=True), "Jonas")


def test_day_check_ins_do_not_count_as_weeks(app, world, as_counsellor):
    p1 = world.placements["p1"]
    phone = participant_of(app, world, "p1")
    days = [event("participant_checkin", p1, {"period": "day", "mood": 1,
                                              "date": clock.today().isoformat()})
            for _ in range(3)]
    sync(phone, days)
    assert "to ganger på rad" not in as_counsellor.get("/c/").get_data(as_text=True)


def test_the_report_shows_the_participants_words_apart_from_the_mentors(
        app, world, as_counsellor):
    p1 = world.placements["p1"]
    phone = participant_of(app, world, "p1")
    sync(phone, [_week(p1, 2, 1, "Mye å lære"),
                 event("participant_goals", p1, {"text": "Ta truckførerbevis"})])
    ask_to_talk(phone, p1)
    page = as_counsellor.get(f"/c/p/{p1}/report").get_data(as_text=True)
    voice = page.split('id="r-voice"')[1].split("</section>")[0]
    assert "Deltakerens egne ord" in page
    assert "Ta truckførerbevis" in voice and "Mye å lære" in voice
    assert "Ba om å snakke med veilederen 1 gang." in voice
    csv = as_counsellor.get(f"/c/p/{p1}/report.csv").get_data(as_text=True)
    assert "Deltakerens egne mål;Ta truckførerbevis" in csv
    assert "Ikke så bra;Mye å lære" in csv
    english = as_counsellor.get(f"/c/p/{p1}/report.csv?lang=en").get_data(as_text=True)
    assert "The participant's own goals,Ta truckførerbevis" in english


def test_the_timeline_marks_the_participants_words(app, world, as_counsellor):
    p1 = world.placements["p1"]
    phone = participant_of(app, world, "p1")
    sync(phone, [_week(p1, 3, 0, "Bra uke")])
    timeline = as_counsellor.get(f"/c/p/{p1}").get_data(as_text=True).split('id="timeline"')[1]
    assert "Bra uke" in timeline and "deltakerens ord" in timeline
    assert "Deltakeren ble invitert til appen" in timeline


def test_a_placement_without_a_participant_account_shows_the_invitation(world, as_counsellor):
    page = as_counsellor.get(f"/c/p/{world.placements['p1']}").get_data(as_text=True)
    assert "Inviter deltakeren til appen" in page
    assert "Ingenting fra deltakeren ennå." in page
