"""One-time, expiring invitation links: the invited mentor only chooses a password."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

from mentorapp.domain import clock
from tests.support.clients import csrf_token


def _create_with_new_mentor(client, world):
    response = client.post("/c/p/new", data={
        "csrf_token": client.csrf_token, "participant_name": "Ola N.",
        "workplace_id": world.ids["w1"], "mentor_id": "", "mentor_name": "Nina Ny",
        "mentor_email": "nina@test.mentorapp.no", "mentor_phone": "900 00 000",
        "start_date": clock.today().isoformat(),
        "end_date": (clock.today() + timedelta(days=90)).isoformat(),
        "agreed_hours": "2,5"}, follow_redirects=True)
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    link = re.search(r"<code>(http[^<]+/invite/[^<]+)</code>", response.get_data(as_text=True))
    return urlsplit(link.group(1)).path


def test_counsellor_invites_a_mentor_who_only_chooses_a_password(app, world, as_counsellor):
    path = _create_with_new_mentor(as_counsellor, world)
    # The link is shown once.
    page = as_counsellor.get(as_counsellor.get("/c/").request.path)
    assert "/invite/" not in page.get_data(as_text=True)

    phone = app.test_client()
    form = phone.get(path)
    assert form.status_code == 200
    assert "Velkommen, Nina Ny" in form.get_data(as_text=True)
    token = csrf_token(form.get_data(as_text=True))
    done = phone.post(path, data={"csrf_token": token, "password": "my own passphrase",
                                  "password_again": "my own passphrase"})
    assert done.status_code == 303
    home = phone.get("/m/")
    assert home.status_code == 200 and "Ola N." in home.get_data(as_text=True)
    # A second use of the same link does nothing.
    assert app.test_client().get(path).status_code == 404


def test_expired_invitation_cannot_be_used(app, world, as_counsellor, db):
    path = _create_with_new_mentor(as_counsellor, world)
    db.execute("UPDATE invitations SET expires_at = ?", [clock.days_ago(1)])
    response = app.test_client().get(path)
    assert response.status_code == 404
    assert "Denne lenken kan ikke brukes lenger" in response.get_data(as_text=True)


def test_a_weak_password_keeps_the_invitation_open(app, world, as_counsellor, db):
    path = _create_with_new_mentor(as_counsellor, world)
    phone = app.test_client()
    page = phone.get(path).get_data(as_text=True)
    token = csrf_token(page)
    response = phone.post(path, data={"csrf_token": token, "password": "short",
                                      "password_again": "short"})
    assert response.status_code == 422
    assert db.execute("SELECT used_at FROM invitations").fetchone()[0] is None
    assert db.execute("SELECT password_hash FROM users WHERE email = 'nina@test.mentorapp.no'"
                      ).fetchone()[0] is None


def test_unknown_token_is_not_found(client):
    assert client.get("/invite/not-a-real-token").status_code == 404
