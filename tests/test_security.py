"""Security headers, cookies and CSRF on every state-changing request."""

from __future__ import annotations

import pytest

from mentorapp import create_app


def test_pages_carry_strict_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "no-cache" in response.headers["Cache-Control"]


def test_pages_have_no_inline_scripts_or_styles(as_counsellor, world):
    for path in ("/login", "/c/", f"/c/p/{world.placements['p1']}", "/c/p/new"):
        page = as_counsellor.get(path).get_data(as_text=True)
        assert "<script>" not in page and " style=" not in page and "<style" not in page
        assert " onclick=" not in page and "javascript:" not in page


def test_session_cookies_are_httponly_and_samesite(world, client):
    from tests.conftest import Auth

    Auth(client, world).login("mentor_a", remember=True)
    session = client.get_cookie("mentorapp_session")
    remember = client.get_cookie("mentorapp_remember")
    assert session.http_only and session.same_site == "Lax"
    assert remember.http_only and remember.same_site == "Lax"
    assert not session.secure  # plain HTTP on localhost; see the HTTPS test below


def test_behind_https_cookies_are_secure_and_host_prefixed(tmp_path):
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "HTTPS": True,
                      "LOG_LEVEL": "WARNING"})
    client = app.test_client()
    response = client.get("/login", base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=") and "Secure" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("path", ["/logout", "/language", "/account", "/c/p/new"])
def test_forms_without_a_csrf_token_are_refused(as_counsellor, path):
    response = as_counsellor.post(path, data={"locale": "en"})
    assert response.status_code == 403
    assert "Skjemaet var utløpt" in response.get_data(as_text=True)


def test_login_form_needs_its_token_too(client, world):
    client.get("/login")
    response = client.post("/login", data={"email": world.users["mentor_a"]["email"],
                                           "password": "x"})
    assert response.status_code == 403


def test_json_api_needs_the_csrf_header(as_mentor, world):
    body = {"events": []}
    assert as_mentor.post("/api/v1/sync", json=body).status_code == 403
    refused = as_mentor.post("/api/v1/sync", json=body, headers={"X-CSRF-Token": "forged"})
    assert refused.status_code == 403 and refused.get_json()["error"] == "csrf"
    ok = as_mentor.post("/api/v1/sync", json=body, headers={"X-CSRF-Token": as_mentor.csrf_token})
    assert ok.status_code == 200


def test_htmx_requests_send_the_token_as_a_header(as_counsellor, world):
    page = as_counsellor.get("/c/").get_data(as_text=True)
    assert f'hx-headers=\'{{"X-CSRF-Token": "{as_counsellor.csrf_token}"}}\'' in page


def test_a_request_from_another_site_is_refused(as_mentor):
    response = as_mentor.post("/api/v1/sync", json={"events": []}, headers={
        "X-CSRF-Token": as_mentor.csrf_token, "Origin": "https://evil.example"})
    assert response.status_code == 403


def test_only_same_site_paths_after_login(client, world):
    from tests.support.world import PASSWORD

    page = client.get("/login?next=https://evil.example/").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/login", data={"csrf_token": token, "next": "//evil.example/",
                                           "email": world.users["mentor_a"]["email"],
                                           "password": PASSWORD})
    assert response.headers["Location"] == "/m/"
