"""Bokmål by default, English second; complete catalogs; dates and numbers through Babel."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


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
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/language", data={"csrf_token": token, "locale": "en", "next": "/login"})
    assert "<h1>Log in</h1>" in client.get("/login").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/m/", "/m/time", "/account", "/logout"])
def test_the_switch_is_on_every_page(as_mentor, path):
    page = as_mentor.get(path).get_data(as_text=True)
    assert 'class="language-switch"' in page and 'name="locale"' in page


def test_dates_and_numbers_through_babel(app):
    from flask_babel import force_locale

    from mentorapp import i18n

    with app.test_request_context():
        with force_locale("nb"):
            assert i18n.day("2026-11-25") == "25. nov. 2026"
            assert i18n.number(2.5) == "2,5"
            assert i18n.when("2026-06-01T10:00:00.000Z", "short") == "01.06.2026, 12:00"
        with force_locale("en"):
            assert i18n.day("2026-11-25") == "Nov 25, 2026"
            assert i18n.number(2.5) == "2.5"
