"""Signing in and out: answers that reveal nothing, throttling, sessions that really end."""

from __future__ import annotations

import re

import pytest

from mentorapp.domain import clock
from tests.support.clients import Auth, csrf_token
from tests.support.world import PASSWORD


def _login(client, email, password, **extra):
    page = client.get("/login").get_data(as_text=True)
    token = csrf_token(page)
    return client.post("/login", data={"csrf_token": token, "email": email,
                                       "password": password, **extra})


def _without_token(html: str) -> str:
    return re.sub(r'(name="csrf_token" value=")[^"]+', r"\1", re.sub(
        r'"X-CSRF-Token": "[^"]+"', "", html))


@pytest.mark.parametrize(("who", "home"), [
    ("mentor_a", "/m/"), ("counsellor_a", "/c/"), ("coordinator", "/n/"), ("admin", "/admin/"),
])
def test_login_takes_each_role_home(client, world, who, home):
    response = _login(client, world.users[who]["email"], PASSWORD)
    assert response.status_code == 303
    assert client.get("/").headers["Location"].endswith(home)


def test_wrong_password_and_unknown_email_get_the_same_answer(app, world):
    known = _login(app.test_client(), world.users["mentor_a"]["email"], "wrong password!")
    unknown = _login(app.test_client(), "nobody@test.mentorapp.no", "wrong password!")
    assert known.status_code == unknown.status_code == 422
    assert _without_token(known.get_data(as_text=True)).replace(
        world.users["mentor_a"]["email"], "X") == _without_token(
        unknown.get_data(as_text=True)).replace("nobody@test.mentorapp.no", "X")
    assert "Feil e-postadresse eller passord." in known.get_data(as_text=True)


def test_deactivated_account_gets_the_same_answer_as_a_wrong_password(app, world, as_admin):
    as_admin.post(f"/admin/users/{world.ids['mentor_b']}/active",
                  data={"csrf_token": as_admin.csrf_token, "active": "0"})
    response = _login(app.test_client(), world.users["mentor_b"]["email"], PASSWORD)
    assert response.status_code == 422
    assert "Feil e-postadresse eller passord." in response.get_data(as_text=True)


@pytest.mark.parametrize("email", ["mentor_a@test.mentorapp.no", "ghost@test.mentorapp.no"])
def test_repeated_failures_lock_the_account_even_for_the_right_password(app, world, email):
    client = app.test_client()
    for _ in range(5):
        assert _login(client, email, "wrong password!").status_code == 422
    blocked = _login(client, email, PASSWORD)
    assert blocked.status_code == 429
    assert "Retry-After" in blocked.headers
    assert "For mange forsøk" in blocked.get_data(as_text=True)
    # Another account from the same address is not locked by this one.
    other = _login(app.test_client(), world.users["mentor_b"]["email"], PASSWORD)
    assert other.status_code == 303


def test_many_failures_from_one_address_block_that_address(app, world):
    client = app.test_client()
    for number in range(30):
        _login(client, f"guess{number}@test.mentorapp.no", "wrong password!")
    assert _login(client, world.users["mentor_b"]["email"], PASSWORD).status_code == 429
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    assert _login(elsewhere, world.users["mentor_b"]["email"], PASSWORD).status_code == 303


def test_a_new_session_id_at_login(app, world, db):
    client = app.test_client()
    client.get("/login")
    before = client.get_cookie("mentorapp_session").value
    _login(client, world.users["mentor_a"]["email"], PASSWORD)
    after = client.get_cookie("mentorapp_session").value
    assert before != after
    assert db.execute("SELECT count(*) FROM sessions WHERE user_id = ?",
                      [world.ids["mentor_a"]]).fetchone()[0] == 1
    Auth(app.test_client(), world).login("mentor_a")  # the same mentor on a second phone
    # Each sign-in is a session of its own; the table keeps only hashes of the tokens.
    rows = list(db.query("SELECT id_hash FROM sessions WHERE user_id = ?", [world.ids["mentor_a"]]))
    assert len(rows) == 2 and all(len(r["id_hash"]) == 64 for r in rows)


def test_logout_ends_the_session_on_the_server(app, world, db):
    client = app.test_client()
    auth = Auth(client, world)
    auth.login("mentor_a")
    stolen_cookie = client.get_cookie("mentorapp_session").value
    auth.logout()
    assert db.execute("SELECT count(*) FROM sessions WHERE user_id = ?",
                      [world.ids["mentor_a"]]).fetchone()[0] == 0
    replay = app.test_client()
    replay.set_cookie("mentorapp_session", stolen_cookie)
    assert replay.get("/m/").status_code == 302


def test_remember_me_only_for_mentors(app, world):
    mentor = app.test_client()
    Auth(mentor, world).login("mentor_a", remember=True)
    assert mentor.get_cookie("mentorapp_remember") is not None
    counsellor = app.test_client()
    Auth(counsellor, world).login("counsellor_a", remember=True)
    assert counsellor.get_cookie("mentorapp_remember") is None


def test_remembered_mentor_comes_back_after_the_browser_closed(app, world):
    phone = app.test_client()
    Auth(phone, world).login("mentor_a", remember=True)
    remember = phone.get_cookie("mentorapp_remember").value
    reopened = app.test_client()  # the session cookie is gone, the remember cookie is not
    reopened.set_cookie("mentorapp_remember", remember)
    assert reopened.get("/m/").status_code == 200


def _age_sessions(db, user_id: int, minutes: int) -> None:
    db.execute("UPDATE sessions SET last_seen_at = ? WHERE user_id = ?",
               [clock.days_ago(minutes / 1440), user_id])


@pytest.mark.parametrize(("who", "home"), [
    ("counsellor_a", "/c/"), ("coordinator", "/n/"), ("admin", "/admin/"),
])
def test_idle_session_times_out(app, world, db, who, home):
    from tests.support.clients import signed_in

    client = signed_in(app, world, who)
    _age_sessions(db, world.ids[who], 29)  # just inside the 30 minutes: still signed in
    assert client.get(home).status_code == 200
    _age_sessions(db, world.ids[who], 31)
    response = client.get(home)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    # Ended on the server too, not only turned away once.
    assert db.execute("SELECT count(*) FROM sessions WHERE user_id = ?",
                      [world.ids[who]]).fetchone()[0] == 0


def test_remembered_mentor_is_not_timed_out_after_a_quiet_day(app, world, db):
    phone = app.test_client()
    Auth(phone, world).login("mentor_a", remember=True)
    _age_sessions(db, world.ids["mentor_a"], 60 * 30)
    assert phone.get("/m/").status_code == 200


def test_password_change_ends_other_sessions_and_renews_this_one(app, world, db):
    laptop, phone = app.test_client(), app.test_client()
    Auth(laptop, world).login("mentor_a")
    Auth(phone, world).login("mentor_a")
    token = Auth(phone, world).token()
    before = phone.get_cookie("mentorapp_session").value
    response = phone.post("/account/password", data={
        "csrf_token": token, "current_password": PASSWORD,
        "password": "a brand new passphrase", "password_again": "a brand new passphrase"})
    assert response.status_code == 303
    assert phone.get("/m/").status_code == 200
    assert phone.get_cookie("mentorapp_session").value != before
    assert laptop.get("/m/").status_code == 302
    assert db.execute("SELECT count(*) FROM sessions WHERE user_id = ?",
                      [world.ids["mentor_a"]]).fetchone()[0] == 1


@pytest.mark.parametrize(("new", "again", "message"), [
    ("short", "short", "Bruk minst 10 tegn."),
    ("aaaaaaaaaaaa", "aaaaaaaaaaaa", "Bruk flere forskjellige tegn."),
    ("a long new passphrase", "something else entirely", "De to passordene er ikke like."),
])
def test_bad_new_password_changes_nothing(app, world, db, as_mentor, new, again, message):
    before = db.execute("SELECT password_hash FROM users WHERE id = ?",
                        [world.ids["mentor_a"]]).fetchone()[0]
    response = as_mentor.post("/account/password", data={
        "csrf_token": as_mentor.csrf_token, "current_password": PASSWORD,
        "password": new, "password_again": again})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.execute("SELECT password_hash FROM users WHERE id = ?",
                      [world.ids["mentor_a"]]).fetchone()[0] == before


def test_deactivating_an_account_ends_its_sessions_at_once(app, world, as_admin, as_mentor):
    assert as_mentor.get("/m/").status_code == 200
    response = as_admin.post(f"/admin/users/{world.ids['mentor_a']}/active",
                             data={"csrf_token": as_admin.csrf_token, "active": "0"})
    assert response.status_code == 303
    assert as_mentor.get("/m/").status_code == 302
    api = as_mentor.post("/api/v1/sync", json={"events": []},
                         headers={"X-CSRF-Token": as_mentor.csrf_token})
    assert api.status_code == 401


def test_a_hash_made_with_other_costs_is_renewed_at_sign_in(app, world, db):
    from argon2 import PasswordHasher

    old = PasswordHasher(time_cost=2, memory_cost=2048).hash(PASSWORD)
    db.execute("UPDATE users SET password_hash = ? WHERE id = ?", [old, world.ids["mentor_b"]])
    assert _login(app.test_client(), world.users["mentor_b"]["email"], PASSWORD).status_code == 303
    renewed = db["users"].get(world.ids["mentor_b"])["password_hash"]
    assert renewed != old
    assert f"m={app.config['ARGON2_MEMORY_KIB']},t={app.config['ARGON2_TIME_COST']}" in renewed
