"""An admin creates accounts with invitation links, and hands out new login links."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tests.support.clients import Auth, csrf_token
from tests.support.world import PASSWORD


def _link(page: str) -> str:
    return urlsplit(re.search(r"<code>(http[^<]+/invite/[^<]+)</code>", page).group(1)).path


def _choose_password(app, path: str, password: str):
    phone = app.test_client()
    page = phone.get(path).get_data(as_text=True)
    token = csrf_token(page)
    response = phone.post(path, data={"csrf_token": token, "password": password,
                                      "password_again": password})
    return phone, response


def test_admin_creates_a_counsellor_who_joins_by_link(app, world, as_admin, db):
    response = as_admin.post("/admin/users", data={
        "csrf_token": as_admin.csrf_token, "name": "Vera Veileder", "email": "vera@nav.no",
        "role": "counsellor", "office_id": str(world.ids["office_a"])}, follow_redirects=True)
    path = _link(response.get_data(as_text=True))
    phone, done = _choose_password(app, path, "veras egen frase")
    assert done.status_code == 303
    assert phone.get("/c/").status_code == 200


def test_a_counsellor_needs_an_office(world, as_admin, db):
    before = db["users"].count
    response = as_admin.post("/admin/users", data={
        "csrf_token": as_admin.csrf_token, "name": "Uten Kontor", "email": "u@nav.no",
        "role": "counsellor"})
    assert response.status_code == 422
    assert "En veileder hører til et NAV-kontor" in response.get_data(as_text=True)
    assert db["users"].count == before


def test_a_new_login_link_resets_a_forgotten_password_and_signs_out_elsewhere(app, world, as_admin):
    lost_phone = app.test_client()
    Auth(lost_phone, world).login("mentor_a")
    response = as_admin.post(f"/admin/users/{world.ids['mentor_a']}/invite",
                             data={"csrf_token": as_admin.csrf_token}, follow_redirects=True)
    path = _link(response.get_data(as_text=True))
    phone, done = _choose_password(app, path, "helt nytt passord")
    assert done.status_code == 303 and phone.get("/m/").status_code == 200
    assert lost_phone.get("/m/").status_code == 302  # the old session is gone
    old = app.test_client()
    page = old.get("/login").get_data(as_text=True)
    token = csrf_token(page)
    refused = old.post("/login", data={"csrf_token": token, "password": PASSWORD,
                                       "email": world.users["mentor_a"]["email"]})
    assert refused.status_code == 422


def test_an_admin_cannot_deactivate_themselves(world, as_admin):
    response = as_admin.post(f"/admin/users/{world.ids['admin']}/active",
                             data={"csrf_token": as_admin.csrf_token, "active": "0"})
    assert response.status_code == 404
    assert as_admin.get("/admin/users").status_code == 200
