"""Bokmål by default, English second; complete catalogs; dates and numbers through Babel."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.clients import csrf_token, signed_in

ROOT = Path(__file__).resolve().parents[2]


def test_catalogs_are_complete_and_match_the_code():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "catalogs.py"), "check"],
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(("edit", "problem"), [
    (lambda po: po.replace('msgstr "Logg inn"', 'msgstr ""', 1), "nb: untranslated: 'Log in'"),
    (lambda po: po.replace('msgid "Saved."', '#, fuzzy\nmsgid "Saved."', 1), "nb: fuzzy: 'Saved.'"),
])
def test_the_checker_notices_untranslated_and_fuzzy_messages(tmp_path, monkeypatch, edit,
                                                             problem):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import catalogs
    finally:
        sys.path.pop(0)
    nb = ROOT / "translations" / "nb" / "LC_MESSAGES" / "messages.po"
    broken = tmp_path / "nb" / "LC_MESSAGES" / "messages.po"
    broken.parent.mkdir(parents=True)
    broken.write_text(edit(nb.read_text(encoding="utf-8")), encoding="utf-8")
    (tmp_path / "en").symlink_to(ROOT / "translations" / "en")
    monkeypatch.setattr(catalogs, "TRANSLATIONS", tmp_path)
    assert problem in catalogs.problems()


@pytest.mark.parametrize(("header", "expected"), [
    (None, "Logg inn"), ("nb", "Logg inn"), ("nn-NO,nn;q=0.9", "Logg inn"),
    ("no", "Logg inn"), ("en-GB,en;q=0.8", "Log in"), ("sv-SE", "Logg inn"),
])
def test_language_from_accept_language(client, header, expected):
    headers = {"Accept-Language": header} if header else {}
    page = client.get("/login", headers=headers).get_data(as_text=True)
    assert f"<h1>{expected}</h1>" in page


def test_html_lang_follows_the_language(client):
    assert '<html lang="nb">' in client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in client.get(
        "/login", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_the_users_saved_choice_beats_the_browser(world, as_mentor, db):
    response = as_mentor.post("/language", data={"csrf_token": as_mentor.csrf_token,
                                                 "locale": "en", "next": "/m/"})
    assert response.status_code == 303 and response.headers["Location"] == "/m/"
    assert db["users"].get(world.ids["mentor_a"])["locale"] == "en"
    page = as_mentor.get("/m/", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    assert "<h1>Today</h1>" in page


def test_an_unknown_language_is_refused(world, as_mentor, db):
    response = as_mentor.post("/language", data={"csrf_token": as_mentor.csrf_token,
                                                 "locale": "xx"})
    assert response.status_code == 400
    assert db["users"].get(world.ids["mentor_a"])["locale"] is None


def test_a_visitor_can_switch_before_signing_in(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'name="locale" value="en"' in page
    token = csrf_token(page)
    client.post("/language", data={"csrf_token": token, "locale": "en", "next": "/login"})
    assert "<h1>Log in</h1>" in client.get("/login").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/m/", "/m/time", "/account", "/logout"])
def test_the_switch_is_on_every_page(as_mentor, path):
    page = as_mentor.get(path).get_data(as_text=True)
    assert 'class="language-switch"' in page and 'name="locale"' in page


# GET routes that answer something other than a page of the app: data, files, scripts,
# a calendar, or a redirect. Every other GET route must be reached as a page below.
# (The participant's own copy is a document in the language asked for, to keep or print.)
NOT_PAGES = {"static", "api.feed", "api.openapi_document", "api.placement_summary",
             "api.session_info", "mentor.texts_for_scripts", "ops.healthz", "ops.manifest",
             "ops.service_worker", "network.calendar", "network.resource_file",
             "counsellor.report_csv", "auth.home", "counsellor.export_json",
             "counsellor.export_page"}
_ROLES = {"mentor": "mentor_a", "counsellor": "counsellor_a", "coordinator": "coordinator",
          "admin": "admin"}


def test_the_switch_is_on_every_page_for_everyone(app, world, db):
    from mentorapp.domain import access
    from tests.support.routes import fill, one_of_everything

    values = one_of_everything(app, world, db)
    clients = {"anonymous": app.test_client()}
    for who in _ROLES.values():
        clients[who] = signed_in(app, world, who)
    pages, missing = set(), []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        allowed = access.rule_of(app.view_functions[rule.endpoint])
        if allowed == ("public",):
            people = list(clients)
        elif allowed == ("signed-in",):
            people = list(_ROLES.values())
        else:
            people = [_ROLES[role] for role in allowed]
        url = fill(rule, **values)
        for who in people:
            response = clients[who].get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue  # e.g. the sign-in page for someone already signed in
            pages.add(rule.endpoint)
            page = response.get_data(as_text=True)
            # The switch, and it brings the reader back to this same page.
            if not ('class="language-switch"' in page and 'name="locale"' in page
                    and f'name="next" value="{url}"' in page):
                missing.append(f"{url} as {who}")
    assert missing == []
    reachable = {r.endpoint for r in app.url_map.iter_rules() if "GET" in r.methods}
    assert reachable - NOT_PAGES == pages  # each page was really seen by someone


@pytest.mark.parametrize("who", ["anonymous", "mentor_a"])
def test_the_switch_is_on_the_error_page(app, world, who):

    client = app.test_client() if who == "anonymous" else signed_in(app, world, who)
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert 'class="language-switch"' in response.get_data(as_text=True)


def test_dates_and_numbers_through_babel(app):
    from flask_babel import force_locale

    from mentorapp.web import i18n

    with app.test_request_context():
        with force_locale("nb"):
            assert i18n.day("2026-11-25") == "25. nov. 2026"
            assert i18n.number(2.5) == "2,5"
            assert i18n.when("2026-06-01T10:00:00.000Z", "short") == "01.06.2026, 12:00"
        with force_locale("en"):
            assert i18n.day("2026-11-25") == "Nov 25, 2026"
            assert i18n.number(2.5) == "2.5"
