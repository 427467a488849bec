"""The participant's way in: the counsellor's invitation, a one-time link or a short code
the mentor can show on their own phone; guesses throttled like logins."""

from __future__ import annotations

import re

import pytest

from mentorapp.auth import throttle
from tests.support.clients import csrf_token, signed_in
from tests.support.participant import CODE, csrf_of, invite, sign_in_with_code


def _code_page(client, code: str):
    return client.post("/code", data={"csrf_token": csrf_of(client), "code": code})


def test_the_counsellor_invites_and_the_code_signs_the_participant_in_once(
        app, world, db, as_counsellor):
    p1 = world.placements["p1"]
    code = invite(as_counsellor, p1)
    row = db.execute("SELECT participant_user_id FROM placements WHERE id = ?", [p1]).fetchone()
    account = db["users"].get(row[0])
    assert account["role"] == "participant" and account["email"] is None
    assert account["name"] == "Jonas" and account["password_hash"] is None
    phone = sign_in_with_code(app, code)
    assert "Hei, Jonas!" in phone.get("/p/").get_data(as_text=True)
    # One time only: the same code on another phone is refused, in the reader's language.
    again = _code_page(app.test_client(), code)
    assert again.status_code == 422
    assert "Koden er feil eller for gammel" in again.get_data(as_text=True)


def test_a_code_is_read_without_dash_spaces_or_capitals(app, world, as_counsellor):
    code = invite(as_counsellor, world.placements["p1"])
    typed = " " + code.replace("-", " ").lower() + " "
    response = _code_page(app.test_client(), typed)
    assert response.status_code == 303 and response.headers["Location"].endswith("/p/")


def test_a_new_code_makes_the_old_one_stop_working(app, world, as_counsellor, as_mentor):
    p1 = world.placements["p1"]
    first = invite(as_counsellor, p1)
    shown = as_mentor.post(f"/m/p/{p1}/participant-code",
                           data={"csrf_token": as_mentor.csrf_token})
    assert shown.status_code == 200
    page = shown.get_data(as_text=True)
    second = CODE.search(page).group(1)
    assert second != first and "Jonas" in page
    assert _code_page(app.test_client(), first).status_code == 422
    sign_in_with_code(app, second)


def test_the_mentor_shows_a_code_only_for_their_own_participant_with_the_app(
        app, world, as_counsellor):
    p1, p2 = world.placements["p1"], world.placements["p2"]
    mentor_a = signed_in(app, world, "mentor_a")
    # No account yet: nothing to show a code for.
    assert mentor_a.post(f"/m/p/{p1}/participant-code",
                         data={"csrf_token": mentor_a.csrf_token}).status_code == 404
    invite(as_counsellor, p1)
    page = mentor_a.get(f"/m/p/{p1}").get_data(as_text=True)
    assert "Vis en innloggingskode" in page
    mentor_b = signed_in(app, world, "mentor_b")
    assert mentor_b.post(f"/m/p/{p1}/participant-code",
                         data={"csrf_token": mentor_b.csrf_token}).status_code == 404
    assert mentor_b.get(f"/m/p/{p2}").status_code == 200


def test_the_link_asks_before_it_is_used(app, world, as_counsellor):
    p1 = world.placements["p1"]
    as_counsellor.post(f"/c/p/{p1}/participant/invite", data={"csrf_token": as_counsellor.csrf_token})
    page = as_counsellor.get(f"/c/p/{p1}").get_data(as_text=True)
    link = re.search(r"<code>https?://[^/]+(/invite/[^<]+)</code>", page).group(1)
    # Shown once: the next view of the page has neither the link nor the code.
    assert "sign-in-code" not in as_counsellor.get(f"/c/p/{p1}").get_data(as_text=True)
    phone = app.test_client()
    # A link preview opens it: nothing is used up.
    for _ in range(2):
        start = phone.get(link)
        assert start.status_code == 200 and "Velkommen, Jonas" in start.get_data(as_text=True)
    token = csrf_token(start.get_data(as_text=True))
    used = phone.post(link, data={"csrf_token": token})
    assert used.status_code == 303 and used.headers["Location"].endswith("/p/")
    assert phone.get("/p/").status_code == 200
    assert app.test_client().get(link).status_code == 404


def test_wrong_codes_are_throttled_per_address(app, world, db, as_counsellor):
    code = invite(as_counsellor, world.placements["p1"])
    phone = app.test_client()
    for _ in range(throttle.CODE_LIMITS["address"]):
        assert _code_page(phone, "AAAA-AAAA").status_code == 422
    blocked = _code_page(phone, code)  # even the right code waits now
    assert blocked.status_code == 429
    assert "For mange forsøk" in blocked.get_data(as_text=True)
    assert int(blocked.headers["Retry-After"]) > 0


@pytest.mark.parametrize("typed", ["", "x" * 41, "ABCD-EFG", "ABCD\x00EFGH"])
def test_bad_codes_get_a_clear_answer_and_change_nothing(app, world, db, as_counsellor, typed):
    from tests.support.routes import state

    invite(as_counsellor, world.placements["p1"])
    before = {t: v for t, v in state(db).items() if t != "login_failures"}
    response = _code_page(app.test_client(), typed)
    assert response.status_code == 422
    assert 'class="error-text"' in response.get_data(as_text=True)
    assert {t: v for t, v in state(db).items() if t != "login_failures"} == before


def test_a_participant_has_no_password_login_and_no_staff_account_page(
        app, world, as_participant):
    assert as_participant.get("/account").status_code == 404
    assert "Min konto" not in as_participant.get("/p/").get_data(as_text=True)
