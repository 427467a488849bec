"""Bokmål by default, Nynorsk and English beside it; complete catalogs; dates and numbers
through Babel."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from tests.support.clients import csrf_token, signed_in

ROOT = Path(__file__).resolve().parents[2]


def test_catalogs_are_complete_and_match_the_code():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "catalogs.py"), "check"],
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stdout


def _drop_entry(po: str, msgid: str) -> str:
    """The catalog without one message (its comment lines, msgid and msgstr)."""
    blocks = po.split("\n\n")
    kept = [b for b in blocks if f'\nmsgid "{msgid}"\n' not in "\n" + b + "\n"]
    assert len(kept) == len(blocks) - 1
    return "\n\n".join(kept)


@pytest.mark.parametrize(("locale", "edit", "problem"), [
    ("nb", lambda po: po.replace('msgstr "Logg inn"', 'msgstr ""', 1), "nb: untranslated: 'Log in'"),
    ("nb", lambda po: po.replace('msgid "Saved."', '#, fuzzy\nmsgid "Saved."', 1), "nb: fuzzy: 'Saved.'"),
    ("nn", lambda po: po.replace('msgstr "Logg inn"', 'msgstr ""', 1), "nn: untranslated: 'Log in'"),
    ("nn", lambda po: po.replace('msgid "Saved."', '#, fuzzy\nmsgid "Saved."', 1), "nn: fuzzy: 'Saved.'"),
    ("nn", lambda po: _drop_entry(po, "Log in"), "nn: missing from the catalog: 'Log in'"),
    ("nn", lambda po: po.replace('msgstr[1] "%(num)d dagar"', 'msgstr[1] ""', 1),
     "nn: untranslated: '%(num)d day'"),
])
def test_the_checker_notices_untranslated_fuzzy_and_missing_messages(tmp_path, monkeypatch,
                                                                     locale, edit, problem):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import catalogs
    finally:
        sys.path.pop(0)
    assert catalogs.LOCALES == ("nb", "nn", "en")
    original = ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
    text = original.read_text(encoding="utf-8")
    broken = tmp_path / locale / "LC_MESSAGES" / "messages.po"
    broken.parent.mkdir(parents=True)
    broken.write_text(edit(text), encoding="utf-8")
    assert broken.read_text(encoding="utf-8") != text
    for other in catalogs.LOCALES:
        if other != locale:
            (tmp_path / other).symlink_to(ROOT / "translations" / other)
    monkeypatch.setattr(catalogs, "TRANSLATIONS", tmp_path)
    assert problem in catalogs.problems()


def test_nynorsk_is_its_own_catalog():
    """Not a copy of the Bokmål one: the words that differ most do differ."""
    from babel.messages.pofile import read_po

    def catalog(locale):
        with (ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
            return {m.id: m.string for m in read_po(f) if m.id}

    nb, nn = catalog("nb"), catalog("nn")
    assert nn.keys() == nb.keys()
    same = [key for key in nn if nn[key] == nb[key]]
    assert len(same) < len(nn) / 3  # names, numbers and words spelt alike (Logg inn, Mål)
    assert nn["Counsellor"] == "Rettleiar" and nn["Absence"] == "Fråvær"
    assert nn["Report a problem"] == "Meld frå om ei utfordring"
    assert nn[("%(num)d day", "%(num)d days")] == ("%(num)d dag", "%(num)d dagar")
    # One word per domain concept: Bokmål's forms are nowhere in the Nynorsk catalog.
    words = " ".join(" ".join(v) if isinstance(v, tuple) else v for v in nn.values()).lower()
    for bokmal in ("veileder", "fravær", "mestring", "selvstendig", "mentortilskudd",
                   "forlengelse", "arbeidsgiver", "virksomhet", "ikke ", " hva ", " hvor"):
        assert bokmal not in words, bokmal


def test_the_glossary_is_the_catalogs_own_words():
    """docs/glossary.md lists one Nynorsk word per concept: each is the one the catalog uses."""
    from babel.messages.pofile import read_po

    with (ROOT / "translations" / "nn" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        text = " ".join(" ".join(m.string) if isinstance(m.string, tuple) else m.string
                        for m in read_po(f) if m.id).lower()
    glossary = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    assert "(docs/glossary.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    checked, missing = 0, []
    for line in glossary.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] == "English" or set(cells[0]) <= {"-"}:
            continue
        if "not on a screen yet" in cells[3]:
            continue
        for term in re.sub(r"\([^)]*\)", "", cells[2]).split(","):
            term = term.strip().lower()
            checked += 1
            if term not in text:
                missing.append(term)
    assert checked > 40 and missing == []


@pytest.mark.parametrize(("header", "expected"), [
    (None, "nb"), ("nb", "nb"), ("nn-NO,nn;q=0.9", "nn"), ("nn", "nn"), ("no", "nb"),
    ("nb-NO,nb;q=0.9,nn;q=0.8", "nb"), ("nn-NO,nb;q=0.9,en;q=0.5", "nn"),
    ("nn;q=0,en", "en"), ("en-GB,en;q=0.8", "en"), ("sv-SE", "nb"),
])
def test_language_from_accept_language(client, header, expected):
    headers = {"Accept-Language": header} if header else {}
    page = client.get("/login", headers=headers).get_data(as_text=True)
    assert f'<html lang="{expected}">' in page
    intro = {"nb": "For mentorer, NAV-veiledere og koordinatorer i mentornettverket.",
             "nn": "For mentorar, NAV-rettleiarar og koordinatorar i mentornettverket.",
             "en": "For mentors, NAV counsellors and network coordinators."}[expected]
    assert intro in page


def test_html_lang_follows_the_language(client):
    assert '<html lang="nb">' in client.get("/login").get_data(as_text=True)
    assert '<html lang="nn">' in client.get(
        "/login", headers={"Accept-Language": "nn"}).get_data(as_text=True)
    assert '<html lang="en">' in client.get(
        "/login", headers={"Accept-Language": "en"}).get_data(as_text=True)


@pytest.mark.parametrize(("current", "offered"), [
    ("nb", ["nn", "en"]), ("nn", ["nb", "en"]), ("en", ["nb", "nn"]),
])
def test_the_switch_offers_the_other_two_languages_each_in_its_own(client, current, offered):
    page = client.get("/login", headers={"Accept-Language": current}).get_data(as_text=True)
    switch = page.split('class="language-switch"')[1].split("</form>")[0]
    names = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
    buttons = re.findall(r'<button type="submit" name="locale" value="(\w+)" lang="(\w+)">([^<]+)</button>',
                         switch)
    assert buttons == [(code, code, names[code]) for code in offered]


def test_the_users_saved_choice_beats_the_browser(world, as_mentor, db):
    response = as_mentor.post("/language", data={"csrf_token": as_mentor.csrf_token,
                                                 "locale": "en", "next": "/m/"})
    assert response.status_code == 303 and response.headers["Location"] == "/m/"
    assert db["users"].get(world.ids["mentor_a"])["locale"] == "en"
    page = as_mentor.get("/m/", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    assert "<h1>Today</h1>" in page


def test_nynorsk_is_kept_as_the_users_choice(world, as_mentor, db, app):
    response = as_mentor.post("/language", data={"csrf_token": as_mentor.csrf_token,
                                                 "locale": "nn", "next": "/m/"})
    assert response.status_code == 303
    assert db["users"].get(world.ids["mentor_a"])["locale"] == "nn"
    page = as_mentor.get("/m/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="nn">' in page and "<h1>I dag</h1>" in page
    # The choice lives in the account, not only in this browser: a new sign-in keeps it.
    other = signed_in(app, world, "mentor_a")
    page = other.get("/m/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="nn">' in page
    # The phone's scripts get their texts in Nynorsk too.
    texts = other.get("/m/texts.json").get_json()
    assert any("ikkje" in text for text in texts.values())


def test_the_account_page_offers_nynorsk_and_saves_it(world, as_mentor, db):
    page = as_mentor.get("/account").get_data(as_text=True)
    assert '<option value="nn"' in page and "Norsk (nynorsk)" in page
    form = {"csrf_token": as_mentor.csrf_token, "name": "Mona Mentor", "phone": "",
            "locale": "nn"}
    assert as_mentor.post("/account", data=form).status_code == 303
    assert db["users"].get(world.ids["mentor_a"])["locale"] == "nn"
    page = as_mentor.get("/account").get_data(as_text=True)
    assert "<h1>Kontoen min</h1>" in page and "Lagra." in page


def test_an_unknown_language_on_the_account_page_is_explained_in_nynorsk(world, as_mentor, db):
    db["users"].update(world.ids["mentor_a"], {"locale": "nn"})
    db.conn.commit()
    before = db["users"].get(world.ids["mentor_a"])
    form = {"csrf_token": as_mentor.csrf_token, "name": "Nytt namn", "phone": "", "locale": "xx"}
    response = as_mentor.post("/account", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Sjå over felta som er merkte nedanfor." in page and "Vel eitt av alternativa." in page
    assert db["users"].get(world.ids["mentor_a"]) == before


def test_an_unknown_language_is_refused_in_the_readers_own_language(world, as_mentor, db):
    as_mentor.post("/language", data={"csrf_token": as_mentor.csrf_token, "locale": "nn"})
    response = as_mentor.post("/language", data={"csrf_token": as_mentor.csrf_token,
                                                 "locale": "se"})
    assert response.status_code == 400
    assert "Vi forstod ikkje førespurnaden." in response.get_data(as_text=True)
    assert db["users"].get(world.ids["mentor_a"])["locale"] == "nn"
    # The API answers in JSON, in Nynorsk too.
    api = as_mentor.post("/api/v1/sync", data="not json", content_type="application/json",
                         headers={"X-CSRF-Token": as_mentor.csrf_token})
    assert api.status_code == 400
    assert api.get_json()["message"] == "Send eit JSON-objekt med ei liste som heiter events."


def test_the_database_keeps_only_known_languages(world, db):
    import sqlite3

    db["users"].update(world.ids["mentor_a"], {"locale": "nn"})
    with pytest.raises(sqlite3.IntegrityError):
        db["users"].update(world.ids["mentor_a"], {"locale": "xx"})
    db.conn.rollback()


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
             "api.session_info", "mentor.texts_for_scripts", "participant.texts_for_scripts",
             "ops.healthz", "ops.manifest",
             "ops.service_worker", "network.calendar", "network.resource_file",
             "counsellor.report_csv", "auth.home", "counsellor.export_json",
             "counsellor.export_page",
             # Redirects to an OpenID provider and its answer (tests/auth/test_oidc.py).
             "auth.oidc_login", "auth.oidc_link", "auth.oidc_callback"}
_ROLES = {"mentor": "mentor_a", "counsellor": "counsellor_a", "coordinator": "coordinator",
          "admin": "admin"}
STAFF = ("mentor_a", "counsellor_a", "coordinator", "admin")


def test_the_switch_is_on_every_page_for_everyone(app, world, db):
    from mentorapp.domain import access
    from tests.support.participant import participant_of
    from tests.support.routes import fill, one_of_everything

    values = one_of_everything(app, world, db)
    clients = {"anonymous": app.test_client()}
    for who in STAFF:
        clients[who] = signed_in(app, world, who)
    clients["participant"] = participant_of(app, world, "p1")
    roles = {**_ROLES, "participant": "participant"}
    pages, missing = set(), []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        allowed = access.rule_of(app.view_functions[rule.endpoint])
        if allowed == ("public",):
            people = list(clients)
        elif allowed == ("signed-in",):
            people = list(STAFF)
        else:
            people = [roles[role] for role in allowed]
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
            assert i18n.day("2026-11-25", "full") == "onsdag 25. november 2026"
            assert i18n.number(2.5) == "2,5"
            assert i18n.when("2026-06-01T10:00:00.000Z", "short") == "01.06.2026, 12:00"
        with force_locale("nn"):
            assert i18n.day("2026-11-25") == "25. nov. 2026"
            assert i18n.day("2026-03-02", "full") == "måndag 2. mars 2026"
            assert i18n.number(2.5) == "2,5"
            assert i18n.number(12345.25, 2) == "12\u00a0345,25"
            assert i18n.when("2026-06-01T10:00:00.000Z", "short") == "01.06.2026, 12:00"
        with force_locale("en"):
            assert i18n.day("2026-11-25") == "Nov 25, 2026"
            assert i18n.number(2.5) == "2.5"


def test_nynorsk_plurals_and_relative_times(app):
    from flask_babel import force_locale, format_timedelta, ngettext

    with app.test_request_context(), force_locale("nn"):
        assert ngettext("%(num)d day", "%(num)d days", 1) == "1 dag"
        assert ngettext("%(num)d day", "%(num)d days", 3) == "3 dagar"
        assert format_timedelta(-timedelta(hours=3), add_direction=True) == "for 3 timar sidan"


@pytest.mark.parametrize(("header", "lang"), [("nb", "nb-NO"), ("nn", "nn-NO"), ("en", "en")])
def test_the_web_app_manifest_is_in_the_readers_language(client, header, lang):
    manifest = client.get("/manifest.webmanifest", headers={"Accept-Language": header}).get_json()
    assert manifest["lang"] == lang
    name = {"nb": "mentorapp – oppfølging på jobb", "nn": "mentorapp – oppfølging på jobb",
            "en": "mentorapp – follow-up at work"}[header]
    assert manifest["name"] == name
    description = {"nb": "Dagslogg, utfordringer og samtaler mellom mentorer og NAV.",
                   "nn": "Dagslogg, utfordringar og samtalar mellom mentorar og NAV.",
                   "en": "Daily log, problems and calls between mentors and NAV."}[header]
    assert manifest["description"] == description
