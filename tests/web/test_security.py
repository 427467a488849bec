"""Security headers, cookies and CSRF on every state-changing request."""

from __future__ import annotations

import pytest

from mentorapp import create_app
from mentorapp.domain import access
from mentorapp.web.security import SAFE_METHODS
from tests.support.clients import Auth, csrf_token, signed_in
from tests.support.routes import fill, one_of_everything, state


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


def test_only_the_token_authenticated_feed_skips_csrf(app):
    # An exempt route has no session to forge, so it must not change anything either: the
    # feed is read-only. A new exemption should be a decision, made here on purpose.
    exempt = {rule.endpoint: rule.methods - SAFE_METHODS for rule in app.url_map.iter_rules()
              if getattr(app.view_functions[rule.endpoint], "csrf_exempt", False)}
    assert exempt == {"api.feed": set()}


# Who to send each kind of route from: someone the route's own rule lets in, so that a
# refusal cannot be the gate's 404 answering before the CSRF check.
_PEOPLE = {("public",): ["anonymous", "mentor_a"], ("signed-in",): ["mentor_a", "counsellor_a"],
           access.MENTOR: ["mentor_a"], access.COUNSELLOR: ["counsellor_a"],
           access.COORDINATOR: ["coordinator"], access.ADMIN: ["admin"],
           access.PARTICIPANT: ["participant"]}


def _people_for(view) -> list[str]:
    rule = access.rule_of(view)
    if rule in _PEOPLE:
        return _PEOPLE[rule]
    return [who for role in rule for who in _PEOPLE[role]]


def test_every_state_changing_route_refuses_a_request_without_the_csrf_token(app, world, db):
    from tests.support.events import event
    from tests.support.participant import participant_of

    values = one_of_everything(app, world, db)
    anonymous = app.test_client()
    anonymous.get("/login")  # a visitor whose session holds a token, just not sent along
    clients = {"anonymous": anonymous}
    for who in ("mentor_a", "counsellor_a", "coordinator", "admin"):
        clients[who] = signed_in(app, world, who)
    clients["participant"] = participant_of(app, world, "p1")
    # Everything a form or the phone might send, all valid: were the token not checked,
    # these requests would store something.
    form = {"email": world.users["mentor_a"]["email"], "password": "correct horse battery staple",
            "locale": "en", "outcome": "employed", "decision": "extending", "text": "Hei",
            "note": "Notat", "title": "Tittel", "body": "Tekst", "name": "Navn",
            "active": "0", "answer": "yes", "participant_name": "Ola", "office_name": "NAV C"}
    phone = {"events": [event("comment", world.placements["p1"], {"text": "Hei"})],
             "ids": [], "endpoint": "https://push.example.net/kontor",
             "keys": {"p256dh": "BAAA", "auth": "aaa"}}
    before = state(db)
    checked, wrong = 0, []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - SAFE_METHODS):
            url = fill(rule, **values)
            for who in _people_for(app.view_functions[rule.endpoint]):
                if url.startswith("/api/"):
                    response = clients[who].open(url, method=method, json=phone)
                    refused = response.status_code == 403 and response.get_json()["error"] == "csrf"
                else:
                    response = clients[who].open(url, method=method, data=form)
                    refused = (response.status_code == 403
                               and "Skjemaet var utløpt" in response.get_data(as_text=True))
                checked += 1
                if not refused:
                    wrong.append(f"{method} {url} as {who}: {response.status_code}")
    assert wrong == []
    assert checked > 50  # the walk really went through the app's forms
    assert state(db) == before


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
    token = csrf_token(page)
    response = client.post("/login", data={"csrf_token": token, "next": "//evil.example/",
                                           "email": world.users["mentor_a"]["email"],
                                           "password": PASSWORD})
    assert response.headers["Location"] == "/m/"


# Markup in everything people write, each piece tagged so a page that drops a text cannot
# pass for one that escaped it.
_WRITTEN = {
    "comment": '<script>alert("kommentar")</script>',
    "flag_note": "<b>flaggnotat</b>",
    "call_topic": '<script>alert("ring meg")</script>',
    "task": "<b>oppgave</b>",
    "log_note": '<img src=x onerror="alert(1)">dagsnotat',
    "resolution": '<script>alert("løst")</script>',
    "done_note": "<b>samtalenotat</b>",
    "nav_comment": '<script>alert("fra NAV")</script>',
}
_EVERYTHING = set(_WRITTEN)
_ON_REPORT = {"task", "resolution", "done_note"}  # the report shows no notes from the phone


def test_text_people_write_is_escaped_on_every_page_that_shows_it(world, as_mentor,
                                                                  as_counsellor):
    import csv
    import io

    from markupsafe import escape

    from tests.support.events import daily_log, event, sync

    p1 = world.placements["p1"]
    # The mentor's side through the real sync API, as the phone sends it; a resolved and
    # a done matter, and an open one of each, since the page shows those in other places.
    resolved = event("flag", p1, {"category": "absence", "severity": "attention",
                                  "note": _WRITTEN["flag_note"]})
    done = event("call_request", p1, {"urgency": "today", "topic": _WRITTEN["call_topic"]})
    batch = [resolved, done,
             event("flag", p1, {"category": "absence", "severity": "urgent",
                                "note": _WRITTEN["flag_note"]}),
             event("call_request", p1, {"urgency": "today", "topic": _WRITTEN["call_topic"]}),
             event("comment", p1, {"text": _WRITTEN["comment"]}),
             daily_log(p1, tasks=[_WRITTEN["task"]], note=_WRITTEN["log_note"])]
    results = sync(as_mentor, batch).get_json()["results"]
    assert [r["status"] for r in results] == ["created"] * len(batch)
    # NAV's side through the counsellor's real forms.
    token = as_counsellor.csrf_token
    answers = [(f"flags/{resolved['id']}/resolve", {"note": _WRITTEN["resolution"]}),
               (f"calls/{done['id']}/done", {"note": _WRITTEN["done_note"]}),
               ("comment", {"text": _WRITTEN["nav_comment"]})]
    for path, data in answers:
        response = as_counsellor.post(f"/c/p/{p1}/{path}", data={"csrf_token": token, **data})
        assert response.status_code == 303

    pages = [(as_counsellor, f"/c/p/{p1}", _EVERYTHING),
             (as_counsellor, f"/c/p/{p1}/timeline", _EVERYTHING),
             (as_counsellor, f"/c/p/{p1}/report", _ON_REPORT),
             (as_counsellor, f"/c/p/{p1}/report?lang=en", _ON_REPORT),
             (as_mentor, f"/m/p/{p1}", _EVERYTHING)]
    for client, path, shown in pages:
        response = client.get(path)
        assert response.status_code == 200 and response.mimetype == "text/html"
        page = response.get_data(as_text=True)
        for key, text in _WRITTEN.items():
            assert text not in page, f"{key} unescaped on {path}"
            if key in shown:
                assert str(escape(text)) in page, f"{key} missing on {path}"

    # A CSV file is not HTML: the same text comes out exactly as written, not as &lt;b&gt;.
    response = as_counsellor.get(f"/c/p/{p1}/report.csv")
    assert response.mimetype == "text/csv"
    cells = {cell for row in csv.reader(io.StringIO(response.get_data(as_text=True)),
                                        delimiter=";") for cell in row}
    assert {_WRITTEN[key] for key in _ON_REPORT} <= cells
    assert "&lt;" not in response.get_data(as_text=True)
