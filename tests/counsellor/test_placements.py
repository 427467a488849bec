"""A counsellor creates, extends, re-mentors and ends placements; bad input stores nothing."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from mentorapp.counsellor.forms import add_months
from mentorapp.domain import clock


def _form(client, world, **changes):
    today = clock.today()
    data = {"csrf_token": client.csrf_token, "participant_name": "Ola",
            "workplace_id": str(world.ids["w1"]), "mentor_id": str(world.ids["mentor_idle"]),
            "backup_counsellor_id": str(world.ids["counsellor_a2"]),
            "start_date": today.isoformat(), "end_date": add_months(today, 3).isoformat(),
            "agreed_hours": "2,5", "goals": "Møte presis\nSpise lunsj med de andre"}
    data.update(changes)
    return data


def _counts(db) -> tuple:
    return tuple(db[t].count for t in ("placements", "participants", "users", "mentor_history",
                                       "events", "invitations"))


def test_new_placement_form_defaults_to_three_months(world, as_counsellor):
    page = as_counsellor.get("/c/p/new").get_data(as_text=True)
    today = clock.today()
    assert f'value="{today.isoformat()}"' in page
    assert f'value="{add_months(today, 3).isoformat()}"' in page


def test_create_placement_with_an_existing_mentor(world, as_counsellor, db):
    response = as_counsellor.post("/c/p/new", data=_form(as_counsellor, world))
    assert response.status_code == 303
    placement = next(db.query("SELECT * FROM placements ORDER BY id DESC LIMIT 1"))
    assert placement["mentor_id"] == world.ids["mentor_idle"]
    assert placement["counsellor_id"] == world.ids["counsellor_a"]
    assert placement["backup_counsellor_id"] == world.ids["counsellor_a2"]
    assert placement["agreed_minutes_per_week"] == 150
    assert placement["office_id"] == world.ids["office_a"]
    history = list(db.query("SELECT * FROM mentor_history WHERE placement_id = ?", [placement["id"]]))
    assert [h["mentor_id"] for h in history] == [world.ids["mentor_idle"]]
    page = as_counsellor.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ola" in page and "Spise lunsj med de andre" in page


@pytest.mark.parametrize(("change", "field_message"), [
    ({"participant_name": ""}, "Fyll ut dette feltet."),
    ({"participant_name": "Ola Nordmann"}, "Bruk bare fornavn eller initialer"),
    ({"participant_name": "Ola 01019912345"}, "Bruk bare fornavn eller initialer"),
    ({"workplace_id": "999"}, "Velg ett av alternativene."),
    ({"workplace_id": str(3)}, "Velg ett av alternativene."),  # another office's workplace
    ({"end_date": "2020-01-01"}, "Sluttdatoen må være etter startdatoen."),
    ({"start_date": "not a date"}, "Skriv datoen som ÅÅÅÅ-MM-DD."),
    ({"agreed_hours": "mange"}, "Skriv et tall, for eksempel 2,5."),
    ({"agreed_hours": "90"}, "Velg et tall fra 0 til 40."),
    ({"mentor_id": "", "mentor_name": "", "mentor_email": ""},
     "Velg en mentor fra listen, eller skriv navnet på en ny."),
    ({"mentor_id": "", "mentor_name": "Ny", "mentor_email": "mentor_a@test.mentorapp.no"},
     "Noen har allerede denne e-postadressen."),
    ({"mentor_id": str(3)}, "Velg ett av alternativene."),  # a mentor of another office
    ({"goals": "x" * 5000}, "Høyst 4000 tegn"),
])
def test_invalid_placement_is_refused_with_translated_errors(world, as_counsellor, db, change,
                                                             field_message):
    before = _counts(db)
    response = as_counsellor.post("/c/p/new", data=_form(as_counsellor, world, **change))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_message in page
    assert 'aria-invalid="true"' in page
    assert _counts(db) == before


def test_errors_in_english_for_an_english_speaking_counsellor(world, as_counsellor):
    as_counsellor.post("/language", data={"csrf_token": as_counsellor.csrf_token, "locale": "en"})
    response = as_counsellor.post("/c/p/new", data=_form(as_counsellor, world, participant_name=""))
    assert "Please fill in this field." in response.get_data(as_text=True)


def test_change_mentor_keeps_history_and_moves_access(app, world, as_counsellor, db):
    from tests.support.clients import signed_in

    p1 = world.placements["p1"]
    response = as_counsellor.post(f"/c/p/{p1}/mentor", data={
        "csrf_token": as_counsellor.csrf_token, "mentor_id": str(world.ids["mentor_idle"]),
        "reason": "Ahmed har byttet avdeling"})
    assert response.status_code == 303
    history = list(db.query("SELECT * FROM mentor_history WHERE placement_id = ? ORDER BY id", [p1]))
    assert [h["mentor_id"] for h in history] == [world.ids["mentor_a"], world.ids["mentor_idle"]]
    assert history[0]["ended_at"] is not None and history[1]["ended_at"] is None
    assert signed_in(app, world, "mentor_a").get(f"/api/v1/placements/{p1}").status_code == 404
    assert signed_in(app, world, "mentor_idle").get(f"/api/v1/placements/{p1}").status_code == 200
    page = as_counsellor.get(f"/c/p/{p1}").get_data(as_text=True)
    assert "Ahmed har byttet avdeling" in page and "Mentor byttet" in page


@pytest.mark.parametrize(("change", "field", "message"), [
    ({}, "mentor_name", "Velg en mentor fra listen, eller skriv navnet på en ny."),
    ({"mentor_id": "mentor_c"}, "mentor_id", "Velg ett av alternativene."),  # another office
    ({"mentor_id": "mentor_b"}, "mentor_id", "Velg ett av alternativene."),  # another workplace
    ({"mentor_id": "99999"}, "mentor_id", "Velg ett av alternativene."),
    ({"mentor_id": "mentor_a"}, "mentor_id", "Dette er allerede mentoren."),
    ({"mentor_name": "Mona Ny", "mentor_email": "mentor_b@test.mentorapp.no"}, "mentor_email",
     "Noen har allerede denne e-postadressen."),
    ({"mentor_name": "Mona Ny", "mentor_email": "MENTOR_B@test.mentorapp.no"}, "mentor_email",
     "Noen har allerede denne e-postadressen."),
    ({"mentor_name": "Mona Ny"}, "mentor_email", "En ny mentor trenger en e-postadresse"),
    ({"mentor_name": "Mona Ny", "mentor_email": "mona.test.mentorapp.no"}, "mentor_email",
     "Dette ser ikke ut som en e-postadresse."),
    ({"mentor_name": "Mona Ny", "mentor_email": "mona@@test.mentorapp.no"}, "mentor_email",
     "Dette ser ikke ut som en e-postadresse."),
    ({"mentor_name": "Mona Ny", "mentor_email": "mona ny@test.mentorapp.no"}, "mentor_email",
     "Dette ser ikke ut som en e-postadresse."),
])
def test_invalid_change_of_mentor_changes_nothing(world, as_counsellor, db, change, field,
                                                  message):
    p1 = world.placements["p1"]
    data = {"csrf_token": as_counsellor.csrf_token, "mentor_id": "", "mentor_name": "",
            "mentor_email": "", "reason": "Bytte"}
    data.update({key: str(world.ids.get(value, value)) for key, value in change.items()})
    before = (_counts(db), dict(db["placements"].get(p1)))
    response = as_counsellor.post(f"/c/p/{p1}/mentor", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    # The message sits beside its own field, and that field tells screen readers so.
    assert re.search(rf'<(?:input|select)[^>]*name="{field}"[^>]*aria-invalid="true"', page)
    assert (_counts(db), dict(db["placements"].get(p1))) == before


def test_change_to_a_new_invited_mentor(world, as_counsellor, db):
    p1 = world.placements["p1"]
    response = as_counsellor.post(f"/c/p/{p1}/mentor", data={
        "csrf_token": as_counsellor.csrf_token, "mentor_id": "", "mentor_name": "Mona Ny",
        "mentor_email": "mona@test.mentorapp.no"}, follow_redirects=True)
    assert "/invite/" in response.get_data(as_text=True)
    mona = next(db.query("SELECT * FROM users WHERE email = 'mona@test.mentorapp.no'"))
    assert mona["role"] == "mentor" and mona["password_hash"] is None
    assert mona["workplace_id"] == world.ids["w1"]


def test_extend_moves_the_end_date_and_keeps_a_record(world, as_counsellor, db):
    p1 = world.placements["p1"]
    old_end = date.fromisoformat(db["placements"].get(p1)["end_date"])
    new_end = old_end + timedelta(days=91)
    response = as_counsellor.post(f"/c/p/{p1}/extend", data={
        "csrf_token": as_counsellor.csrf_token, "new_end_date": new_end.isoformat(),
        "note": "Går bra, fortsetter"})
    assert response.status_code == 303
    assert db["placements"].get(p1)["end_date"] == new_end.isoformat()
    extension = next(db.query("SELECT * FROM extensions WHERE placement_id = ?", [p1]))
    assert extension["previous_end_date"] == old_end.isoformat()


def test_extend_to_an_earlier_date_is_refused(world, as_counsellor, db):
    p1 = world.placements["p1"]
    before = db["placements"].get(p1)["end_date"]
    response = as_counsellor.post(f"/c/p/{p1}/extend", data={
        "csrf_token": as_counsellor.csrf_token, "new_end_date": "2020-01-01"})
    assert response.status_code == 422
    assert "Datoen kan ikke være før" in response.get_data(as_text=True)
    assert db["placements"].get(p1)["end_date"] == before
    assert db["extensions"].count == 0


def test_extension_decision_is_saved(world, as_counsellor, db):
    p1 = world.placements["p1"]
    as_counsellor.post(f"/c/p/{p1}/decision", data={"csrf_token": as_counsellor.csrf_token,
                                                    "decision": "not_extending"})
    assert db["placements"].get(p1)["extension_status"] == "not_extending"


@pytest.mark.parametrize("outcome", ["employed", "education", "other_measure", "ended"])
def test_end_with_an_outcome(world, as_counsellor, db, outcome):
    p1 = world.placements["p1"]
    response = as_counsellor.post(f"/c/p/{p1}/end", data={
        "csrf_token": as_counsellor.csrf_token, "outcome": outcome, "outcome_note": "Fikk fast jobb"})
    assert response.status_code == 303
    placement = db["placements"].get(p1)
    assert placement["status"] == "ended" and placement["outcome"] == outcome
    assert placement["ended_at"] is not None


def test_end_without_a_known_outcome_changes_nothing(world, as_counsellor, db):
    p1 = world.placements["p1"]
    response = as_counsellor.post(f"/c/p/{p1}/end", data={
        "csrf_token": as_counsellor.csrf_token, "outcome": "promoted"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Velg ett av alternativene." in page
    assert re.search(r'<select[^>]*name="outcome"[^>]*aria-invalid="true"', page)
    assert db["placements"].get(p1)["status"] == "active"


def test_another_offices_counsellor_can_change_nothing(app, world, db):
    from tests.support.clients import signed_in

    other = signed_in(app, world, "counsellor_b")
    p1 = world.placements["p1"]
    before = dict(db["placements"].get(p1))
    for path, data in [("end", {"outcome": "ended"}), ("extend", {"new_end_date": "2099-01-01"}),
                       ("decision", {"decision": "extending"}),
                       ("mentor", {"mentor_id": str(world.ids["mentor_c"])})]:
        response = other.post(f"/c/p/{p1}/{path}", data={"csrf_token": other.csrf_token, **data})
        assert response.status_code == 404
    assert dict(db["placements"].get(p1)) == before


def test_text_written_by_users_is_escaped(world, as_counsellor):
    response = as_counsellor.post("/c/p/new", data=_form(
        as_counsellor, world, goals='<script>alert("x")</script>\n<b>fet</b>'))
    page = as_counsellor.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert" not in page and "<b>fet</b>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
